package dev.spindle.yarn;

import java.io.IOException;
import java.security.PrivilegedExceptionAction;
import java.util.StringJoiner;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.yarn.api.ApplicationConstants.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user a container acts as: the one who submitted the application, as YARN names it in the
 * container's {@code USER} variable, not the operating-system user the NodeManager happens to
 * start the JVM as. Without Kerberos a NodeManager with the default container executor starts
 * every container as its own user; MapReduce's and Spark's masters run as the submitter the same
 * way, so the files a job writes belong to whoever submitted it (for example through
 * {@code HADOOP_USER_NAME}).
 */
final class ApplicationUser {

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationUser.class);

    private ApplicationUser() {
    }

    /**
     * Runs {@code action} as the application's user with this container's credentials (its job
     * secret and delegation tokens), or directly when the JVM already is that user.
     */
    static <T> T run(PrivilegedExceptionAction<T> action) throws IOException, InterruptedException {
        return run(System.getenv(Environment.USER.name()), action);
    }

    static <T> T run(String user, PrivilegedExceptionAction<T> action) throws IOException, InterruptedException {
        UserGroupInformation current = UserGroupInformation.getCurrentUser();
        // on a Kerberized cluster a container has no ticket nor keytab of its own: it runs on these tokens
        LOG.info("Running as {} with tokens: {}; Kerberos credentials: {}", user == null || user.isBlank() ? current.getShortUserName() : user,
                describeTokens(current.getCredentials()), current.hasKerberosCredentials() ? current.getUserName() : "none");
        if (user == null || user.isBlank() || user.equals(current.getShortUserName())) {
            try {
                return action.run();
            } catch (IOException | InterruptedException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
        UserGroupInformation submitter = UserGroupInformation.createRemoteUser(user);
        submitter.addCredentials(current.getCredentials());
        return submitter.doAs(action);
    }

    /** {@code [Kind: HDFS_DELEGATION_TOKEN, Service: 127.0.0.1:8020, ...]}: what a container may use, never a secret. */
    static String describeTokens(Credentials credentials) {
        StringJoiner tokens = new StringJoiner(", ", "[", "]");
        for (Token<?> token : credentials.getAllTokens()) {
            tokens.add("Kind: " + token.getKind() + ", Service: " + token.getService());
        }
        return tokens.toString();
    }
}
