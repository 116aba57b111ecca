package dev.spindle.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CsvDialectTest {

    @Test
    void defaults() {
        CsvDialect dialect = CsvDialect.defaults();
        assertEquals(',', dialect.delimiter());
        assertEquals('"', dialect.quote());
        assertEquals(CsvDialect.EscapeMode.DOUBLED, dialect.escapeMode());
        assertEquals(true, dialect.headerPresent());
        assertEquals(List.of(""), dialect.nullTokens());
        assertEquals(Optional.empty(), dialect.commentPrefix());
        assertEquals(StandardCharsets.UTF_8, dialect.charset());
    }

    @Test
    void toBuilderRoundTrips() {
        CsvDialect dialect = CsvDialect.builder().delimiter('\t').quote('\'').escapeMode(CsvDialect.EscapeMode.BACKSLASH)
                .withoutHeader().nullTokens(List.of("NA", "\\N")).commentPrefix("#").build();
        assertEquals(dialect, dialect.toBuilder().build());
    }

    @Test
    void rejectsDelimiterEqualToQuote() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsvDialect.builder().delimiter('"').build());
        assertEquals("Delimiter and quote must differ: both are '\"'", e.getMessage());
    }

    @Test
    void rejectsLineTerminatorAsDelimiter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvDialect.builder().delimiter('\n'));
        assertEquals("The delimiter must not be a line terminator: 0x0a", e.getMessage());
    }

    @Test
    void rejectsNonAsciiDelimiter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvDialect.builder().delimiter('§'));
        assertEquals("The delimiter must be a single ASCII byte: '§' (U+00A7)", e.getMessage());
    }

    @Test
    void rejectsDuplicateNullToken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsvDialect.builder().nullTokens(List.of("NA", "NA")).build());
        assertEquals("Null token listed twice: \"NA\" in [NA, NA]", e.getMessage());
    }

    @Test
    void rejectsBackslashDelimiterWithBackslashEscapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsvDialect.builder().delimiter('\\').escapeMode(CsvDialect.EscapeMode.BACKSLASH).build());
        assertEquals("Backslash cannot be the delimiter or quote with escape mode BACKSLASH", e.getMessage());
    }

    @Test
    void theCommentPrefixIsOneByteAsTheBlockReaderReadsIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvDialect.builder().commentPrefix("//").build());
        assertEquals("Comment prefix must be one ASCII character: \"//\"", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CsvDialect.builder().commentPrefix("").build());
        assertEquals("Comment prefix must be one ASCII character: \"\"", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CsvDialect.builder().delimiter(';').commentPrefix(";").build());
        assertEquals("Comment prefix must not be a line terminator, the delimiter or the quote: ';'", e.getMessage());
    }

    @Test
    void rejectsNonAsciiCompatibleCharset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsvDialect.builder().charset(java.nio.charset.Charset.forName("IBM037")).build());
        assertEquals("Charset must be ASCII-compatible (one byte per ASCII character) or one of"
                + " UTF-16, UTF-16BE, UTF-16LE, UTF-32, UTF-32BE, UTF-32LE: IBM037", e.getMessage());
    }

    @Test
    void unicodeCharsetsAreReadAsUtf8Records() {
        for (String name : new String[] {"UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32", "UTF-32LE", "UTF-32BE"}) {
            CsvDialect dialect = CsvDialect.builder().charset(java.nio.charset.Charset.forName(name)).build();
            assertEquals(name, dialect.charset().name());
            assertEquals(StandardCharsets.UTF_8, dialect.recordCharset(), name);
        }
    }

    @Test
    void asciiCompatibleCharsetsAreTheirOwnRecordCharset() {
        for (java.nio.charset.Charset charset : new java.nio.charset.Charset[] {StandardCharsets.ISO_8859_1,
                java.nio.charset.Charset.forName("windows-1252"), StandardCharsets.UTF_8}) {
            assertEquals(charset, CsvDialect.builder().charset(charset).build().recordCharset());
        }
    }
}
