package dev.tabscore.bundle.signing;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tabscore.bundle.BundleException;
import java.security.PublicKey;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the signature parser: {@link SigstoreBundle#parse} (strict JSON,
 * base64, DER certificates), the DSSE verification of what it yields with a fixed EC key ({@link
 * Dsse#verify}: malformed DER signatures) and {@link InTotoStatement#parse} of its payload. A file
 * either parses or is refused with a {@link BundleException}; any other exception, an {@link
 * OutOfMemoryError} or a run over the timeout is a finding.
 *
 * <p>Seeds in {@code SignatureFuzzTestInputs/parse/}: a key-based and a certificate-based signature
 * made by model_signing 1.1.1 (test resources {@code signed/}).
 */
class SignatureFuzzTest {

    private static final PublicKey KEY =
            PemFiles.publicKeys(
                            ("-----BEGIN PUBLIC KEY-----\n"
                                            + "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE+aawmlBHZIojrbYknN31CXxDPVYM\n"
                                            + "zO5kl4JkQ4jwpwLwXI7SI4yPamMtVn0kXsFw8j/rh/Io04w9T+zmSpaqWA==\n"
                                            + "-----END PUBLIC KEY-----\n")
                                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                            "fuzz")
                    .get(0);

    @FuzzTest(maxDuration = "60s")
    @Timeout(10)
    void parse(byte[] data) {
        try {
            SigstoreBundle b = SigstoreBundle.parse(data, "model.sig");
            Dsse.verify(KEY, b.payloadType(), b.payload(), b.signature());
            if (!b.chain().isEmpty()) {
                CertificateChains.validate(
                        b.chain(), List.of(b.chain().get(b.chain().size() - 1)), "model.sig");
            }
            InTotoStatement.parse(b.payload(), "model.sig");
        } catch (BundleException refused) {
            // The only way a hostile signature file may end.
        }
    }
}
