package dev.spindle.yarn;

import java.io.IOException;
import java.security.SecureRandom;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * The per-job secret every endpoint request carries. It travels only inside YARN credentials
 * (the containers' token files), never in argv, environment variables, logs or staging.
 */
final class JobSecret {

    private static final Text ALIAS = new Text("spindle.job.secret");
    private static final int BYTES = 32;

    private JobSecret() {}

    static byte[] generate() {
        byte[] secret = new byte[BYTES];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    static void store(Credentials credentials, byte[] secret) {
        credentials.addSecretKey(ALIAS, secret);
    }

    /** The secret from this container's credentials. */
    static byte[] fromCurrentUser() throws IOException {
        byte[] secret = UserGroupInformation.getCurrentUser().getCredentials().getSecretKey(ALIAS);
        if (secret == null) {
            throw new IOException("The job secret is missing from this container's credentials (" + ALIAS + ")");
        }
        return secret;
    }
}
