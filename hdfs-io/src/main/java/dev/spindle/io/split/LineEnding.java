package dev.spindle.io.split;

/**
 * The line terminator of a file, detected from its first line (see {@link RecordRangeReader}).
 * {@link #LF} and {@link #CRLF} files both end records at LF (a CR right before it belongs to
 * the terminator); {@link #CR} files end records at CR and an LF there is an ordinary byte.
 */
public enum LineEnding {
    LF,
    CRLF,
    CR
}
