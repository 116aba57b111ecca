package dev.spindle.jobs;

import dev.spindle.codec.SchemaInferrer;
import dev.spindle.io.split.BadRecordException;
import dev.spindle.io.split.BlockRange;
import dev.spindle.io.split.RecordChunk;
import dev.spindle.io.split.RecordRangeReader;
import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.InputCodecs;
import dev.spindle.io.store.SeekableInput;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What the client reads of an input before it submits anything: the column names as the job
 * will name them (header names sanitized into Avro names, or {@code column_1..n} without a
 * header), enough to check a filter and a projection; and, from a sample of the first records
 * of the same file, whether the input looks like CSV in its dialect and charset at all
 * ({@link SchemaInferrer#notCsvReason()}): random bytes, a binary file or a file in another
 * encoding is a usage error naming the file, not a job that "succeeds" with most rows rejected.
 */
final class HeaderReader {

    /** Bytes of the file's start read for the header and the sample, at most. */
    static final int SAMPLE_BYTES = 1 << 20;
    private static final int READ_BYTES = 64 << 10;
    private static final String HINT = "; check --encoding, --delimiter and --quote";

    private HeaderReader() {}

    static List<String> columns(FileStore store, FileEntry file, CsvJobSpec options, CsvConfig config, InputCodecs codecs)
            throws IOException {
        SchemaInferrer inferrer = new SchemaInferrer(options.dialect());
        // A compressed file is read as one range; either way only the sample's chunks are read.
        boolean compressed = !codecs.splittable(file.location());
        long end = compressed ? file.length() : Math.min(file.length(), SAMPLE_BYTES);
        BlockRange firstRecords = new BlockRange(file.location(), 0, end, file.length(), !compressed);
        long sampled = 0;
        long sampledBytes = 0;
        boolean sawHeader = false;
        try (SeekableInput input = store.open(file.location());
                RecordRangeReader reader = config.configure(RecordRangeReader.builder(input, firstRecords, options.recordFormat())).skipLines(options.skipLines())
                        .codecs(codecs)
                        .encodings(options.inputEncodings())
                        .readBufferBytes(READ_BYTES)
                        .skipOversizedRecords((offset, line, length, prefix) -> {
                            // a bad record for the job; the header over the limit still throws
                        })
                        .open()) {
            RecordChunk chunk = reader.next();
            Optional<byte[]> header = reader.header();
            if (header.isPresent()) {
                try {
                    inferrer.header(header.get(), 0, header.get().length);
                } catch (IllegalArgumentException e) {
                    // a dialect that does not fit the file: the user's to fix, exit 2
                    throw new UsageException("Cannot read the header of " + file.location() + ": " + e.getMessage() + HINT);
                }
                sawHeader = true;
            }
            while (chunk != null && sampled < options.sampleRows() && sampledBytes < SAMPLE_BYTES) {
                inferrer.sample(chunk.buffer(), chunk.offset(), chunk.length(), chunk.fileOffset(), chunk.firstLine());
                sampled += chunk.records();
                sampledBytes += chunk.length();
                chunk = reader.next();
            }
        } catch (BadRecordException e) {
            // what was sampled before the bad record may already say that this is not CSV
            if (sawHeader || sampled > 0) {
                checkLooksLikeCsv(inferrer, file);
            }
            String hint = e.getMessage().startsWith("Record longer than") ? " (a header over --max-record-bytes)" : "";
            throw new UsageException("Cannot read the first records of " + file.location() + ": " + e.getMessage() + hint);
        }
        checkLooksLikeCsv(inferrer, file);
        try {
            return inferrer.result().names();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UsageException(e.getMessage() + ": " + file.location() + HINT);
        }
    }

    private static void checkLooksLikeCsv(SchemaInferrer inferrer, FileEntry file) {
        Optional<String> reason = inferrer.notCsvReason();
        if (reason.isPresent()) {
            throw new UsageException("Input " + file.location() + " " + reason.get() + HINT);
        }
    }
}
