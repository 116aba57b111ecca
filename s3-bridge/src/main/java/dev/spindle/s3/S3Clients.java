package dev.spindle.s3;

import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Builds the SDK client of one bucket from its {@link S3Config}. */
final class S3Clients {

    private S3Clients() {}

    static S3Client create(S3Config config, List<ExecutionInterceptor> interceptors) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder()
                        .maxConnections(config.maxConnections())
                        .connectionTimeout(config.connectTimeout())
                        .socketTimeout(config.socketTimeout()))
                .region(Region.of(config.region()))
                .forcePathStyle(config.pathStyle())
                // checksums only where S3 requires them: S3-compatible stores (Ceph, MinIO, S3Proxy)
                // differ in the flexible checksums they accept; every read checks its byte count
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(credentials(config))
                .overrideConfiguration(override -> {
                    // Retrier retries and counts every retry; the SDK's own would hide them
                    override.retryStrategy(AwsRetryStrategy.doNotRetry());
                    interceptors.forEach(override::addExecutionInterceptor);
                });
        config.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(S3Config config) {
        if (config.keys().isPresent()) {
            S3Config.Keys keys = config.keys().get();
            return StaticCredentialsProvider.create(keys.sessionToken().isPresent()
                    ? AwsSessionCredentials.create(keys.accessKey(), keys.secretKey(), keys.sessionToken().get())
                    : AwsBasicCredentials.create(keys.accessKey(), keys.secretKey()));
        }
        if (config.profile().isPresent()) {
            return ProfileCredentialsProvider.create(config.profile().get());
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
