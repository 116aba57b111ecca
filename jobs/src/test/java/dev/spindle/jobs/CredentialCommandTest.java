package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.alias.CredentialProviderFactory;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spindle credential} makes JCEKS stores that {@code Configuration.getPassword} reads, the secret never in argv. */
class CredentialCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String stdin, String... args) throws Exception {
        CredentialCommand command = new CredentialCommand(new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8),
                new ByteArrayInputStream(stdin.getBytes(UTF_8)));
        return ToolRunner.run(new Configuration(false), command, args);
    }

    @Test
    void createListAndDeleteAnAliasWithTheSecretFromStandardInput(@TempDir Path dir) throws Exception {
        String provider = "jceks://file" + dir.resolve("s3.jceks");
        Configuration conf = new Configuration(false);
        conf.set(CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH, provider);

        assertEquals(0, run("not-in-argv-secret\n", "create", "fs.s3a.secret.key", "-provider", provider), err.toString(UTF_8));
        assertEquals(0, run("", "create", "fs.s3a.access.key", "-value", "the-access-key", "-provider", provider),
                err.toString(UTF_8));

        assertEquals("not-in-argv-secret", new String(conf.getPassword("fs.s3a.secret.key")));
        assertEquals("the-access-key", new String(conf.getPassword("fs.s3a.access.key")));
        out.reset();
        assertEquals(0, run("", "list", "-provider", provider), err.toString(UTF_8));
        String listed = out.toString(UTF_8);
        assertTrue(listed.contains("fs.s3a.secret.key") && listed.contains("fs.s3a.access.key"), listed);
        assertFalse(listed.contains("not-in-argv-secret"), listed);

        assertEquals(0, run("", "delete", "fs.s3a.secret.key", "-f", "-provider", provider), err.toString(UTF_8));
        assertNull(conf.getPassword("fs.s3a.secret.key"));
        assertEquals("the-access-key", new String(conf.getPassword("fs.s3a.access.key")));
    }

    @Test
    void withoutArgumentsItPrintsTheShellsUsage() throws Exception {
        run("", "--help");

        assertTrue(out.toString(UTF_8).startsWith("usage: spindle credential create|list|delete|check ALIAS -provider URI"),
                out.toString(UTF_8));
        assertTrue(out.toString(UTF_8).contains("create <alias>"), out.toString(UTF_8));
    }
}
