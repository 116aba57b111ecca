package dev.spindle.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShapedLinkTest {

    @Test
    void relaysEveryByteBothWaysAndNoFasterThanItsRatePastTheBurst() throws Exception {
        byte[] answer = new byte[2_000_000];
        new Random(7).nextBytes(answer);
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                try (Socket socket = server.accept()) {
                    byte[] request = socket.getInputStream().readNBytes(5);
                    socket.getOutputStream().write(request);
                    socket.getOutputStream().write(answer);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            echo.start();
            long rate = 10_000_000;
            try (ShapedLink link = ShapedLink.start(URI.create("http://127.0.0.1:" + server.getLocalPort()), rate)) {
                long started = System.nanoTime();
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                try (Socket client = new Socket("127.0.0.1", link.endpoint().getPort())) {
                    OutputStream out = client.getOutputStream();
                    out.write("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    out.flush();
                    InputStream in = client.getInputStream();
                    in.transferTo(received);
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                byte[] expected = new byte[5 + answer.length];
                System.arraycopy("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, expected, 0, 5);
                System.arraycopy(answer, 0, expected, 5, answer.length);
                assertArrayEquals(expected, received.toByteArray());
                double floor = (double) (expected.length - ShapedLink.BURST_BYTES) / rate;
                assertTrue(seconds >= floor, "2 MB at 10 MB/s past a 256 KiB burst took " + seconds + " s, under " + floor);
            }
            echo.join();
        }
    }
}
