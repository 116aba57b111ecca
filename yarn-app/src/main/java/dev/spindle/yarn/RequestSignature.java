package dev.spindle.yarn;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a request to the AM's endpoint proves it knows the job's secret without sending it: an
 * HMAC-SHA256, keyed with the secret, over the method, the path, a timestamp, a one-time nonce
 * and the SHA-256 of the body. The endpoint refuses a request whose MAC is missing or wrong,
 * whose timestamp is further than the window from its clock, or whose nonce it has seen within
 * the window, so a request seen on the wire can be neither altered nor replayed.
 */
final class RequestSignature {

    static final String TIMESTAMP_HEADER = "X-Spindle-Timestamp";
    static final String NONCE_HEADER = "X-Spindle-Nonce";
    static final String SIGNATURE_HEADER = "X-Spindle-Signature";
    private static final String ALGORITHM = "HmacSHA256";

    /** The three headers of one signed request. */
    record Signed(String timestamp, String nonce, String signature) {}

    private RequestSignature() {}

    /**
     * The text the MAC covers: {@code METHOD \n path \n timestamp \n nonce \n hex(sha256(body))};
     * {@code path} is the raw path with its query, if any.
     */
    static String canonical(String method, String path, String timestamp, String nonce, byte[] body) {
        return String.join("\n", method, path, timestamp, nonce, HexFormat.of().formatHex(sha256(body)));
    }

    static byte[] mac(byte[] secret, String canonical) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            return mac.doFinal(canonical.getBytes(UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** Signs requests of a worker or the driver. Thread-safe. */
    static final class Signer {
        private final byte[] secret;
        private final LongSupplier clock;
        private final SecureRandom random = new SecureRandom();

        Signer(byte[] secret, LongSupplier clock) {
            this.secret = requireNonNull(secret, "secret is null").clone();
            this.clock = requireNonNull(clock, "clock is null");
        }

        /** Fresh headers for one try of a request: every try has its own timestamp and nonce. */
        Signed sign(String method, String path, byte[] body) {
            byte[] nonceBytes = new byte[16];
            random.nextBytes(nonceBytes);
            String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(nonceBytes);
            String timestamp = Long.toString(clock.getAsLong());
            byte[] mac = mac(secret, canonical(method, path, timestamp, nonce, body));
            return new Signed(timestamp, nonce, Base64.getEncoder().encodeToString(mac));
        }
    }

    /** Checks requests at the endpoint and remembers the nonces of the window. Thread-safe. */
    static final class Verifier {
        private final byte[] secret;
        private final LongSupplier clock;
        private final long windowMillis;
        /** Nonces accepted within the window, oldest first, with their request's timestamp. */
        private final Map<String, Long> seen = new LinkedHashMap<>();

        Verifier(byte[] secret, LongSupplier clock, long windowMillis) {
            this.secret = requireNonNull(secret, "secret is null").clone();
            this.clock = requireNonNull(clock, "clock is null");
            if (windowMillis <= 0) {
                throw new IllegalArgumentException("windowMillis must be positive: " + windowMillis);
            }
            this.windowMillis = windowMillis;
        }

        /**
         * Why the request is refused, for the AM's log only (the caller gets no reason); empty
         * when it is accepted, which uses up its nonce.
         */
        Optional<String> refusal(String method, String path, Signed signed, byte[] body) {
            if (signed.timestamp() == null || signed.nonce() == null || signed.signature() == null) {
                return Optional.of("unsigned request");
            }
            byte[] presented;
            try {
                presented = Base64.getDecoder().decode(signed.signature());
            } catch (IllegalArgumentException e) {
                return Optional.of("signature is not base64");
            }
            byte[] expected = mac(secret, canonical(method, path, signed.timestamp(), signed.nonce(), body));
            if (!MessageDigest.isEqual(expected, presented)) {
                return Optional.of("wrong signature");
            }
            long timestamp;
            try {
                timestamp = Long.parseLong(signed.timestamp());
            } catch (NumberFormatException e) {
                return Optional.of("timestamp is not a number");
            }
            long now = clock.getAsLong();
            if (Math.abs(now - timestamp) > windowMillis) {
                return Optional.of("timestamp %d is %d ms from the AM's clock, over the window of %d ms (%s)"
                        .formatted(timestamp, now - timestamp, windowMillis, YarnAppConfig.RPC_SIGNATURE_WINDOW_MS));
            }
            synchronized (seen) {
                for (Iterator<Long> it = seen.values().iterator(); it.hasNext(); ) {
                    if (it.next() < now - 2 * windowMillis) {
                        it.remove();
                    } else {
                        break;
                    }
                }
                if (seen.putIfAbsent(signed.nonce(), timestamp) != null) {
                    return Optional.of("replayed nonce");
                }
            }
            return Optional.empty();
        }
    }
}
