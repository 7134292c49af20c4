package dev.tabscore.bundle.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A public key the trust configuration accepts, with its id: the sha256 of its PEM encoding exactly
 * as Python's {@code cryptography} writes it (SubjectPublicKeyInfo, base64 in 64-char lines, LF
 * line ends), which is the {@code verificationMaterial.publicKey.hint} model_signing puts in a
 * key-based signature. The id only selects the key; the signature is what proves it.
 *
 * @param key the key (EC P-256/P-384/P-521 or Ed25519)
 * @param id lowercase hex sha256 of the PEM
 * @param source where it was read from, for messages
 */
public record TrustedKey(PublicKey key, String id, String source) {

    /**
     * Wraps a key, computing its id.
     *
     * @param key the key
     * @param source where it came from
     * @return the trusted key
     */
    public static TrustedKey of(PublicKey key, String source) {
        return new TrustedKey(key, idOf(key), source);
    }

    /**
     * Returns the model_signing key id of a public key.
     *
     * @param key the key
     * @return lowercase hex sha256 of its PEM
     */
    public static String idOf(PublicKey key) {
        String b64 = Base64.getEncoder().encodeToString(key.getEncoded());
        StringBuilder pem = new StringBuilder("-----BEGIN PUBLIC KEY-----\n");
        for (int i = 0; i < b64.length(); i += 64) {
            pem.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
        }
        pem.append("-----END PUBLIC KEY-----\n");
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(pem.toString().getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
