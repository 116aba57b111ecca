package dev.spindle.s3;

import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.FileStoreContractTest;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The storage contract against a real S3-compatible server on 127.0.0.1. */
class S3FileStoreContractTest extends FileStoreContractTest {

    @RegisterExtension
    static final S3Server SERVER = new S3Server();

    private static final AtomicInteger TESTS = new AtomicInteger();
    private static S3FileStore store;
    private String root;

    @BeforeAll
    static void startStore() {
        SERVER.createBucket("contract");
        store = S3FileStore.create(SERVER.configuration());
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    @BeforeEach
    void newRoot() {
        root = "s3://contract/test-" + TESTS.incrementAndGet();
    }

    @Override
    protected FileStore store() {
        return store;
    }

    @Override
    protected String root() {
        return root;
    }
}
