package dev.spindle.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dependency rule between hdfs-io's packages, checked on the source files (main and test) of
 * each: {@code store} imports neither of the others; {@code split} and {@code commit} may import
 * {@code store} but never each other. Cross-concern tests (e.g. {@code HdfsFileStoreIT}) live in
 * {@code dev.spindle.io} itself, which this does not check.
 */
class PackageDependencyTest {

    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "store", Set.of(),
            "split", Set.of("store"),
            "commit", Set.of("store"));

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?dev\\.spindle\\.io\\.(\\w+)\\b",
            Pattern.MULTILINE);

    private static final List<Path> SOURCE_ROOTS = List.of(
            Path.of("src/main/java/dev/spindle/io"), Path.of("src/test/java/dev/spindle/io"));

    @Test
    void eachPackageImportsOnlyWhatItMay() throws IOException {
        List<String> violations = new ArrayList<>();
        int files = 0;
        for (Path root : SOURCE_ROOTS) {
            for (Map.Entry<String, Set<String>> rule : ALLOWED.entrySet()) {
                String own = rule.getKey();
                Path directory = root.resolve(own);
                if (!Files.isDirectory(directory)) {
                    continue;
                }
                try (Stream<Path> sources = Files.walk(directory)) {
                    for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                        files++;
                        Matcher imports = IMPORT.matcher(Files.readString(source));
                        while (imports.find()) {
                            String imported = imports.group(1);
                            if (!imported.equals(own) && !rule.getValue().contains(imported)) {
                                violations.add(source + " imports dev.spindle.io." + imported);
                            }
                        }
                    }
                }
            }
        }
        assertTrue(files > 30, "found only " + files + " source files: run from the hdfs-io module directory");
        assertEquals(List.of(), violations, "store imports nothing of split/commit; split and commit never import each other");
    }

    @Test
    void noMainClassIsLeftInTheRootPackage() throws IOException {
        try (Stream<Path> sources = Files.list(SOURCE_ROOTS.get(0))) {
            assertEquals(List.of(), sources.filter(p -> p.toString().endsWith(".java")).toList());
        }
    }
}
