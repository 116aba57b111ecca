package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.FileStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input format detection by first bytes and name, and the one-format rule. */
class InputFormatTest {

    @TempDir
    Path dir;

    private FileStore store() {
        return FileStores.hadoop(new Configuration());
    }

    private FileEntry file(String name, byte[] bytes) throws IOException {
        Path path = dir.resolve(name);
        Files.write(path, bytes);
        return store().list(path.toUri().toString()).get(0);
    }

    @Test
    void theFirstBytesDecideAndANameMustAgreeWithThem() throws IOException {
        assertEquals(InputFormat.AVRO, InputFormat.detect(store(), file("a.bin", "Obj\u0001xyz".getBytes(UTF_8))));
        assertEquals(InputFormat.PARQUET, InputFormat.detect(store(), file("p", "PAR1xyzPAR1".getBytes(UTF_8))));
        assertEquals(InputFormat.CSV, InputFormat.detect(store(), file("c.csv", "a,b\n1,2\n".getBytes(UTF_8))));
        assertEquals(InputFormat.CSV, InputFormat.detect(store(), file("short.txt", "a\n".getBytes(UTF_8))));
        FileEntry fake = file("fake.parquet", "a,b\n".getBytes(UTF_8));
        UsageException e = assertThrows(UsageException.class, () -> InputFormat.detect(store(), fake));
        assertEquals("fake.parquet is named as parquet but does not start as one (bytes 0-3 are 0x612c620a): " + fake.location(), e.getMessage());
    }

    @Test
    void aMixIsAnErrorNamingBothFilesAndADeclaredFormatIsChecked() throws IOException {
        FileEntry csv = file("a.csv", "a,b\n".getBytes(UTF_8));
        FileEntry empty = file("b.avro", new byte[0]);
        FileEntry avro = file("c.avro", "Obj\u0001xyz".getBytes(UTF_8));
        assertEquals(InputFormat.AVRO, InputFormat.of(store(), List.of(empty, avro), null), "an empty file has no format");
        assertEquals(InputFormat.CSV, InputFormat.of(store(), List.of(), null));
        UsageException mix = assertThrows(UsageException.class, () -> InputFormat.of(store(), List.of(csv, avro), null));
        assertEquals("The input mixes formats: %s is csv, %s is avro; convert them in separate jobs".formatted(csv.location(), avro.location()),
                mix.getMessage());
        UsageException declared = assertThrows(UsageException.class, () -> InputFormat.of(store(), List.of(avro), InputFormat.PARQUET));
        assertEquals("--input-format parquet, but %s is avro (by its first bytes)".formatted(avro.location()), declared.getMessage());
        assertEquals(InputFormat.CSV, InputFormat.of(store(), List.of(csv), InputFormat.CSV));
        assertEquals(InputFormat.PARQUET, InputFormat.parse(" Parquet "));
    }
}
