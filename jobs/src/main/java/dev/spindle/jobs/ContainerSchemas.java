package dev.spindle.jobs;

import dev.spindle.codec.ParquetBlockReader;
import dev.spindle.codec.TableSchema;
import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.FileStore;
import dev.spindle.yarn.BadInputException;
import java.io.IOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetFileReader;

/** The Avro schema an Avro or Parquet input file declares: the job's table schema when it is the first input. */
final class ContainerSchemas {

    private ContainerSchemas() {}

    /**
     * The schema of the first non-empty file of {@code files}.
     *
     * @throws BadInputException when no file has data, the file cannot be read as {@code format},
     *     or a column's type is outside the supported mapping (a nested record, say); names the file
     */
    static Schema firstFile(FileStore store, InputFormat format, List<FileEntry> files) throws IOException, BadInputException {
        for (FileEntry file : files) {
            if (file.length() > 0) {
                Schema schema = of(store, format, file.location());
                try {
                    TableSchema.fromAvroSchema(schema);
                } catch (IllegalArgumentException e) {
                    throw new BadInputException("Cannot convert %s: %s".formatted(file.location(), e.getMessage()), e);
                }
                return schema;
            }
        }
        throw new BadInputException("Every input file is empty");
    }

    /** The file's Avro schema (for Parquet: {@link ParquetBlockReader#avroSchema}). */
    static Schema of(FileStore store, InputFormat format, String location) throws IOException, BadInputException {
        try {
            if (format == InputFormat.AVRO) {
                try (DataFileReader<GenericRecord> reader = new DataFileReader<>(new StoreAvroInput(store.open(location)), new GenericDatumReader<>())) {
                    return reader.getSchema();
                }
            }
            try (ParquetFileReader reader = ParquetFileReader.open(new StoreInputFile(store, location))) {
                return ParquetBlockReader.avroSchema(reader.getFooter().getFileMetaData());
            }
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("Cannot read the %s schema of %s: %s".formatted(format.optionName(), location, e.getMessage()), e);
        }
    }
}
