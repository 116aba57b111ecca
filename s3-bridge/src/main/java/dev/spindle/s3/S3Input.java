package dev.spindle.s3;

import dev.spindle.io.store.SeekableInput;
import dev.spindle.io.store.StoreErrors;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Positional reads of one object by ranged GETs that keep the link busy.
 *
 * <p>Reads are served from a window of consecutive <em>segments</em>: byte ranges of the part
 * size, each fetched by one ranged GET on the store's reader threads. A read outside the window
 * starts a new window at its position with one segment (a header read or a look at one byte
 * before a block costs one GET, no read-ahead). Once reading goes on sequentially (a read a
 * quarter into the first segment, or in a later one), the window is topped up to
 * {@code concurrency} segments, so that many GETs are in flight while the caller consumes the
 * first. Segments behind the read position are dropped. At most concurrency x part size bytes
 * are held; segments dropped unread are aborted mid-transfer.
 *
 * <p>Each GET is pinned to the ETag seen at open ({@code If-Match}), so an object replaced while
 * read fails ({@code PreconditionFailed}) instead of mixing two versions. A GET that fails with
 * throttling, a 5xx or a connection error, or whose body ends early, is retried with backoff from
 * the byte reached; every segment checks it got exactly the bytes of its range. Not thread-safe,
 * like every {@link SeekableInput}.
 */
final class S3Input implements SeekableInput {

    private final S3Client client;
    private final Retrier retrier;
    private final ExecutorService executor;
    private final S3Location location;
    private final long length;
    private final String eTag;
    private final int partSize;
    private final int concurrency;
    private final ArrayDeque<Segment> window = new ArrayDeque<>();
    private boolean readAhead;
    private boolean closed;

    S3Input(S3Client client, Retrier retrier, ExecutorService executor, S3Location location, long length, String eTag,
            int partSize, int concurrency) {
        this.client = client;
        this.retrier = retrier;
        this.executor = executor;
        this.location = location;
        this.length = length;
        this.eTag = eTag;
        this.partSize = partSize;
        this.concurrency = concurrency;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public String location() {
        return location.toString();
    }

    @Override
    public int read(long position, byte[] buffer, int offset, int count) throws IOException {
        checkRead(position, buffer, offset, count);
        if (count == 0) {
            return 0;
        }
        if (position >= length) {
            return -1;
        }
        Segment segment = segmentAt(position);
        byte[] data = await(segment);
        int from = (int) (position - segment.start);
        int copied = Math.min(count, data.length - from);
        System.arraycopy(data, from, buffer, offset, copied);
        return copied;
    }

    @Override
    public void readFully(long position, byte[] buffer, int offset, int count) throws IOException {
        checkRead(position, buffer, offset, count);
        if (position + count > length) {
            throw StoreErrors.endOfFile(position, count, length, location.toString());
        }
        int done = 0;
        while (done < count) {
            done += read(position + done, buffer, offset + done, count - done);
        }
    }

    /** Segments currently held (fetched or in flight); for tests of the memory bound. */
    int segmentsHeld() {
        return window.size();
    }

    @Override
    public void close() {
        closed = true;
        dropAll();
    }

    private Segment segmentAt(long position) {
        Segment hit = null;
        for (Segment segment : window) {
            if (segment.contains(position)) {
                hit = segment;
                break;
            }
        }
        if (hit == null) {
            dropAll();
            readAhead = false;
            hit = fetch(position);
        } else {
            for (Iterator<Segment> it = window.iterator(); it.hasNext();) {
                Segment segment = it.next();
                if (segment == hit) {
                    break;
                }
                segment.cancel();
                it.remove();
            }
            readAhead |= hit.index > 0 || position - hit.start >= hit.size / 4;
        }
        if (readAhead) {
            while (window.size() < concurrency && window.peekLast().end() < length) {
                fetch(window.peekLast().end());
            }
        }
        return hit;
    }

    private Segment fetch(long start) {
        int size = (int) Math.min(partSize, length - start);
        int index = window.isEmpty() ? 0 : window.peekLast().index + 1;
        Fetch fetch = new Fetch(start, size);
        Segment segment = new Segment(index, start, size, fetch, executor.submit(fetch));
        window.addLast(segment);
        return segment;
    }

    private byte[] await(Segment segment) throws IOException {
        try {
            return segment.future.get();
        } catch (ExecutionException e) {
            dropAll();
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("Cannot read bytes %s-%s: %s: %s".formatted(segment.start, segment.end() - 1,
                    e.getCause(), location), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dropAll();
            throw new InterruptedIOException("Interrupted reading bytes %s-%s: %s"
                    .formatted(segment.start, segment.end() - 1, location));
        } catch (CancellationException e) {
            throw new IOException("Read of bytes %s-%s was cancelled: %s".formatted(segment.start, segment.end() - 1, location), e);
        }
    }

    private void dropAll() {
        for (Segment segment : window) {
            segment.cancel();
        }
        window.clear();
    }

    private void checkRead(long position, byte[] buffer, int offset, int count) throws IOException {
        if (closed) {
            throw new IOException("Input is closed: " + location);
        }
        Objects.checkFromIndexSize(offset, count, buffer.length);
        if (position < 0) {
            throw StoreErrors.negativePosition(position, location.toString());
        }
    }

    private record Segment(int index, long start, int size, Fetch fetch, Future<byte[]> future) {
        boolean contains(long position) {
            return position >= start && position < end();
        }

        long end() {
            return start + size;
        }

        void cancel() {
            fetch.cancel();
            future.cancel(true);
        }
    }

    /** One segment's GET, resumed from the byte reached after a transient failure. */
    private final class Fetch implements Callable<byte[]> {
        private final long start;
        private final int size;
        private volatile boolean cancelled;
        private volatile ResponseInputStream<GetObjectResponse> current;

        Fetch(long start, int size) {
            this.start = start;
            this.size = size;
        }

        void cancel() {
            cancelled = true;
            ResponseInputStream<GetObjectResponse> in = current;
            if (in != null) {
                in.abort();
            }
        }

        @Override
        public byte[] call() throws IOException {
            byte[] data = new byte[size];
            int got = 0;
            int failures = 0;
            while (got < size) {
                if (cancelled) {
                    throw new CancellationException();
                }
                long from = start + got;
                long to = start + size - 1;
                int gotBefore = got;
                try (ResponseInputStream<GetObjectResponse> in = client.getObject(b -> b.bucket(location.bucket())
                        .key(location.key()).range("bytes=" + from + "-" + to).ifMatch(eTag))) {
                    current = in;
                    Long served = in.response().contentLength();
                    if (served != null && served != to - from + 1) {
                        throw new IOException("S3 served %s bytes for the range %s-%s of %s bytes"
                                .formatted(served, from, to, to - from + 1));
                    }
                    for (int n; got < size && (n = in.read(data, got, size - got)) > 0;) {
                        got += n;
                    }
                    if (got < size) {
                        throw new IOException("S3 response body ended after %s of %s bytes".formatted(got - gotBefore, to - from + 1));
                    }
                    // read to the end of the body: the connection goes back to the pool, and a
                    // body longer than the range is an error, not silently cut
                    if (in.read() != -1) {
                        throw new IOException("S3 response body is longer than the range %s-%s".formatted(from, to));
                    }
                } catch (IOException | SdkException e) {
                    if (cancelled) {
                        throw new CancellationException();
                    }
                    String what = "read bytes %s-%s (failed at byte %s)".formatted(start, start + size - 1, start + got);
                    if (S3Errors.isStatus(e, 412)) {
                        throw new Retrier.NotTransientIOException(("Object changed while it was read (ETag %s at open): "
                                + "S3 error %s reading bytes %s-%s, bucket %s, key %s: %s")
                                .formatted(eTag, S3Errors.code(e), start, start + size - 1, location.bucket(), location.key(), location));
                    }
                    failures = got > gotBefore ? 1 : failures + 1;
                    if (!Retrier.isTransient(e) || failures >= retrier.attempts()) {
                        throw S3Errors.translate(what, location, e, failures);
                    }
                    retrier.backoff(failures);
                } finally {
                    current = null;
                }
            }
            return data;
        }
    }
}
