package dev.tabscore.bundle.skops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.zip.SafeZip;

/**
 * Reads a {@code .skops} file (skops protocol 1 or 2) into a typed {@link SkopsNode} graph without
 * executing or instantiating anything it names.
 *
 * <p>The steps, each of which can refuse the file with a {@link BundleFormatException}: the zip is
 * read by {@link SafeZip} under {@link SkopsLimits#zipLimits()}; schema.json is parsed as strict
 * JSON under the depth, string and size limits, with duplicate keys refused; the protocol must be 1
 * or 2; a first pass over the graph checks the node grammar and collects every untrusted loader,
 * class, function and type, all reported in one {@link Reason#UNTRUSTED_TYPE} error with their
 * paths; only then does a second pass read the {@code .npy} arrays, each checked against the
 * per-array and total limits before it is allocated. {@code __id__} is ignored.
 *
 * <p>Paths follow the Python object graph: the root is {@code /}, an object's attribute is {@code
 * <object>/content/<name>}, a list, tuple or object-array item {@code <parent>/<index>}, a dict
 * entry {@code <dict>/<key>}; e.g. {@code /content/transformers_/1/1/content/steps/0/1}.
 *
 * <pre>{@code
 * SkopsFile file = SkopsReader.read(bytes, "preprocessor.skops", policy, SkopsLimits.defaults());
 * SkopsNode.ObjectNode columnTransformer = file.root();
 * SkopsNode transformers = columnTransformer.attrs().get("transformers_");
 * }</pre>
 */
public final class SkopsReader {

    /** The protocols this reader loads, as error messages state them. */
    public static final String SUPPORTED_PROTOCOLS = "1..2 (skops 0.6 to 0.14+)";

    private static final String SCHEMA_ENTRY = "schema.json";
    private static final int MIN_PROTOCOL = 1;
    private static final int MAX_PROTOCOL = 2;

    private SkopsReader() {}

    /**
     * Reads and checks a {@code .skops} file held in memory.
     *
     * @param zip the whole file
     * @param artifact the name used in error messages, e.g. {@code preprocessor.skops}
     * @param trust decides which ObjectNode classes and FunctionNodes are accepted
     * @param limits the limits on sizes, depth and node count
     * @return the typed graph with its protocol and skops version
     * @throws BundleFormatException if the file is malformed, untrusted, unsupported or over a
     *     limit; the message names the artifact and the place in the file
     */
    public static SkopsFile read(
            byte[] zip, String artifact, TrustPolicy trust, SkopsLimits limits) {
        SafeZip archive = SafeZip.read(zip, artifact, limits.zipLimits());
        if (!archive.has(SCHEMA_ENTRY)) {
            throw new BundleFormatException(
                    Reason.SCHEMA_INVALID,
                    artifact + ": has no " + SCHEMA_ENTRY + " entry (not a skops file?)");
        }
        long schemaBytes = archive.size(SCHEMA_ENTRY);
        if (schemaBytes > limits.maxSchemaBytes()) {
            throw new BundleFormatException(
                    Reason.LIMIT_EXCEEDED,
                    artifact
                            + ": "
                            + SCHEMA_ENTRY
                            + " is "
                            + schemaBytes
                            + " bytes, over the limit of "
                            + limits.maxSchemaBytes());
        }
        SchemaJson json = new SchemaJson(limits, artifact);
        JsonNode schema = json.readSchema(archive.entry(SCHEMA_ENTRY));
        int protocol = protocol(schema, artifact);
        JsonNode version = schema.get("_skops_version");
        if (version == null || !version.isTextual()) {
            throw new BundleFormatException(
                    Reason.SCHEMA_INVALID,
                    artifact + ": " + SCHEMA_ENTRY + " has no string _skops_version");
        }

        GraphDecoder trustPass = new GraphDecoder(artifact, trust, limits, json, null);
        trustPass.decodeRoot(schema);
        trustPass.throwIfUntrusted();
        GraphDecoder full =
                new GraphDecoder(artifact, trust, limits, json, new ArrayStore(archive, limits));
        return new SkopsFile(protocol, version.textValue(), full.decodeRoot(schema));
    }

    private static int protocol(JsonNode schema, String artifact) {
        JsonNode value = schema.get("protocol");
        if (value == null) {
            throw unsupported(artifact, SCHEMA_ENTRY + " has no protocol number");
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw unsupported(artifact, "skops protocol " + value + " is not an integer");
        }
        int protocol = value.intValue();
        if (protocol < MIN_PROTOCOL) {
            throw unsupported(
                    artifact,
                    "skops protocol "
                            + protocol
                            + " is not supported (it is "
                            + "older: skops 0.3 to 0.5 wrote protocol 0)");
        }
        if (protocol > MAX_PROTOCOL) {
            throw unsupported(
                    artifact,
                    "skops protocol "
                            + protocol
                            + " is not supported (it is "
                            + "newer than this reader)");
        }
        return protocol;
    }

    private static BundleFormatException unsupported(String artifact, String detail) {
        return new BundleFormatException(
                Reason.PROTOCOL_UNSUPPORTED,
                artifact + ": " + detail + "; supported: " + SUPPORTED_PROTOCOLS);
    }
}
