package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.commit.PartCommitter;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.SupportsDirectories;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a commit, removes the staging directories that dead jobs left under the same output
 * ({@code <output>/_temporary/<application id>/}): a job whose ApplicationMaster was killed on
 * its last attempt has no one left to delete its staging. Only directories named like an
 * application id other than this job's, of applications the ResourceManager reports ended (or no
 * longer knows), are removed: a job still running into the same output keeps its staging. Hidden
 * names, so readers never saw them; this keeps an output that many jobs write from collecting
 * them. Never throws: it is housekeeping after the job succeeded.
 */
final class DeadStagingSweep {

    private static final Logger LOG = LoggerFactory.getLogger(DeadStagingSweep.class);
    private static final Pattern APPLICATION_ID = Pattern.compile("application_\\d+_\\d+");

    /** Whether an application has ended; answers true for one the ResourceManager does not know. */
    @FunctionalInterface
    interface Liveness {
        boolean hasEnded(String applicationId) throws IOException;
    }

    private DeadStagingSweep() {
    }

    /** @return the staging directories removed */
    static List<String> sweep(FileStore store, String output, String ownApplicationId, Liveness liveness) {
        requireNonNull(ownApplicationId, "ownApplicationId is null");
        List<String> removed = new ArrayList<>();
        String temporary = output + "/" + PartCommitter.TEMPORARY;
        try {
            if (!(store instanceof SupportsDirectories directories) || !store.exists(temporary)) {
                return removed;
            }
            for (String child : directories.listChildren(temporary)) {
                String name = child.substring(child.lastIndexOf('/') + 1);
                if (!APPLICATION_ID.matcher(name).matches() || name.equals(ownApplicationId)) {
                    continue;
                }
                try {
                    if (liveness.hasEnded(name)) {
                        store.delete(child);
                        removed.add(child);
                        LOG.info("Removed the staging {} of the ended application {}", child, name);
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Could not check or remove the staging {} of {}; it stays", child, name, e);
                }
            }
            if (store.exists(temporary) && directories.listChildren(temporary).isEmpty()) {
                store.delete(temporary);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not sweep the staging of ended jobs under {}", temporary, e);
        }
        return removed;
    }
}
