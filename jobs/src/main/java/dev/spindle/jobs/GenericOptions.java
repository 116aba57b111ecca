package dev.spindle.jobs;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * Hadoop's generic options ({@code -D key=value}, {@code -conf FILE}, {@code -fs URI},
 * {@code -jt HOST:PORT}, {@code -files}, {@code -libjars}, {@code -archives},
 * {@code -tokenCacheFile}) wherever they appear among a command's arguments, moved to the front
 * where {@code GenericOptionsParser} reads them, so {@code spindle csv-to-avro --input x -D k=v}
 * works as {@code spindle csv-to-avro -D k=v --input x} does. A value of one of the command's own
 * options is never taken for a generic option, and nothing after {@code --} moves.
 */
final class GenericOptions {

    private static final Set<String> WITH_VALUE = Set.of("-D", "-conf", "-fs", "-jt", "-files", "-libjars", "-archives", "-tokenCacheFile");

    private GenericOptions() {}

    /**
     * The arguments with every generic option first, in the order given.
     *
     * @throws UsageException when a generic option lacks its value, or a {@code -conf} file does not
     *     exist (Hadoop would skip it without a word)
     */
    static String[] first(String[] args, Options commandOptions) {
        List<String> generic = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                for (int j = i; j < args.length; j++) {
                    rest.add(args[j]);
                }
                break;
            }
            if (WITH_VALUE.contains(arg)) {
                if (i + 1 >= args.length) {
                    throw new UsageException("%s needs a value".formatted(arg));
                }
                String value = args[++i];
                if (arg.equals("-conf")) {
                    checkConfFile(value);
                }
                generic.add(arg);
                generic.add(value);
            } else if (arg.startsWith("-D") && arg.length() > 2 && !arg.startsWith("--")) {
                generic.add(arg);
            } else {
                rest.add(arg);
                Option own = ownOption(arg, commandOptions);
                if (own != null && own.hasArg() && !arg.contains("=") && i + 1 < args.length) {
                    rest.add(args[++i]);
                }
            }
        }
        generic.addAll(rest);
        return generic.toArray(String[]::new);
    }

    private static Option ownOption(String arg, Options options) {
        if (arg.startsWith("--")) {
            return options.getOption(arg.substring(2));
        }
        if (arg.startsWith("-") && arg.length() > 1) {
            return options.getOption(arg.substring(1));
        }
        return null;
    }

    private static void checkConfFile(String value) {
        String path = value.startsWith("file:") ? java.net.URI.create(value).getPath() : value;
        if (value.contains("://") && !value.startsWith("file:")) {
            return; // a resource in a file system: Hadoop reads it, and says so when it cannot
        }
        if (!new File(path).isFile()) {
            throw new UsageException("-conf file not found: " + new File(path).getAbsolutePath());
        }
    }
}
