package dev.spindle.io.store;

import java.util.List;

/** One storage block of a file: {@code [offset, offset + length)} and the hosts holding it. */
public record StorageBlock(long offset, long length, List<String> hosts) {
    public StorageBlock {
        hosts = List.copyOf(hosts);
    }
}
