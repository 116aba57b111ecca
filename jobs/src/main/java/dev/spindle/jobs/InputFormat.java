package dev.spindle.jobs;

import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.SeekableInput;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The format of a conversion job's input files ({@code --input-format}): CSV, read by
 * {@link CsvBlockPipeline}, or Avro / Parquet, read by {@link ContainerBlockPipeline}.
 */
enum InputFormat {
    CSV,
    AVRO,
    PARQUET;

    private static final byte[] AVRO_MAGIC = {'O', 'b', 'j', 1};
    private static final byte[] PARQUET_MAGIC = {'P', 'A', 'R', '1'};

    /** The name on the command line: {@code csv}, {@code avro}, {@code parquet}. */
    String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code --input-format}; an unknown name lists the valid ones. */
    static InputFormat parse(String text) {
        for (InputFormat format : values()) {
            if (format.optionName().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        throw new UsageException("Unknown --input-format '%s'; valid: csv, avro, parquet".formatted(text));
    }

    /**
     * One non-empty file's format, by its first 4 bytes ({@code Obj\x01} is Avro, {@code PAR1}
     * Parquet, anything else CSV); a file named {@code .avro} or {@code .parquet} that does not
     * start as one is an error rather than CSV.
     *
     * @throws UsageException for a file whose name and first bytes disagree
     */
    static InputFormat detect(FileStore store, FileEntry file) throws IOException {
        byte[] head = new byte[4];
        InputFormat byBytes = CSV;
        if (file.length() >= 4) {
            try (SeekableInput input = store.open(file.location())) {
                input.readFully(0, head, 0, 4);
            }
            if (Arrays.equals(head, AVRO_MAGIC)) {
                byBytes = AVRO;
            } else if (Arrays.equals(head, PARQUET_MAGIC)) {
                byBytes = PARQUET;
            }
        }
        String name = file.location().toLowerCase(Locale.ROOT);
        InputFormat byName = name.endsWith(".avro") ? AVRO : name.endsWith(".parquet") ? PARQUET : null;
        if (byName != null && byName != byBytes) {
            throw new UsageException("%s is named as %s but does not start as one (bytes 0-3 are 0x%s): %s".formatted(
                    file.location().substring(file.location().lastIndexOf('/') + 1), byName.optionName(),
                    HexFormat.of().formatHex(head, 0, (int) Math.min(4, file.length())), file.location()));
        }
        return byBytes;
    }

    /**
     * The one format of {@code files} (non-empty ones): {@code declared} when given, checked
     * against every Avro or Parquet file's first bytes, else detected.
     *
     * @throws UsageException when the files mix formats, or one is not what {@code declared} says
     */
    static InputFormat of(FileStore store, List<FileEntry> files, InputFormat declared) throws IOException {
        InputFormat format = null;
        FileEntry first = null;
        for (FileEntry file : files) {
            if (file.length() == 0) {
                continue;
            }
            InputFormat detected = detect(store, file);
            if (declared != null) {
                if (declared != detected && (declared != CSV || detected != CSV)) {
                    throw new UsageException("--input-format %s, but %s is %s (by its first bytes)".formatted(
                            declared.optionName(), file.location(), detected.optionName()));
                }
                continue;
            }
            if (format != null && detected != format) {
                throw new UsageException("The input mixes formats: %s is %s, %s is %s; convert them in separate jobs".formatted(
                        first.location(), format.optionName(), file.location(), detected.optionName()));
            }
            format = detected;
            first = file;
        }
        return declared != null ? declared : format == null ? CSV : format;
    }
}
