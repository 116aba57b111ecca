package dev.spindle.s3;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Writes one object, or, for a magic part file ({@link MagicPaths}), one multipart upload to the
 * part's final key that close leaves incomplete, recorded in its {@link PendingUpload} object.
 *
 * <p>Plain objects: Bytes are buffered one part at a time: an object that fits one part is a
 * single PUT on {@link #close()}; a larger one becomes a multipart upload whose parts are sent as
 * they fill and which is completed on {@link #close()}. Nothing is visible under the key before
 * close. A failure poisons the stream and aborts the upload, so no part stays billed and nothing
 * appears. Not thread-safe.
 */
final class S3Output extends OutputStream {

    private final S3Client client;
    private final Retrier retrier;
    private final S3Location location;
    private final byte[] buffer;
    private int filled;
    private String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();
    private boolean closed;
    private IOException failure;
    /** For a magic part: where the upload goes, and where its pending record is kept. */
    private final S3Location target;
    private final S3Location pending;
    private long bytes;

    S3Output(S3Client client, Retrier retrier, S3Location location, int partSize) {
        this(client, retrier, location, partSize, location, null);
    }

    private S3Output(S3Client client, Retrier retrier, S3Location location, int partSize, S3Location target, S3Location pending) {
        this.client = client;
        this.retrier = retrier;
        this.location = location;
        this.buffer = new byte[partSize];
        this.target = target;
        this.pending = pending;
    }

    /**
     * A magic part file at {@code location}: starts the multipart upload to {@code finalKey} and
     * records it as pending at once, so an abort finds it even if this writer dies.
     */
    static S3Output magic(S3Client client, Retrier retrier, S3Location location, int partSize, String finalKey) throws IOException {
        S3Location target = location.withKey(finalKey);
        S3Location pending = location.withKey(MagicPaths.pendingKey(location.key()));
        S3Output output = new S3Output(client, retrier, location, partSize, target, pending);
        try {
            output.uploadId = retrier.call(() -> client.createMultipartUpload(b -> b.bucket(target.bucket()).key(target.key()))).uploadId();
            output.writePending(false);
        } catch (IOException | RuntimeException e) {
            throw output.fail("start the upload of a part to %s".formatted(target), e);
        }
        return output;
    }

    @Override
    public void write(int b) throws IOException {
        checkOpen();
        if (filled == buffer.length) {
            uploadPart();
        }
        buffer[filled++] = (byte) b;
        bytes++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        checkOpen();
        while (length > 0) {
            if (filled == buffer.length) {
                uploadPart();
            }
            int count = Math.min(length, buffer.length - filled);
            System.arraycopy(bytes, offset, buffer, filled, count);
            filled += count;
            this.bytes += count;
            offset += count;
            length -= count;
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (failure != null) {
            throw failure;
        }
        try {
            if (pending != null) {
                if (filled > 0 || parts.isEmpty()) {
                    uploadPart();
                }
                writePending(true);
                return;
            }
            if (uploadId == null) {
                byte[] content = Arrays.copyOf(buffer, filled);
                retrier.call(() -> client.putObject(b -> b.bucket(location.bucket()).key(location.key()),
                        RequestBody.fromBytes(content)));
                return;
            }
            if (filled > 0) {
                uploadPart();
            }
            retrier.call(() -> client.completeMultipartUpload(b -> b.bucket(target.bucket()).key(target.key())
                    .uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
        } catch (IOException | RuntimeException e) {
            if (failure != null) {
                throw failure;
            }
            throw fail("write an object (%s parts sent)".formatted(parts.size()), e);
        }
    }

    private void uploadPart() throws IOException {
        try {
            if (uploadId == null) {
                uploadId = retrier.call(() -> client.createMultipartUpload(b -> b.bucket(target.bucket())
                        .key(target.key()))).uploadId();
            }
            int partNumber = parts.size() + 1;
            byte[] content = Arrays.copyOf(buffer, filled);
            UploadPartResponse response = retrier.call(() -> client.uploadPart(b -> b.bucket(target.bucket())
                    .key(target.key()).uploadId(uploadId).partNumber(partNumber), RequestBody.fromBytes(content)));
            parts.add(CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).build());
            filled = 0;
        } catch (IOException | RuntimeException e) {
            closed = true;
            throw fail("upload part %s (bytes %s-%s)".formatted(parts.size() + 1, (long) parts.size() * buffer.length,
                    (long) parts.size() * buffer.length + filled - 1), e);
        }
    }

    private void writePending(boolean finished) throws IOException {
        byte[] json = new PendingUpload(target.key(), uploadId, parts, bytes, finished).toJson();
        retrier.call(() -> client.putObject(b -> b.bucket(pending.bucket()).key(pending.key()), RequestBody.fromBytes(json)));
    }

    /** Aborts the upload and drops its pending record (best effort), and remembers the failure. */
    private IOException fail(String what, Exception e) {
        closed = true;
        failure = S3Errors.translate(what, location, e, retrier.attempts());
        if (uploadId != null) {
            try {
                retrier.call(() -> client.abortMultipartUpload(b -> b.bucket(target.bucket()).key(target.key())
                        .uploadId(uploadId)));
                if (pending != null) {
                    retrier.call(() -> client.deleteObject(b -> b.bucket(pending.bucket()).key(pending.key())));
                }
            } catch (IOException | RuntimeException abort) {
                failure.addSuppressed(abort);
            }
        }
        return failure;
    }

    private void checkOpen() throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new IOException("Stream is closed: " + location);
        }
    }
}
