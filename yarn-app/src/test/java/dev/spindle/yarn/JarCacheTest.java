package dev.spindle.yarn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job jar cache on the local file system: uploaded once per content, shipped as a PRIVATE resource. */
class JarCacheTest {

    @TempDir
    java.nio.file.Path directory;

    private File jar(String name, byte[] content) throws IOException {
        java.nio.file.Path file = directory.resolve(name);
        Files.write(file, content);
        return file.toFile();
    }

    @Test
    void aJarIsUploadedOncePerContent() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration(false));
        Path root = new Path("file:" + directory.resolve("staging"));
        File first = jar("a.jar", new byte[] {1, 2, 3});

        Path cached = JarCache.stage(fs, root, first, java.util.Optional.empty()).orElseThrow();
        assertEquals(new Path(root, "jar-cache/" + JarCache.sha256(first) + ".jar").toUri().getPath(), cached.toUri().getPath());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(java.nio.file.Path.of(cached.toUri().getPath())));
        long modified = fs.getFileStatus(cached).getModificationTime();

        // the same content again, from another file: the cached copy, not uploaded again
        File same = jar("b.jar", new byte[] {1, 2, 3});
        assertEquals(cached, JarCache.stage(fs, root, same, java.util.Optional.of(directory.resolve("memo"))).orElseThrow());
        assertEquals(modified, fs.getFileStatus(cached).getModificationTime());

        // a new build: a second entry
        Path other = JarCache.stage(fs, root, jar("c.jar", new byte[] {1, 2, 4}), java.util.Optional.empty()).orElseThrow();
        assertNotEquals(cached, other);
        // no partial upload is left beside them
        assertEquals(2, fs.listStatus(new Path(root, JarCache.DIRECTORY)).length);
    }

    @Test
    void theHashIsRememberedByPathLengthAndTimeAndRecomputedWhenTheJarChanges() throws IOException {
        java.nio.file.Path memo = directory.resolve("memo");
        File jar = jar("a.jar", new byte[] {1, 2, 3});
        String hash = JarCache.sha256(jar);
        assertEquals(hash, JarCache.memoizedSha256(jar, memo));
        try (java.util.stream.Stream<java.nio.file.Path> entries = Files.list(memo)) {
            java.nio.file.Path entry = entries.findFirst().orElseThrow();
            assertEquals(hash, Files.readString(entry));
            // a remembered value is used as it is
            Files.writeString(entry, "0".repeat(64));
            assertEquals("0".repeat(64), JarCache.memoizedSha256(jar, memo));
        }
        // rebuilt in place (same length, a new time): hashed again
        Files.write(jar.toPath(), new byte[] {1, 2, 4});
        assertTrue(jar.setLastModified(jar.lastModified() + 2_000));
        assertEquals(JarCache.sha256(jar), JarCache.memoizedSha256(jar, memo));
        assertNotEquals(hash, JarCache.memoizedSha256(jar, memo));
    }

    @Test
    void theCachedJarIsAPrivateResourceOnTheClassPath() throws IOException {
        java.nio.file.Path staging = Files.createDirectories(directory.resolve("app"));
        Files.writeString(staging.resolve(LaunchContexts.JOB_CONF), "<configuration/>");
        Files.writeString(staging.resolve(LaunchContexts.JOB_SPEC), "{}");
        File cached = jar("cached.jar", new byte[77]);
        Configuration conf = new Configuration(false);
        conf.set(YarnAppConfig.STAGED_JAR, "file:" + cached);

        ContainerLaunchContext context = LaunchContexts.create(conf, YarnAppConfig.from(conf), new Path("file:" + staging),
                WorkerMain.class.getName(), 1024, List.of(), new Credentials());

        Map<String, LocalResource> resources = context.getLocalResources();
        LocalResource resource = resources.get(LaunchContexts.JOB_JAR);
        assertEquals(77, resource.getSize());
        assertEquals(LocalResourceVisibility.PRIVATE, resource.getVisibility());
        assertEquals(cached.toString(), resource.getResource().getFile());
        assertEquals(LocalResourceVisibility.APPLICATION, resources.get(LaunchContexts.JOB_CONF).getVisibility());
        assertTrue(context.getEnvironment().get("CLASSPATH").contains("/" + LaunchContexts.JOB_JAR), context.getEnvironment().get("CLASSPATH"));
    }
}
