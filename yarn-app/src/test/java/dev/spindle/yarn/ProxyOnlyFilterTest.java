package dev.spindle.yarn;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * AmIpFilter's rule on a real JDK HTTP server on loopback: clients connect from 127.0.0.1 or
 * 127.0.0.2 (both loopback on Linux), and the "proxy" is one of them.
 */
class ProxyOnlyFilterTest {

    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void serve(ProxyOnlyFilter filter) {
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = "the page".getBytes(UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        }).getFilters().add(filter);
    }

    @Test
    void servesTheProxyAndRedirectsEveryoneElseToTheProxy() throws Exception {
        serve(new ProxyOnlyFilter(List.of("127.0.0.1:8088"), "http://", "application_1_0001", System::currentTimeMillis));

        String fromProxy = get("127.0.0.1", "/");
        assertTrue(fromProxy.startsWith("HTTP/1.1 200"), fromProxy);
        assertTrue(fromProxy.endsWith("the page"), fromProxy);

        String direct = get("127.0.0.2", "/index.html?x=1");
        assertTrue(direct.startsWith("HTTP/1.1 302"), direct);
        assertTrue(direct.contains("Location: http://127.0.0.1:8088/proxy/application_1_0001/index.html?x=1"), direct);
    }

    @Test
    void resolvesProxyHostNamesAndStillServesAfterResolvingAgain() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000);
        ProxyOnlyFilter filter = new ProxyOnlyFilter(List.of("localhost:8088", "127.0.0.9:8088"), "https://", "application_1_0002", now::get);
        serve(filter);
        assertEquals("https://localhost:8088/proxy/application_1_0002", filter.proxyBase().toString());
        assertTrue(get("127.0.0.1", "/").startsWith("HTTP/1.1 200"), "localhost resolves to 127.0.0.1");
        assertTrue(get("127.0.0.2", "/").startsWith("HTTP/1.1 302"));
        now.addAndGet(ProxyOnlyFilter.RESOLVE_INTERVAL_MILLIS);
        assertTrue(get("127.0.0.1", "/").startsWith("HTTP/1.1 200"));
    }

    @Test
    void needsAProxy() {
        IllegalArgumentException error = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ProxyOnlyFilter(List.of(), "http://", "application_1_0003", System::currentTimeMillis));
        assertEquals("No web proxy address for application application_1_0003", error.getMessage());
    }

    /** One HTTP/1.1 request from a chosen local address; returns the whole response. */
    private String get(String fromAddress, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(fromAddress, 0));
            socket.connect(server.getAddress(), 5_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: am\r\nConnection: close\r\n\r\n").getBytes(UTF_8));
            out.flush();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            in.transferTo(response);
            return response.toString(UTF_8);
        }
    }
}
