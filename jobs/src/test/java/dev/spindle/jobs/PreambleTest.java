package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PreambleTest {

    private static int detect(String text) {
        byte[] bytes = text.getBytes(UTF_8);
        return Preamble.detect(bytes, bytes.length, ',', '"');
    }

    private static String table(int rows) {
        StringBuilder csv = new StringBuilder("id,name,amount\n");
        for (int i = 0; i < rows; i++) {
            csv.append(i).append(",\"n, ").append(i).append("\",").append(i * 1.5).append('\n');
        }
        return csv.toString();
    }

    @Test
    void noteLinesBeforeTheHeaderAreAPreamble() {
        assertEquals(3, detect("~ note one\n~ note two\n~ exported 2013-01-01\n" + table(20)));
        assertEquals(2, detect("Taxi trips\r\nSource: the city, 2013\r\n" + table(20).replace("\n", "\r\n")));
        // blank lines between the notes and the header: the reader skips those itself
        assertEquals(1, detect("Report\n\n\n" + table(20)));
        assertEquals(1, detect("\uFEFFReport\n" + table(20)));
    }

    @Test
    void aFileThatStartsWithItsHeaderHasNone() {
        assertEquals(0, detect(table(20)));
        assertEquals(0, detect(table(1)));
        assertEquals(0, detect(""));
        // one column: field counts cannot tell notes from rows
        assertEquals(0, detect("note\nid\n1\n2\n3\n4\n"));
        // ragged rows everywhere: no count to agree on, no guess acted on
        assertEquals(0, detect("a\nb,c\nd,e,f\ng\nh,i\nj,k,l\nm\n"));
    }

    @Test
    void aQuotedLineBreakInTheFirstRowsEndsTheLookAndNeverCreatesAPreamble() {
        String text = "id,comment\n1,\"two\nlines\"\n2,x\n3,y\n";
        assertEquals(0, detect(text));
    }

    @Test
    void seededRandomPreamblesOfNotesWithoutDelimitersAreFoundExactly() {
        Random random = new Random(20261207);
        for (int trial = 0; trial < 500; trial++) {
            int notes = random.nextInt(6);
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < notes; i++) {
                text.append("note ").append(random.nextInt(1000)).append(random.nextBoolean() ? "\n" : "\r\n");
            }
            text.append(table(5 + random.nextInt(40)));
            assertEquals(notes, detect(text.toString()), text.toString());
        }
    }
}
