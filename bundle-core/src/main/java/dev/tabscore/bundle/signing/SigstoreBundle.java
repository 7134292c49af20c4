package dev.tabscore.bundle.signing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tabscore.bundle.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The Sigstore bundle (protobuf-specs {@code dev.sigstore.bundle.v1.Bundle}, JSON) that
 * model_signing writes as {@code model.sig} for key- and certificate-based signing:
 *
 * <pre>{@code
 * {"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
 *  "verificationMaterial": {"publicKey": {"hint": "<sha256 of the key's PEM>"}, "tlogEntries": []}
 *                       or {"x509CertificateChain": {"certificates": [{"rawBytes": "<DER b64>"},
 *                           ...leaf first]}, "tlogEntries": []},
 *  "dsseEnvelope": {"payload": "<b64 in-toto statement>",
 *                   "payloadType": "application/vnd.in-toto+json",
 *                   "signatures": [{"sig": "<b64>", "keyid": ""}]}}
 * }</pre>
 *
 * <p>Parsing checks the form only; nothing here is trusted yet. A keyless bundle (a Fulcio {@code
 * certificate} or transparency-log entries) is recognised and reported as such, so that the check
 * can refuse it by name.
 *
 * @param keyHint the key id a key-based signature names, or null
 * @param chain the certificate chain of a certificate-based signature, leaf first; empty for a key
 * @param keyless whether the bundle is a keyless (Fulcio + Rekor) one
 * @param payloadType the DSSE payload type
 * @param payload the decoded DSSE payload (the in-toto statement)
 * @param signature the decoded signature
 */
public record SigstoreBundle(
        String keyHint,
        List<X509Certificate> chain,
        boolean keyless,
        String payloadType,
        byte[] payload,
        byte[] signature) {

    /** The media type model_signing 1.x writes. */
    public static final String MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";

    /** The DSSE payload type of an in-toto statement. */
    public static final String IN_TOTO = "application/vnd.in-toto+json";

    /** The largest signature file read. */
    public static final int MAX_BYTES = 16 << 20;

    private static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .build();

    static {
        MAPPER.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder()
                                .maxNestingDepth(64)
                                .maxStringLength(MAX_BYTES)
                                .build());
    }

    /**
     * Parses a signature file.
     *
     * @param bytes the file
     * @param where the file's location, for messages
     * @return the parsed bundle
     * @throws SignatureFormatException ({@link Reason#SIGNATURE_INVALID}) naming what is wrong
     */
    public static SigstoreBundle parse(byte[] bytes, String where) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw invalid(
                    where,
                    "is not valid JSON (truncated or corrupt): " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw invalid(where, "is not a JSON object");
        }
        String media = text(root, "mediaType", where);
        if (!MEDIA_TYPE.equals(media)) {
            throw invalid(
                    where,
                    "has mediaType '" + media + "'; model_signing 1.x writes '" + MEDIA_TYPE + "'");
        }
        JsonNode vm = object(root, "verificationMaterial", where);
        JsonNode env = root.get("dsseEnvelope");
        if (env == null || !env.isObject()) {
            throw invalid(
                    where,
                    "has no dsseEnvelope object (a message signature is not a"
                            + " model_signing model signature)");
        }
        JsonNode tlog = vm.get("tlogEntries");
        boolean keyless =
                vm.has("certificate") || (tlog != null && tlog.isArray() && !tlog.isEmpty());
        String hint = null;
        List<X509Certificate> chain = new ArrayList<>();
        if (!keyless) {
            if (vm.has("publicKey") == vm.has("x509CertificateChain")) {
                throw invalid(
                        where,
                        "verificationMaterial must hold exactly one of publicKey"
                                + " and x509CertificateChain");
            }
            if (vm.has("publicKey")) {
                JsonNode h = object(vm, "publicKey", where).get("hint");
                hint = h == null || h.isNull() ? null : h.asText();
            } else {
                JsonNode certs = object(vm, "x509CertificateChain", where).get("certificates");
                if (certs == null || !certs.isArray() || certs.isEmpty()) {
                    throw invalid(where, "x509CertificateChain has no certificates");
                }
                for (int i = 0; i < certs.size(); i++) {
                    chain.add(
                            certificate(
                                    base64(
                                            text(certs.get(i), "rawBytes", where),
                                            "certificates[" + i + "].rawBytes",
                                            where),
                                    i,
                                    where));
                }
            }
        }
        String payloadType = text(env, "payloadType", where);
        if (!IN_TOTO.equals(payloadType)) {
            throw invalid(where, "has DSSE payloadType '" + payloadType + "', not " + IN_TOTO);
        }
        byte[] payload = base64(text(env, "payload", where), "dsseEnvelope.payload", where);
        JsonNode sigs = env.get("signatures");
        if (sigs == null || !sigs.isArray() || sigs.size() != 1) {
            throw invalid(
                    where,
                    "must hold exactly one DSSE signature, has "
                            + (sigs == null || !sigs.isArray() ? "none" : sigs.size()));
        }
        byte[] sig =
                base64(text(sigs.get(0), "sig", where), "dsseEnvelope.signatures[0].sig", where);
        return new SigstoreBundle(hint, List.copyOf(chain), keyless, payloadType, payload, sig);
    }

    private static X509Certificate certificate(byte[] der, int i, String where) {
        try {
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | ClassCastException e) {
            throw invalid(
                    where,
                    "certificates[" + i + "] is not an X.509 certificate: " + e.getMessage());
        }
    }

    private static JsonNode object(JsonNode parent, String field, String where) {
        JsonNode n = parent.get(field);
        if (n == null || !n.isObject()) {
            throw invalid(where, "has no " + field + " object");
        }
        return n;
    }

    private static String text(JsonNode parent, String field, String where) {
        JsonNode n = parent == null ? null : parent.get(field);
        if (n == null || !n.isTextual()) {
            throw invalid(where, "has no string " + field);
        }
        return n.asText();
    }

    private static byte[] base64(String s, String field, String where) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getUrlDecoder().decode(s); // protobuf JSON accepts both alphabets
            } catch (IllegalArgumentException e2) {
                throw invalid(where, field + " is not base64: " + e.getMessage());
            }
        }
    }

    /** Jackson's messages add a source excerpt on further lines; the first says what. */
    static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    static SignatureFormatException invalid(String where, String what) {
        return new SignatureFormatException(
                Reason.SIGNATURE_INVALID, "bundle refused: signature " + where + " " + what);
    }
}
