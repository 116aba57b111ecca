package dev.spindle.io.store;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The listing rules every store shares: what is a glob, and which names are hidden. Paths here
 * are the path part of a location ({@code /in/a.csv}), without scheme or authority.
 */
public final class ListingRules {

    private ListingRules() {}

    /** Whether a path contains glob metacharacters ({@code * ? [ {}). */
    public static boolean isGlob(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                return true;
            }
        }
        return false;
    }

    /**
     * Hidden names ({@code _SUCCESS}, {@code _temporary}, {@code .crc} files) are never input. As
     * in Spark's and Hive's listings, a leading {@code _} hides a name only when it holds no
     * {@code =}: {@code _year=2024/} is the partition directory of a column {@code _year}.
     */
    public static boolean isHiddenName(String name) {
        return (name.startsWith("_") && name.indexOf('=') < 0) || name.startsWith(".");
    }

    /**
     * Whether a path found below a listed directory is hidden: any component after the
     * directory's own path has a hidden name.
     */
    public static boolean isHiddenBelow(String directory, String path) {
        String relative = path.substring(directory.endsWith("/") ? directory.length() : directory.length() + 1);
        for (String name : relative.split("/")) {
            if (isHiddenName(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a path a glob matched is hidden: a component the pattern matched with a wildcard
     * has a hidden name. A component the pattern spells out literally is what the user asked for.
     */
    public static boolean isHiddenGlobMatch(String pattern, String match) {
        String[] patternNames = pattern.split("/");
        String[] matchNames = match.split("/");
        for (int i = 0; i < matchNames.length; i++) {
            boolean literal = i < patternNames.length && !isGlob(patternNames[i]);
            if (!literal && isHiddenName(matchNames[i])) {
                return true;
            }
        }
        return false;
    }

    /** The entries sorted by location, each location once (overlapping glob alternatives). */
    public static List<FileEntry> sortedDistinct(List<FileEntry> entries) {
        Map<String, FileEntry> byLocation = new TreeMap<>();
        for (FileEntry entry : entries) {
            byLocation.putIfAbsent(entry.location(), entry);
        }
        return List.copyOf(byLocation.values());
    }
}
