package dev.spindle.jobs.bench;

import dev.spindle.io.store.FileStores;
import dev.spindle.jobs.DatasetReader;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

/**
 * {@link DatasetReader} on a local dataset of 8 parts, one thread against as many threads as
 * cores: {@code dataset_read_serial} and {@code dataset_read_parallel} (MB of part files per
 * second, best of 3 after a warm-up) and {@code dataset_read_parallel_vs_serial}, for Parquet and
 * (with an {@code _avro} suffix) for Avro. Run by {@code scripts/bench.sh dataset}.
 */
public final class DatasetReadBenchmark {

    private static final Schema SCHEMA = SchemaBuilder.record("trip").fields()
            .requiredString("medallion").requiredLong("pickup").requiredLong("passengers").requiredDouble("distance")
            .optionalString("flag").requiredDouble("fare").endRecord();

    private DatasetReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rowsPerPart = args.length > 0 && args[0].equals("--quick") ? 100_000 : 400_000;
        Path dir = Files.createTempDirectory("dataset-read-bench");
        try {
            Path parquet = dir.resolve("parquet");
            Path avro = dir.resolve("avro");
            Random random = new Random(1);
            for (int part = 0; part < 8; part++) {
                write(random, rowsPerPart, parquet.resolve("part-%05d.parquet".formatted(part)).toFile(),
                        avro.resolve("part-%05d.avro".formatted(part)).toFile());
            }
            int cores = Runtime.getRuntime().availableProcessors();
            report("", parquet, cores);
            report("_avro", avro, cores);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private static void report(String suffix, Path dataset, int cores) throws Exception {
        double bytes;
        try (var files = Files.list(dataset)) {
            bytes = files.mapToLong(file -> file.toFile().length()).sum();
        }
        read(dataset, 1); // warm-up
        read(dataset, cores);
        double serial = bytes / 1e6 / best(dataset, 1);
        double parallel = bytes / 1e6 / best(dataset, cores);
        System.out.printf("dataset%s: %.0f MB in 8 parts, %d threads%n", suffix, bytes / 1e6, cores);
        System.out.printf("bench dataset_read_serial%s %.0f%n", suffix, serial);
        System.out.printf("bench dataset_read_parallel%s %.0f%n", suffix, parallel);
        System.out.printf("bench dataset_read_parallel_vs_serial%s %.2f%n", suffix, parallel / serial);
    }

    private static double best(Path dataset, int threads) throws Exception {
        double best = Double.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
            best = Math.min(best, read(dataset, threads));
        }
        return best;
    }

    /** Seconds to read every column of every part into Arrow batches. */
    private static double read(Path dataset, int threads) throws Exception {
        long started = System.nanoTime();
        try (DatasetReader reader = DatasetReader.builder(FileStores.hadoop(new Configuration()), dataset.toUri().toString())
                .threads(threads).build()) {
            long rows = reader.forEachBatch((part, batch) -> { });
            if (rows == 0) {
                throw new IllegalStateException("read nothing");
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static void write(Random random, int rows, File parquet, File avro) throws Exception {
        parquet.getParentFile().mkdirs();
        avro.getParentFile().mkdirs();
        try (ParquetWriter<GenericRecord> parquetWriter = AvroParquetWriter.<GenericRecord>builder(
                HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(parquet.toURI()), new Configuration())).withSchema(SCHEMA).build();
                DataFileWriter<GenericRecord> avroWriter = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(SCHEMA))) {
            avroWriter.setCodec(CodecFactory.deflateCodec(1));
            avroWriter.create(SCHEMA, avro);
            for (int row = 0; row < rows; row++) {
                GenericRecord record = new GenericData.Record(SCHEMA);
                record.put("medallion", Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()));
                record.put("pickup", 1_356_998_400_000L + random.nextInt(1_000_000_000));
                record.put("passengers", 1L + random.nextInt(6));
                record.put("distance", random.nextInt(3_000) / 100.0);
                record.put("flag", random.nextInt(10) == 0 ? null : random.nextBoolean() ? "N" : "Y");
                record.put("fare", random.nextInt(10_000) / 100.0);
                parquetWriter.write(record);
                avroWriter.append(record);
            }
        }
    }
}
