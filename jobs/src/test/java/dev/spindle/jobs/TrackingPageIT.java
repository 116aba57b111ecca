package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 14: the AM's tracking page, loaded in headless Chromium through the ResourceManager's
 * web proxy while a job of many small blocks runs; a direct request to the AM is sent to the
 * proxy; the last page stays beside the manifest. Needs Debian's {@code chromium} on the path
 * ({@code .ci/run} installs it).
 */
@ExtendWith(SharedCluster.Resolver.class)
class TrackingPageIT {

    private static final Pattern BLOCKS = Pattern.compile("Blocks: (\\d+) done of (\\d+)");
    private static final Set<String> LIVE = Set.of("PLANNING", "RUNNING", "COMMITTING");

    @Test
    void thePageThroughTheProxyShowsEveryBlockAndTheCountersWhileTheJobRuns(SharedCluster cluster) throws Exception {
        cluster.write("/data/page/taxi.csv", taxiWithRaggedLines(6_000, 300, 4_500));
        // detached, nobody reads the final status: a short linger ends the AM soon after the job
        CliRun detached = CliRun.of(CliRun.withJobJar("csv-to-avro", "-D", "spindle.yarn.am.linger-ms=1000", "--cluster", cluster.confDir(),
                "--input", "/data/page/taxi.csv",
                "--output", "/out/page/taxi", "--block-size", "24k", "--containers", "1", "--detach"));
        assertEquals(0, detached.exitCode(), detached.toString());
        String id = detached.out().strip();

        ApplicationReport report = awaitRegistered(cluster, id);
        URI proxied = URI.create(report.getTrackingUrl());
        Matcher url = Pattern.compile("http://localhost:(\\d+)/proxy/" + id + "/").matcher(proxied.toString());
        assertTrue(url.matches(), "the tracking URL is the proxy's: " + proxied);
        assertNotEquals("0", url.group(1), "a live port, not " + proxied);
        CliRun status = CliRun.of("status", "--cluster", cluster.confDir(), id);
        assertTrue(status.out().contains("tracking URL: " + proxied), status.toString());

        awaitPlanned(proxied);
        File target = new File("target/tracking-page");
        Files.createDirectories(target.toPath());
        long loadStarted = System.nanoTime();
        String dom = chromium(target, "--dump-dom", proxied.toString());
        long loadMillis = (System.nanoTime() - loadStarted) / 1_000_000;
        // the picture for the README: later in the job, when some blocks are done (if the job is still running then)
        awaitBlocksDone(proxied, 10);
        File screenshot = new File(target, "tracking-page-running.png");
        chromium(target, "--screenshot=" + screenshot.getAbsolutePath(), "--window-size=1100,1000", "--hide-scrollbars", proxied.toString());

        Document page = Jsoup.parse(dom);
        String state = page.selectFirst("#state").text();
        assertTrue(LIVE.contains(state), "loaded while the job runs: " + state + "\n" + dom);
        Matcher blocks = BLOCKS.matcher(page.selectFirst("#blocks h2").text());
        assertTrue(blocks.matches(), dom);
        int planned = Integer.parseInt(blocks.group(2));
        assertTrue(planned > 30, "many small blocks: " + planned);
        assertEquals(planned, page.select("#blocks .block-map .block").size(), dom);
        for (String counter : List.of("rowsRead", "rowsWritten", "rowsFiltered", "rowsRejected", "bytesRead", "blocks", "attempts")) {
            assertTrue(page.selectFirst("#counters td[data-counter=" + counter + "]").text().matches("[\\d,]+"), counter + ": " + dom);
        }
        assertEquals(Integer.toString(planned), page.selectFirst("#counters td[data-counter=blocks]").text());
        assertTrue(page.selectFirst("#containers a").attr("href").matches("http://localhost:\\d+/node/containerlogs/container_.*_000001/.+"),
                "the AM's log link: " + dom);
        assertTrue(screenshot.length() > 10_000, "a screenshot: " + screenshot.length() + " bytes");

        String direct = getFrom("127.0.0.2", URI.create(report.getOriginalTrackingUrl()));
        assertTrue(direct.startsWith("HTTP/1.1 302"), "a direct request is sent to the proxy: " + direct);
        assertTrue(direct.contains("Location: " + proxied), direct);

        CliRun waited = CliRun.of("wait", "--cluster", cluster.confDir(), id);
        assertEquals(0, waited.exitCode(), waited.toString());
        // the AM is gone: the proxy sends the link to the ResourceManager's own page of the application, not to a
        // dead address (the embedded ResourceManager answers 404 for that page; a real one shows it)
        HttpResponse<String> after = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(cluster.report(id).getTrackingUrl())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, after.statusCode(), after.uri() + "\n" + after.body());
        assertTrue(after.headers().firstValue("Location").orElse("").endsWith("/cluster/app/" + id), after.headers().toString());
        JsonNode manifest = cluster.manifest("/out/page/taxi");
        assertEquals(planned, manifest.path("counters").path("blocks").asInt());

        Document last;
        try (InputStream in = cluster.fs().open(new Path("/out/page/taxi/_spindle-status.html"))) {
            last = Jsoup.parse(new String(in.readAllBytes(), UTF_8));
        }
        assertEquals("SUCCEEDED", last.selectFirst("#state").text());
        assertEquals(planned, last.select("#blocks .block-map .block[data-state=SUCCEEDED]").size());
        assertTrue(last.select("meta[http-equiv=refresh]").isEmpty(), "the last page does not refresh");
        assertEquals("2", last.selectFirst("#counters td[data-counter=rowsRejected]").text());
        assertEquals(2, last.select("#rejects tr.reject").size(), last.selectFirst("#rejects").outerHtml());
        assertTrue(last.selectFirst("#rejects tr.reject").text().matches("field-count a ragged line byte \\d+ of hdfs://.*/data/page/taxi.csv"),
                last.selectFirst("#rejects").outerHtml());
        // the history: `spindle status APP_ID --web` serves that last page after the job, found through the job's diagnostics
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        java.util.concurrent.CompletableFuture<CliRun> served = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> CliRun.of("status", "--cluster", cluster.confDir(), "--web", "--port", Integer.toString(port), "--serve-seconds", "15", id));
        HttpResponse<String> fromStatus = null;
        for (int i = 0; i < 120 && fromStatus == null && !served.isDone(); i++) {
            try {
                fromStatus = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException notYet) {
                Thread.sleep(100);
            }
        }
        CliRun statusWeb = served.get(60, TimeUnit.SECONDS);
        assertEquals(0, statusWeb.exitCode(), statusWeb.toString());
        assertTrue(statusWeb.out().contains("diagnostics: Committed to "), statusWeb.toString());
        assertTrue(statusWeb.out().contains("serving the last page of " + id), statusWeb.toString());
        assertTrue(fromStatus != null && fromStatus.statusCode() == 200, "spindle status --web answered: " + statusWeb);
        assertEquals("SUCCEEDED", Jsoup.parse(fromStatus.body()).selectFirst("#state").text());
        System.out.printf("tracking page: %d blocks; Chromium loaded it through the proxy in %d ms; screenshot %s%n", planned, loadMillis,
                screenshot);
    }

    private static byte[] taxiWithRaggedLines(int rows, int... raggedAfter) throws Exception {
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        new TaxiDataGenerator(14).write(csv, rows);
        List<String> lines = new ArrayList<>(List.of(csv.toString(UTF_8).split("\n")));
        for (int i = raggedAfter.length - 1; i >= 0; i--) {
            lines.add(raggedAfter[i] + 1, "a ragged line");
        }
        return (String.join("\n", lines) + "\n").getBytes(UTF_8);
    }

    /** Waits until the AM registered its tracking URL and the job is still running. */
    private static ApplicationReport awaitRegistered(SharedCluster cluster, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            ApplicationReport report = cluster.report(id);
            String original = report.getOriginalTrackingUrl();
            if (report.getYarnApplicationState() == YarnApplicationState.RUNNING && original != null && original.startsWith("http")) {
                return report;
            }
            assertTrue(report.getYarnApplicationState() != YarnApplicationState.FINISHED
                    && report.getYarnApplicationState() != YarnApplicationState.FAILED, "ended before it could be seen: " + report);
            Thread.sleep(100);
        }
        throw new AssertionError("The AM of " + id + " did not register within 90 s");
    }

    /** Reads the page through the proxy with a plain HTTP client until the AM has planned the blocks. */
    private static void awaitPlanned(URI proxied) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String html = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(proxied).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            html = page.body();
            Matcher blocks = BLOCKS.matcher(page.statusCode() == 200 ? Jsoup.parse(html).select("#blocks h2").text() : "");
            if (blocks.matches() && Integer.parseInt(blocks.group(2)) > 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("The job was not planned within 90 s: " + html);
    }

    /** Reads the page through the proxy until at least {@code count} blocks are done or the page is final, for up to 60 s. */
    private static void awaitBlocksDone(URI proxied, int count) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(proxied).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Document page = Jsoup.parse(response.body());
            Matcher blocks = BLOCKS.matcher(page.select("#blocks h2").text());
            if (response.statusCode() != 200 || !LIVE.contains(page.select("#state").text())
                    || blocks.matches() && Integer.parseInt(blocks.group(1)) >= count) {
                return;
            }
            Thread.sleep(200);
        }
    }

    /** Runs headless Chromium on a page; returns what it printed on stdout. */
    private static String chromium(File target, String... args) throws Exception {
        File profile = Files.createTempDirectory(target.toPath(), "chromium-profile").toFile();
        List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--user-data-dir=" + profile.getAbsolutePath()));
        command.addAll(List.of(args));
        File out = new File(target, "chromium.out");
        File err = new File(target, "chromium.err");
        Process chromium = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
        if (!chromium.waitFor(60, TimeUnit.SECONDS)) {
            chromium.destroyForcibly();
            throw new AssertionError("Chromium did not finish within 60 s: " + command);
        }
        assertEquals(0, chromium.exitValue(), command + "\n" + Files.readString(err.toPath()));
        return Files.readString(out.toPath());
    }

    /** One HTTP/1.1 GET to {@code uri} from a chosen local address; the whole response. */
    private static String getFrom(String localAddress, URI uri) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", uri.getPort()), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nConnection: close\r\n\r\n").getBytes(UTF_8));
            out.flush();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(response);
            return response.toString(UTF_8);
        }
    }
}
