package dev.spindle.s3;

import static java.util.Objects.requireNonNull;

/**
 * A parsed {@code s3://bucket/key} (or {@code s3a://bucket/key}) location. The key has no leading
 * slash, no empty components and no trailing slash; it is empty for the bucket's root.
 */
record S3Location(String scheme, String bucket, String key) {

    S3Location {
        requireNonNull(scheme, "scheme is null");
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
    }

    static boolean isS3(String location) {
        return location.startsWith("s3://") || location.startsWith("s3a://");
    }

    static S3Location parse(String location) {
        requireNonNull(location, "location is null");
        int colon = location.indexOf("://");
        String scheme = colon < 0 ? "" : location.substring(0, colon);
        if (!scheme.equals("s3") && !scheme.equals("s3a")) {
            throw new IllegalArgumentException("Not an S3 location (s3://bucket/key or s3a://bucket/key): " + location);
        }
        String rest = location.substring(colon + 3);
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("S3 location has no bucket (s3://bucket/key): " + location);
        }
        String key = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/+", "/");
        if (key.startsWith("/")) {
            key = key.substring(1);
        }
        if (key.endsWith("/")) {
            key = key.substring(0, key.length() - 1);
        }
        return new S3Location(scheme, bucket, key);
    }

    /** The same bucket and scheme with another key. */
    S3Location withKey(String newKey) {
        return new S3Location(scheme, bucket, newKey);
    }

    /** {@code key/}, the prefix of everything below this location; empty for the root. */
    String prefix() {
        return key.isEmpty() ? "" : key + "/";
    }

    /** {@code scheme://bucket/key}. */
    @Override
    public String toString() {
        return scheme + "://" + bucket + "/" + key;
    }
}
