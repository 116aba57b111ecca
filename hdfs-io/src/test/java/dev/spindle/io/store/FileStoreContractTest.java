package dev.spindle.io.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link FileStore} shares. Subclass it per store (in-memory, Hadoop local,
 * HDFS, S3). Tests of the optional capabilities ({@link SupportsRename},
 * {@link SupportsDirectories}) are skipped by assumption for stores without them.
 */
public abstract class FileStoreContractTest {

    /** The store under test. */
    protected abstract FileStore store();

    /**
     * An empty directory location unique to the current test, without a trailing slash, in the
     * store's qualified form (the form {@link FileStore#list} reports).
     */
    protected abstract String root();

    protected final String location(String relative) {
        return root() + "/" + relative;
    }

    protected final void write(String relative, String content) throws IOException {
        try (OutputStream out = store().create(location(relative))) {
            out.write(content.getBytes(UTF_8));
        }
    }

    private List<String> listLocations(String pattern) throws IOException {
        List<String> locations = new ArrayList<>();
        for (FileEntry entry : store().list(pattern)) {
            locations.add(entry.location());
        }
        return locations;
    }

    @Test
    void listsOneFileWithItsLengthAndBlocks() throws IOException {
        write("a.csv", "x,y\n1,2\n");

        List<FileEntry> entries = store().list(location("a.csv"));

        assertEquals(1, entries.size());
        FileEntry entry = entries.get(0);
        assertEquals(location("a.csv"), entry.location());
        assertEquals(8, entry.length());
        assertTrue(entry.blockSize() > 0);
        long covered = 0;
        for (StorageBlock block : entry.blocks()) {
            assertEquals(covered, block.offset());
            covered += block.length();
        }
        assertTrue(entry.blocks().isEmpty() || covered == entry.length(), "blocks cover the file: " + entry);
    }

    @Test
    void listsADirectoryRecursivelySortedSkippingHiddenNamesAtEveryLevel() throws IOException {
        write("in/b.csv", "b");
        write("in/a.csv", "a");
        write("in/sub/c.csv", "c");
        write("in/sub/deeper/d.csv", "d");
        write("in/_SUCCESS", "");
        write("in/.a.csv.swp", "");
        write("in/_temporary/x.csv", "x");
        write("in/sub/.hidden/y.csv", "y");
        write("in/sub/_z.csv", "z");
        write("other.csv", "o");

        assertEquals(
                List.of(location("in/a.csv"), location("in/b.csv"), location("in/sub/c.csv"),
                        location("in/sub/deeper/d.csv")),
                listLocations(location("in")));
        assertEquals(listLocations(location("in")), listLocations(location("in") + "/"));
    }

    @Test
    void aPartitionDirectoryOfAColumnWhoseNameStartsWithAnUnderscoreIsNotHidden() throws IOException {
        // as Spark's and Hive's listings: "_" hides a name only when it holds no "="
        write("ds/_year=2024/part-00000.avro", "a");
        write("ds/_year=2024/_SUCCESS", "");
        write("ds/_temporary/x.avro", "x");
        write("ds/_SUCCESS", "");

        assertEquals(List.of(location("ds/_year=2024/part-00000.avro")), listLocations(location("ds")));
    }

    @Test
    void listsAGlob() throws IOException {
        write("in/2024/a.csv", "a");
        write("in/2024/b.txt", "b");
        write("in/2025/c.csv", "c");
        write("in/2025/_d.csv", "d");
        write("in/_2026/e.csv", "e");
        write("in/top.csv", "t");

        assertEquals(List.of(location("in/top.csv")), listLocations(location("in/*.csv")));
        assertEquals(List.of(location("in/2024/a.csv"), location("in/2025/c.csv")),
                listLocations(location("in/*/*.csv")));
        assertEquals(List.of(location("in/2024/a.csv"), location("in/2024/b.txt"), location("in/2025/c.csv")),
                listLocations(location("in/202?/?.*")));
        assertEquals(List.of(location("in/2024/a.csv"), location("in/2025/c.csv")),
                listLocations(location("in/{2024,2025}/*.csv")));
        assertEquals(List.of(location("in/top.csv")), listLocations(location("in/{top,t[o]p}.csv")));
    }

    @Test
    void aGlobMatchingDirectoriesListsTheirFiles() throws IOException {
        write("in/2024/a.csv", "a");
        write("in/2024/nested/b.csv", "b");
        write("in/2025/c.csv", "c");
        write("in/2025/_SUCCESS", "");

        assertEquals(List.of(location("in/2024/a.csv"), location("in/2024/nested/b.csv"), location("in/2025/c.csv")),
                listLocations(location("in/20*")));
    }

    @Test
    void aHiddenNameSpelledOutInThePatternIsListed() throws IOException {
        write("in/_rejects/r.csv", "r");
        write("in/_rejects/.r.tmp", "");

        assertEquals(List.of(location("in/_rejects/r.csv")), listLocations(location("in/_rejects")));
        assertEquals(List.of(location("in/_rejects/r.csv")), listLocations(location("in/_rejects/*.csv")));
    }

    @Test
    void aMissingPatternThrowsNamingThePattern() throws IOException {
        write("in/a.csv", "a");

        FileNotFoundException missing = assertThrows(FileNotFoundException.class,
                () -> store().list(location("nope.csv")));
        assertEquals("No files match: " + location("nope.csv"), missing.getMessage());

        FileNotFoundException noMatch = assertThrows(FileNotFoundException.class,
                () -> store().list(location("in/*.txt")));
        assertEquals("No files match: " + location("in/*.txt"), noMatch.getMessage());
    }

    @Test
    void aDirectoryWithOnlyHiddenFilesMatchesNothing() throws IOException {
        write("out/_SUCCESS", "{}");

        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> store().list(location("out")));
        assertEquals("Directory holds no visible files (names starting with _ or . are skipped): " + location("out"),
                e.getMessage());
    }

    @Test
    void opensAndReadsAtPositions() throws IOException {
        write("a.csv", "0123456789");

        try (SeekableInput input = store().open(location("a.csv"))) {
            assertEquals(10, input.length());
            assertEquals(location("a.csv"), input.location());

            byte[] buffer = new byte[6];
            input.readFully(3, buffer, 1, 4);
            assertArrayEquals(new byte[] {0, '3', '4', '5', '6', 0}, buffer);

            byte[] tail = new byte[8];
            int total = 0;
            while (total < 3) {
                int read = input.read(7 + total, tail, total, tail.length - total);
                assertTrue(read > 0);
                total += read;
            }
            assertEquals("789", new String(tail, 0, 3, UTF_8));
            assertEquals(-1, input.read(10, tail, 0, 4));
            assertEquals(0, input.read(3, tail, 0, 0));

            input.readFully(10, buffer, 0, 0);
            input.readFully(0, new byte[10], 0, 10);
        }
    }

    @Test
    void readFullyPastTheEndNamesTheLocation() throws IOException {
        write("a.csv", "01234567");

        try (SeekableInput input = store().open(location("a.csv"))) {
            EOFException e = assertThrows(EOFException.class, () -> input.readFully(5, new byte[10], 0, 10));
            assertEquals("Unable to read 10 bytes at position 5 (fileSize=8): " + location("a.csv"), e.getMessage());

            EOFException negative = assertThrows(EOFException.class, () -> input.read(-1, new byte[1], 0, 1));
            assertEquals("Unable to read at negative position -1: " + location("a.csv"), negative.getMessage());
        }
    }

    @Test
    void openingAMissingFileNamesIt() {
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> store().open(location("nope.csv")));
        assertEquals("File not found: " + location("nope.csv"), e.getMessage());
    }

    @Test
    void createMakesParentsAndRefusesAnExistingFile() throws IOException {
        write("a/b/c.txt", "first");
        assertTrue(store().exists(location("a/b/c.txt")));
        assertTrue(store().exists(location("a/b")));
        assertFalse(store().exists(location("a/b/d.txt")));

        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> store().create(location("a/b/c.txt")));
        assertEquals("File already exists: " + location("a/b/c.txt"), e.getMessage());
        assertEquals("first", read("a/b/c.txt"));
    }

    @Test
    void deleteOfAMissingLocationIsFine() throws IOException {
        store().delete(location("nope"));
        assertFalse(store().exists(location("nope")));
    }

    @Test
    void deleteIsRecursive() throws IOException {
        write("d/a.csv", "a");
        write("d/sub/b.csv", "b");
        write("d/_SUCCESS", "");
        write("dx.csv", "keep");

        store().delete(location("d"));

        assertFalse(store().exists(location("d")));
        assertFalse(store().exists(location("d/sub/b.csv")));
        assertEquals("keep", read("dx.csv"));
    }

    @Test
    void renameMovesAFileCreatingTheTargetParent() throws IOException {
        SupportsRename rename = renameStore();
        write("staging/part-00000.avro", "part");

        rename.rename(location("staging/part-00000.avro"), location("out/nested/part-00000.avro"));

        assertFalse(store().exists(location("staging/part-00000.avro")));
        assertEquals("part", read("out/nested/part-00000.avro"));
    }

    @Test
    void renameMovesADirectory() throws IOException {
        SupportsRename rename = renameStore();
        write("staging/a.csv", "a");
        write("staging/sub/b.csv", "b");

        rename.rename(location("staging"), location("moved"));

        assertFalse(store().exists(location("staging")));
        assertEquals("a", read("moved/a.csv"));
        assertEquals("b", read("moved/sub/b.csv"));
    }

    @Test
    void renameRefusesAMissingSourceOrAnExistingTarget() throws IOException {
        SupportsRename rename = renameStore();
        write("a.txt", "a");
        write("b.txt", "b");

        FileNotFoundException missing = assertThrows(FileNotFoundException.class,
                () -> rename.rename(location("nope.txt"), location("c.txt")));
        assertEquals("Cannot rename a missing source to %s: %s".formatted(location("c.txt"), location("nope.txt")),
                missing.getMessage());

        FileAlreadyExistsException exists = assertThrows(FileAlreadyExistsException.class,
                () -> rename.rename(location("a.txt"), location("b.txt")));
        assertEquals("File already exists: " + location("b.txt"), exists.getMessage());
        assertEquals("a", read("a.txt"));
        assertEquals("b", read("b.txt"));
    }

    @Test
    void directoriesAreCreatedAndListedWithHiddenChildren() throws IOException {
        assumeTrue(store() instanceof SupportsDirectories, "the store has no directories");
        SupportsDirectories directories = (SupportsDirectories) store();
        directories.createDirectories(location("out/_temporary/job"));
        directories.createDirectories(location("out/_temporary/job"));
        write("out/_SUCCESS", "{}");
        write("out/part-00000.avro", "p");
        write("out/sub/x", "x");

        assertTrue(store().exists(location("out/_temporary/job")));
        assertEquals(List.of(location("out/_SUCCESS"), location("out/_temporary"), location("out/part-00000.avro"),
                location("out/sub")), directories.listChildren(location("out")));
        assertEquals(List.of(), directories.listChildren(location("out/_temporary/job")));

        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> directories.listChildren(location("out/part-00000.avro")));
        assertEquals("Not a directory: " + location("out/part-00000.avro"), e.getMessage());
    }

    @Test
    void creatingADirectoryWhereAFileIsFailsNamingTheFile() throws IOException {
        assumeTrue(store() instanceof SupportsDirectories, "the store has no directories");
        SupportsDirectories directories = (SupportsDirectories) store();
        write("a/file", "f");

        FileAlreadyExistsException atFile = assertThrows(FileAlreadyExistsException.class,
                () -> directories.createDirectories(location("a/file")));
        assertEquals("File already exists: " + location("a/file"), atFile.getMessage());
        FileAlreadyExistsException belowFile = assertThrows(FileAlreadyExistsException.class,
                () -> directories.createDirectories(location("a/file/x/y")));
        assertEquals("File already exists: " + location("a/file"), belowFile.getMessage());
    }

    private SupportsRename renameStore() {
        assumeTrue(store() instanceof SupportsRename, "the store has no atomic rename");
        return (SupportsRename) store();
    }

    protected final String read(String relative) throws IOException {
        try (SeekableInput input = store().open(location(relative))) {
            byte[] bytes = new byte[(int) input.length()];
            input.readFully(0, bytes, 0, bytes.length);
            return new String(bytes, UTF_8);
        }
    }
}
