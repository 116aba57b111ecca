package dev.spindle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's keytab options, refused before anything connects or logs in (the login
 * itself, against a KDC, is {@code KerberizedClusterIT}'s).
 */
class KerberosLoginTest {

    @Test
    void aPrincipalWithoutAKeytabIsAUsageError(@TempDir Path dir) {
        CliRun run = CliRun.of("count", "-D", "spindle.kerberos.principal=user@EXAMPLE.COM", dir.toString());
        assertEquals(ExitCode.USAGE.code(), run.exitCode(), run.toString());
        assertTrue(run.err().contains("-D spindle.kerberos.principal and -D spindle.kerberos.keytab go together"), run.toString());
    }

    @Test
    void aKeytabOnAClusterWithoutKerberosIsAUsageError(@TempDir Path dir) throws Exception {
        Path keytab = java.nio.file.Files.createFile(dir.resolve("user.keytab"));
        CliRun run = CliRun.of("count", "-D", "spindle.kerberos.principal=user@EXAMPLE.COM", "-D", "spindle.kerberos.keytab=" + keytab,
                dir.toString());
        assertEquals(ExitCode.USAGE.code(), run.exitCode(), run.toString());
        assertTrue(run.err().contains("needs a cluster conf with hadoop.security.authentication=kerberos"), run.toString());
    }

    @Test
    void aMissingKeytabIsNamed(@TempDir Path dir) {
        String keytab = dir.resolve("absent.keytab").toString();
        CliRun run = CliRun.of("count", "-D", "hadoop.security.authentication=kerberos", "-D", "spindle.kerberos.principal=user@EXAMPLE.COM",
                "-D", "spindle.kerberos.keytab=" + keytab, dir.toString());
        assertEquals(ExitCode.USAGE.code(), run.exitCode(), run.toString());
        assertTrue(run.err().contains("Keytab not found (spindle.kerberos.keytab): " + keytab), run.toString());
    }
}
