package dev.tabscore.bundle.signing;

/**
 * Who signed a bundle, once the signature verified and the signer is trusted.
 *
 * @param kind {@code key} or {@code certificate}
 * @param keyId the key id: lowercase hex sha256 of the public key's PEM (SubjectPublicKeyInfo), the
 *     same value model_signing writes as the key hint
 * @param subject the signing certificate's subject (RFC 2253), null for a key
 * @param issuer the signing certificate's issuer (RFC 2253), null for a key
 */
public record Signer(String kind, String keyId, String subject, String issuer) {

    /**
     * Returns the identity as one string, for the {@code bundle_signer} column and summaries:
     * {@code key:sha256:<hex>} or {@code certificate:<subject>}.
     *
     * @return the identity
     */
    public String identity() {
        return kind.equals("key") ? "key:sha256:" + keyId : "certificate:" + subject;
    }

    /**
     * Returns a line for people: the identity, plus the issuer and key for a certificate.
     *
     * @return the description
     */
    public String describe() {
        return kind.equals("key")
                ? "key sha256:" + keyId
                : "certificate "
                        + subject
                        + " (issued by "
                        + issuer
                        + ", key sha256:"
                        + keyId
                        + ")";
    }
}
