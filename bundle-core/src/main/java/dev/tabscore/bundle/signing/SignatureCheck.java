package dev.tabscore.bundle.signing;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.io.BundleFiles;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Verifies a bundle's OpenSSF model_signing signature, {@code model.sig} inside the bundle
 * directory, before anything in the bundle is parsed. In order: the signature file parses ({@link
 * SigstoreBundle}); the signer is trusted — a key-based signature must name (key hint) or verify
 * with a configured key, a certificate-based one must chain to a configured root ({@link
 * CertificateChains}); keyless ones are refused, since their Fulcio certificate and Rekor entry
 * cannot be checked offline; the DSSE signature verifies ({@link Dsse}); the signed in-toto
 * statement is well formed ({@link InTotoStatement}); the bundle's files are exactly the signed
 * ones, byte for byte ({@link SignedFileList}), {@code manifest.json} included and hashed from the
 * bytes the caller parses next. Every artifact the manifest lists then has its sha256 checked
 * against that signed manifest, so the signature covers everything that is loaded.
 */
public final class SignatureCheck {

    /** The signature's file name inside the bundle (model_signing's default). */
    public static final String SIGNATURE = "model.sig";

    private SignatureCheck() {}

    /**
     * Verifies the signature if the trust configuration asks for it.
     *
     * @param files the bundle's files
     * @param manifestName the manifest's file name
     * @param manifestBytes the manifest's bytes, as they will be parsed
     * @param trust whom to trust
     * @return the signer, or null when nothing was verified (no trust configured, or an unsigned
     *     bundle while a signature is not required)
     * @throws SignatureFormatException with {@link Reason#SIGNATURE_MISSING}, {@link
     *     Reason#SIGNATURE_INVALID}, {@link Reason#SIGNER_UNTRUSTED} or {@link
     *     Reason#SIGNED_FILES_MISMATCH}
     */
    public static Signer verify(
            BundleFiles files, String manifestName, byte[] manifestBytes, TrustConfig trust) {
        if (!trust.active()) {
            return null;
        }
        String where = files.describe(SIGNATURE);
        if (!files.exists(SIGNATURE)) {
            if (trust.requireSignature()) {
                throw new SignatureFormatException(
                        Reason.SIGNATURE_MISSING,
                        "bundle "
                                + files.uri()
                                + " refused: it is not signed (no "
                                + SIGNATURE
                                + "), and a signature is required");
            }
            return null;
        }
        SigstoreBundle sig =
                SigstoreBundle.parse(files.read(SIGNATURE, SigstoreBundle.MAX_BYTES), where);
        if (sig.keyless()) {
            throw new SignatureFormatException(
                    Reason.SIGNER_UNTRUSTED,
                    "bundle refused:"
                            + " signature "
                            + where
                            + " is a keyless Sigstore signature (Fulcio"
                            + " certificate, transparency log); tabscore verifies key- and"
                            + " certificate-based model_signing signatures only, offline");
        }
        Signer signer =
                sig.chain().isEmpty()
                        ? byKey(sig, trust.keys(), where)
                        : byCertificate(sig, trust.roots(), where);
        InTotoStatement statement = InTotoStatement.parse(sig.payload(), where);
        SignedFileList.check(files, statement, manifestName, manifestBytes, SIGNATURE, where);
        return signer;
    }

    private static Signer byKey(SigstoreBundle sig, List<TrustedKey> keys, String where) {
        String named = sig.keyHint() == null ? "an unnamed key" : "key sha256:" + sig.keyHint();
        if (keys.isEmpty()) {
            throw untrusted(
                    "bundle refused: signature "
                            + where
                            + " is made by "
                            + named
                            + ", but no trusted key is configured (--trust-key)");
        }
        List<TrustedKey> candidates =
                sig.keyHint() == null
                        ? keys
                        : keys.stream().filter(k -> k.id().equals(sig.keyHint())).toList();
        if (candidates.isEmpty()) {
            throw untrusted(
                    "bundle refused: signature "
                            + where
                            + " is made by "
                            + named
                            + ", which is not a trusted key (trusted: "
                            + keys.stream()
                                    .map(k -> "sha256:" + k.id() + " from " + k.source())
                                    .toList()
                            + ")");
        }
        for (TrustedKey k : candidates) {
            if (verifies(k.key(), sig, where)) {
                return new Signer("key", k.id(), null, null);
            }
        }
        if (sig.keyHint() == null) {
            throw untrusted(
                    "bundle refused: signature "
                            + where
                            + " names no key and verifies"
                            + " with none of the "
                            + keys.size()
                            + " trusted keys");
        }
        throw new SignatureFormatException(
                Reason.SIGNATURE_INVALID,
                "bundle refused: signature "
                        + where
                        + " does not verify with the trusted key it names, sha256:"
                        + sig.keyHint()
                        + " ("
                        + candidates.get(0).source()
                        + "): the signature or the"
                        + " signed statement was altered");
    }

    private static Signer byCertificate(
            SigstoreBundle sig, List<X509Certificate> roots, String where) {
        X509Certificate leaf = CertificateChains.validate(sig.chain(), roots, where);
        String subject = leaf.getSubjectX500Principal().getName();
        if (!verifies(leaf.getPublicKey(), sig, where)) {
            throw new SignatureFormatException(
                    Reason.SIGNATURE_INVALID,
                    "bundle refused:"
                            + " signature "
                            + where
                            + " does not verify with the key of its certificate '"
                            + subject
                            + "': the signature or the signed statement was altered");
        }
        return new Signer(
                "certificate",
                TrustedKey.idOf(leaf.getPublicKey()),
                subject,
                leaf.getIssuerX500Principal().getName());
    }

    private static boolean verifies(PublicKey key, SigstoreBundle sig, String where) {
        try {
            return Dsse.verify(key, sig.payloadType(), sig.payload(), sig.signature());
        } catch (IllegalArgumentException e) {
            throw new SignatureFormatException(
                    Reason.SIGNATURE_INVALID,
                    "bundle refused:" + " signature " + where + ": " + e.getMessage(),
                    e);
        }
    }

    private static SignatureFormatException untrusted(String message) {
        return new SignatureFormatException(Reason.SIGNER_UNTRUSTED, message);
    }
}
