package dev.spindle.yarn;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of Spindle on the classpath, as Maven built it. */
public final class SpindleVersion {

    private SpindleVersion() {}

    public static String current() {
        try (InputStream in = SpindleVersion.class.getResourceAsStream("/spindle-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read spindle-version.properties", e);
        }
    }
}
