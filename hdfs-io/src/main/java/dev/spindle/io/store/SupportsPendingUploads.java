package dev.spindle.io.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * A store where a file can be started and left incomplete, invisible and still stored (S3
 * multipart uploads: billed until completed or aborted). A job that dies before its commit can
 * leave such uploads under its output; the next commit to that output aborts them
 * ({@code PartCommitter}), and {@code spindle uploads} lists or aborts them by hand.
 */
public interface SupportsPendingUploads {

    /**
     * The incomplete uploads whose target is in {@code directory} or below it, sorted by location,
     * then start time. A directory with none (or that does not exist) gives an empty list.
     */
    List<Upload> listPendingUploads(String directory) throws IOException;

    /**
     * Aborts every incomplete upload in {@code directory} or below it that was started before
     * {@code startedBefore} (an upload whose start the store does not report counts as older).
     * An upload that is already gone is not an error. Not atomic: a failure leaves those aborted so
     * far aborted.
     *
     * @return the uploads aborted
     */
    List<Upload> abortPendingUploads(String directory, Instant startedBefore) throws IOException;

    /**
     * One incomplete upload.
     *
     * @param location the file it would create when completed
     * @param uploadId the store's id of the upload
     * @param started when the store says it was started; null when it does not say
     */
    record Upload(String location, String uploadId, Instant started) {
        public Upload {
            requireNonNull(location, "location is null");
            requireNonNull(uploadId, "uploadId is null");
        }
    }
}
