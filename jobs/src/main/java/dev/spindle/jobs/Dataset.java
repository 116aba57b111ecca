package dev.spindle.jobs;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.commit.Manifest;
import dev.spindle.io.commit.ManifestCodec;
import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.SeekableInput;
import dev.spindle.io.store.SeekableInputStream;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * What the inspection commands ({@code head}, {@code count}, {@code schema}, {@code inspect},
 * {@code validate}) read: a committed Spindle output (its {@code _SUCCESS} manifest lists the
 * parts), a directory of Avro or Parquet files, or one such file — on any store. The format of a
 * file without a manifest comes from its magic bytes ({@code Obj\u0001} for Avro, {@code PAR1}
 * for Parquet), never from its name.
 */
final class Dataset {

    /** The file format of a part. */
    enum Format {
        AVRO, PARQUET;

        String manifestName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Format ofManifest(String name) {
            return switch (name) {
                case "avro" -> AVRO;
                case "parquet" -> PARQUET;
                default -> throw new UsageException("Unknown format in the manifest: " + name);
            };
        }
    }

    /** One data file of the dataset, {@code location} fully qualified. */
    record Part(String location, String relativePath, long bytes) {}

    private static final byte[] AVRO_MAGIC = {'O', 'b', 'j', 1};
    private static final byte[] PARQUET_MAGIC = {'P', 'A', 'R', '1'};

    private final FileStore store;
    private final String location;
    private final Format format;
    private final List<Part> parts;
    private final Optional<Manifest> manifest;

    private Dataset(FileStore store, String location, Format format, List<Part> parts, Optional<Manifest> manifest) {
        this.store = store;
        this.location = location;
        this.format = format;
        this.parts = List.copyOf(parts);
        this.manifest = manifest;
    }

    /**
     * Opens what a path names. A directory with a {@code _SUCCESS} manifest is read through it;
     * otherwise every visible file below the path must be Avro or every one Parquet.
     *
     * @throws UsageException when nothing is there, or the files are not Avro/Parquet of one format
     */
    static Dataset open(FileStore store, String location) throws IOException {
        requireNonNull(store, "store is null");
        String root = stripSlash(location);
        Optional<Manifest> manifest = ManifestCodec.read(store, root);
        if (manifest.isPresent()) {
            List<Part> parts = new ArrayList<>();
            for (Manifest.Part part : manifest.get().parts()) {
                parts.add(new Part(root + "/" + part.path(), part.path(), part.bytes()));
            }
            return new Dataset(store, root, Format.ofManifest(manifest.get().format()), parts, manifest);
        }
        List<FileEntry> files;
        try {
            files = store.list(root);
        } catch (java.io.FileNotFoundException e) {
            throw new UsageException("Nothing to read at " + location + " (" + e.getMessage() + ")");
        }
        Format format = null;
        List<Part> parts = new ArrayList<>();
        for (FileEntry file : files) {
            Format fileFormat = detect(store, file);
            if (format != null && fileFormat != format) {
                throw new UsageException("Mixed formats under %s: %s is %s, earlier files are %s"
                        .formatted(location, file.location(), fileFormat.manifestName(), format.manifestName()));
            }
            format = fileFormat;
            parts.add(new Part(file.location(), relativePath(root, file.location()), file.length()));
        }
        return new Dataset(store, root, format, parts, Optional.empty());
    }

    /** The format of one file by its magic bytes. */
    static Format detect(FileStore store, FileEntry file) throws IOException {
        byte[] head = new byte[4];
        if (file.length() >= 4) {
            try (SeekableInput input = store.open(file.location())) {
                input.readFully(0, head, 0, 4);
            }
            if (Arrays.equals(head, AVRO_MAGIC)) {
                return Format.AVRO;
            }
            if (Arrays.equals(head, PARQUET_MAGIC)) {
                return Format.PARQUET;
            }
        }
        throw new UsageException("Not an Avro or Parquet file (by its first bytes): %s (%s)".formatted(file.location(),
                file.length() >= 4 ? "bytes 0-3 are 0x" + java.util.HexFormat.of().formatHex(head) : "only " + file.length() + " bytes long"));
    }

    String location() {
        return location;
    }

    Format format() {
        return format;
    }

    List<Part> parts() {
        return parts;
    }

    /** The manifest, when the dataset is a committed Spindle output. */
    Optional<Manifest> manifest() {
        return manifest;
    }

    FileStore store() {
        return store;
    }

    long bytes() {
        return parts.stream().mapToLong(Part::bytes).sum();
    }

    /** The Avro schema: the manifest's, else the first part's. */
    Schema schema() throws IOException {
        if (manifest.isPresent()) {
            return new Schema.Parser().parse(manifest.get().schema().toString());
        }
        return schemaOf(parts.get(0));
    }

    /** The Avro schema a part file declares (for Parquet: the footer's Avro schema, else converted). */
    Schema schemaOf(Part part) throws IOException {
        if (format == Format.AVRO) {
            try (SeekableInput input = store.open(part.location());
                    DataFileStream<GenericRecord> records = avroStream(input)) {
                return records.getSchema();
            }
        }
        try (ParquetFileReader reader = ParquetFileReader.open(new StoreInputFile(store, part.location()))) {
            var metadata = reader.getFooter().getFileMetaData();
            String avro = metadata.getKeyValueMetaData().get("parquet.avro.schema");
            return avro != null ? new Schema.Parser().parse(avro) : new AvroSchemaConverter().convert(metadata.getSchema());
        }
    }

    /**
     * The Parquet message type: the first part's footer for Parquet, else the Avro schema as
     * parquet-avro maps it.
     */
    org.apache.parquet.schema.MessageType parquetSchema() throws IOException {
        if (format == Format.PARQUET && !parts.isEmpty()) {
            try (ParquetFileReader reader = ParquetFileReader.open(new StoreInputFile(store, parts.get(0).location()))) {
                return reader.getFooter().getFileMetaData().getSchema();
            }
        }
        return new AvroSchemaConverter().convert(schema());
    }

    /**
     * Counts a part's records. Avro: block headers only, without decoding a record; Parquet: the
     * footer's row-group counts.
     *
     * @throws IOException when the file is truncated or corrupt (the message names it)
     */
    long countRows(Part part) throws IOException {
        if (format == Format.PARQUET) {
            ParquetMetadata footer;
            try (ParquetFileReader reader = ParquetFileReader.open(new StoreInputFile(store, part.location()))) {
                footer = reader.getFooter();
            } catch (RuntimeException e) {
                throw new IOException("Cannot read the Parquet footer of " + part.location() + ": " + e.getMessage(), e);
            }
            return footer.getBlocks().stream().mapToLong(BlockMetaData::getRowCount).sum();
        }
        long rows = 0;
        try (SeekableInput input = store.open(part.location());
                DataFileStream<GenericRecord> records = avroStream(input)) {
            while (records.hasNext()) {
                rows += records.getBlockCount();
                records.nextBlock();
            }
        } catch (EOFException | org.apache.avro.AvroRuntimeException e) {
            throw new IOException("Truncated or corrupt Avro file " + part.location() + ": " + e.getMessage(), e);
        }
        return rows;
    }

    /**
     * Reads records from the parts in order, handing each to {@code consumer} until it returns
     * false or the parts end.
     */
    void forEachRecord(Predicate<GenericRecord> consumer) throws IOException {
        for (Part part : parts) {
            if (!forEachRecord(part, consumer)) {
                return;
            }
        }
    }

    private boolean forEachRecord(Part part, Predicate<GenericRecord> consumer) throws IOException {
        if (format == Format.AVRO) {
            try (SeekableInput input = store.open(part.location());
                    DataFileStream<GenericRecord> records = avroStream(input)) {
                while (records.hasNext()) {
                    if (!consumer.test(records.next())) {
                        return false;
                    }
                }
            }
            return true;
        }
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new StoreInputFile(store, part.location())).build()) {
            GenericRecord record;
            while ((record = reader.read()) != null) {
                if (!consumer.test(record)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static DataFileStream<GenericRecord> avroStream(SeekableInput input) throws IOException {
        InputStream in = new BufferedInputStream(new SeekableInputStream(input), 1 << 16);
        return new DataFileStream<>(in, new GenericDatumReader<>());
    }

    /** A file's path below the dataset's root ({@code city=Paris/part-00003.avro}); its name if it is not below. */
    static String relativePath(String root, String file) {
        // file:///data/x and file:/data/x/a.avro name the same directory: compare the paths alone
        String rootPath = rawPath(root);
        String filePath = rawPath(file);
        if (rootPath != null && filePath != null && !rootPath.isEmpty()) {
            root = rootPath;
            file = filePath;
        }
        int at = file.indexOf(root);
        if (file.equals(root) || at < 0) {
            return file.substring(file.lastIndexOf('/') + 1);
        }
        String rest = file.substring(at + root.length());
        return rest.startsWith("/") ? rest.substring(1) : rest;
    }

    private static String rawPath(String location) {
        try {
            String path = new java.net.URI(location).getRawPath();
            return path == null ? null : stripSlash(path);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static String stripSlash(String location) {
        String result = location;
        while (result.length() > 1 && result.endsWith("/") && !result.endsWith("://")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }
}
