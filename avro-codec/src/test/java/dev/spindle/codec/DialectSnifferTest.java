package dev.spindle.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DialectSnifferTest {

    static Stream<Arguments> samples() {
        return Stream.of(
                Arguments.of("comma, header, LF", "id,name,score\n1,Ann,1.5\n2,Bob,2.5\n", ',', '"', true, "LF", 3),
                Arguments.of("tab, header, CRLF", "a b\tc\r\n1\tx y\r\n2\tz\r\n", '\t', '"', true, "CRLF", 2),
                Arguments.of("pipe with commas in values", "name|amount\nAnn, Jr.|1,5\nBob|2,0\n", '|', '"', true, "LF", 2),
                Arguments.of("semicolon with decimal commas", "x;y;z\n1,5;2,5;a\n3,5;4;b\n", ';', '"', true, "LF", 3),
                Arguments.of("caret", "1^2^3\n4^5^6\n", '^', '"', false, "LF", 3),
                Arguments.of("no header numbers", "1,2.5,true\n3,4.5,false\n5,6,true\n", ',', '"', false, "LF", 3),
                Arguments.of("header over dates", "day,n\n2024-01-01,1\n2024-01-02,2\n", ',', '"', true, "LF", 2),
                Arguments.of("quoted commas and newlines", "id,text\n1,\"a,b\nc\"\n2,\"d,e,f\"\n3,g\n", ',', '"', true, "LF", 2),
                Arguments.of("single quotes", "id,text\n1,'a,b'\n2,'c,d'\n3,e\n", ',', '\'', true, "LF", 2),
                Arguments.of("CR line ends", "a,b\r1,2\r3,4\r", ',', '"', true, "CR", 2),
                Arguments.of("BOM", "\uFEFFa;b\n1;2\n", ';', '"', true, "LF", 2),
                Arguments.of("all strings, distinct first row", "name,city\nAnn,Paris\nBob,Rome\n", ',', '"', true, "LF", 2),
                Arguments.of("all strings, repeated first row", "x,x\ny,z\n", ',', '"', false, "LF", 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sniffs(String name, String sample, char delimiter, char quote, boolean header, String lineEnding, int columns) {
        byte[] bytes = sample.getBytes(StandardCharsets.UTF_8);
        DialectSniffer.Result result = DialectSniffer.sniff(bytes, 0, bytes.length, DialectSniffer.SampleExtent.WHOLE_FILE);
        assertEquals(CsvDialect.printable((byte) delimiter), CsvDialect.printable(result.dialect().delimiter()), "delimiter");
        assertEquals(quote, (char) result.dialect().quote(), "quote");
        assertEquals(header, result.dialect().headerPresent(), "header");
        assertEquals(lineEnding, result.lineEnding().name(), "line ending");
        assertEquals(columns, result.columns(), "columns");
    }

    @Test
    void backslashEscapes() {
        byte[] bytes = "id,text\n1,\"say \\\"hi, there\\\"\"\n2,\"x\"\n3,\"y\"\n".getBytes(StandardCharsets.UTF_8);
        DialectSniffer.Result result = DialectSniffer.sniff(bytes, 0, bytes.length, DialectSniffer.SampleExtent.WHOLE_FILE);
        assertEquals(CsvDialect.EscapeMode.BACKSLASH, result.dialect().escapeMode());
        assertEquals(4, result.recordsSampled());
    }

    @Test
    void prefixIgnoresThePartialLastRecord() {
        byte[] bytes = "a,b,c\n1,2,3\n4,5,6\n7,8".getBytes(StandardCharsets.UTF_8);
        DialectSniffer.Result result = DialectSniffer.sniff(bytes, 0, bytes.length, DialectSniffer.SampleExtent.PREFIX);
        assertEquals(3, result.recordsSampled());
        assertEquals(3, result.columns());
    }

    @Test
    void emptySampleFails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DialectSniffer.sniff(new byte[0], 0, 0, DialectSniffer.SampleExtent.WHOLE_FILE));
        assertEquals("Cannot sniff a dialect: the sample of 0 bytes holds no record", e.getMessage());
    }
}
