package dev.spindle.jobs;

import dev.spindle.io.split.InputEncodings;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * The dialect options the CSV commands share ({@code --delimiter}, {@code --quote},
 * {@code --escape}, {@code --no-header}, {@code --null-token}, {@code --comment}), parsed into
 * {@link CsvJobOptions} keys.
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

    /** The dialect keys of {@link CsvJobOptions}, from the command line or its defaults. */
    static Map<String, String> dialect(CommandLine line) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put(CsvJobOptions.DELIMITER, delimiter(line.getOptionValue("delimiter", ",")));
        options.put(CsvJobOptions.QUOTE, singleByte(line.getOptionValue("quote", "\""), "--quote"));
        options.put(CsvJobOptions.ESCAPE, escape(line.getOptionValue("escape", "doubled")));
        options.put(CsvJobOptions.HEADER, String.valueOf(!line.hasOption("no-header")));
        if (line.hasOption("null-token")) {
            options.put(CsvJobOptions.NULL_TOKENS, CsvJobOptions.joinList(Arrays.asList(line.getOptionValues("null-token"))));
        }
        if (line.hasOption("encoding")) {
            options.put(CsvJobOptions.CHARSET, charset(line.getOptionValue("encoding")));
        }
        if (line.hasOption("comment")) {
            options.put(CsvJobOptions.COMMENT, singleByte(line.getOptionValue("comment"), "--comment"));
        }
        return options;
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

    static String delimiter(String text) {
        String value = switch (text) {
            case "\\t", "tab", "TAB" -> "\t";
            default -> text;
        };
        if (value.length() != 1 || value.charAt(0) > 127 || value.charAt(0) == '\n' || value.charAt(0) == '\r') {
            throw new UsageException("--delimiter must be one ASCII character other than a line break, got '%s'".formatted(text));
        }
        return value;
    }

    private static String singleByte(String text, String option) {
        if (text.length() != 1 || text.charAt(0) > 127) {
            throw new UsageException("%s must be one ASCII character, got '%s'".formatted(option, text));
        }
        return text;
    }

    private static String escape(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (!value.equals("doubled") && !value.equals("backslash")) {
            throw new UsageException("Unknown --escape '%s'; valid: doubled, backslash".formatted(text));
        }
        return value;
    }

    /** How a dialect is written back on a command line, for {@code infer-schema}'s advice. */
    static String flags(Map<String, String> dialect) {
        StringBuilder flags = new StringBuilder();
        String delimiter = dialect.getOrDefault(CsvJobOptions.DELIMITER, ",");
        if (!delimiter.equals(",")) {
            flags.append(" --delimiter ").append(delimiter.equals("\t") ? "tab" : "'" + delimiter + "'");
        }
        String quote = dialect.getOrDefault(CsvJobOptions.QUOTE, "\"");
        if (!quote.equals("\"")) {
            flags.append(" --quote \"").append(quote).append('"');
        }
        if (dialect.getOrDefault(CsvJobOptions.ESCAPE, "doubled").equals("backslash")) {
            flags.append(" --escape backslash");
        }
        if (dialect.getOrDefault(CsvJobOptions.HEADER, "true").equals("false")) {
            flags.append(" --no-header");
        }
        return flags.toString().strip();
    }
}
