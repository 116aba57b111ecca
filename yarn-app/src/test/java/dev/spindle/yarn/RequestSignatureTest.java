package dev.spindle.yarn;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestSignatureTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(UTF_8);
    private static final byte[] BODY = "{\"worker\":\"w1\"}".getBytes(UTF_8);

    private final long[] now = {1_000_000};
    private final RequestSignature.Signer signer = new RequestSignature.Signer(SECRET, () -> now[0]);
    private final RequestSignature.Verifier verifier = new RequestSignature.Verifier(SECRET, () -> now[0], 60_000);

    @Test
    void theMacCoversMethodPathTimestampNonceAndTheBodysDigest() {
        String canonical = RequestSignature.canonical("POST", "/v1/next", "1000000", "n1", BODY);
        assertEquals("POST\n/v1/next\n1000000\nn1\n" + sha256Hex(BODY), canonical);
        // RFC 4231 test case 2: HMAC-SHA256 of "what do ya want for nothing?" keyed "Jefe"
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                HexFormat.of().formatHex(RequestSignature.mac("Jefe".getBytes(UTF_8), "what do ya want for nothing?")));
    }

    @Test
    void acceptsASignedRequestOnceWithinTheWindow() {
        RequestSignature.Signed signed = signer.sign("POST", "/v1/next", BODY);
        assertEquals(Optional.empty(), verifier.refusal("POST", "/v1/next", signed, BODY));
        assertEquals(Optional.of("replayed nonce"), verifier.refusal("POST", "/v1/next", signed, BODY));
        RequestSignature.Signed again = signer.sign("POST", "/v1/next", BODY);
        assertNotEquals(signed.nonce(), again.nonce(), "every request has its own nonce");
        assertEquals(Optional.empty(), verifier.refusal("POST", "/v1/next", again, BODY));
    }

    @Test
    void refusesWhatWasNotSignedWithTheSecretOrWasAltered() {
        RequestSignature.Signed signed = signer.sign("POST", "/v1/report", BODY);
        assertEquals(Optional.of("wrong signature"), verifier.refusal("POST", "/v1/report", signed, "{\"worker\":\"w2\"}".getBytes(UTF_8)));
        assertEquals(Optional.of("wrong signature"), verifier.refusal("POST", "/v1/next", signed, BODY));
        assertEquals(Optional.of("wrong signature"), verifier.refusal("GET", "/v1/report", signed, BODY));
        assertEquals(Optional.of("wrong signature"), verifier.refusal("POST", "/v1/report",
                new RequestSignature.Signed(Long.toString(now[0] + 1), signed.nonce(), signed.signature()), BODY));
        RequestSignature.Signed stranger = new RequestSignature.Signer("other".getBytes(UTF_8), () -> now[0]).sign("POST", "/v1/report", BODY);
        assertEquals(Optional.of("wrong signature"), verifier.refusal("POST", "/v1/report", stranger, BODY));
        assertEquals(Optional.of("unsigned request"), verifier.refusal("POST", "/v1/report", new RequestSignature.Signed(null, null, null), BODY));
        assertEquals(Optional.of("signature is not base64"), verifier.refusal("POST", "/v1/report",
                new RequestSignature.Signed("1", "n", "not base64!"), BODY));
        assertEquals(Optional.empty(), verifier.refusal("POST", "/v1/report", signed, BODY), "the refusals did not use up its nonce");
    }

    @Test
    void refusesARequestFromOutsideTheWindowAndForgetsNoncesOnlyOnceTheyCannotPassIt() {
        RequestSignature.Signed old = signer.sign("GET", "/v1/status", new byte[0]);
        assertEquals(Optional.empty(), verifier.refusal("GET", "/v1/status", old, new byte[0]));
        now[0] += 60_001;
        assertEquals(Optional.of("timestamp 1000000 is 60001 ms from the AM's clock, over the window of 60000 ms (spindle.yarn.rpc.signature-window-ms)"),
                verifier.refusal("GET", "/v1/status", old, new byte[0]));
        RequestSignature.Signed future = new RequestSignature.Signer(SECRET, () -> now[0] + 60_001).sign("GET", "/v1/status", new byte[0]);
        assertEquals(true, verifier.refusal("GET", "/v1/status", future, new byte[0]).orElseThrow().startsWith("timestamp "));
        now[0] += 200_000;
        assertEquals(true, verifier.refusal("GET", "/v1/status", old, new byte[0]).orElseThrow().startsWith("timestamp "),
                "a forgotten nonce is still refused by its timestamp");
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
