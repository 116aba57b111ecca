package dev.spindle.s3;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * Breaks the real responses of a real server to GetObject, one queued fault per response, as a
 * faulty network or an overloaded S3 would: 503 SlowDown, 500 InternalError, a connection reset
 * mid-body, a body that ends early without an error.
 */
final class FaultInjector implements ExecutionInterceptor {

    enum Fault {
        SLOW_DOWN, INTERNAL_ERROR, RESET_MID_BODY, TRUNCATED_BODY
    }

    private static final ExecutionAttribute<Fault> FAULT = new ExecutionAttribute<>("spindle.test.fault");
    private static final ExecutionAttribute<Gate> GATE = new ExecutionAttribute<>("spindle.test.gate");

    private final ConcurrentLinkedQueue<Fault> queue = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Gate> gates = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> ranges = new ConcurrentLinkedQueue<>();
    private volatile Fault always;
    private final AtomicInteger injected = new AtomicInteger();

    void queue(Fault... faults) {
        queue.addAll(java.util.List.of(faults));
    }

    /** Every GetObject response fails with this fault (null: none). */
    void always(Fault fault) {
        always = fault;
    }

    int injected() {
        return injected.get();
    }

    boolean drained() {
        return queue.isEmpty() && gates.isEmpty();
    }

    /**
     * Holds the body of the next GetObject response after {@code bytes} bytes until the gate is
     * released; then the body goes on, or (with {@code reset}) fails with a connection reset.
     */
    Gate hold(long bytes, boolean reset) {
        Gate gate = new Gate(bytes, reset);
        gates.add(gate);
        return gate;
    }

    /** The Range header of every GetObject request so far, in order. */
    List<String> ranges() {
        return List.copyOf(ranges);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof GetObjectRequest get) {
            ranges.add(String.valueOf(get.range()));
        }
    }

    /** A body held after some bytes (see {@link #hold}). */
    static final class Gate {
        private final long bytes;
        private final boolean reset;
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        private Gate(long bytes, boolean reset) {
            this.bytes = bytes;
            this.reset = reset;
        }

        /** Waits until the body passed its bytes and is held. */
        void awaitReached() throws InterruptedException {
            if (!reached.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the held body never reached byte " + bytes);
            }
        }

        boolean isReached() {
            return reached.getCount() == 0;
        }

        void release() {
            released.countDown();
        }
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        if (!(context.request() instanceof GetObjectRequest) || !context.httpResponse().isSuccessful()) {
            return context.httpResponse();
        }
        Gate gate = gates.poll();
        if (gate != null) {
            attributes.putAttribute(GATE, gate);
            return context.httpResponse();
        }
        Fault fault = always != null ? always : queue.poll();
        if (fault == null) {
            return context.httpResponse();
        }
        injected.incrementAndGet();
        attributes.putAttribute(FAULT, fault);
        return switch (fault) {
            case SLOW_DOWN -> context.httpResponse().toBuilder().statusCode(503).statusText("Slow Down")
                    .removeHeader("Content-Length").removeHeader("Content-Range").build();
            case INTERNAL_ERROR -> context.httpResponse().toBuilder().statusCode(500).statusText("Internal Server Error")
                    .removeHeader("Content-Length").removeHeader("Content-Range").build();
            default -> context.httpResponse();
        };
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        Gate gate = attributes.getAttribute(GATE);
        if (gate != null && context.responseBody().isPresent()) {
            return Optional.of(new HeldStream(context.responseBody().get(), gate));
        }
        Fault fault = attributes.getAttribute(FAULT);
        Optional<InputStream> body = context.responseBody();
        if (fault == null || body.isEmpty()) {
            return body;
        }
        return switch (fault) {
            case SLOW_DOWN -> Optional.of(error("SlowDown", "Please reduce your request rate."));
            case INTERNAL_ERROR -> Optional.of(error("InternalError", "We encountered an internal error. Please try again."));
            case RESET_MID_BODY -> Optional.of(new CutStream(body.get(), 1000, true));
            case TRUNCATED_BODY -> Optional.of(new CutStream(body.get(), 777, false));
        };
    }

    private static InputStream error(String code, String message) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>%s</Code><Message>%s</Message></Error>"
                .formatted(code, message);
        return new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8));
    }

    /** Passes a gate's bytes, then waits for its release. */
    private static final class HeldStream extends FilterInputStream {
        private final Gate gate;
        private long passed;

        HeldStream(InputStream in, Gate gate) {
            super(in);
            this.gate = gate;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (passed >= gate.bytes) {
                gate.reached.countDown();
                try {
                    gate.released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while held");
                }
                if (gate.reset) {
                    throw new SocketException("Connection reset");
                }
                return super.read(buffer, offset, length);
            }
            int n = super.read(buffer, offset, (int) Math.min(length, gate.bytes - passed));
            if (n > 0) {
                passed += n;
            }
            return n;
        }
    }

    /** Passes {@code limit} bytes, then throws a connection reset or reports end of stream. */
    private static final class CutStream extends FilterInputStream {
        private long left;
        private final boolean reset;

        CutStream(InputStream in, long limit, boolean reset) {
            super(in);
            this.left = limit;
            this.reset = reset;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                if (reset) {
                    throw new SocketException("Connection reset");
                }
                return -1;
            }
            int n = super.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
