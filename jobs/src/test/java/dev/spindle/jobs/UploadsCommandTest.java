package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.s3.S3Config;
import dev.spindle.s3.S3Server;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/** {@code spindle uploads} lists and aborts the multipart uploads left under a directory, on a real S3 server. */
class UploadsCommandTest {

    @RegisterExtension
    static final S3Server SERVER = new S3Server();

    private CliRun run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new java.util.ArrayList<>(List.of("uploads",
                "-D", S3Config.ENDPOINT + "=" + SERVER.endpoint(), "-D", S3Config.PATH_STYLE + "=true",
                "-D", S3Config.ACCESS_KEY + "=" + S3Server.ACCESS_KEY, "-D", S3Config.SECRET_KEY + "=" + S3Server.SECRET_KEY));
        all.addAll(List.of(args));
        int code = new SpindleCli(new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8), Map.of())
                .run(all.toArray(new String[0]));
        return new CliRun(code, out.toString(UTF_8), err.toString(UTF_8));
    }

    @Test
    void listsThenAbortsTheUploadsUnderADirectoryOnly() {
        SERVER.createBucket("left");
        try (S3Client s3 = SERVER.client()) {
            String orphan = s3.createMultipartUpload(b -> b.bucket("left").key("out/part-00000.avro")).uploadId();
            String elsewhere = s3.createMultipartUpload(b -> b.bucket("left").key("outside/part-00000.avro")).uploadId();

            CliRun listed = run("s3://left/out");
            assertEquals(0, listed.exitCode(), listed.toString());
            assertTrue(listed.out().contains("\ts3://left/out/part-00000.avro\t" + orphan + "\n"), listed.toString());
            assertTrue(listed.out().endsWith("1 pending uploads under s3://left/out\n"), listed.toString());
            assertEquals(2, s3.listMultipartUploads(b -> b.bucket("left")).uploads().size(), "listing aborts nothing");

            CliRun aborted = run("--abort", "s3://left/out");
            assertEquals(0, aborted.exitCode(), aborted.toString());
            assertTrue(aborted.out().endsWith("1 pending uploads aborted under s3://left/out\n"), aborted.toString());
            assertEquals(List.of(elsewhere), s3.listMultipartUploads(b -> b.bucket("left")).uploads().stream()
                    .map(MultipartUpload::uploadId).toList());
            assertTrue(run("s3://left/out").out().endsWith("0 pending uploads under s3://left/out\n"));
        }
    }
}
