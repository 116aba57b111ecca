package dev.spindle.io.split;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Generates CSV files that exercise record boundaries (test data). */
final class CsvFileGenerator {

    /**
     * What to generate.
     *
     * @param quotedNewlines whether quoted fields may hold line terminators
     * @param blankLines whether blank (and, with a comment prefix, comment) lines appear
     * @param strayQuotes whether quotes may appear inside unquoted fields (lenient data)
     */
    record Shape(
            RecordFormat format,
            LineEnding lineEnding,
            boolean bom,
            boolean finalNewline,
            boolean quotedNewlines,
            boolean blankLines,
            boolean strayQuotes,
            int records,
            int fields) {}

    private final Random random;
    private final Shape shape;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    /** Whether the file's first line has ended (its terminator is the file's {@code lineEnding()}). */
    private boolean firstLineEnded;
    private boolean lastWasCr;

    private CsvFileGenerator(Random random, Shape shape) {
        this.random = random;
        this.shape = shape;
    }

    static byte[] generate(Random random, Shape shape) {
        return new CsvFileGenerator(random, shape).generate();
    }

    private byte[] generate() {
        if (shape.bom()) {
            out.write(0xEF);
            out.write(0xBB);
            out.write(0xBF);
        }
        RecordFormat format = shape.format();
        if (format.hasHeader()) {
            for (int f = 0; f < shape.fields(); f++) {
                if (f > 0) {
                    out.write(format.delimiter());
                }
                text("c" + f);
            }
            lineEnd();
        }
        for (int r = 0; r < shape.records(); r++) {
            if (shape.blankLines() && random.nextInt(5) == 0) {
                if (format.hasCommentPrefix() && random.nextBoolean()) {
                    out.write(format.commentPrefix());
                    text(random.nextBoolean() ? " note \"x" : " a,b");
                }
                lineEnd();
            }
            for (int f = 0; f < shape.fields(); f++) {
                if (f > 0) {
                    out.write(format.delimiter());
                }
                field(shape.fields() == 1);
            }
            boolean last = r == shape.records() - 1;
            if (!last || shape.finalNewline()) {
                lineEnd();
            }
        }
        return out.toByteArray();
    }

    private void field(boolean only) {
        RecordFormat format = shape.format();
        int kind = random.nextInt(format.hasQuote() ? 9 : 3);
        switch (kind) {
            case 0 -> {
                if (only) {
                    text("e");
                }
            }
            case 1, 2 -> {
                plain();
                if (shape.strayQuotes() && format.hasQuote() && random.nextInt(6) == 0) {
                    out.write(format.quote());
                    plain();
                }
                if (format.escape() == RecordFormat.Escape.BACKSLASH && random.nextInt(4) == 0) {
                    // outside quotes too, a backslash makes the next byte data: a delimiter, a
                    // quote, a backslash or a line break
                    out.write('\\');
                    switch (random.nextInt(4)) {
                        case 0 -> out.write(format.delimiter());
                        case 1 -> out.write(format.hasQuote() ? format.quote() : '\\');
                        case 2 -> out.write('\\');
                        default -> out.write(shape.quotedNewlines() ? (random.nextBoolean() ? '\n' : '\r') : 'x');
                    }
                    plain();
                }
            }
            default -> {
                out.write(format.quote());
                int parts = 1 + random.nextInt(3);
                for (int i = 0; i < parts; i++) {
                    switch (random.nextInt(6)) {
                        case 0 -> out.write(format.delimiter());
                        case 1 -> {
                            out.write(format.quote());
                            out.write(format.quote());
                        }
                        case 2, 3 -> {
                            if (shape.quotedNewlines()) {
                                terminator();
                            } else {
                                plain();
                            }
                        }
                        case 4 -> {
                            if (format.escape() == RecordFormat.Escape.BACKSLASH) {
                                out.write('\\');
                                out.write(random.nextBoolean() ? format.quote() : '\\');
                            } else {
                                plain();
                            }
                        }
                        default -> plain();
                    }
                }
                out.write(format.quote());
            }
        }
    }

    private void plain() {
        int length = 1 + random.nextInt(4);
        for (int i = 0; i < length; i++) {
            out.write('a' + random.nextInt(26));
        }
    }

    private void text(String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private void lineEnd() {
        terminator();
        firstLineEnded = true;
    }

    /**
     * Writes the shape's line ending; after the first one, now and then another one (any of LF,
     * CR and CRLF ends a record wherever it is).
     */
    private void terminator() {
        LineEnding ending = shape.lineEnding();
        if (firstLineEnded && random.nextInt(8) == 0) {
            ending = LineEnding.values()[random.nextInt(3)];
            if (ending == LineEnding.LF && lastWasCr) {
                ending = LineEnding.CR; // an LF would make the CR before it a CRLF
            }
        }
        lastWasCr = ending == LineEnding.CR;
        switch (ending) {
            case LF -> out.write('\n');
            case CRLF -> {
                out.write('\r');
                out.write('\n');
            }
            case CR -> out.write('\r');
        }
    }
}
