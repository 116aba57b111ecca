package dev.spindle.io.commit;

import java.io.IOException;

/**
 * The output directory holds something and the write mode does not allow replacing it, found at
 * job setup or again at commit (a concurrent writer). Nothing was changed.
 */
public final class OutputExistsException extends IOException {
    public OutputExistsException(String message) {
        super(message);
    }
}
