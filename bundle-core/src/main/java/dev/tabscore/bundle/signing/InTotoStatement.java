package dev.tabscore.bundle.signing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The in-toto statement (v1) a model_signing 1.x signature covers, predicate type {@code
 * https://model_signing/signature/v1.0}: one subject (the model's directory name and a sha256 over
 * all file digests, in listed order) and a predicate with the serialization used ({@code method:
 * files}, {@code hash_type: sha256}, {@code ignore_paths}) and one resource descriptor per file
 * ({@code name}, {@code algorithm}, {@code digest} in hex). Read only after the signature over it
 * verified. Shard serialization, BLAKE2/BLAKE3 digests and the pre-1.0 predicate ({@code
 * https://model_signing/Digests/v0.1}) are refused by name.
 *
 * @param files signed file digests (lowercase hex sha256) by relative path, in listed order
 * @param ignorePaths the paths the signer left out of the list (relative, '/' separated)
 */
public record InTotoStatement(Map<String, String> files, List<String> ignorePaths) {

    static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    static final String PREDICATE_TYPE = "https://model_signing/signature/v1.0";

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper MAPPER =
            JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    /**
     * Parses and checks a statement.
     *
     * @param payload the DSSE payload
     * @param where the signature file, for messages
     * @return the statement
     * @throws SignatureFormatException ({@link dev.tabscore.bundle.Reason#SIGNATURE_INVALID})
     *     naming what is wrong
     */
    public static InTotoStatement parse(byte[] payload, String where) {
        JsonNode root;
        try {
            root = MAPPER.readTree(payload);
        } catch (IOException e) {
            throw bad(where, "is not JSON: " + SigstoreBundle.firstLine(e.getMessage()));
        }
        if (root == null
                || !root.isObject()
                || !STATEMENT_TYPE.equals(root.path("_type").asText(null))) {
            throw bad(where, "is not an in-toto " + STATEMENT_TYPE);
        }
        String predicateType = root.path("predicateType").asText("");
        if (!PREDICATE_TYPE.equals(predicateType)) {
            throw bad(
                    where,
                    "has predicateType '"
                            + predicateType
                            + "'; only "
                            + PREDICATE_TYPE
                            + " (model_signing 1.x) is verified: re-sign with model_signing 1.x");
        }
        JsonNode subjects = root.path("subject");
        if (!subjects.isArray() || subjects.size() != 1) {
            throw bad(where, "must have exactly one subject");
        }
        String rootDigest = subjects.get(0).path("digest").path("sha256").asText("");
        JsonNode ser = root.path("predicate").path("serialization");
        if (!"files".equals(ser.path("method").asText(""))) {
            throw bad(
                    where,
                    "uses serialization method '"
                            + ser.path("method").asText("")
                            + "'; only 'files' (model_signing's default) is verified");
        }
        if (!"sha256".equals(ser.path("hash_type").asText(""))) {
            throw bad(
                    where,
                    "uses hash_type '"
                            + ser.path("hash_type").asText("")
                            + "'; only sha256 is verified");
        }
        List<String> ignore = new ArrayList<>();
        for (JsonNode p : ser.path("ignore_paths")) {
            ignore.add(p.asText());
        }
        Map<String, String> files = new LinkedHashMap<>();
        MessageDigest all = sha256();
        JsonNode resources = root.path("predicate").path("resources");
        if (!resources.isArray()) {
            throw bad(where, "has no predicate.resources list");
        }
        for (JsonNode r : resources) {
            String name = r.path("name").asText("");
            String digest = r.path("digest").asText("");
            if (!"sha256".equals(r.path("algorithm").asText(""))
                    || !HEX64.matcher(digest).matches()
                    || name.isEmpty()) {
                throw bad(where, "has a malformed resource " + r);
            }
            if (files.put(name, digest) != null) {
                throw bad(where, "lists '" + name + "' twice");
            }
            all.update(HexFormat.of().parseHex(digest));
        }
        String got = HexFormat.of().formatHex(all.digest());
        if (!got.equals(rootDigest)) {
            throw bad(
                    where,
                    "is inconsistent: its subject digest is '"
                            + rootDigest
                            + "' but its resources hash to "
                            + got);
        }
        return new InTotoStatement(
                java.util.Collections.unmodifiableMap(files), List.copyOf(ignore));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SignatureFormatException bad(String where, String what) {
        return SigstoreBundle.invalid(where, "statement " + what);
    }
}
