package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.commit.Manifest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The job's page for humans, as HTML: its state, a block map (one cell per block, colored by
 * state, with host and attempt in its title), rows/s over time as an inline SVG, the counters,
 * the first rejected records with their reasons and a link to every container's logs. While the
 * job runs, the page asks the browser to reload it every {@value #REFRESH_SECONDS} seconds.
 *
 * <p>Built with jsoup, which escapes every text and attribute; element ids and classes are
 * stable, for the tests and for anyone scraping the page: {@code #state}, {@code .block}
 * ({@code data-state}, {@code data-block}), {@code #counters td[data-counter]}, {@code #rejects},
 * {@code #containers}.
 */
final class TrackingPage {

    static final int REFRESH_SECONDS = 2;
    private static final int CHART_WIDTH = 480;
    private static final int CHART_HEIGHT = 120;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
            h1{font-size:1.4em;margin:0 0 .2em}h2{font-size:1.1em;margin:1.2em 0 .4em}
            .state{display:inline-block;padding:.1em .6em;border-radius:.3em;color:#fff;background:#777}
            .state-RUNNING,.state-COMMITTING,.state-PLANNING{background:#1f6fb2}.state-SUCCEEDED{background:#2e8540}
            .state-FAILED,.state-KILLED{background:#b71c1c}
            .block-map{display:flex;flex-wrap:wrap;gap:2px;max-width:720px}
            .block{width:14px;height:14px;border-radius:2px;background:#ccc}
            .block[data-state=RUNNING]{background:#1f6fb2}.block[data-state=SUCCEEDED]{background:#2e8540}
            .block[data-state=FAILED]{background:#b71c1c}
            .legend span{display:inline-block;width:10px;height:10px;margin:0 .3em 0 1em}
            table{border-collapse:collapse}td,th{padding:.15em .8em .15em 0;text-align:left;vertical-align:top}
            td.number{text-align:right;font-variant-numeric:tabular-nums}
            svg{background:#f6f8fa;border:1px solid #ddd}.muted{color:#777}
            """;

    private TrackingPage() {}

    /**
     * What one rendering shows.
     *
     * @param status the job's status
     * @param rates rows/s over time, oldest first
     * @param rejects the first rejected records
     * @param containers every container the job ran in
     * @param hostOfContainer the host of a container id, or null when unknown
     * @param renderedAt when the page was made
     */
    record View(JobStatus status, List<ThroughputHistory.Rate> rates, List<RejectSample.Reject> rejects,
            List<ContainerLogLinks.Link> containers, Function<String, String> hostOfContainer, Instant renderedAt) {
        View {
            requireNonNull(status, "status is null");
            rates = List.copyOf(rates);
            rejects = List.copyOf(rejects);
            containers = List.copyOf(containers);
            requireNonNull(hostOfContainer, "hostOfContainer is null");
            requireNonNull(renderedAt, "renderedAt is null");
        }
    }

    static String render(View view) {
        JobStatus status = view.status();
        Document page = Document.createShell("");
        page.outputSettings().prettyPrint(false);
        Element head = page.head();
        head.appendElement("meta").attr("charset", "utf-8");
        if (!status.state().isFinal()) {
            head.appendElement("meta").attr("http-equiv", "refresh").attr("content", Integer.toString(REFRESH_SECONDS));
        }
        head.appendElement("title").text("Spindle " + status.applicationId() + " " + status.state());
        head.appendElement("style").appendChild(new org.jsoup.nodes.DataNode(STYLE));

        Element body = page.body();
        body.appendElement("h1").text("Spindle " + status.applicationId());
        Element state = body.appendElement("p");
        state.appendElement("span").attr("id", "state").addClass("state").addClass("state-" + status.state()).text(status.state().name());
        state.appendText(" ");
        state.appendElement("span").addClass("muted").text(status.state().isFinal()
                ? "final state, as of " + TIME.format(view.renderedAt())
                : "as of " + TIME.format(view.renderedAt()) + "; refreshes every " + REFRESH_SECONDS + " s");
        if (status.message() != null && !status.message().isBlank()) {
            body.appendElement("p").attr("id", "message").text(status.message());
        }

        blockMap(body, view);
        throughput(body, view.rates());
        counters(body, status);
        rejects(body, view.rejects(), counters(status).rowsRejected());
        containers(body, view.containers());
        return "<!DOCTYPE html>" + page.outerHtml();
    }

    private static void blockMap(Element body, View view) {
        JobStatus status = view.status();
        Element section = body.appendElement("section").attr("id", "blocks");
        section.appendElement("h2").text("Blocks: %d done of %d".formatted(status.blocksDone(), status.blocks().size()));
        if (status.blocks().isEmpty()) {
            section.appendElement("p").addClass("muted").text("Not planned yet.");
            return;
        }
        Element map = section.appendElement("div").addClass("block-map");
        for (BlockStatus block : status.blocks()) {
            String host = block.result() != null ? block.result().host()
                    : block.worker() != null ? view.hostOfContainer().apply(block.worker()) : null;
            int attempt = block.result() != null ? block.result().attempt() : block.attempts();
            StringBuilder title = new StringBuilder("block ").append(block.block()).append(": ").append(block.state());
            title.append(", attempt ").append(attempt);
            if (host != null) {
                title.append(", host ").append(host);
            }
            if (block.worker() != null) {
                title.append(", container ").append(block.worker());
            }
            title.append(", ").append(block.plannedBytes()).append(" bytes");
            if (block.result() != null) {
                title.append(", ").append(block.result().outcome().rowsRead()).append(" rows read");
            }
            if (block.lastError() != null) {
                title.append("; last error: ").append(block.lastError());
            }
            map.appendElement("span").addClass("block").attr("data-block", Integer.toString(block.block()))
                    .attr("data-state", block.state().name()).attr("title", title.toString());
        }
        Element legend = section.appendElement("p").addClass("legend").addClass("muted");
        for (BlockStatus.State shown : BlockStatus.State.values()) {
            legend.appendElement("span").addClass("block").attr("data-state", shown.name());
            legend.appendText(shown.name().toLowerCase(Locale.ROOT));
        }
    }

    private static void throughput(Element body, List<ThroughputHistory.Rate> rates) {
        Element section = body.appendElement("section").attr("id", "throughput");
        section.appendElement("h2").text("Rows read per second");
        if (rates.isEmpty()) {
            section.appendElement("p").addClass("muted").text("No samples yet.");
            return;
        }
        double peak = 0;
        for (ThroughputHistory.Rate rate : rates) {
            peak = Math.max(peak, rate.rowsPerSecond());
        }
        double max = Math.max(1, peak);
        long first = rates.get(0).millis();
        long span = Math.max(1, rates.get(rates.size() - 1).millis() - first);
        StringBuilder points = new StringBuilder();
        for (ThroughputHistory.Rate rate : rates) {
            double x = rates.size() == 1 ? CHART_WIDTH : (rate.millis() - first) * (double) CHART_WIDTH / span;
            double y = CHART_HEIGHT - rate.rowsPerSecond() * (CHART_HEIGHT - 4) / max;
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        Element svg = section.appendElement("svg").attr("width", Integer.toString(CHART_WIDTH))
                .attr("height", Integer.toString(CHART_HEIGHT)).attr("viewBox", "0 0 " + CHART_WIDTH + " " + CHART_HEIGHT)
                .attr("role", "img").attr("aria-label", "rows read per second over time");
        svg.appendElement("polyline").attr("points", points.toString().strip()).attr("fill", "none")
                .attr("stroke", "#1f6fb2").attr("stroke-width", "2");
        section.appendElement("p").addClass("muted").text("peak %,.0f rows/s; last %,.0f rows/s; over %d s (rows count when a block is done; averaged over the last 5 samples)"
                .formatted(peak, rates.get(rates.size() - 1).rowsPerSecond(), span / 1000));
    }

    private static void counters(Element body, JobStatus status) {
        Manifest.Counters counters = counters(status);
        Element section = body.appendElement("section").attr("id", "counters");
        section.appendElement("h2").text(status.manifest() != null ? "Counters (from the manifest)" : "Counters (blocks done so far)");
        Element table = section.appendElement("table");
        row(table, "rowsRead", "rows read", counters.rowsRead());
        row(table, "rowsWritten", "rows written", counters.rowsWritten());
        row(table, "rowsFiltered", "rows filtered out", counters.rowsFiltered());
        row(table, "rowsRejected", "rows rejected", counters.rowsRejected());
        row(table, "bytesRead", "bytes read", counters.bytesRead());
        row(table, "blocks", "blocks", counters.blocks());
        row(table, "blocksRerun", "blocks re-run", counters.blocksRerun());
        row(table, "attempts", "attempts", counters.attempts());
    }

    private static void row(Element table, String key, String label, long value) {
        Element row = table.appendElement("tr");
        row.appendElement("th").text(label);
        row.appendElement("td").addClass("number").attr("data-counter", key).text(String.format(Locale.ROOT, "%,d", value));
    }

    /** The manifest's counters once committed, else the sums over the blocks done. */
    static Manifest.Counters counters(JobStatus status) {
        if (status.manifest() != null) {
            return status.manifest().counters();
        }
        long read = 0;
        long written = 0;
        long filtered = 0;
        long rejected = 0;
        long bytes = 0;
        int rerun = 0;
        int attempts = 0;
        for (BlockStatus block : status.blocks()) {
            attempts += block.attempts();
            BlockResult result = block.result();
            if (result != null) {
                read += result.outcome().rowsRead();
                written += result.outcome().rowsWritten();
                filtered += result.outcome().rowsFiltered();
                rejected += result.outcome().rowsRejected();
                bytes += result.outcome().bytesRead();
                rerun += result.rerun() ? 1 : 0;
            }
        }
        return new Manifest.Counters(read, written, filtered, rejected, bytes, status.blocks().size(), rerun, attempts);
    }

    private static void rejects(Element body, List<RejectSample.Reject> rejects, long total) {
        Element section = body.appendElement("section").attr("id", "rejects");
        section.appendElement("h2").text(rejects.isEmpty() ? "Rejected records" : "First rejected records (%d of %,d)".formatted(rejects.size(), total));
        if (rejects.isEmpty()) {
            section.appendElement("p").addClass("muted").text(total == 0 ? "None." : total + " rejected; not readable here yet.");
            return;
        }
        Element table = section.appendElement("table");
        Element header = table.appendElement("tr");
        for (String name : List.of("reason", "column", "value (or record)", "where")) {
            header.appendElement("th").text(name);
        }
        for (RejectSample.Reject reject : rejects) {
            Element row = table.appendElement("tr").addClass("reject");
            row.appendElement("td").text(reject.reason());
            row.appendElement("td").text(reject.column());
            row.appendElement("td").appendElement("code").text(shorten(reject.value(), 60));
            row.appendElement("td").text("byte " + reject.byteOffset() + " of " + reject.file());
        }
    }

    private static void containers(Element body, List<ContainerLogLinks.Link> containers) {
        Element section = body.appendElement("section").attr("id", "containers");
        section.appendElement("h2").text("Containers and their logs");
        Element table = section.appendElement("table");
        for (ContainerLogLinks.Link link : containers) {
            Element row = table.appendElement("tr");
            row.appendElement("td").text(link.role());
            row.appendElement("td").appendElement("code").text(link.containerId());
            row.appendElement("td").text(link.host());
            row.appendElement("td").appendElement("a").attr("href", link.logUrl()).text("logs");
        }
    }

    private static String shorten(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }
}
