package dev.spindle.jobs;

import dev.spindle.codec.SchemaInferrer;
import dev.spindle.io.BadRecordException;
import dev.spindle.io.BlockRange;
import dev.spindle.io.FileEntry;
import dev.spindle.io.FileStore;
import dev.spindle.io.InputCodecs;
import dev.spindle.io.RecordChunk;
import dev.spindle.io.RecordRangeReader;
import dev.spindle.io.SeekableInput;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The column names of an input as the job will name them (header names sanitized into Avro
 * names, or {@code column_1..n} without a header), read from the start of one file: enough to
 * check a filter and a projection before anything is submitted.
 */
final class HeaderReader {

    private static final int READ_BYTES = 64 << 10;

    private HeaderReader() {}

    static List<String> columns(FileStore store, FileEntry file, CsvJobOptions options, CsvConfig config, InputCodecs codecs)
            throws IOException {
        SchemaInferrer inferrer = new SchemaInferrer(options.dialect());
        // A compressed file is read as one range; either way only the first chunk is read.
        boolean compressed = !codecs.splittable(file.location());
        long end = compressed ? file.length() : Math.min(file.length(), READ_BYTES);
        BlockRange firstRecords = new BlockRange(file.location(), 0, end, file.length(), !compressed);
        try (SeekableInput input = store.open(file.location());
                RecordRangeReader reader = config.configure(RecordRangeReader.builder(input, firstRecords, options.recordFormat()))
                        .codecs(codecs)
                        .encodings(options.encodings())
                        .readBufferBytes(READ_BYTES)
                        .open()) {
            RecordChunk chunk = reader.next();
            Optional<byte[]> header = reader.header();
            if (header.isPresent()) {
                inferrer.header(header.get(), 0, header.get().length);
            } else if (chunk != null) {
                inferrer.sample(chunk.buffer(), chunk.offset(), chunk.length(), chunk.fileOffset(), chunk.firstLine());
            }
        } catch (BadRecordException e) {
            throw new UsageException("Cannot read the first records of " + file.location() + ": " + e.getMessage());
        }
        return inferrer.result().names();
    }
}
