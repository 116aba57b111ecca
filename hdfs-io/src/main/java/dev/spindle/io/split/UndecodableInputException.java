package dev.spindle.io.split;

import java.io.IOException;
import java.nio.charset.Charset;

/**
 * Bytes a transcoded file's charset cannot decode, thrown by {@link TranscodedInput}'s reads;
 * {@link RecordRangeReader} turns it into a {@link BadRecordException} with the line.
 */
final class UndecodableInputException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String problem;
    private final long utf8Offset;

    UndecodableInputException(Charset charset, int badBytes, long sourceOffset, long utf8Offset, String location) {
        this("Cannot decode " + charset + ": malformed input of " + badBytes + (badBytes == 1 ? " byte" : " bytes")
                + " at byte " + sourceOffset + " of the " + charset + " input", utf8Offset, location);
    }

    private UndecodableInputException(String problem, long utf8Offset, String location) {
        super(problem + ", UTF-8 byte " + utf8Offset + ": " + location);
        this.problem = problem;
        this.utf8Offset = utf8Offset;
    }

    /** What is wrong and where in the source, without the UTF-8 offset and location. */
    String problem() {
        return problem;
    }

    /** Offset in the UTF-8 stream where the undecodable input would have started. */
    long utf8Offset() {
        return utf8Offset;
    }
}
