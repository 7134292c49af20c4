package dev.tabscore.bundle.signing;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the PEM files of a trust configuration: public keys and X.509 certificates. */
final class PemFiles {

    private static final Pattern PUBLIC_KEY =
            Pattern.compile(
                    "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

    private PemFiles() {}

    /**
     * Reads every {@code PUBLIC KEY} block of a PEM file (EC or Ed25519 SubjectPublicKeyInfo).
     *
     * @param pem the file's bytes
     * @param source the file, for messages
     * @return at least one key
     * @throws TrustConfigException if there is none or one does not parse
     */
    static List<PublicKey> publicKeys(byte[] pem, String source) {
        Matcher m = PUBLIC_KEY.matcher(new String(pem, StandardCharsets.US_ASCII));
        List<PublicKey> out = new ArrayList<>();
        while (m.find()) {
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(1).strip());
            } catch (IllegalArgumentException e) {
                throw new TrustConfigException("trust key " + source + ": bad base64", e);
            }
            out.add(decodeKey(der, source));
        }
        if (out.isEmpty()) {
            throw new TrustConfigException(
                    "trust key "
                            + source
                            + " holds no '-----BEGIN PUBLIC"
                            + " KEY-----' block (a PEM SubjectPublicKeyInfo, as `openssl ec -pubout`"
                            + " writes)",
                    null);
        }
        return out;
    }

    private static PublicKey decodeKey(byte[] der, String source) {
        GeneralSecurityException last = null;
        for (String alg : new String[] {"EC", "Ed25519"}) {
            try {
                PublicKey k =
                        KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
                Dsse.algorithmFor(k); // refuses curves we do not verify
                return k;
            } catch (GeneralSecurityException e) {
                last = e;
            } catch (IllegalArgumentException e) {
                throw new TrustConfigException("trust key " + source + ": " + e.getMessage(), e);
            }
        }
        throw new TrustConfigException(
                "trust key "
                        + source
                        + " is neither an EC nor an Ed25519"
                        + " public key: "
                        + last.getMessage(),
                last);
    }

    /**
     * Reads every certificate of a PEM file.
     *
     * @param pem the file's bytes
     * @param source the file, for messages
     * @return at least one certificate
     * @throws TrustConfigException if there is none or one does not parse
     */
    static List<X509Certificate> certificates(byte[] pem, String source) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            for (var c :
                    CertificateFactory.getInstance("X.509")
                            .generateCertificates(new ByteArrayInputStream(pem))) {
                out.add((X509Certificate) c);
            }
        } catch (CertificateException e) {
            throw new TrustConfigException(
                    "trust root "
                            + source
                            + " is not a PEM X.509"
                            + " certificate file: "
                            + e.getMessage(),
                    e);
        }
        if (out.isEmpty()) {
            throw new TrustConfigException("trust root " + source + " holds no certificate", null);
        }
        return out;
    }
}
