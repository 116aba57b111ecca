package dev.spindle.jobs;

import java.io.File;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.yarn.client.ClientRMProxy;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.util.ConverterUtils;

/**
 * What Oozie's launcher (or a scheduler) does before it starts a client without a ticket: logs
 * in from a keytab and writes the user's HDFS and ResourceManager delegation tokens, renewable
 * by the ResourceManager, to a token file for {@code HADOOP_TOKEN_FILE_LOCATION}.
 *
 * <p>Arguments: the cluster's conf dir, the principal, its keytab, the token file to write.
 */
final class TokenFileMain {

    private TokenFileMain() {
    }

    public static void main(String[] args) throws Exception {
        Configuration conf = new YarnConfiguration(ClusterConnection.configure(Optional.of(args[0]), Map.of()));
        UserGroupInformation.setConfiguration(conf);
        UserGroupInformation.loginUserFromKeytab(args[1], args[2]);
        String renewer = conf.get(YarnConfiguration.RM_PRINCIPAL);
        Credentials credentials = new Credentials();
        FileSystem.get(conf).addDelegationTokens(renewer, credentials);
        try (YarnClient yarn = YarnClient.createYarnClient()) {
            yarn.init(conf);
            yarn.start();
            Token<?> rmToken = ConverterUtils.convertFromYarn(yarn.getRMDelegationToken(new Text(renewer)),
                    ClientRMProxy.getRMDelegationTokenService(conf));
            credentials.addToken(rmToken.getService(), rmToken);
        }
        credentials.writeTokenStorageFile(new Path(new File(args[3]).getAbsoluteFile().toURI()), conf);
        for (Token<?> token : credentials.getAllTokens()) {
            System.out.println("token " + token.getKind() + " " + token.getService());
        }
    }
}
