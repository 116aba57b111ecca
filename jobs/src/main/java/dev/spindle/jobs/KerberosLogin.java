package dev.spindle.jobs;

import java.io.File;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonConfigurationKeysPublic;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * Kerberos for a command on a secure cluster ({@code hadoop.security.authentication=kerberos} in
 * its conf): Hadoop's login reads the cluster's conf, not only the site files on the class path,
 * and with {@code -D spindle.kerberos.principal=P -D spindle.kerberos.keytab=FILE} logs in from
 * that keytab. Without them Hadoop's login finds a ticket of {@code kinit} or the tokens of
 * {@code HADOOP_TOKEN_FILE_LOCATION}.
 */
final class KerberosLogin {

    static final String PRINCIPAL = "spindle.kerberos.principal";
    static final String KEYTAB = "spindle.kerberos.keytab";

    private KerberosLogin() {
    }

    /** Sets up Hadoop's login for {@code conf}; does nothing on a cluster without Kerberos and no keytab asked for. */
    static void apply(Configuration conf) throws IOException {
        String principal = blankToNull(conf.getTrimmed(PRINCIPAL));
        String keytab = blankToNull(conf.getTrimmed(KEYTAB));
        if ((principal == null) != (keytab == null)) {
            throw new UsageException("-D %s and -D %s go together".formatted(PRINCIPAL, KEYTAB));
        }
        boolean kerberos = "kerberos".equalsIgnoreCase(conf.getTrimmed(
                CommonConfigurationKeysPublic.HADOOP_SECURITY_AUTHENTICATION, "simple"));
        if (!kerberos) {
            if (principal != null) {
                throw new UsageException("-D %s needs a cluster conf with %s=kerberos".formatted(
                        PRINCIPAL, CommonConfigurationKeysPublic.HADOOP_SECURITY_AUTHENTICATION));
            }
            return;
        }
        if (keytab != null && !new File(keytab).isFile()) {
            throw new UsageException("Keytab not found (%s): %s".formatted(KEYTAB, keytab));
        }
        UserGroupInformation.setConfiguration(conf);
        if (principal != null) {
            UserGroupInformation.loginUserFromKeytab(principal, keytab);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
