package dev.spindle.s3;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
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

    private final ConcurrentLinkedQueue<Fault> queue = new ConcurrentLinkedQueue<>();
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
        return queue.isEmpty();
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        if (!(context.request() instanceof GetObjectRequest) || !context.httpResponse().isSuccessful()) {
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
