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
 * Writes one object. Bytes are buffered one part at a time: an object that fits one part is a
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

    S3Output(S3Client client, Retrier retrier, S3Location location, int partSize) {
        this.client = client;
        this.retrier = retrier;
        this.location = location;
        this.buffer = new byte[partSize];
    }

    @Override
    public void write(int b) throws IOException {
        checkOpen();
        if (filled == buffer.length) {
            uploadPart();
        }
        buffer[filled++] = (byte) b;
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
            if (uploadId == null) {
                byte[] content = Arrays.copyOf(buffer, filled);
                retrier.call(() -> client.putObject(b -> b.bucket(location.bucket()).key(location.key()),
                        RequestBody.fromBytes(content)));
                return;
            }
            if (filled > 0) {
                uploadPart();
            }
            retrier.call(() -> client.completeMultipartUpload(b -> b.bucket(location.bucket()).key(location.key())
                    .uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
        } catch (IOException | RuntimeException e) {
            throw fail("write an object (%s parts sent)".formatted(parts.size()), e);
        }
    }

    private void uploadPart() throws IOException {
        try {
            if (uploadId == null) {
                uploadId = retrier.call(() -> client.createMultipartUpload(b -> b.bucket(location.bucket())
                        .key(location.key()))).uploadId();
            }
            int partNumber = parts.size() + 1;
            byte[] content = Arrays.copyOf(buffer, filled);
            UploadPartResponse response = retrier.call(() -> client.uploadPart(b -> b.bucket(location.bucket())
                    .key(location.key()).uploadId(uploadId).partNumber(partNumber), RequestBody.fromBytes(content)));
            parts.add(CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).build());
            filled = 0;
        } catch (IOException | RuntimeException e) {
            closed = true;
            throw fail("upload part %s (bytes %s-%s)".formatted(parts.size() + 1, (long) parts.size() * buffer.length,
                    (long) parts.size() * buffer.length + filled - 1), e);
        }
    }

    /** Aborts the upload (best effort) and remembers the failure. */
    private IOException fail(String what, Exception e) {
        failure = S3Errors.translate(what, location, e, retrier.attempts());
        if (uploadId != null) {
            try {
                retrier.call(() -> client.abortMultipartUpload(b -> b.bucket(location.bucket()).key(location.key())
                        .uploadId(uploadId)));
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
