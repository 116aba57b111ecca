package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spindle.io.store.InMemoryFileStore;
import dev.spindle.io.store.SeekableInput;
import java.io.OutputStream;
import org.junit.jupiter.api.Test;

/** The lines before a block's first record, for absolute line numbers in bad-record messages. */
class LineNumbersTest {

    @Test
    void lfCrAndCrLfEachEndALineAnywhereInTheFile() throws Exception {
        // lines: "a" LF, "b" CRLF, "c" CR, "d" CRLF, "e" CR -> the record at the end starts on line 6
        String text = "a\nb\r\nc\rd\r\ne\r";
        InMemoryFileStore store = new InMemoryFileStore();
        try (OutputStream out = store.create("memory:/mixed.csv")) {
            out.write((text + "f\n").getBytes(UTF_8));
        }
        try (SeekableInput input = store.open("memory:/mixed.csv")) {
            assertEquals(5, LineNumbers.linesBefore(input, text.length()));
            assertEquals(1, LineNumbers.linesBefore(input, 2), "after a\\n");
            assertEquals(2, LineNumbers.linesBefore(input, 5), "after b\\r\\n: one line, not two");
            assertEquals(3, LineNumbers.linesBefore(input, 7), "after c\\r alone");
        }
    }
}
