package dev.spindle.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AvroContainerWriterTest {

    private static final Schema SCHEMA = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"row\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"text\",\"type\":\"string\"}]}");
    private static final byte[] SYNC = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    /** Writes {@code blocks} blocks of {@code rowsPerBlock} rows: id = row number, text = "row " + id, repeated. */
    private static byte[] write(AvroBatchWriter.Codec codec, int blocks, int rowsPerBlock) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AvroContainerWriter writer = new AvroContainerWriter(out, codec, 1, SYNC);
        writer.writeHeader(SCHEMA);
        GenericDatumWriter<GenericRecord> datums = new GenericDatumWriter<>(SCHEMA);
        long id = 0;
        for (int b = 0; b < blocks; b++) {
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(block, null);
            for (int r = 0; r < rowsPerBlock; r++, id++) {
                GenericRecord record = new GenericData.Record(SCHEMA);
                record.put("id", id);
                record.put("text", ("row " + id + " ").repeat(3));
                datums.write(record, encoder);
            }
            byte[] bytes = block.toByteArray();
            writer.writeBlock(bytes, bytes.length, rowsPerBlock);
        }
        writer.end();
        return out.toByteArray();
    }

    private static void assertRows(List<GenericRecord> records, int expected) {
        assertEquals(expected, records.size());
        for (int i = 0; i < expected; i++) {
            assertEquals(i, (long) records.get(i).get("id"));
            assertEquals(("row " + i + " ").repeat(3), records.get(i).get("text").toString());
        }
    }

    @ParameterizedTest
    @EnumSource(AvroBatchWriter.Codec.class)
    void manyBlocksReadByDataFileReader(AvroBatchWriter.Codec codec) throws IOException {
        byte[] file = write(codec, 7, 1000);
        List<GenericRecord> records = new ArrayList<>();
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(new SeekableByteArrayInput(file), new GenericDatumReader<>())) {
            assertEquals(SCHEMA, reader.getSchema());
            assertEquals(codec.name().toLowerCase(java.util.Locale.ROOT), reader.getMetaString("avro.codec"));
            reader.forEach(records::add);
        }
        assertRows(records, 7000);
    }

    @ParameterizedTest
    @EnumSource(AvroBatchWriter.Codec.class)
    void manyBlocksReadByDataFileStream(AvroBatchWriter.Codec codec) throws IOException {
        byte[] file = write(codec, 7, 1000);
        List<GenericRecord> records = new ArrayList<>();
        try (DataFileStream<GenericRecord> stream = new DataFileStream<>(new ByteArrayInputStream(file), new GenericDatumReader<>())) {
            int blocks = 0;
            while (stream.hasNext()) {
                assertEquals(1000, stream.getBlockCount(), "rows in block " + blocks);
                for (int i = 0; i < 1000; i++) {
                    records.add(stream.next());
                }
                blocks++;
            }
            assertEquals(7, blocks);
        }
        assertRows(records, 7000);
    }

    @ParameterizedTest
    @EnumSource(AvroBatchWriter.Codec.class)
    void emptyFileIsHeaderOnly(AvroBatchWriter.Codec codec) throws IOException {
        byte[] file = write(codec, 0, 0);
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(new SeekableByteArrayInput(file), new GenericDatumReader<>())) {
            assertEquals(SCHEMA, reader.getSchema());
            assertFalse(reader.hasNext());
        }
        assertArrayEquals(SYNC, Arrays.copyOfRange(file, file.length - 16, file.length));
    }

    @ParameterizedTest
    @EnumSource(AvroBatchWriter.Codec.class)
    void syncMarkerEndsHeaderAndEveryBlockSoReadersCanSeek(AvroBatchWriter.Codec codec) throws IOException {
        byte[] file = write(codec, 5, 300);
        List<Integer> syncs = new ArrayList<>();
        for (int i = 0; i + 16 <= file.length; i++) {
            if (Arrays.equals(file, i, i + 16, SYNC, 0, 16)) {
                syncs.add(i + 16);
            }
        }
        assertEquals(6, syncs.size(), "sync markers after the header and after each of 5 blocks");
        assertEquals(file.length, syncs.get(5));
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(new SeekableByteArrayInput(file), new GenericDatumReader<>())) {
            // seeking into the middle of block 2 lands on the start of block 3
            reader.sync(syncs.get(2) + 1);
            assertEquals((long) syncs.get(3), reader.previousSync());
            assertEquals(900, (long) reader.next().get("id"));
            long rows = 1;
            while (reader.hasNext()) {
                reader.next();
                rows++;
            }
            assertEquals(600, rows);
        }
    }

    @Test
    void randomSyncMarkersDifferPerFile() {
        assertEquals(16, AvroContainerWriter.randomSync().length);
        assertFalse(Arrays.equals(AvroContainerWriter.randomSync(), AvroContainerWriter.randomSync()));
    }

    @Test
    void rejectsSyncMarkerOfWrongLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AvroContainerWriter(new ByteArrayOutputStream(), AvroBatchWriter.Codec.NULL, 1, new byte[15]));
        assertEquals("Sync marker must be 16 bytes: 15", e.getMessage());
    }
}
