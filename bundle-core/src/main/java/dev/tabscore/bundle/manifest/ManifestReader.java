package dev.tabscore.bundle.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@code manifest.json}: strict JSON, then the format version, then the JSON Schema ({@code
 * tabscore/manifest.schema.json}, the same file the Python exporter is tested against), then the
 * cross-field rules a schema cannot say. Every refusal names the field.
 */
public final class ManifestReader {

    /** The only manifest format this build reads. */
    public static final int FORMAT_VERSION = 1;

    /** Where the schema lives on the classpath. */
    public static final String SCHEMA_RESOURCE = "/tabscore/manifest.schema.json";

    private static final long MAX_MANIFEST_BYTES = 16L << 20;

    private static final ObjectMapper TREE_MAPPER =
            JsonMapper.builder()
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .build();

    private static final ObjectMapper RECORD_MAPPER =
            JsonMapper.builder()
                    .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .build();

    private static volatile JsonSchema schema;

    static {
        TREE_MAPPER
                .getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder()
                                .maxNestingDepth(64)
                                .maxStringLength(1 << 20)
                                .build());
    }

    private ManifestReader() {}

    /**
     * Reads and validates a manifest.
     *
     * @param bytes the file content
     * @param artifact the name to use in messages, e.g. {@code s3a://b/m/manifest.json}
     * @return the typed manifest, its tree and its digest
     * @throws BundleFormatException with {@link Reason#MANIFEST_INVALID} naming the field
     */
    public static ManifestFile read(byte[] bytes, String artifact) {
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw invalid(
                    artifact,
                    "is " + bytes.length + " bytes, more than the limit of " + MAX_MANIFEST_BYTES);
        }
        JsonNode tree;
        try {
            tree = TREE_MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw invalid(artifact, "is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid(artifact, "cannot be parsed: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw invalid(artifact, "is not a JSON object");
        }
        JsonNode format = tree.get("format_version");
        if (format == null || !format.canConvertToInt() || !format.isIntegralNumber()) {
            throw invalid(artifact, "field /format_version is missing or not an integer");
        }
        if (format.intValue() != FORMAT_VERSION) {
            throw invalid(
                    artifact,
                    "field /format_version is "
                            + format.intValue()
                            + "; this build reads format "
                            + FORMAT_VERSION
                            + " only");
        }
        validateSchema(tree, artifact);
        Manifest manifest;
        try {
            manifest = RECORD_MAPPER.treeToValue(tree, Manifest.class);
        } catch (JsonProcessingException e) {
            throw invalid(
                    artifact, "does not map to the manifest record: " + e.getOriginalMessage());
        }
        checkCrossFields(manifest, artifact);
        String digest;
        try {
            digest = digest(tree);
        } catch (IllegalArgumentException e) {
            // An integer beyond 2^53 that no double equals has no RFC 8785 form, so no digest.
            throw invalid(artifact, "has no canonical form to digest: " + e.getMessage());
        }
        return new ManifestFile(manifest, tree, digest);
    }

    /**
     * Returns {@code sha256:<hex>} of the canonical form of a manifest tree.
     *
     * @param tree the manifest JSON
     * @return the identity digest
     */
    public static String digest(JsonNode tree) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return "sha256:"
                    + HexFormat.of().formatHex(sha.digest(CanonicalJson.canonicalize(tree)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static void validateSchema(JsonNode tree, String artifact) {
        Set<ValidationMessage> errors = schema().validate(tree);
        if (!errors.isEmpty()) {
            Set<String> lines = new TreeSet<>();
            for (ValidationMessage m : errors) {
                lines.add("field " + pointer(m) + ": " + m.getMessage());
            }
            throw invalid(artifact, "fails the manifest schema: " + String.join("; ", lines));
        }
    }

    private static String pointer(ValidationMessage m) {
        String location = m.getInstanceLocation().toString(); // "$.model.input_width"
        String p =
                location.replaceFirst("^\\$", "").replace('.', '/').replaceAll("\\[(\\d+)]", "/$1");
        return p.isEmpty() ? "/" : p;
    }

    private static JsonSchema schema() {
        if (schema == null) {
            synchronized (ManifestReader.class) {
                if (schema == null) {
                    try (InputStream in =
                            ManifestReader.class.getResourceAsStream(SCHEMA_RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException(
                                    SCHEMA_RESOURCE + " is not on the classpath");
                        }
                        schema =
                                JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                                        .getSchema(in);
                    } catch (IOException e) {
                        throw new IllegalStateException("cannot read " + SCHEMA_RESOURCE, e);
                    }
                }
            }
        }
        return schema;
    }

    private static void checkCrossFields(Manifest m, String artifact) {
        if (m.features().names().size() != m.features().width()) {
            throw invalid(
                    artifact,
                    "field /features/width is "
                            + m.features().width()
                            + " but "
                            + "/features/names has "
                            + m.features().names().size()
                            + " names");
        }
        if (m.model().inputWidth() != m.features().width()) {
            throw invalid(
                    artifact,
                    "field /model/input_width is "
                            + m.model().inputWidth()
                            + " but the preprocessor yields "
                            + m.features().width()
                            + " features");
        }
        // /features/names may repeat a name, as get_feature_names_out does: features are positional
        checkUnique(
                m.input().columns().stream().map(Manifest.InputColumn::name).toList(),
                "/input/columns",
                artifact);
        int classes = m.classes() == null ? 0 : m.classes().size();
        switch (m.task()) {
            case BINARY ->
                    requireThat(
                            classes == 2 && m.model().outputDim() == 1,
                            artifact,
                            "a binary bundle needs 2 /classes and /model/output_dim 1");
            case MULTICLASS ->
                    requireThat(
                            classes >= 2 && m.model().outputDim() == classes,
                            artifact,
                            "a multiclass bundle needs /model/output_dim equal to the number of"
                                    + " /classes ("
                                    + classes
                                    + ")");
            case REGRESSION ->
                    requireThat(
                            m.model().outputDim() >= 1,
                            artifact,
                            "a regression bundle needs /model/output_dim >= 1");
            default -> throw new IllegalStateException(m.task().name());
        }
        Map<String, Manifest.ColumnStatistics> outputStats = m.training().outputStatistics();
        if (outputStats != null
                && !outputStats.keySet().equals(new HashSet<>(m.golden().outputColumns()))) {
            throw invalid(
                    artifact,
                    "field /training/output_statistics names "
                            + new TreeSet<>(outputStats.keySet())
                            + " but the output columns"
                            + " (/golden/output_columns) are "
                            + m.golden().outputColumns());
        }
        if (m.model().torchscript() == null
                && m.model().stateDict() == null
                && m.model().onnx() == null) {
            throw invalid(artifact, "field /model names none of torchscript, state_dict, onnx");
        }
        requireArtifact(m, m.preprocessor().path(), "/preprocessor/path", artifact);
        requireArtifact(m, m.model().torchscript(), "/model/torchscript", artifact);
        requireArtifact(m, m.model().stateDict(), "/model/state_dict", artifact);
        requireArtifact(m, m.model().onnx(), "/model/onnx", artifact);
        requireArtifact(m, m.golden().input(), "/golden/input", artifact);
        requireArtifact(m, m.golden().output(), "/golden/output", artifact);
        for (String path : m.artifacts().keySet()) {
            if (!ArtifactPaths.isSafe(path)) {
                throw invalid(
                        artifact,
                        "field /artifacts names an unsafe path '"
                                + path
                                + "' (absolute, empty, or with '..' / '\\')");
            }
        }
    }

    private static void requireArtifact(Manifest m, String path, String field, String artifact) {
        if (path != null && !m.artifacts().containsKey(path)) {
            throw invalid(
                    artifact,
                    "field " + field + " names '" + path + "', which /artifacts does not list");
        }
    }

    private static void checkUnique(List<String> names, String field, String artifact) {
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                throw invalid(artifact, "field " + field + " lists '" + n + "' twice");
            }
        }
    }

    private static void requireThat(boolean ok, String artifact, String rule) {
        if (!ok) {
            throw invalid(artifact, rule);
        }
    }

    private static BundleFormatException invalid(String artifact, String what) {
        return new BundleFormatException(Reason.MANIFEST_INVALID, artifact + " " + what);
    }
}
