package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.hadoop.security.alias.CredentialShell;

/**
 * {@code spindle credential create|list|delete|check ALIAS -provider URI}: Hadoop's
 * {@link CredentialShell} (what {@code hadoop credential} runs), for a machine without a
 * {@code hadoop} command. It makes the credential stores (JCEKS and others) that
 * {@code hadoop.security.credential.provider.path} names, e.g. for {@code fs.s3a.access.key} and
 * {@code fs.s3a.secret.key}.
 *
 * <p>{@code create} without {@code -value} reads the secret from the terminal without echo, or,
 * when there is no terminal, as one line from standard input ({@code ... | spindle credential
 * create ...}), so the secret need not be in argv.
 */
final class CredentialCommand extends SpindleCommand {

    private final InputStream in;

    CredentialCommand(PrintStream out, PrintStream err, InputStream in) {
        super(out, err);
        this.in = requireNonNull(in, "in is null");
    }

    @Override
    String name() {
        return "credential";
    }

    @Override
    String summary() {
        return "Hadoop's credential shell (create, list, delete, check ALIAS -provider URI) for JCEKS credential stores";
    }

    @Override
    Options options() {
        return new Options();
    }

    @Override
    public int run(String[] args) throws Exception {
        ClusterConnection.markEmbedded(getConf());
        List<String> shellArgs = FsCommand.withoutClusterOption(args);
        CredentialShell shell = new CredentialShell();
        shell.setConf(getConf());
        shell.setOut(out);
        shell.setErr(err);
        shell.setPasswordReader(new SecretReader(in, out));
        if (shellArgs.isEmpty() || shellArgs.get(0).equals("--help")) {
            out.println("usage: spindle credential create|list|delete|check ALIAS -provider URI; e.g. "
                    + "spindle credential create fs.s3a.secret.key -provider jceks://file/home/etl/s3.jceks");
            return shell.run(new String[] {"-help"});
        }
        return shell.run(shellArgs.toArray(new String[0]));
    }

    @Override
    ExitCode execute(CommandLine line) {
        throw new IllegalStateException("credential passes its arguments to CredentialShell");
    }

    /**
     * The terminal without echo when there is one; else one line of standard input, given for
     * both of the shell's prompts (it asks twice and compares).
     */
    private static final class SecretReader extends CredentialShell.PasswordReader {
        private final InputStream in;
        private final PrintStream out;
        private char[] line;

        SecretReader(InputStream in, PrintStream out) {
            this.in = in;
            this.out = out;
        }

        @Override
        public char[] readPassword(String prompt) {
            Console console = System.console();
            if (console != null && in == System.in) {
                return console.readPassword("%s", prompt);
            }
            if (line == null) {
                try {
                    String read = new BufferedReader(new InputStreamReader(in, UTF_8)).readLine();
                    line = read == null ? new char[0] : read.toCharArray();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("Cannot read the secret from standard input", e);
                }
            }
            return line.clone();
        }

        @Override
        public void format(String message) {
            out.println(message);
        }
    }
}
