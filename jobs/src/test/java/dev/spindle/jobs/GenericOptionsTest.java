package dev.spindle.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generic Hadoop options anywhere among a command's arguments, as GenericOptionsParser expects them: first. */
class GenericOptionsTest {

    private static final Options OWN = new Options()
            .addOption(Option.builder().longOpt("input").hasArg().build())
            .addOption(Option.builder().longOpt("filter").hasArg().build())
            .addOption(Option.builder().longOpt("quiet").build());

    @Test
    void genericOptionsMoveToTheFrontInOrder() {
        String[] moved = GenericOptions.first(new String[] {"--input", "/x", "-D", "a=1", "--quiet", "-Db=2", "-fs", "hdfs://nn:8020"}, OWN);
        assertArrayEquals(new String[] {"-D", "a=1", "-Db=2", "-fs", "hdfs://nn:8020", "--input", "/x", "--quiet"}, moved);
    }

    @Test
    void aValueOfTheCommandsOwnOptionNeverMoves() {
        // "-D" here is the filter text, not a generic option
        String[] moved = GenericOptions.first(new String[] {"--filter", "-D", "--input", "-conf"}, OWN);
        assertArrayEquals(new String[] {"--filter", "-D", "--input", "-conf"}, moved);
        assertArrayEquals(new String[] {"-D", "k=v", "--filter=-Dx"}, GenericOptions.first(new String[] {"--filter=-Dx", "-D", "k=v"}, OWN));
    }

    @Test
    void nothingAfterDoubleDashMoves() {
        assertArrayEquals(new String[] {"-D", "a=1", "--input", "/x", "--", "-D", "b=2"},
                GenericOptions.first(new String[] {"--input", "/x", "-D", "a=1", "--", "-D", "b=2"}, OWN));
    }

    @Test
    void aMissingConfFileIsAUsageError(@TempDir Path dir) throws Exception {
        File missing = dir.resolve("nope-site.xml").toFile();
        UsageException e = assertThrows(UsageException.class, () -> GenericOptions.first(new String[] {"-conf", missing.toString()}, OWN));
        assertEquals("-conf file not found: " + missing.getAbsolutePath(), e.getMessage());
        Path present = Files.writeString(dir.resolve("core-site.xml"), "<configuration/>");
        assertArrayEquals(new String[] {"-conf", present.toString(), "--quiet"},
                GenericOptions.first(new String[] {"--quiet", "-conf", present.toString()}, OWN));
        assertThrows(UsageException.class, () -> GenericOptions.first(new String[] {"--quiet", "-D"}, OWN));
    }
}
