package dev.spindle.jobs;

import dev.spindle.codec.CsvDialect;
import dev.spindle.io.split.InputEncodings;
import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.InputCodecs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * The dialect options the CSV commands share ({@code --delimiter}, {@code --quote},
 * {@code --escape}, {@code --no-header}, {@code --null-token}, {@code --comment},
 * {@code --encoding}), parsed into the {@link CsvJobSpec}'s dialect.
 */
final class CsvCommandOptions {

    private CsvCommandOptions() {}

    static Options addDialectOptions(Options options) {
        return options
                .addOption(Option.builder().longOpt("delimiter").hasArg().argName("CHAR").desc("field delimiter, one byte: , (default), \\t or tab, |, ;, ^ ...").build())
                .addOption(Option.builder().longOpt("quote").hasArg().argName("CHAR").desc("quote character (default \")").build())
                .addOption(Option.builder().longOpt("escape").hasArg().argName("MODE").desc("doubled (default: \"\" inside quotes) or backslash").build())
                .addOption(Option.builder().longOpt("no-header").desc("the files have no header line: columns are column_1, column_2, ...").build())
                .addOption(Option.builder().longOpt("null-token").hasArg().argName("TEXT").desc("text that means null (repeatable; default: the empty field)").build())
                .addOption(Option.builder().longOpt("comment").hasArg().argName("CHAR").desc("lines starting with CHAR are skipped").build())
                .addOption(Option.builder().longOpt("skip-lines").hasArg().argName("N")
                        .desc("lines at the start of every file skipped before the header (a title or notes); default: detected in the first file"
                                + " (lines whose field count differs from the rows below), 0 to turn that off").build())
                .addOption(Option.builder().longOpt("encoding").hasArg().argName("CHARSET")
                        .desc("input charset: UTF-8 (default), ISO-8859-1, windows-1252, UTF-16, UTF-16LE, ...; a UTF-16/32 byte order mark is detected without it").build());
    }

    /** Whether the command line sets any dialect option (else infer-schema sniffs the dialect). */
    static boolean setsDialect(CommandLine line) {
        for (String option : new String[] {"delimiter", "quote", "escape", "no-header", "comment", "encoding"}) {
            if (line.hasOption(option)) {
                return true;
            }
        }
        return false;
    }

    /** Sets the dialect and the declared encoding of {@code spec} from the command line or its defaults. */
    static CsvJobSpec.Builder dialect(CommandLine line, CsvJobSpec.Builder spec) {
        CsvDialect.Builder dialect = CsvDialect.builder()
                .delimiter(delimiter(line.getOptionValue("delimiter", ",")))
                .quote(singleByte(line.getOptionValue("quote", "\""), "--quote"))
                .escapeMode(escape(line.getOptionValue("escape", "doubled")));
        if (line.hasOption("no-header")) {
            dialect.withoutHeader();
        } else {
            dialect.withHeader();
        }
        if (line.hasOption("null-token")) {
            dialect.nullTokens(Arrays.asList(line.getOptionValues("null-token")));
        }
        if (line.hasOption("comment")) {
            dialect.commentPrefix(String.valueOf(singleByte(line.getOptionValue("comment"), "--comment")));
        }
        if (line.hasOption("skip-lines")) {
            spec.skipLines(SpindleCommand.intOption(line, "skip-lines", 0, 0));
        }
        return spec.dialect(dialect.build()).encoding(line.hasOption("encoding") ? charset(line.getOptionValue("encoding")) : null);
    }

    /**
     * The spec with the preamble of the first file skipped in every file, when the command line
     * does not say {@code --skip-lines}; says on {@code err} what it skipped.
     */
    static CsvJobSpec withPreamble(CommandLine line, CsvJobSpec spec, FileStore store, FileEntry first, InputCodecs codecs,
            PrintStream err) throws IOException {
        if (line.hasOption("skip-lines")) {
            return spec;
        }
        int lines = Preamble.detect(store, first, codecs, spec.inputEncodings(), (char) spec.dialect().delimiter(),
                spec.dialect().quote() & 0xFF);
        if (lines == 0) {
            return spec;
        }
        err.printf("Skipping %d line%s before the header of every file: %s starts with a preamble"
                + " (field counts unlike the rows below); --skip-lines N says how many, --skip-lines 0 keeps them%n",
                lines, lines == 1 ? "" : "s", first.location());
        return spec.withSkipLines(lines);
    }

    private static String charset(String name) {
        Charset charset;
        try {
            charset = Charset.forName(name.trim());
        } catch (IllegalArgumentException e) {
            throw new UsageException("Unknown --encoding '%s'; e.g. UTF-8, ISO-8859-1, windows-1252, UTF-16".formatted(name));
        }
        try {
            InputEncodings.declared(charset);
        } catch (IllegalArgumentException e) {
            throw new UsageException("Cannot read %s input: %s".formatted(charset.name(), e.getMessage()));
        }
        return charset.name();
    }

    static char delimiter(String text) {
        String value = switch (text) {
            case "\\t", "tab", "TAB" -> "\t";
            default -> text;
        };
        if (value.length() != 1 || value.charAt(0) > 127 || value.charAt(0) == '\n' || value.charAt(0) == '\r') {
            throw new UsageException("--delimiter must be one ASCII character other than a line break, got '%s'".formatted(text));
        }
        return value.charAt(0);
    }

    private static char singleByte(String text, String option) {
        if (text.length() != 1 || text.charAt(0) > 127) {
            throw new UsageException("%s must be one ASCII character, got '%s'".formatted(option, text));
        }
        return text.charAt(0);
    }

    private static CsvDialect.EscapeMode escape(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "doubled" -> CsvDialect.EscapeMode.DOUBLED;
            case "backslash" -> CsvDialect.EscapeMode.BACKSLASH;
            default -> throw new UsageException("Unknown --escape '%s'; valid: doubled, backslash".formatted(text));
        };
    }

    /** How a dialect is written back on a command line, for {@code infer-schema}'s advice. */
    static String flags(CsvDialect dialect) {
        StringBuilder flags = new StringBuilder();
        char delimiter = (char) dialect.delimiter();
        if (delimiter != ',') {
            flags.append(" --delimiter ").append(delimiter == '\t' ? "tab" : "'" + delimiter + "'");
        }
        char quote = (char) dialect.quote();
        if (quote != '"') {
            flags.append(" --quote \"").append(quote).append('"');
        }
        if (dialect.escapeMode() == CsvDialect.EscapeMode.BACKSLASH) {
            flags.append(" --escape backslash");
        }
        if (!dialect.headerPresent()) {
            flags.append(" --no-header");
        }
        return flags.toString().strip();
    }
}
