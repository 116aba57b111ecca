package dev.spindle.s3;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.store.CountsRetries;
import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.ListingRules;
import dev.spindle.io.store.SeekableInput;
import dev.spindle.io.store.StorageBlock;
import dev.spindle.io.store.StoreErrors;
import dev.spindle.io.store.SupportsDirectories;
import dev.spindle.io.store.SupportsPendingUploads;
import dev.spindle.io.store.SupportsRename;
import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The storage SPI over S3 and S3-compatible stores (AWS SDK for Java v2): {@code s3://bucket/key},
 * with {@code s3a://} accepted as an alias (a location keeps the scheme it was given).
 *
 * <ul>
 *   <li><b>Listing</b> is ListObjectsV2, paginated, with sizes. A key prefix is a directory;
 *       globs and hidden names ({@code _x}, {@code .x}) follow {@link FileStore#list} exactly.
 *       Each object reports {@link S3Config#blockSize()} byte ranges as storage blocks, with no
 *       hosts (objects have no locality).
 *   <li><b>Reads</b> are ranged GETs pinned to the object's ETag, several in flight when read
 *       sequentially, retried from the byte reached (see {@link S3Input}).
 *   <li><b>Writes</b> buffer one part: an object smaller than a part is one PUT on close, a larger
 *       one a multipart upload completed on close and aborted on failure.
 *   <li><b>Directories</b> ({@link SupportsDirectories}) are key prefixes; an empty directory is
 *       a zero-byte marker object {@code key/}, as S3A makes them. Markers are never listed as files.
 *   <li><b>Part files of task attempts</b> follow the S3A "magic" committer model
 *       ({@link MagicPaths}, on unless {@link S3Config#MAGIC_COMMIT} is false): a part written in an
 *       attempt directory is a multipart upload to its final key, left incomplete; renaming it to
 *       that key at job commit completes the upload; deleting it, its attempt or the staging
 *       directory aborts the upload. Nothing is visible under the output before the commit.
 *   <li><b>Pending uploads</b> ({@link SupportsPendingUploads}) are ListMultipartUploads under a
 *       key prefix; aborting them is AbortMultipartUpload. The commit sweeps those that failed or
 *       killed jobs left under their output.
 *   <li><b>Rename</b> ({@link SupportsRename}) of anything else is a server-side copy, then a delete of the source.
 *       Each target object appears whole at once, which is all the part-file commit needs, but a
 *       rename of many objects is not atomic, and a crash in between leaves both copies. Objects
 *       above 5 GiB cannot be renamed yet (single CopyObject limit).
 * </ul>
 *
 * <p>Clients are made per bucket from {@link S3Config} (so per-bucket S3A settings apply) on first
 * use and closed by {@link #close()}. Thread-safe.
 */
public final class S3FileStore implements FileStore, SupportsRename, SupportsDirectories, SupportsPendingUploads,
        CountsRetries, Closeable {

    private static final int DELETE_BATCH = 1000;
    private static final long COPY_LIMIT_BYTES = 5L << 30;

    private final Configuration conf;
    private final List<ExecutionInterceptor> interceptors;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong retries = new AtomicLong();
    private final ExecutorService readers;

    /** One bucket's settings and client. */
    record Bucket(S3Config config, S3Client client, Retrier retrier) {}

    private S3FileStore(Configuration conf, List<ExecutionInterceptor> interceptors) {
        this.conf = new Configuration(requireNonNull(conf, "conf is null"));
        this.interceptors = List.copyOf(interceptors);
        AtomicInteger threads = new AtomicInteger();
        this.readers = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "spindle-s3-read-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A store configured by {@code conf} (see {@link S3Config}). */
    public static S3FileStore create(Configuration conf) {
        return new S3FileStore(conf, List.of());
    }

    /** A store whose clients run these interceptors too (tests inject faults with them). */
    static S3FileStore create(Configuration conf, List<ExecutionInterceptor> interceptors) {
        return new S3FileStore(conf, interceptors);
    }

    /** Whether a location is one of this store's ({@code s3://} or {@code s3a://}). */
    public static boolean handles(String location) {
        return S3Location.isS3(location);
    }

    /** S3 requests retried so far by this store (throttling, 5xx, broken connections, bodies cut short). */
    @Override
    public long retries() {
        return retries.get();
    }

    /** The settings of a bucket, as this store uses them. */
    public S3Config config(String bucket) {
        return bucket(bucket).config();
    }

    @Override
    public List<FileEntry> list(String pattern) throws IOException {
        S3Location location = S3Location.parse(pattern);
        Bucket bucket = bucket(location.bucket());
        List<FileEntry> entries = new ArrayList<>();
        String key = location.key();
        if (ListingRules.isGlob(key)) {
            String globPath = "/" + key;
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + globPath);
            for (S3Object object : listAll(bucket, location, literalPrefix(key), false).objects()) {
                if (isMarker(object)) {
                    continue;
                }
                String path = "/" + object.key();
                String[] names = object.key().split("/");
                StringBuilder candidate = new StringBuilder();
                for (int depth = 0; depth < names.length; depth++) {
                    candidate.append('/').append(names[depth]);
                    String matched = candidate.toString();
                    if (matcher.matches(Path.of(matched)) && !ListingRules.isHiddenGlobMatch(globPath, matched)
                            && (depth == names.length - 1 || !ListingRules.isHiddenBelow(matched, path))) {
                        entries.add(entryOf(bucket, location.withKey(object.key()), object.size()));
                        break;
                    }
                }
            }
        } else {
            Optional<HeadObjectResponse> head = key.isEmpty() ? Optional.empty() : head(bucket, location);
            if (head.isPresent()) {
                return List.of(entryOf(bucket, location, head.get().contentLength()));
            }
            Listing below = listAll(bucket, location, location.prefix(), false);
            if (below.objects().isEmpty()) {
                throw new FileNotFoundException("No files match: " + pattern);
            }
            String directory = "/" + key;
            for (S3Object object : below.objects()) {
                if (!isMarker(object) && !ListingRules.isHiddenBelow(directory, "/" + object.key())) {
                    entries.add(entryOf(bucket, location.withKey(object.key()), object.size()));
                }
            }
            if (entries.isEmpty()) {
                throw new FileNotFoundException(
                        "Directory holds no visible files (names starting with _ or . are skipped): " + pattern);
            }
        }
        if (entries.isEmpty()) {
            throw new FileNotFoundException("No files match: " + pattern);
        }
        return ListingRules.sortedDistinct(entries);
    }

    @Override
    public SeekableInput open(String location) throws IOException {
        S3Location object = S3Location.parse(location);
        Bucket bucket = bucket(object.bucket());
        Optional<HeadObjectResponse> head = object.key().isEmpty() ? Optional.empty() : head(bucket, object);
        if (head.isEmpty()) {
            throw new FileNotFoundException(
                    (isDirectory(bucket, object) ? "Is a directory, not a file: " : "File not found: ") + location);
        }
        return new S3Input(bucket.client(), bucket.retrier(), readers, object, head.get().contentLength(),
                head.get().eTag(), bucket.config().readPartSize(), bucket.config().readConcurrency());
    }

    @Override
    public OutputStream create(String location) throws IOException {
        S3Location object = S3Location.parse(location);
        if (object.key().isEmpty()) {
            throw new IOException("Cannot create a file at the root of a bucket: " + location);
        }
        Bucket bucket = bucket(object.bucket());
        if (exists(bucket, object)) {
            throw StoreErrors.alreadyExists(object.toString());
        }
        Optional<String> finalKey = magicFinalKey(bucket, object);
        if (finalKey.isPresent()) {
            return S3Output.magic(bucket.client(), bucket.retrier(), object, bucket.config().writePartSize(), finalKey.get());
        }
        return new S3Output(bucket.client(), bucket.retrier(), object, bucket.config().writePartSize(), bucket.config().conditionalCreate());
    }

    @Override
    public boolean exists(String location) throws IOException {
        S3Location object = S3Location.parse(location);
        return exists(bucket(object.bucket()), object);
    }

    @Override
    public void delete(String location) throws IOException {
        S3Location object = S3Location.parse(location);
        if (object.key().isEmpty()) {
            throw new IOException("Refusing to delete everything in a bucket: " + location);
        }
        Bucket bucket = bucket(object.bucket());
        List<String> keys = new ArrayList<>();
        if (head(bucket, object).isPresent()) {
            keys.add(object.key());
        }
        if (magicFinalKey(bucket, object).isPresent()) {
            S3Location pending = object.withKey(MagicPaths.pendingKey(object.key()));
            if (head(bucket, pending).isPresent()) {
                keys.add(pending.key());
            }
        }
        for (S3Object below : listAll(bucket, object, object.prefix(), false).objects()) {
            keys.add(below.key());
        }
        for (String key : keys) {
            if (MagicPaths.isPending(key)) {
                abortPending(bucket, object.withKey(key));
            }
        }
        deleteKeys(bucket, object, keys);
    }

    @Override
    public void rename(String source, String target) throws IOException {
        S3Location from = S3Location.parse(source);
        S3Location to = S3Location.parse(target);
        Bucket fromBucket = bucket(from.bucket());
        Bucket toBucket = bucket(to.bucket());
        if (magicFinalKey(fromBucket, from).isPresent() && head(fromBucket, from).isEmpty()) {
            S3Location pending = from.withKey(MagicPaths.pendingKey(from.key()));
            if (head(fromBucket, pending).isPresent()) {
                completePending(fromBucket, pending, to, source, target);
                return;
            }
        }
        Optional<HeadObjectResponse> file = from.key().isEmpty() ? Optional.empty() : head(fromBucket, from);
        List<S3Object> below = file.isPresent() ? List.of() : listAll(fromBucket, from, from.prefix(), false).objects();
        if (file.isEmpty() && below.isEmpty()) {
            throw new FileNotFoundException("Cannot rename a missing source to %s: %s".formatted(target, source));
        }
        if (exists(toBucket, to)) {
            throw StoreErrors.alreadyExists(to.toString());
        }
        if (from.bucket().equals(to.bucket()) && (to.key() + "/").startsWith(from.prefix()) && file.isEmpty()) {
            throw new IOException("Cannot rename a directory into itself (%s): %s".formatted(target, source));
        }
        if (file.isPresent()) {
            copy(toBucket, from, to, file.get().contentLength());
            deleteKeys(fromBucket, from, List.of(from.key()));
            return;
        }
        List<String> moved = new ArrayList<>();
        for (S3Object object : below) {
            String relative = object.key().substring(from.prefix().length());
            copy(toBucket, from.withKey(object.key()), to.withKey(to.prefix() + relative), object.size());
            moved.add(object.key());
        }
        deleteKeys(fromBucket, from, moved);
    }

    @Override
    public void createDirectories(String location) throws IOException {
        S3Location directory = S3Location.parse(location);
        if (directory.key().isEmpty()) {
            return;
        }
        Bucket bucket = bucket(directory.bucket());
        String key = directory.key();
        for (String ancestor = key; ancestor != null; ancestor = parentKey(ancestor)) {
            if (head(bucket, directory.withKey(ancestor)).isPresent()) {
                throw StoreErrors.alreadyExists(directory.withKey(ancestor).toString());
            }
        }
        if (!exists(bucket, directory)) {
            S3Location marker = directory.withKey(directory.prefix());
            call(bucket, "create a directory marker", marker,
                    () -> bucket.client().putObject(b -> b.bucket(marker.bucket()).key(marker.key()), RequestBody.empty()));
        }
    }

    @Override
    public List<String> listChildren(String location) throws IOException {
        S3Location directory = S3Location.parse(location);
        Bucket bucket = bucket(directory.bucket());
        Listing listing = listAll(bucket, directory, directory.prefix(), true);
        if (listing.objects().isEmpty() && listing.prefixes().isEmpty()) {
            throw new FileNotFoundException("Not a directory: " + location);
        }
        SortedSet<String> children = new TreeSet<>();
        for (S3Object object : listing.objects()) {
            if (!object.key().equals(directory.prefix())) {
                children.add(directory.withKey(object.key()).toString());
            }
        }
        for (String prefix : listing.prefixes()) {
            children.add(directory.withKey(prefix.substring(0, prefix.length() - 1)).toString());
        }
        return List.copyOf(children);
    }

    @Override
    public List<Upload> listPendingUploads(String directory) throws IOException {
        S3Location location = S3Location.parse(directory);
        Bucket bucket = bucket(location.bucket());
        List<Upload> uploads = new ArrayList<>();
        String keyMarker = null;
        String uploadIdMarker = null;
        do {
            ListMultipartUploadsRequest.Builder request = ListMultipartUploadsRequest.builder()
                    .bucket(location.bucket()).prefix(location.prefix());
            if (keyMarker != null) {
                request.keyMarker(keyMarker).uploadIdMarker(uploadIdMarker);
            }
            ListMultipartUploadsRequest built = request.build();
            ListMultipartUploadsResponse page = call(bucket, "list pending multipart uploads", location,
                    () -> bucket.client().listMultipartUploads(built));
            for (MultipartUpload upload : page.uploads()) {
                uploads.add(new Upload(location.withKey(upload.key()).toString(), upload.uploadId(), upload.initiated()));
            }
            boolean more = Boolean.TRUE.equals(page.isTruncated()) && page.nextKeyMarker() != null;
            keyMarker = more ? page.nextKeyMarker() : null;
            uploadIdMarker = more ? page.nextUploadIdMarker() : null;
        } while (keyMarker != null);
        uploads.sort(Comparator.comparing(Upload::location)
                .thenComparing(Upload::started, Comparator.nullsFirst(Comparator.naturalOrder())));
        return List.copyOf(uploads);
    }

    @Override
    public List<Upload> abortPendingUploads(String directory, Instant startedBefore) throws IOException {
        requireNonNull(startedBefore, "startedBefore is null");
        List<Upload> aborted = new ArrayList<>();
        for (Upload upload : listPendingUploads(directory)) {
            if (upload.started() == null || upload.started().isBefore(startedBefore)) {
                S3Location target = S3Location.parse(upload.location());
                abortUpload(bucket(target.bucket()), target, upload.uploadId());
                aborted.add(upload);
            }
        }
        return List.copyOf(aborted);
    }

    /** Closes every client and stops the read-ahead threads. */
    @Override
    public void close() {
        readers.shutdownNow();
        for (Bucket bucket : buckets.values()) {
            bucket.client().close();
        }
        buckets.clear();
    }

    private Bucket bucket(String name) {
        return buckets.computeIfAbsent(name, key -> {
            S3Config config = S3Config.from(conf, key);
            return new Bucket(config, S3Clients.create(config, interceptors), Retrier.from(config, retries));
        });
    }

    private FileEntry entryOf(Bucket bucket, S3Location location, long length) {
        long blockSize = bucket.config().blockSize();
        List<StorageBlock> blocks = new ArrayList<>();
        for (long offset = 0; offset < length; offset += blockSize) {
            blocks.add(new StorageBlock(offset, Math.min(blockSize, length - offset), List.of()));
        }
        return new FileEntry(location.toString(), length, blockSize, blocks);
    }

    private boolean exists(Bucket bucket, S3Location location) throws IOException {
        if (location.key().isEmpty()) {
            try {
                bucket.retrier().call(() -> bucket.client().headBucket(b -> b.bucket(location.bucket())));
                return true;
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return false;
                }
                throw S3Errors.translate("look up a bucket", location, e, bucket.retrier().attempts());
            } catch (RuntimeException e) {
                throw S3Errors.translate("look up a bucket", location, e, bucket.retrier().attempts());
            }
        }
        if (magicFinalKey(bucket, location).isPresent()
                && head(bucket, location.withKey(MagicPaths.pendingKey(location.key()))).isPresent()) {
            return true;
        }
        return head(bucket, location).isPresent() || isDirectory(bucket, location);
    }

    private static Optional<String> magicFinalKey(Bucket bucket, S3Location location) {
        return bucket.config().magicCommit() ? MagicPaths.finalKey(location.key()) : Optional.empty();
    }

    private PendingUpload readPending(Bucket bucket, S3Location pending) throws IOException {
        byte[] json = call(bucket, "read a pending upload record", pending,
                () -> bucket.client().getObjectAsBytes(b -> b.bucket(pending.bucket()).key(pending.key())).asByteArray());
        return PendingUpload.fromJson(json, pending.toString());
    }

    /** Completes a magic part's upload at its final key (the commit's "rename"), then drops its record. */
    private void completePending(Bucket bucket, S3Location pending, S3Location to, String source, String target) throws IOException {
        PendingUpload upload = readPending(bucket, pending);
        if (!upload.closed()) {
            throw new IOException("Cannot promote a part whose writer did not finish (upload %s to %s): %s"
                    .formatted(upload.uploadId(), target, source));
        }
        if (!to.bucket().equals(pending.bucket()) || !to.key().equals(upload.finalKey())) {
            throw new IOException("A pending upload can only be promoted to its own key %s, not to %s: %s"
                    .formatted(pending.withKey(upload.finalKey()), target, source));
        }
        if (head(bucket, to).isPresent()) {
            throw StoreErrors.alreadyExists(to.toString());
        }
        call(bucket, "complete the upload %s (%s parts, %s bytes)".formatted(upload.uploadId(), upload.parts().size(), upload.bytes()),
                to, () -> bucket.client().completeMultipartUpload(b -> b.bucket(to.bucket()).key(to.key())
                        .uploadId(upload.uploadId()).multipartUpload(m -> m.parts(upload.parts()))));
        deleteKeys(bucket, pending, List.of(pending.key()));
    }

    /** Aborts the upload a pending record names; an upload already gone is fine. */
    private void abortPending(Bucket bucket, S3Location pending) throws IOException {
        PendingUpload upload = readPending(bucket, pending);
        abortUpload(bucket, pending.withKey(upload.finalKey()), upload.uploadId());
    }

    /** Aborts one multipart upload; one already gone is fine. */
    private static void abortUpload(Bucket bucket, S3Location target, String uploadId) throws IOException {
        try {
            bucket.retrier().call(() -> bucket.client().abortMultipartUpload(b -> b.bucket(target.bucket())
                    .key(target.key()).uploadId(uploadId)));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw S3Errors.translate("abort the upload " + uploadId, target, e, bucket.retrier().attempts());
            }
        } catch (RuntimeException e) {
            throw S3Errors.translate("abort the upload " + uploadId, target, e, bucket.retrier().attempts());
        }
    }

    private boolean isDirectory(Bucket bucket, S3Location location) throws IOException {
        String prefix = location.prefix();
        ListObjectsV2Response page = call(bucket, "list a prefix", location,
                () -> bucket.client().listObjectsV2(b -> b.bucket(location.bucket()).prefix(prefix).maxKeys(1)));
        return !page.contents().isEmpty();
    }

    private Optional<HeadObjectResponse> head(Bucket bucket, S3Location location) throws IOException {
        try {
            return Optional.of(bucket.retrier().call(
                    () -> bucket.client().headObject(b -> b.bucket(location.bucket()).key(location.key()))));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            if (e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null) {
                // a HEAD response has no body, so no error code: a listing names it (AccessDenied, SignatureDoesNotMatch)
                isDirectory(bucket, location);
            }
            throw S3Errors.translate("look up an object", location, e, bucket.retrier().attempts());
        } catch (RuntimeException e) {
            throw S3Errors.translate("look up an object", location, e, bucket.retrier().attempts());
        }
    }

    /** Objects (and, with a delimiter, common prefixes) under a key prefix, every page. */
    private record Listing(List<S3Object> objects, List<String> prefixes) {}

    private Listing listAll(Bucket bucket, S3Location location, String prefix, boolean delimited) throws IOException {
        List<S3Object> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(location.bucket()).prefix(prefix);
            if (delimited) {
                request.delimiter("/");
            }
            if (token != null) {
                request.continuationToken(token);
            }
            ListObjectsV2Request built = request.build();
            ListObjectsV2Response page = call(bucket, "list objects", location.withKey(prefix),
                    () -> bucket.client().listObjectsV2(built));
            objects.addAll(page.contents());
            for (CommonPrefix common : page.commonPrefixes()) {
                prefixes.add(common.prefix());
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return new Listing(objects, prefixes);
    }

    private void copy(Bucket bucket, S3Location from, S3Location to, long size) throws IOException {
        if (size > COPY_LIMIT_BYTES) {
            throw new IOException("Cannot rename an object over 5 GiB (%s bytes) to %s yet: %s".formatted(size, to, from));
        }
        call(bucket, "copy an object to " + to, from, () -> bucket.client().copyObject(b -> b
                .sourceBucket(from.bucket()).sourceKey(from.key())
                .destinationBucket(to.bucket()).destinationKey(to.key())));
    }

    private void deleteKeys(Bucket bucket, S3Location location, List<String> keys) throws IOException {
        for (int start = 0; start < keys.size(); start += DELETE_BATCH) {
            List<ObjectIdentifier> batch = new ArrayList<>();
            for (String key : keys.subList(start, Math.min(keys.size(), start + DELETE_BATCH))) {
                batch.add(ObjectIdentifier.builder().key(key).build());
            }
            Delete delete = Delete.builder().objects(batch).quiet(true).build();
            DeleteObjectsResponse response = call(bucket, "delete %s objects".formatted(batch.size()), location,
                    () -> bucket.client().deleteObjects(b -> b.bucket(location.bucket()).delete(delete)));
            if (!response.errors().isEmpty()) {
                var first = response.errors().get(0);
                throw new IOException("Cannot delete %s of %s objects: S3 error %s for key %s (%s), bucket %s: %s"
                        .formatted(response.errors().size(), batch.size(), first.code(), first.key(), first.message(),
                                location.bucket(), location));
            }
        }
    }

    private static <T> T call(Bucket bucket, String what, S3Location location, Retrier.Call<T> call) throws IOException {
        try {
            return bucket.retrier().call(call);
        } catch (IOException | RuntimeException e) {
            throw S3Errors.translate(what, location, e, bucket.retrier().attempts());
        }
    }

    private static boolean isMarker(S3Object object) {
        return object.key().endsWith("/");
    }

    /** The key prefix before the first component with a wildcard: {@code in/} for {@code in/*}/x. */
    private static String literalPrefix(String key) {
        String[] names = key.split("/");
        StringBuilder prefix = new StringBuilder();
        for (String name : names) {
            if (ListingRules.isGlob(name)) {
                break;
            }
            prefix.append(name).append('/');
        }
        return prefix.toString();
    }

    private static String parentKey(String key) {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? null : key.substring(0, slash);
    }
}
