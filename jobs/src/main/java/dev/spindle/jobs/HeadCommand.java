package dev.spindle.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.io.commit.Manifest;
import dev.spindle.io.commit.ManifestCodec;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.FileStores;
import dev.spindle.io.store.SeekableInput;
import dev.spindle.io.store.SeekableInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** {@code spindle head DIR [-n N]}: prints the first records of a committed output as JSON. */
final class HeadCommand extends SpindleCommand {

    private final RecordJson renderer = new RecordJson();

    HeadCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    String name() {
        return "head";
    }

    @Override
    String summary() {
        return "print the first records of a committed Spindle output (Avro or Parquet) as JSON";
    }

    @Override
    String arguments() {
        return "OUTPUT_DIR";
    }

    @Override
    Options options() {
        return new Options()
                .addOption(Option.builder("n").longOpt("records").hasArg().argName("N").desc("how many records (default 10)").build())
                .addOption(Option.builder().longOpt("cluster").hasArg().argName("DIR").desc("Hadoop conf dir of the cluster").build());
    }

    @Override
    ExitCode execute(CommandLine line) throws Exception {
        List<String> args = line.getArgList();
        if (args.size() != 1) {
            throw new UsageException("Expected one output directory");
        }
        int limit = intOption(line, "records", 10, 0);
        String output = ClusterConnection.qualify(getConf(), args.get(0));
        FileStore store = FileStores.hadoop(getConf());
        Manifest manifest = ManifestCodec.read(store, output)
                .orElseThrow(() -> new UsageException("Not a committed Spindle output (no _SUCCESS): " + output));
        String format = manifest.format();
        if (format.equals("parquet") && !FileStores.isHadoopLocation(output)) {
            throw new UsageException("head reads Parquet parts only from Hadoop file systems (hdfs://, file:) so far: " + output);
        }
        int printed = 0;
        for (Manifest.Part part : manifest.parts()) {
            if (printed >= limit) {
                break;
            }
            String location = output + "/" + part.path();
            printed += format.equals("parquet") ? printParquet(new Path(location), limit - printed)
                    : printAvro(store, location, limit - printed);
        }
        return ExitCode.OK;
    }

    private int printAvro(FileStore store, String part, int limit) throws Exception {
        int printed = 0;
        try (SeekableInput input = store.open(part);
                InputStream in = new BufferedInputStream(new SeekableInputStream(input), 1 << 16);
                DataFileStream<GenericRecord> records = new DataFileStream<>(in, new GenericDatumReader<>())) {
            while (printed < limit && records.hasNext()) {
                out.println(renderer.render(records.next()));
                printed++;
            }
        }
        return printed;
    }

    private int printParquet(Path part, int limit) throws Exception {
        int printed = 0;
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(HadoopInputFile.fromPath(part, getConf())).build()) {
            GenericRecord record;
            while (printed < limit && (record = reader.read()) != null) {
                out.println(renderer.render(record));
                printed++;
            }
        }
        return printed;
    }
}
