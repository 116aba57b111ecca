package dev.spindle.io.commit;

import java.io.IOException;

/**
 * An {@link WriteMode#APPEND} or {@link WriteMode#OVERWRITE_PARTITIONS} job found, at commit,
 * a dataset it cannot add to: another format, schema or partition columns, or files without a
 * {@code _SUCCESS} manifest. Nothing was changed.
 */
public final class IncompatibleOutputException extends IOException {
    public IncompatibleOutputException(String message) {
        super(message);
    }
}
