package dev.spindle.io.split;

/**
 * A line terminator: what {@link RecordRangeReader#lineEnding()} reports for a file's first line.
 * Every one of them ends a record wherever it appears (a file may mix them); a CR followed by an
 * LF is one {@link #CRLF} terminator.
 */
public enum LineEnding {
    LF,
    CRLF,
    CR
}
