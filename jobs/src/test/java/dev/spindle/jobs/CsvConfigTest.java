package dev.spindle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class CsvConfigTest {

    @Test
    void defaults() {
        CsvConfig config = CsvConfig.from(new Configuration(false));
        assertEquals(8 << 20, config.maxRecordBytes());
        assertEquals(128 << 10, config.lookAheadBytes());
        assertEquals(1 << 20, config.readBufferBytes());
        assertEquals(1, config.deflateLevel());
        assertEquals("spindle.csv.max-record-bytes", CsvConfig.MAX_RECORD_BYTES);
        assertEquals(64, config.maxOpenPartitionWriters());
        assertEquals("spindle.partition.max-open-writers", CsvConfig.PARTITION_MAX_OPEN_WRITERS);
    }

    @Test
    void takesSizesWithUnits() {
        Configuration conf = new Configuration(false);
        conf.set(CsvConfig.MAX_RECORD_BYTES, "2m");
        conf.set(CsvConfig.LOOK_AHEAD_BYTES, "4k");
        CsvConfig config = CsvConfig.from(conf);
        assertEquals(2 << 20, config.maxRecordBytes());
        assertEquals(4096, config.lookAheadBytes());
        // --max-record-bytes, carried in the job's options, wins over the configuration
        CsvJobSpec options = CsvJobSpec.builder().maxRecordBytes(1024).build();
        assertEquals(1024, CsvConfig.from(conf, options).maxRecordBytes());
        assertEquals(2 << 20, CsvConfig.from(conf, CsvJobSpec.builder().build()).maxRecordBytes());
    }

    @Test
    void refusesNonPositiveSizes() {
        Configuration conf = new Configuration(false);
        conf.set(CsvConfig.LOOK_AHEAD_BYTES, "0");
        assertEquals("spindle.csv.look-ahead-bytes must be between 1 and 2147483647 bytes, got 0",
                assertThrows(IllegalArgumentException.class, () -> CsvConfig.from(conf)).getMessage());
        Configuration writers = new Configuration(false);
        writers.setInt(CsvConfig.PARTITION_MAX_OPEN_WRITERS, 0);
        assertEquals("spindle.partition.max-open-writers must be at least 1 part file, got 0",
                assertThrows(IllegalArgumentException.class, () -> CsvConfig.from(writers)).getMessage());
    }
}
