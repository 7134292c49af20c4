package dev.tabscore.bundle.signing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;

/**
 * DSSE (Dead Simple Signing Envelope, secure-systems-lab/dsse v1.0.0) signature verification,
 * written against the JDK's {@code java.security} instead of pulling in dev.sigstore:sigstore-java
 * (its build declares gRPC, protobuf, Bouncy Castle, commons-codec, gson and Google's HTTP and
 * OAuth clients, for the keyless Fulcio/Rekor flows tabscore does not verify, and next to Spark's
 * own copies of several of them). What is signed is not the payload but its pre-authentication
 * encoding:
 *
 * <pre>PAE(type, body) = "DSSEv1" SP len(type) SP type SP len(body) SP body</pre>
 *
 * <p>with lengths as ASCII decimal byte counts (model_signing's {@code sign_sigstore_pb.pae}). The
 * signature scheme follows the key, as model_signing chooses it: ECDSA with SHA-256 on P-256,
 * SHA-384 on P-384, SHA-512 on P-521, the signature DER-encoded; Ed25519 (64 raw bytes) for an
 * Ed25519 key. model_signing releases before 1.0 signed a mis-encoded PAE ("DSSEV1 ... b'...'");
 * those signatures are refused here (re-sign with model_signing 1.x).
 */
public final class Dsse {

    private Dsse() {}

    /**
     * Returns the pre-authentication encoding.
     *
     * @param payloadType the envelope's payload type
     * @param payload the decoded payload
     * @return the bytes the signature covers
     */
    public static byte[] pae(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
        out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(type);
        out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /**
     * Returns the JCA signature algorithm for a key, as model_signing pairs them.
     *
     * @param key an EC or Ed25519 public key
     * @return e.g. {@code SHA256withECDSA}
     * @throws IllegalArgumentException for another key type or curve size
     */
    static String algorithmFor(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return switch (bits) {
                case 256 -> "SHA256withECDSA";
                case 384 -> "SHA384withECDSA";
                case 521 -> "SHA512withECDSA";
                default ->
                        throw new IllegalArgumentException(
                                "EC key of "
                                        + bits
                                        + " bits: only P-256, P-384 and P-521 are verified");
            };
        }
        if (key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA")) {
            return "Ed25519";
        }
        throw new IllegalArgumentException(
                "key type "
                        + key.getAlgorithm()
                        + " is not verified (EC P-256/P-384/P-521 or Ed25519)");
    }

    /**
     * Verifies a DSSE signature.
     *
     * @param key the signer's public key
     * @param payloadType the envelope's payload type
     * @param payload the decoded payload
     * @param signature the decoded signature
     * @return true if it verifies; false for a wrong or malformed signature
     * @throws IllegalArgumentException if the key type is not supported
     */
    public static boolean verify(
            PublicKey key, String payloadType, byte[] payload, byte[] signature) {
        try {
            Signature s = Signature.getInstance(algorithmFor(key));
            s.initVerify(key);
            s.update(pae(payloadType, payload));
            return s.verify(signature);
        } catch (java.security.SignatureException e) {
            return false; // a malformed DER or wrong-length signature does not verify
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "cannot verify with a " + key.getAlgorithm() + " key: " + e.getMessage(), e);
        }
    }
}
