package dev.spindle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line without a cluster: help, option errors and their exit codes. */
class SpindleCliTest {

    private static final List<String> COMMANDS = List.of("csv-to-avro", "csv-to-parquet", "avro-to-parquet", "parquet-to-avro", "infer-schema", "head",
            "inspect", "count", "schema", "validate", "generate-taxi", "cluster", "status", "wait", "kill");

    @Test
    void noArgumentsPrintsTheCommandsAndIsAUsageError() {
        CliRun run = CliRun.of();
        assertEquals(ExitCode.USAGE.code(), run.exitCode());
        for (String command : COMMANDS) {
            assertTrue(run.out().contains("  " + command), run.out());
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : COMMANDS) {
            CliRun run = CliRun.of(command, "--help");
            assertEquals(0, run.exitCode(), command + ": " + run);
            assertTrue(run.out().contains("usage: spindle " + command), command + ": " + run.out());
            // every command's help ends with the exit codes its scripts test for
            assertTrue(run.out().contains("Exit codes:\n  0  succeeded") && run.out().contains("\n  4  the cluster or storage"),
                    command + ": " + run.out());
        }
        for (String command : List.of("csv-to-avro", "csv-to-parquet", "avro-to-parquet", "parquet-to-avro", "infer-schema", "head", "inspect",
                "count", "schema", "validate", "wait")) {
            String help = CliRun.of(command, "--help").out();
            assertTrue(help.contains("Examples:\n  spindle " + command + " "), command + ": " + help);
        }
        CliRun csv = CliRun.of("csv-to-avro", "--help");
        for (String option : List.of("--input", "--output", "--filter", "--select", "--drop", "--block-size", "--containers",
                "--cluster", "--write-mode", "--on-bad-record", "--codec", "--schema", "--delimiter", "--encoding", "--input-format")) {
            assertTrue(csv.out().contains(option), option + " in " + csv.out());
        }
        // the commands that set the input format do not offer to change it
        String fixed = CliRun.of("avro-to-parquet", "--help").out();
        assertTrue(fixed.contains("convert Avro files into a parquet dataset") && !fixed.contains("--input-format <FORMAT>")
                && !fixed.contains("--delimiter") && fixed.contains("--filter"), fixed);
    }

    @Test
    void anUnknownCommandListsTheValidOnes() {
        CliRun run = CliRun.of("csv-to-avr");
        assertEquals(ExitCode.USAGE.code(), run.exitCode());
        assertEquals("spindle: unknown command 'csv-to-avr'; commands: csv-to-avro, csv-to-parquet, avro-to-parquet, parquet-to-avro, infer-schema, head, "
                + "inspect, count, schema, validate, generate-taxi, cluster, fs, credential, uploads, logs, status, wait, kill", run.err().strip());
    }

    @Test
    void inputFormatErrorsAreUsageErrors() {
        assertUsage("spindle csv-to-avro: Unknown --input-format 'orc'; valid: csv, avro, parquet",
                "csv-to-avro", "--input", "/x", "--output", "/y", "--input-format", "orc");
        assertUsage("spindle avro-to-parquet: --partition-by names a column twice: a,a",
                "avro-to-parquet", "--input", "/x", "--output", "/y", "--partition-by", "a,a");
    }

    @Test
    void badOptionValuesAreOneLineUsageErrorsBeforeAnythingStarts() {
        assertUsage("spindle csv-to-avro: Missing required option --input",
                "csv-to-avro", "--output", "/tmp/never");
        assertUsage("spindle csv-to-avro: --block-size takes bytes, e.g. 134217728, 64m or 1g; got '12q'",
                "csv-to-avro", "--input", "/x", "--output", "/y", "--block-size", "12q");
        assertUsage("spindle csv-to-avro: Unknown --codec 'lz4' for avro; valid: null, deflate, snappy, zstandard",
                "csv-to-avro", "--input", "/x", "--output", "/y", "--codec", "lz4");
        assertUsage("spindle csv-to-parquet: Unknown --codec 'deflate' for parquet; valid: snappy, zstd, gzip, uncompressed",
                "csv-to-parquet", "--input", "/x", "--output", "/y", "--codec", "deflate");
        assertUsage("spindle csv-to-avro: Unknown --write-mode 'upsert'; valid: error, overwrite, append, overwrite-partitions",
                "csv-to-avro", "--input", "/x", "--output", "/y", "--write-mode", "upsert");
        assertUsage("spindle csv-to-avro: Unknown --on-bad-record 'ignore'; valid: reject, fail, skip",
                "csv-to-avro", "--input", "/x", "--output", "/y", "--on-bad-record", "ignore");
        assertUsage("spindle csv-to-avro: --delimiter must be one ASCII character other than a line break, got ';;'",
                "csv-to-avro", "--input", "/x", "--output", "/y", "--delimiter", ";;");
        assertUsage("spindle csv-to-avro: --containers must be at least 1, got 0",
                "csv-to-avro", "--input", "/x", "--output", "/y", "--containers", "0");
        assertUsage("spindle csv-to-avro: Use --select or --drop, not both",
                "csv-to-avro", "--input", "/x", "--output", "/y", "--select", "a", "--drop", "b");
        assertUsage("spindle csv-to-avro: Unknown --encoding 'latin-9x'; e.g. UTF-8, ISO-8859-1, windows-1252, UTF-16",
                "csv-to-avro", "--input", "/x", "--output", "/y", "--encoding", "latin-9x");
        assertUsage("spindle csv-to-avro: Expected a literal after '>' but the filter ended at position 17 in filter: passenger_count >",
                "csv-to-avro", "--input", "/x", "--output", "/y", "--filter", "passenger_count >");
    }

    @Test
    void aMissingLocalInputIsAUsageErrorBeforeAnyClusterStarts(@TempDir Path dir) {
        String missing = dir.resolve("missing").toString();
        CliRun run = CliRun.of("csv-to-avro", "--input", missing + "/*.csv", "--output", dir.resolve("out").toString());
        assertEquals(ExitCode.USAGE.code(), run.exitCode(), run.toString());
        assertEquals("spindle csv-to-avro: No files match: file:" + missing + "/*.csv", run.err().strip());
    }

    @Test
    void aSchemaWithAColumnTypeCsvCannotHoldIsAUsageError(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("ledger.csv"), "id,price\n1,2.50\n");
        Path schema = Files.writeString(dir.resolve("ledger.avsc"), """
                {"type":"record","name":"ledger","fields":[{"name":"id","type":"long"},
                 {"name":"price","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}}]}""");
        CliRun run = CliRun.of("csv-to-avro", "--input", csv.toString(), "--output", dir.resolve("out").toString(), "--schema", schema.toString());
        assertEquals(ExitCode.USAGE.code(), run.exitCode(), run.toString());
        assertTrue(run.err().contains("Cannot use schema " + schema) && run.err().contains("'price' is decimal(9,2), which CSV input cannot hold"),
                run.toString());
    }

    @Test
    void inferSchemaOfAMissingFileNamesIt(@TempDir Path dir) {
        CliRun run = CliRun.of("infer-schema", dir.resolve("missing.csv").toString());
        assertEquals(ExitCode.USAGE.code(), run.exitCode(), run.toString());
        assertTrue(run.err().contains("missing.csv"), run.toString());
    }

    @Test
    void inferSchemaRefusesInputThatIsNotCsvInItsEncoding(@TempDir Path dir) throws Exception {
        byte[] noise = new byte[1 << 20];
        new java.util.Random(3).nextBytes(noise);
        Path random = Files.write(dir.resolve("noise.csv"), noise);
        CliRun run = CliRun.of("infer-schema", random.toString());
        assertEquals(ExitCode.USAGE.code(), run.exitCode(), run.toString());
        assertTrue(run.err().strip().startsWith("spindle infer-schema: Input file:" + random + " does not look like CSV in UTF-8: "), run.toString());
        assertEquals(1, run.err().strip().lines().count(), run.toString());

        StringBuilder names = new StringBuilder("id,city\n");
        for (int i = 0; i < 500; i++) {
            names.append(i).append(i % 2 == 0 ? ",Montr\u00e9al\n" : ",K\u00f6ln\n");
        }
        Path latin1 = Files.write(dir.resolve("cities.csv"), names.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        CliRun wrongEncoding = CliRun.of("infer-schema", "--delimiter", ",", latin1.toString());
        assertEquals(ExitCode.USAGE.code(), wrongEncoding.exitCode(), wrongEncoding.toString());
        assertTrue(wrongEncoding.err().contains("does not look like CSV in UTF-8: "), wrongEncoding.toString());
        assertTrue(wrongEncoding.err().contains("check --encoding"), wrongEncoding.toString());
        assertEquals(0, CliRun.of("infer-schema", "--delimiter", ",", "--encoding", "ISO-8859-1", latin1.toString()).exitCode());
    }

    @Test
    void generateTaxiIsDeterministic(@TempDir Path dir) throws Exception {
        File first = dir.resolve("a.csv").toFile();
        File second = dir.resolve("b.csv").toFile();
        assertEquals(0, CliRun.of("generate-taxi", "--rows", "1000", "--seed", "5", "--output", first.getPath()).exitCode());
        assertEquals(0, CliRun.of("generate-taxi", "--rows", "1000", "--seed", "5", "--output", second.getPath()).exitCode());
        List<String> lines = Files.readAllLines(first.toPath());
        assertEquals(1001, lines.size());
        assertEquals(TaxiDataGenerator.HEADER, lines.get(0));
        assertEquals(lines, Files.readAllLines(second.toPath()));
        assertEquals(14, lines.get(1).split(",", -1).length);
    }

    @Test
    void commentLinesBeforeTheHeaderAreSkippedUnderComment(@TempDir Path dir) throws Exception {
        Path csv = java.nio.file.Files.writeString(dir.resolve("notes.csv"), "~ note one\n~ note two\n~ note three\nid,name\n1,a\n2,b\n");
        CliRun run = CliRun.of("infer-schema", "--comment", "~", csv.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("Columns (2,") && run.out().contains("  id ") && run.out().contains("  name "), run.toString());
        // a header the dialect cannot read is the user's to fix: exit 2, never 4
        CliRun wrongQuote = CliRun.of("infer-schema", "--quote", "'", "--delimiter", ",",
                java.nio.file.Files.writeString(dir.resolve("open.csv"), "'id,name\n1,a\n").toString());
        assertEquals(ExitCode.USAGE.code(), wrongQuote.exitCode(), wrongQuote.toString());
    }

    @Test
    void aPreambleBeforeTheHeaderIsDetectedSkippedAndSaidNeverTakenAsTheHeader(@TempDir Path dir) throws Exception {
        StringBuilder text = new StringBuilder("~ note one\n~ note two\n~ exported 2013-01-01\nid,name,amount\n");
        for (int i = 0; i < 30; i++) {
            text.append(i).append(",n").append(i).append(',').append(i * 2.5).append('\n');
        }
        Path csv = java.nio.file.Files.writeString(dir.resolve("notes.csv"), text);
        CliRun sniffed = CliRun.of("infer-schema", csv.toString());
        assertEquals(0, sniffed.exitCode(), sniffed.toString());
        assertTrue(sniffed.err().contains("Skipping 3 lines before the header of every file"), sniffed.toString());
        assertTrue(sniffed.out().contains("3 lines before the header skipped (--skip-lines 3)"), sniffed.toString());
        assertTrue(sniffed.out().contains("Columns (3,") && sniffed.out().contains("  amount "), sniffed.toString());
        assertTrue(sniffed.out().contains("delimiter ','"), sniffed.toString());
        // with the dialect given, and with the count given: the same columns
        CliRun given = CliRun.of("infer-schema", "--delimiter", ",", csv.toString());
        assertTrue(given.out().contains("Columns (3,") && given.out().contains("  amount "), given.toString());
        CliRun explicit = CliRun.of("infer-schema", "--delimiter", ",", "--skip-lines", "3", csv.toString());
        assertTrue(explicit.out().contains("Columns (3,"), explicit.toString());
        assertTrue(!explicit.err().contains("Skipping"), explicit.toString());
        // --skip-lines 0 keeps the lines: the first note is the header, as the user asked
        CliRun kept = CliRun.of("infer-schema", "--delimiter", ",", "--skip-lines", "0", csv.toString());
        assertTrue(!kept.out().contains("  amount "), kept.toString());
        assertUsage("spindle infer-schema: --skip-lines must be at least 0, got -1", "infer-schema", "--skip-lines", "-1", csv.toString());
    }

    @Test
    void aConfFileThatDoesNotExistIsAUsageError(@TempDir Path dir) {
        String missing = dir.resolve("core-site.xml").toString();
        assertUsage("spindle csv-to-avro: -conf file not found: " + missing,
                "csv-to-avro", "--input", "/x", "--output", "/y", "-conf", missing);
    }

    @Test
    void genericOptionsAfterTheCommandsOwnAreRead() {
        // -D after --input: the block size it sets is checked like any other, so it was read
        assertUsage("spindle csv-to-avro: Unknown --codec 'lz4' for avro; valid: null, deflate, snappy, zstandard",
                "csv-to-avro", "--input", "/x", "-D", "spindle.yarn.queue=etl", "--output", "/y", "--codec", "lz4");
    }

    @Test
    void aConfFileNamingAClusterSendsTheJobThereAndNeverToAnEmbeddedOne(@TempDir Path dir) throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Path site = java.nio.file.Files.writeString(dir.resolve("core-site.xml"), """
                <configuration>
                  <property><name>fs.defaultFS</name><value>hdfs://127.0.0.1:%d</value></property>
                  <property><name>ipc.client.connect.max.retries</name><value>0</value></property>
                </configuration>
                """.formatted(closed));
        long started = System.nanoTime();
        CliRun run = CliRun.of("csv-to-avro", "-conf", site.toString(), "--input", "/data/in.csv", "--output", "/data/out");
        assertEquals(ExitCode.ENVIRONMENT.code(), run.exitCode(), run.toString());
        assertFalse(run.err().contains("embedded"), run.toString());
        assertTrue(run.err().contains(":" + closed + " failed on connection exception"), run.toString());
        assertTrue(run.err().strip().endsWith(SpindleCli.UNREACHABLE_HINT.strip()), run.toString());
        assertEquals(1, run.err().strip().lines().count(), run.toString());
        assertTrue(System.nanoTime() - started < 60_000_000_000L, "a refused connection fails fast");
    }

    @Test
    void aDefinitionOfTheResourceManagerAloneAlsoMeansARealCluster() {
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration(false);
        conf.set("fs.defaultFS", "file:///");
        ClusterConnection.markEmbedded(conf);
        assertTrue(conf.getBoolean(ClusterConnection.EMBEDDED_KEY, false));
        conf.set("yarn.resourcemanager.address", "rm.example.com:8032");
        ClusterConnection.markEmbedded(conf);
        assertFalse(conf.getBoolean(ClusterConnection.EMBEDDED_KEY, true));
        org.apache.hadoop.conf.Configuration yarnDefaults = new org.apache.hadoop.yarn.conf.YarnConfiguration();
        yarnDefaults.set("fs.defaultFS", "file:///");
        ClusterConnection.markEmbedded(yarnDefaults);
        assertTrue(yarnDefaults.getBoolean(ClusterConnection.EMBEDDED_KEY, false), "yarn-default.xml names no cluster");
    }

    @Test
    void partitionAndHiveOptionsRefusedBeforeAnyClusterStarts(@TempDir Path dir) {
        String out = dir.resolve("out").toString();
        assertUsage("spindle csv-to-parquet: --hive-ddl writes the table of the committed output: not with --detach",
                "csv-to-parquet", "--input", "x.csv", "--output", out, "--hive-ddl", dir.resolve("t.hql").toString(), "--detach");
        assertUsage("spindle csv-to-avro: --partition-by names a column twice: city,city",
                "csv-to-avro", "--input", "x.csv", "--output", out, "--partition-by", "city,city");
    }

    private static void assertUsage(String expectedLine, String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(ExitCode.USAGE.code(), run.exitCode(), run.toString());
        assertEquals(expectedLine, run.err().strip(), run.toString());
    }

    @Test
    void helpPrintsTheExitCodeTable() {
        CliRun run = CliRun.of("--help");
        for (ExitCode code : ExitCode.values()) {
            assertTrue(run.out().contains("  " + code.code() + "  " + code.meaning()), run.out());
        }
    }

    @Test
    void statusAgainstAStoppedClusterAnswersWithinSecondsWithExit4NamingTheAddress(@TempDir Path dir) throws Exception {
        int port;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        Files.writeString(dir.resolve("core-site.xml"), site("fs.defaultFS", "hdfs://127.0.0.1:" + port));
        Files.writeString(dir.resolve("yarn-site.xml"), site("yarn.resourcemanager.address", "127.0.0.1:" + port));

        long started = System.nanoTime();
        CliRun run = CliRun.of("status", "--cluster", dir.toString(), "application_1795225647249_0001");
        long seconds = (System.nanoTime() - started) / 1_000_000_000;

        assertEquals(ExitCode.ENVIRONMENT.code(), run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("spindle status: error: Cannot reach the ResourceManager at 127.0.0.1:" + port + ": "), run.toString());
        assertTrue(seconds < 20, "took " + seconds + " s");
    }

    private static String site(String key, String value) {
        return "<?xml version=\"1.0\"?><configuration><property><name>" + key + "</name><value>" + value
                + "</value></property></configuration>";
    }
}
