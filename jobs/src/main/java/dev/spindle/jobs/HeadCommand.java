package dev.spindle.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.io.commit.Manifest;
import dev.spindle.io.commit.ManifestCodec;
import dev.spindle.io.store.FileStores;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.hadoop.fs.FileSystem;
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
        Path output = new Path(ClusterConnection.qualify(getConf(), args.get(0)));
        FileSystem fs = output.getFileSystem(getConf());
        Manifest manifest = ManifestCodec.read(FileStores.hadoop(getConf()), output.toString())
                .orElseThrow(() -> new UsageException("Not a committed Spindle output (no _SUCCESS): " + output));
        String format = manifest.format();
        int printed = 0;
        for (Manifest.Part part : manifest.parts()) {
            if (printed >= limit) {
                break;
            }
            Path partPath = new Path(output, part.path());
            printed += format.equals("parquet") ? printParquet(partPath, limit - printed) : printAvro(fs, partPath, limit - printed);
        }
        return ExitCode.OK;
    }

    private int printAvro(FileSystem fs, Path part, int limit) throws Exception {
        int printed = 0;
        try (InputStream in = fs.open(part);
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
