package dev.spindle.s3;

import dev.spindle.io.store.SeekableInput;
import dev.spindle.io.store.StoreErrors;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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
 * <p>A segment's bytes are readable as they arrive: a read waits only for the bytes it asks for
 * (at most {@value #WAIT_CHUNK} bytes at a time), not for the whole part, so the caller's copy
 * overlaps the transfer of the rest of the segment. Part buffers are reused from segment to
 * segment and from input to input ({@link BufferPool}): allocating and zeroing a fresh part per
 * GET costs as much CPU as a fast link's transfer.
 *
 * <p>Each GET is pinned to the ETag seen at open ({@code If-Match}), so an object replaced while
 * read fails ({@code PreconditionFailed}) instead of mixing two versions. A GET that fails with
 * throttling, a 5xx or a connection error, or whose body ends early, is retried with backoff from
 * the byte reached; the bytes already received stay readable. Every response must serve exactly
 * its range (Content-Length, Content-Range) and its body must end exactly at the range's end; a
 * segment's last byte is readable only once that is checked. Not thread-safe, like every
 * {@link SeekableInput}.
 */
final class S3Input implements SeekableInput {

    /** The most bytes a read waits for before it copies what has arrived. */
    static final int WAIT_CHUNK = 1 << 20;
    /** Parts smaller than this are not pooled. */
    static final int POOLED_MIN = 1 << 20;
    /** The free part buffers kept for the next inputs of this JVM. */
    static final BufferPool BUFFERS = new BufferPool(128L << 20);

    private final S3Client client;
    private final Retrier retrier;
    private final ExecutorService executor;
    private final S3Location location;
    private final long length;
    private final String eTag;
    private final int partSize;
    private final int concurrency;
    private final ArrayDeque<Segment> window = new ArrayDeque<>();
    private final int bufferSize;
    private final boolean pooled;
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
        // an object smaller than a part gets buffers of its own size, not pooled
        this.bufferSize = (int) Math.max(1, Math.min(partSize, length));
        this.pooled = bufferSize == partSize && partSize >= POOLED_MIN;
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
        int from = (int) (position - segment.start);
        int wanted = Math.min(count, Math.min(segment.size - from, WAIT_CHUNK));
        int filled = await(segment, from + wanted);
        int copied = Math.min(count, filled - from);
        System.arraycopy(segment.data, from, buffer, offset, copied);
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

    /** GETs of this input's window still running; for tests of the read-ahead. */
    int fetchesRunning() {
        int running = 0;
        for (Segment segment : window) {
            running += segment.finished ? 0 : 1;
        }
        return running;
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
                segment.drop();
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
        Segment segment = new Segment(index, start, size, pooled ? BUFFERS.take(bufferSize) : new byte[bufferSize]);
        window.addLast(segment);
        segment.future = executor.submit(segment);
        return segment;
    }

    /** Waits until the segment holds {@code needed} bytes; returns how many it holds. */
    private int await(Segment segment, int needed) throws IOException {
        int filled;
        try {
            filled = segment.await(needed);
        } catch (InterruptedIOException e) {
            dropAll();
            throw new InterruptedIOException("Interrupted reading bytes %s-%s: %s"
                    .formatted(segment.start, segment.end() - 1, location));
        }
        if (filled >= needed) {
            return filled;
        }
        Throwable failure = segment.failure;
        dropAll();
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof CancellationException) {
            throw new IOException("Read of bytes %s-%s was cancelled: %s".formatted(segment.start, segment.end() - 1, location),
                    failure);
        }
        throw new IOException("Cannot read bytes %s-%s: %s: %s".formatted(segment.start, segment.end() - 1, failure, location),
                failure);
    }

    private void dropAll() {
        for (Segment segment : window) {
            segment.drop();
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

    /**
     * Part buffers shared by every input in the JVM: an input takes the buffers that the previous
     * block's input gave back instead of allocating (and zeroing) its own, so that reading an
     * object costs no allocation per GET or per block. A buffer is given back only once neither
     * the window nor its GET uses it; one whose GET is still winding down after an abort is
     * replaced by a new one, and goes back when the GET ends. At most {@code keepBytes} free
     * bytes are kept, the oldest dropped first, as soft references: the collector may take
     * them back under memory pressure.
     */
    static final class BufferPool {
        private final long keepBytes;
        /** Free buffers, the most recently given first (the likeliest still in a cache). */
        private final ArrayDeque<SoftReference<byte[]>> free = new ArrayDeque<>();
        private long freeBytes;
        private long allocations;

        BufferPool(long keepBytes) {
            this.keepBytes = keepBytes;
        }

        synchronized byte[] take(int size) {
            for (Iterator<SoftReference<byte[]>> it = free.iterator(); it.hasNext();) {
                SoftReference<byte[]> kept = it.next();
                byte[] buffer = kept.get();
                if (buffer == null || buffer.length == size) {
                    it.remove();
                    freeBytes -= buffer == null ? sizeOf(kept) : size;
                    if (buffer != null) {
                        return buffer;
                    }
                }
            }
            allocations++;
            return new byte[size];
        }

        synchronized void give(byte[] buffer) {
            free.addFirst(new SizedReference(buffer));
            freeBytes += buffer.length;
            // the oldest go first (of another bucket's part size, say)
            while (freeBytes > keepBytes) {
                freeBytes -= sizeOf(free.pollLast());
            }
        }

        /** Buffers allocated so far, for tests of their reuse. */
        synchronized long allocations() {
            return allocations;
        }

        private static int sizeOf(SoftReference<byte[]> reference) {
            return ((SizedReference) reference).size;
        }

        /** A soft reference that still knows its buffer's size once cleared. */
        private static final class SizedReference extends SoftReference<byte[]> {
            final int size;

            SizedReference(byte[] buffer) {
                super(buffer);
                this.size = buffer.length;
            }
        }
    }

    /**
     * One segment: its buffer, the bytes of it that arrived ({@link #filled}, published by the
     * GET), and the GET itself, resumed from the byte reached after a transient failure.
     */
    private final class Segment implements Runnable {
        final int index;
        final long start;
        final int size;
        final byte[] data;
        /** Bytes of the range received so far (the last one once the body's end is checked); written by the GET only. */
        volatile int filled;
        /** Set once the GET ended, with {@link #failure} null when every byte arrived. */
        volatile boolean finished;
        volatile Throwable failure;
        /** The reader waiting for {@link #wanted} bytes, if any. */
        private volatile Thread waiter;
        private volatile int wanted;
        private volatile boolean cancelled;
        private volatile ResponseInputStream<GetObjectResponse> current;
        /** The window and the GET: the buffer goes back when both let go of it. */
        private final AtomicInteger users = new AtomicInteger(2);
        Future<?> future;

        Segment(int index, long start, int size, byte[] data) {
            this.index = index;
            this.start = start;
            this.size = size;
            this.data = data;
        }

        boolean contains(long position) {
            return position >= start && position < end();
        }

        long end() {
            return start + size;
        }

        /** Waits until {@code needed} bytes arrived or the GET ended; returns the bytes held. */
        int await(int needed) throws InterruptedIOException {
            int have = filled;
            if (have >= needed) {
                return have;
            }
            wanted = needed;
            waiter = Thread.currentThread();
            try {
                while ((have = filled) < needed && !finished) {
                    LockSupport.park(this);
                    if (Thread.interrupted()) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException();
                    }
                }
                return filled;
            } finally {
                waiter = null;
            }
        }

        /** The window lets go: an unfinished GET is aborted. */
        void drop() {
            if (!finished) {
                cancelled = true;
                ResponseInputStream<GetObjectResponse> in = current;
                if (in != null) {
                    in.abort();
                }
                future.cancel(true);
            }
            release();
        }

        private void release() {
            if (users.decrementAndGet() == 0 && pooled) {
                BUFFERS.give(data);
            }
        }

        private void publish(int got) {
            filled = got;
            Thread reader = waiter;
            if (reader != null && got >= wanted) {
                LockSupport.unpark(reader);
            }
        }

        @Override
        public void run() {
            Throwable error = null;
            try {
                fetch();
            } catch (Throwable e) {
                error = e;
            }
            // this GET writes no more into the buffer: it may go back before the reader moves on
            release();
            if (error == null) {
                filled = size;
            }
            failure = error;
            finished = true;
            Thread reader = waiter;
            if (reader != null) {
                LockSupport.unpark(reader);
            }
        }

        private void fetch() throws IOException {
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
                    if (cancelled) {
                        in.abort();
                        throw new CancellationException();
                    }
                    checkServed(in.response(), from, to);
                    // the last byte is published only once the body is known to end there
                    for (int n; got < size && (n = in.read(data, got, size - got)) > 0;) {
                        got += n;
                        if (got < size) {
                            publish(got);
                        }
                    }
                    if (got < size) {
                        throw new IOException("S3 response body ended after %s of %s bytes".formatted(got - gotBefore, to - from + 1));
                    }
                    // read to the end of the body: the connection goes back to the pool, and a
                    // body longer than the range is an error, not silently cut
                    if (in.read() != -1) {
                        // not published: fetched again, with the body's end checked again
                        got = size - 1;
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
        }

        /** The response must serve exactly the range asked for, or its bytes would land at the wrong offset. */
        private void checkServed(GetObjectResponse response, long from, long to) throws IOException {
            Long served = response.contentLength();
            if (served != null && served != to - from + 1) {
                throw new IOException("S3 served %s bytes for the range %s-%s of %s bytes"
                        .formatted(served, from, to, to - from + 1));
            }
            String range = response.contentRange();
            if (range != null && !range.startsWith("bytes " + from + "-" + to + "/")) {
                throw new IOException("S3 served the range '%s' for the range %s-%s".formatted(range, from, to));
            }
        }
    }
}
