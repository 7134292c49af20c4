package dev.tabscore.bundle.skops;

import dev.tabscore.bundle.zip.ZipBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes small skops files for tests: node JSON as skops writes it, {@code .npy} entries, and the
 * zip around them. Hostile tests start from {@link #validSchema} and break one thing.
 */
final class SkopsWriter {

    private SkopsWriter() {}

    /** A node with the four base keys and the given extra JSON members (may be empty). */
    static String node(String loader, String module, String cls, String extra) {
        return "{\"__class__\": \""
                + cls
                + "\", \"__module__\": \""
                + module
                + "\", \"__loader__\": \""
                + loader
                + "\""
                + (extra.isEmpty() ? "" : ", " + extra)
                + ", \"__id__\": "
                + IDS.incrementAndGet()
                + "}";
    }

    /** skops gives each saved object its own __id__ (its id() at save time). */
    private static final java.util.concurrent.atomic.AtomicLong IDS =
            new java.util.concurrent.atomic.AtomicLong(1000);

    /** A JsonNode holding Python json.dumps text, e.g. {@code 5}, {@code NaN}, {@code "a"}. */
    static String json(String pythonJson) {
        return node(
                "JsonNode",
                "builtins",
                "str",
                "\"content\": " + quote(pythonJson) + ", \"is_json\": true");
    }

    /** A JsonNode holding a Python str. */
    static String str(String value) {
        return json(quote(value));
    }

    static String type(String module, String name) {
        return node("TypeNode", module, name, "");
    }

    static String list(String... items) {
        return node(
                "ListNode", "builtins", "list", "\"content\": [" + String.join(", ", items) + "]");
    }

    static String tuple(String... items) {
        return node(
                "TupleNode",
                "builtins",
                "tuple",
                "\"content\": [" + String.join(", ", items) + "]");
    }

    /** A DictNode with str keys: alternating key, node. */
    static String dict(String... keysAndNodes) {
        List<String> members = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (int i = 0; i < keysAndNodes.length; i += 2) {
            members.add(quote(keysAndNodes[i]) + ": " + keysAndNodes[i + 1]);
            types.add(type("builtins", "str"));
        }
        return node(
                "DictNode",
                "builtins",
                "dict",
                "\"content\": {"
                        + String.join(", ", members)
                        + "}, \"key_types\": "
                        + list(types.toArray(new String[0])));
    }

    static String object(String module, String cls, String... keysAndNodes) {
        return node("ObjectNode", module, cls, "\"content\": " + dict(keysAndNodes));
    }

    static String array(String file) {
        return array("ndarray", file);
    }

    static String array(String cls, String file) {
        return node("NdArrayNode", "numpy", cls, "\"type\": \"numpy\", \"file\": \"" + file + "\"");
    }

    /** The root: an object with protocol and _skops_version appended, as skops writes them. */
    static String root(int protocol, String module, String cls, String... keysAndNodes) {
        String object = object(module, cls, keysAndNodes);
        return object.substring(0, object.length() - 1)
                + ", \"protocol\": "
                + protocol
                + ", \"_skops_version\": \"0.14.0\"}";
    }

    /** A small valid StandardScaler graph whose arrays are {@code mean.npy} and {@code n.npy}. */
    static String validSchema(int protocol, String... extraKeysAndNodes) {
        List<String> attrs =
                new ArrayList<>(
                        List.of(
                                "with_mean", json("true"),
                                "mean_", array("mean.npy"),
                                "n_samples_seen_", array("int64", "n.npy"),
                                "categories_",
                                        node(
                                                "NdArrayNode",
                                                "numpy",
                                                "ndarray",
                                                "\"type\": \"json\", "
                                                        + "\"content\": ["
                                                        + str("a")
                                                        + ", "
                                                        + json("NaN")
                                                        + "], \"shape\": "
                                                        + tuple(json("2"))),
                                "output_indices_",
                                        dict(
                                                "num",
                                                node(
                                                        "SliceNode",
                                                        "builtins",
                                                        "slice",
                                                        "\"content\": {\"start\": 0, \"stop\": 2, \"step\": null}"))));
        attrs.addAll(List.of(extraKeysAndNodes));
        return root(
                protocol,
                "sklearn.preprocessing._data",
                "StandardScaler",
                attrs.toArray(new String[0]));
    }

    /** The arrays {@link #validSchema} refers to. */
    static Map<String, byte[]> validArrays() {
        return Map.of(
                "mean.npy",
                npy("<f8", "(2,)", doubles(1.5, -2.0)),
                "n.npy",
                npy("<i8", "()", longs(5000)));
    }

    /** A version 1.0 .npy entry with the header padded as numpy pads it. */
    static byte[] npy(String descr, String shape, byte[] data) {
        return npy(
                1,
                "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }",
                data);
    }

    /** A .npy entry of any version with exactly this header dict text. */
    static byte[] npy(int major, String dict, byte[] data) {
        int preamble = major == 1 ? 10 : 12;
        StringBuilder header = new StringBuilder(dict);
        while ((preamble + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] text =
                header.toString()
                        .getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        ByteBuffer length = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            length.putShort((short) text.length);
        } else {
            length.putInt(text.length);
        }
        out.writeBytes(length.array());
        out.writeBytes(text);
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] doubles(double... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    static byte[] longs(long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    /** Zips arrays then schema.json (last, as skops writes it), all STORED. */
    static byte[] skops(String schema, Map<String, byte[]> arrays) {
        ZipBuilder zip = new ZipBuilder();
        arrays.forEach(zip::stored);
        zip.text("schema.json", schema);
        return zip.build();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }
}
