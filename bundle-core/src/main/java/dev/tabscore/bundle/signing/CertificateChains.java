package dev.tabscore.bundle.signing;

import dev.tabscore.bundle.Reason;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a certificate-based signature's chain the way model_signing's certificate verifier does,
 * with the JDK's PKIX validator instead of OpenSSL: the chain (leaf first, then the intermediates
 * the signature carries) must lead to one of the configured roots; every certificate must be valid
 * at the leaf's notBefore (there is no trusted timestamp, so that is the signing time model_signing
 * assumes: a chain that expired after signing still verifies, one used before it was valid or
 * signed by an expired CA does not); revocation is not checked (offline, no CRL); intermediates
 * must be CAs allowed to sign certificates; and the leaf must allow signing: key usage
 * digitalSignature, or else extended key usage codeSigning.
 */
final class CertificateChains {

    private static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";

    private CertificateChains() {}

    /**
     * Validates the chain and returns the leaf.
     *
     * @param chain leaf first
     * @param roots the trust anchors
     * @param where the signature file, for messages
     * @return the leaf, trusted to sign
     * @throws SignatureFormatException ({@link Reason#SIGNER_UNTRUSTED}) naming the leaf's subject
     *     and why
     */
    static X509Certificate validate(
            List<X509Certificate> chain, List<X509Certificate> roots, String where) {
        X509Certificate leaf = chain.get(0);
        String who = leaf.getSubjectX500Principal().getName();
        if (roots.isEmpty()) {
            throw untrusted(
                    "bundle refused: signature "
                            + where
                            + " is made by certificate '"
                            + who
                            + "', but no trusted root is configured (--trust-root)");
        }
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate r : roots) {
            anchors.add(new TrustAnchor(r, null));
        }
        // The roots travel as anchors; a root the signer appended to its chain is dropped, as
        // PKIX wants the path without its anchor.
        List<X509Certificate> path = chain.stream().filter(c -> !roots.contains(c)).toList();
        try {
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(leaf.getNotBefore());
            CertPathValidator.getInstance("PKIX")
                    .validate(
                            CertificateFactory.getInstance("X.509").generateCertPath(path), params);
        } catch (CertPathValidatorException e) {
            throw untrusted(
                    "bundle refused: signature "
                            + where
                            + " is made by certificate '"
                            + who
                            + "' (issued by '"
                            + leaf.getIssuerX500Principal().getName()
                            + "'), which does not chain to a trusted root: "
                            + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw untrusted(
                    "bundle refused: signature "
                            + where
                            + ": the chain of certificate '"
                            + who
                            + "' cannot be checked: "
                            + e.getMessage());
        }
        if (!maySign(leaf)) {
            throw untrusted(
                    "bundle refused: signature "
                            + where
                            + " is made by certificate '"
                            + who
                            + "', whose key usage allows neither digitalSignature nor (extended)"
                            + " codeSigning");
        }
        return leaf;
    }

    private static boolean maySign(X509Certificate leaf) {
        boolean[] usage = leaf.getKeyUsage();
        if (usage != null && usage[0]) {
            return true;
        }
        try {
            List<String> ext = leaf.getExtendedKeyUsage();
            return ext != null && ext.contains(CODE_SIGNING);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    private static SignatureFormatException untrusted(String message) {
        return new SignatureFormatException(Reason.SIGNER_UNTRUSTED, message);
    }
}
