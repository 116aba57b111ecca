package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.commons.cli.CommandLine;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The scheduler examples in {@code conf/examples/} run the real command line: the Oozie
 * workflow is well-formed XML whose shell action's arguments parse with Spindle's own parser, and
 * the Airflow DAG is valid Python (checked by Python's {@code ast}) whose command parses too.
 */
class SchedulerExamplesTest {

    private static final File EXAMPLES = new File("../conf/examples");

    @Test
    void theOozieWorkflowRunsAYarnJarLineTheCliAccepts() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document workflow = factory.newDocumentBuilder().parse(new File(EXAMPLES, "oozie/workflow.xml"));
        Element shell = (Element) workflow.getElementsByTagNameNS("uri:oozie:shell-action:0.3", "shell").item(0);
        assertEquals("yarn", shell.getElementsByTagNameNS("*", "exec").item(0).getTextContent());
        NodeList arguments = shell.getElementsByTagNameNS("*", "argument");
        List<String> args = new ArrayList<>();
        for (int i = 0; i < arguments.getLength(); i++) {
            args.add(substituteEl(arguments.item(i).getTextContent()));
        }
        assertEquals(List.of("jar", "/apps/spindle/lib/spindle-jobs.jar"), args.subList(0, 2), "yarn jar JAR");
        CommandLine line = SpindleCli.parse(args.subList(2, args.size()).toArray(String[]::new));
        assertEquals("hdfs:///data/raw/taxi/2026-01-01", line.getOptionValue("input"));
        assertEquals("passenger_count > 0", line.getOptionValue("filter"));
        assertTrue(line.hasOption("result-json") && line.hasOption("output"), args.toString());
    }

    @Test
    void theAirflowDagIsPythonAndItsCommandParses() throws Exception {
        File dag = new File(EXAMPLES, "airflow/spindle_taxi_dag.py");
        // Python's own parser reads the file; the argument list comes out as JSON, Jinja templates rendered with sample values
        String script = String.join("\n",
                "import ast, json, sys",
                "tree = ast.parse(open(sys.argv[1]).read(), filename=sys.argv[1])",
                "args = next(ast.literal_eval(node.value) for node in ast.walk(tree)",
                "            if isinstance(node, ast.Assign) and any(getattr(t, 'id', '') == 'SPINDLE_ARGS' for t in node.targets))",
                "print(json.dumps(args))");
        Process python = new ProcessBuilder("python3", "-c", script, dag.getAbsolutePath()).redirectErrorStream(true).start();
        assertTrue(python.waitFor(60, TimeUnit.SECONDS));
        String output = new String(python.getInputStream().readAllBytes(), UTF_8);
        assertEquals(0, python.exitValue(), output);
        List<String> args = new ArrayList<>();
        for (JsonNode arg : new ObjectMapper().readTree(output)) {
            args.add(arg.asText().replace("{{ ds }}", "2026-01-01").replace("{{ run_id }}", "scheduled__2026-01-01"));
        }
        CommandLine line = SpindleCli.parse(args.toArray(String[]::new));
        assertEquals("hdfs:///data/clean/taxi-avro/2026-01-01", line.getOptionValue("output"));
        assertEquals("/tmp/spindle-scheduled__2026-01-01.json", line.getOptionValue("result-json"));
        String text = Files.readString(dag.toPath(), UTF_8);
        assertTrue(text.contains("\"yarn jar \" + SPINDLE_JAR"), "runs the yarn jar line");
    }

    @Test
    void aCommandLineThatDoesNotParseIsSaidToNotParse() {
        UsageException e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                () -> SpindleCli.parse(new String[] {"csv-to-avro", "--no-such-option", "--input", "/x"}));
        assertTrue(e.getMessage().contains("no-such-option"), e.getMessage());
    }

    /** Oozie EL parameters with the values a job.properties would give. */
    private static String substituteEl(String text) {
        Matcher matcher = Pattern.compile("\\$\\{(\\w+)}").matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = switch (matcher.group(1)) {
                case "spindleJar" -> "/apps/spindle/lib/spindle-jobs.jar";
                case "queueName" -> "etl";
                case "inputDir" -> "hdfs:///data/raw/taxi/2026-01-01";
                case "outputDir" -> "hdfs:///data/clean/taxi-avro/2026-01-01";
                default -> throw new AssertionError("unknown EL parameter " + matcher.group());
            };
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
