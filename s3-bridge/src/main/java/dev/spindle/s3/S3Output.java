package dev.spindle.s3;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
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
 *
 * <p>Exclusive ({@link S3Config#CONDITIONAL_CREATE}): the PUT or the completion carries
 * {@code If-None-Match: *}, so the object appears only if no other writer created the key since
 * the store's existence check; otherwise close fails with {@link FileAlreadyExistsException}
 * and nothing of this stream appears. A 412 on a retried request may answer this stream's own
 * earlier try that landed with its response lost: close then checks the object is this
 * stream's (the same bytes for a single PUT, the multipart ETag of these parts for an upload)
 * and succeeds if it is.
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
    /** Whether the object is written with {@code If-None-Match: *}. */
    private final boolean exclusive;

    /** A plain object; {@code exclusive}: created only if the key is still free when it is written (see the class comment). */
    S3Output(S3Client client, Retrier retrier, S3Location location, int partSize, boolean exclusive) {
        this(client, retrier, location, partSize, location, null, exclusive);
    }

    private S3Output(S3Client client, Retrier retrier, S3Location location, int partSize, S3Location target, S3Location pending,
            boolean exclusive) {
        this.client = client;
        this.retrier = retrier;
        this.location = location;
        this.buffer = new byte[partSize];
        this.target = target;
        this.pending = pending;
        this.exclusive = exclusive;
    }

    /**
     * A magic part file at {@code location}: starts the multipart upload to {@code finalKey} and
     * records it as pending at once, so an abort finds it even if this writer dies.
     */
    static S3Output magic(S3Client client, Retrier retrier, S3Location location, int partSize, String finalKey) throws IOException {
        S3Location target = location.withKey(finalKey);
        S3Location pending = location.withKey(MagicPaths.pendingKey(location.key()));
        S3Output output = new S3Output(client, retrier, location, partSize, target, pending, false);
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
            int[] tries = new int[1];
            if (uploadId == null) {
                byte[] content = Arrays.copyOf(buffer, filled);
                try {
                    retrier.call(() -> {
                        tries[0]++;
                        return client.putObject(b -> b.bucket(location.bucket()).key(location.key()).ifNoneMatch(exclusive ? "*" : null),
                                RequestBody.fromBytes(content));
                    });
                } catch (S3Exception e) {
                    if (!isPreconditionFailed(e)) {
                        throw e;
                    }
                    if (tries[0] == 1 || !holds(content)) {
                        throw fail(alreadyCreated(), e);
                    }
                    // else: this stream's own earlier try landed, its response lost
                }
                return;
            }
            if (filled > 0) {
                uploadPart();
            }
            try {
                retrier.call(() -> {
                    tries[0]++;
                    return client.completeMultipartUpload(b -> b.bucket(target.bucket()).key(target.key())
                            .uploadId(uploadId).multipartUpload(m -> m.parts(parts)).ifNoneMatch(exclusive ? "*" : null));
                });
            } catch (S3Exception e) {
                // a retried completion of an upload that did complete: 412 (the key now exists) or,
                // on servers that forget a completed upload, 404 NoSuchUpload
                boolean noSuchUpload = e.statusCode() == 404 && e.awsErrorDetails() != null
                        && "NoSuchUpload".equals(e.awsErrorDetails().errorCode());
                if (!isPreconditionFailed(e) && !(noSuchUpload && tries[0] > 1)) {
                    throw e;
                }
                if (tries[0] == 1 || !holdsUpload()) {
                    throw fail(noSuchUpload ? S3Errors.translate("complete an upload", location, e, retrier.attempts()) : alreadyCreated(), e);
                }
                // else: this stream's own earlier try landed, its response lost
            }
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

    private static boolean isPreconditionFailed(S3Exception e) {
        return e.statusCode() == 412;
    }

    private FileAlreadyExistsException alreadyCreated() {
        return new FileAlreadyExistsException(location.toString(), null,
                "another writer created the object while this one wrote it (If-None-Match: *)");
    }

    /** Whether the object under the key holds exactly {@code content}: a PUT of ours whose response was lost. */
    private boolean holds(byte[] content) throws IOException {
        try {
            byte[] stored = retrier.call(() -> client.getObjectAsBytes(b -> b.bucket(location.bucket()).key(location.key()))).asByteArray();
            return Arrays.equals(stored, content);
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    /** Whether the object under the key is this upload: its ETag is the multipart ETag of our parts. */
    private boolean holdsUpload() throws IOException {
        try {
            String stored = retrier.call(() -> client.headObject(b -> b.bucket(target.bucket()).key(target.key()))).eTag();
            return multipartETag(parts).equals(unquote(stored));
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    /** S3's ETag of a completed multipart upload: the MD5 of the parts' binary MD5s, a dash, the number of parts. */
    static String multipartETag(List<CompletedPart> parts) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            for (CompletedPart part : parts) {
                md5.update(HexFormat.of().parseHex(unquote(part.eTag())));
            }
            return HexFormat.of().formatHex(md5.digest()) + "-" + parts.size();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a required algorithm of every JVM", e);
        } catch (IllegalArgumentException e) {
            return ""; // a part ETag that is not an MD5 (an encrypted object's, say): never equal
        }
    }

    private static String unquote(String eTag) {
        return eTag == null ? "" : eTag.replace("\"", "");
    }

    /** Aborts the upload and drops its pending record (best effort), and remembers {@code error} as the failure. */
    private IOException fail(IOException error, Exception cause) {
        closed = true;
        failure = error;
        if (failure.getCause() == null && failure != cause) {
            try {
                failure.initCause(cause);
            } catch (IllegalStateException e) {
                failure.addSuppressed(cause); // made with an explicit null cause
            }
        }
        abortUpload();
        return failure;
    }

    /** Aborts the upload and drops its pending record (best effort), and remembers the failure. */
    private IOException fail(String what, Exception e) {
        closed = true;
        failure = S3Errors.translate(what, location, e, retrier.attempts());
        abortUpload();
        return failure;
    }

    private void abortUpload() {
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
