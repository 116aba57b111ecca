package dev.spindle.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;

/** The tracking page's HTML, parsed back with jsoup. */
class TrackingPageTest {

    private static final Instant NOW = Instant.parse("2026-12-07T01:00:00Z");

    private static BlockStatus succeeded(int block, int attempt, String host, long rows, long rejected) {
        BlockOutcome outcome = new BlockOutcome(rows, rows - rejected - 1, 1, rejected, rows * 10,
                List.of(new BlockOutcome.RangeOutcome(0, rows * 10, rows)), "part");
        return new BlockStatus(block, BlockStatus.State.SUCCEEDED, attempt, 1000, null,
                new BlockResult(block, attempt, host, 50, false, outcome), null);
    }

    private static JobStatus running() {
        return new JobStatus("application_1_0001", JobState.RUNNING, "", null, List.of(
                succeeded(0, 1, "node-a", 100, 2),
                succeeded(1, 2, "node-b", 50, 0),
                new BlockStatus(2, BlockStatus.State.RUNNING, 1, 1000, null, null, "container_1_0001_01_000002"),
                new BlockStatus(3, BlockStatus.State.PENDING, 0, 1000, null, null, null),
                new BlockStatus(4, BlockStatus.State.FAILED, 3, 1000, "disk <full>", null, null)), null);
    }

    private static Document render(JobStatus status) {
        Map<String, String> hosts = Map.of("container_1_0001_01_000002", "node-c");
        String html = TrackingPage.render(new TrackingPage.View(status,
                List.of(new ThroughputHistory.Rate(1_000, 10), new ThroughputHistory.Rate(2_000, 40)),
                List.of(new RejectSample.Reject(0, "hdfs://nn/in/a.csv", 1234, "fare", "UNPARSEABLE", "4x<b>")),
                List.of(new ContainerLogLinks.Link("container_1_0001_01_000001", "ApplicationMaster", "node-a",
                        "http://node-a:8042/node/containerlogs/container_1_0001_01_000001/alice")),
                hosts::get, NOW));
        assertTrue(html.startsWith("<!DOCTYPE html>"), html);
        return Jsoup.parse(html);
    }

    @Test
    void showsOneCellPerBlockWithItsStateHostAndAttempt() {
        Document page = render(running());
        Elements cells = page.select("#blocks .block-map .block");
        assertEquals(5, cells.size());
        assertEquals(List.of("SUCCEEDED", "SUCCEEDED", "RUNNING", "PENDING", "FAILED"), cells.eachAttr("data-state"));
        assertEquals("block 1: SUCCEEDED, attempt 2, host node-b, 1000 bytes, 50 rows read", cells.get(1).attr("title"));
        assertEquals("block 2: RUNNING, attempt 1, host node-c, container container_1_0001_01_000002, 1000 bytes", cells.get(2).attr("title"));
        assertTrue(cells.get(4).attr("title").endsWith("last error: disk <full>"), cells.get(4).attr("title"));
        assertEquals("Blocks: 2 done of 5", page.selectFirst("#blocks h2").text());
    }

    @Test
    void sumsTheCountersOfTheBlocksDoneAndRefreshesWhileRunning() {
        Document page = render(running());
        assertEquals("RUNNING", page.selectFirst("#state").text());
        assertEquals("150", counter(page, "rowsRead"));
        assertEquals("2", counter(page, "rowsRejected"));
        assertEquals("1,500", counter(page, "bytesRead"));
        assertEquals("5", counter(page, "blocks"));
        assertEquals("7", counter(page, "attempts"));
        assertEquals("2", page.selectFirst("meta[http-equiv=refresh]").attr("content"));
        assertEquals("0.0,91.0 480.0,4.0", page.selectFirst("#throughput svg polyline").attr("points"));
    }

    @Test
    void listsTheFirstRejectsEscapedAndLinksTheContainerLogs() {
        Document page = render(running());
        Element reject = page.selectFirst("#rejects tr.reject");
        assertEquals("UNPARSEABLE fare 4x<b> byte 1234 of hdfs://nn/in/a.csv", reject.text());
        assertTrue(page.select("#rejects b").isEmpty(), "the value is text, not markup");
        Element link = page.selectFirst("#containers a");
        assertEquals("http://node-a:8042/node/containerlogs/container_1_0001_01_000001/alice", link.attr("href"));
    }

    @Test
    void aFinishedJobStopsRefreshingAndShowsItsMessage() {
        JobStatus failed = new JobStatus("application_1_0001", JobState.FAILED, "<script>alert(1)</script> block 4 failed", null,
                running().blocks(), null);
        Document page = render(failed);
        assertFalse(page.select("meta[http-equiv=refresh]").iterator().hasNext());
        assertTrue(page.select("body script").isEmpty());
        assertEquals("<script>alert(1)</script> block 4 failed", page.selectFirst("#message").text());
        assertTrue(page.selectFirst("#state").hasClass("state-FAILED"));
    }

    @Test
    void aJobNotPlannedYetHasNoBlocks() {
        Document page = render(new JobStatus("application_1_0001", JobState.PLANNING, "", null, List.of(), null));
        assertTrue(page.select(".block-map").isEmpty());
        assertEquals("Not planned yet.", page.selectFirst("#blocks p").text());
    }

    @Test
    void throughputHistoryKeepsItsWholeSpanWhenFull() {
        ThroughputHistory history = new ThroughputHistory(4);
        for (int second = 0; second <= 4; second++) {
            history.record(second * 1000L, second * 100L);
        }
        history.record(4000, 999);
        assertEquals(List.of(new ThroughputHistory.Sample(0, 0), new ThroughputHistory.Sample(2000, 200),
                new ThroughputHistory.Sample(4000, 400)), history.samples());
        assertEquals(List.of(new ThroughputHistory.Rate(2000, 100.0), new ThroughputHistory.Rate(4000, 100.0)), history.rates());
    }

    @Test
    void throughputIsAveragedOverTheLastFiveIntervals() {
        ThroughputHistory history = new ThroughputHistory(100);
        long[] rows = {0, 0, 500, 500, 500, 1000, 1000};
        for (int second = 0; second < rows.length; second++) {
            history.record(second * 1000L, rows[second]);
        }
        List<Double> rates = history.rates().stream().map(ThroughputHistory.Rate::rowsPerSecond).toList();
        assertEquals(List.of(0.0, 250.0, 500.0 / 3, 125.0, 200.0, 200.0), rates);
    }

    private static String counter(Document page, String key) {
        return page.selectFirst("#counters td[data-counter=" + key + "]").text();
    }
}
