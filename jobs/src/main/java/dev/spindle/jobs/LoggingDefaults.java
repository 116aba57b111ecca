package dev.spindle.jobs;

import java.lang.reflect.Method;
import java.net.URL;

/**
 * Gives log4j 1.x (Hadoop's reload4j) Spindle's console defaults when nothing else configures it
 * — no {@code -Dlog4j.configuration}, no {@code log4j.properties} on the class path — so a
 * {@code yarn jar} or {@code hadoop jar} launch from a bare class path prints no
 * {@code log4j:WARN No appenders} lines. Called reflectively: a Hadoop without log4j 1.x is left
 * as it is.
 */
final class LoggingDefaults {

    static final String RESOURCE = "log4j-defaults.properties";

    private LoggingDefaults() {}

    /** Whether the defaults were applied. */
    static boolean configureIfUnset() {
        if (System.getProperty("log4j.configuration") != null) {
            return false;
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = LoggingDefaults.class.getClassLoader();
        }
        if (loader.getResource("log4j.properties") != null || loader.getResource("log4j.xml") != null) {
            return false;
        }
        URL defaults = LoggingDefaults.class.getResource(RESOURCE);
        if (defaults == null) {
            return false;
        }
        try {
            Class<?> configurator = Class.forName("org.apache.log4j.PropertyConfigurator", true, LoggingDefaults.class.getClassLoader());
            Method configure = configurator.getMethod("configure", URL.class);
            configure.invoke(null, defaults);
            return true;
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }
}
