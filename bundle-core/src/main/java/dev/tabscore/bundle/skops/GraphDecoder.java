package dev.tabscore.bundle.skops;

import static dev.tabscore.bundle.skops.NodePaths.child;
import static dev.tabscore.bundle.skops.NodePaths.printable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the schema.json tree into {@link SkopsNode}s, following the node grammar of FORMATS.md
 * §2.3. Structural errors stop at once; untrusted loaders, classes and functions are collected so
 * that one error lists them all. Without an {@link ArrayStore} it reads no array (the trust pass);
 * {@link SkopsReader} runs that pass first, so nothing is decoded from a file that names an
 * untrusted type.
 */
final class GraphDecoder {

    private static final Set<String> BASE_KEYS =
            Set.of("__class__", "__module__", "__loader__", "__id__");
    private static final Set<String> ROOT_KEYS = Set.of("protocol", "_skops_version");

    private final String artifact;
    private final TrustPolicy trust;
    private final SkopsLimits limits;
    private final SchemaJson json;
    private final ArrayStore arrays;
    private final UntrustedTypes untrusted;
    private int nodeCount;

    /**
     * Each {@code __id__} seen, with the first node that carried it. skops' loader memoizes nodes
     * by {@code __id__} and hands the first one out for every later node with the same id (a shared
     * reference); the saver writes a shared object in full each time, so the nodes of a genuine
     * file mean the same (a shared numpy dtype is written twice, each time with its own temporary
     * array file of equal bytes). A file whose nodes reuse an id for different content would load
     * one way in Python and another here: it is refused (checked in the array pass, where array
     * contents are known).
     */
    private final Map<JsonNode, Seen> ids = new java.util.HashMap<>();

    private record Seen(String path, JsonNode node) {}

    /** The fields every node has. */
    private record Head(String loader, String module, String className, String path) {
        String qualified() {
            return module + "." + className;
        }
    }

    GraphDecoder(
            String artifact,
            TrustPolicy trust,
            SkopsLimits limits,
            SchemaJson json,
            ArrayStore arrays) {
        this.artifact = artifact;
        this.trust = trust;
        this.limits = limits;
        this.json = json;
        this.arrays = arrays;
        this.untrusted = new UntrustedTypes(artifact);
    }

    /** Decodes the root, which must be an ObjectNode; it may be null only if untrusted. */
    SkopsNode.ObjectNode decodeRoot(JsonNode root) {
        SkopsNode node = decode(root, NodePaths.ROOT);
        if (node != null && !(node instanceof SkopsNode.ObjectNode)) {
            throw schema(NodePaths.ROOT, "the root node must be an ObjectNode");
        }
        return (SkopsNode.ObjectNode) node;
    }

    /** Throws one UNTRUSTED_TYPE error listing every untrusted node found, if any. */
    void throwIfUntrusted() {
        untrusted.throwIfAny();
    }

    private SkopsNode decode(JsonNode node, String path) {
        if (!node.isObject()) {
            throw schema(
                    path,
                    "is not a node (expected a JSON object, found " + node.getNodeType() + ")");
        }
        if (++nodeCount > limits.maxNodes()) {
            throw new BundleFormatException(
                    Reason.LIMIT_EXCEEDED,
                    artifact
                            + ": schema.json has "
                            + "more than "
                            + limits.maxNodes()
                            + " nodes (limit reached at "
                            + path
                            + ")");
        }
        Head head =
                new Head(
                        text(node, "__loader__", path),
                        text(node, "__module__", path),
                        text(node, "__class__", path),
                        path);
        JsonNode id = node.get("__id__");
        if (arrays != null && id != null && !id.isNull() && !(id.isNumber() && id.asLong() == 0)) {
            Seen first = ids.putIfAbsent(id, new Seen(path, node));
            if (first != null
                    && !first.node().equals(node)
                    && !meaning(first.node(), first.path()).equals(meaning(node, path))) {
                throw schema(
                        path,
                        "reuses __id__ "
                                + id
                                + " of the different node at "
                                + printable(first.path())
                                + " (scikit-learn's loader would substitute "
                                + "that node for this one)");
            }
        }
        switch (head.loader()) {
            case "ObjectNode":
                return objectNode(node, head);
            case "DictNode":
                return dictNode(node, head);
            case "ListNode":
            case "TupleNode":
                return listNode(node, head);
            case "JsonNode":
                return jsonNode(node, head);
            case "NdArrayNode":
                return ndArrayNode(node, head);
            case "DTypeNode":
                return dtypeNode(node, head);
            case "TypeNode":
                return typeNode(node, head);
            case "SliceNode":
                return sliceNode(node, head);
            case "FunctionNode":
                return functionNode(node, head);
            case "TreeNode":
                return treeNode(node, head);
            case "LossNode":
            case "SGDNode": // skops < 0.11's name for the SGD losses
                return lossNode(node, head);
            case "RandomStateNode":
                return randomStateNode(node, head);
            default:
                // Unknown structure: nothing below it is read.
                untrusted(head, head.loader() + " " + head.qualified() + " (loader not supported)");
                return null;
        }
    }

    private SkopsNode objectNode(JsonNode node, Head head) {
        boolean root = head.path().equals(NodePaths.ROOT);
        allowKeys(
                node,
                head,
                root ? Set.of("content", "protocol", "_skops_version") : Set.of("content"));
        if (!trust.trustsObject(head.module(), head.className())) {
            untrusted(head, "ObjectNode class " + head.qualified());
        }
        JsonNode rawContent = field(node, "content", head);
        if (arrays != null && !trust.readsContent(head.module(), head.className())) {
            return new SkopsNode.ObjectNode(head.path(), head.module(), head.className(), Map.of());
        }
        SkopsNode content = decode(rawContent, child(head.path(), "content"));
        if (content == null) {
            return null;
        }
        if (content instanceof SkopsNode.JsonValue j
                && j.value() == null
                && trust.trustsObject(head.module(), head.className())) {
            // skops writes None for an object without state (a Cython or slots-only class of
            // scikit-learn: a loss's link, skops 0.10's closs); other classes stay refused here
            return new SkopsNode.ObjectNode(head.path(), head.module(), head.className(), Map.of());
        }
        if (!(content instanceof SkopsNode.DictNode)) {
            throw schema(head.path(), "ObjectNode content must be a DictNode or None");
        }
        Map<String, SkopsNode> attrs = new LinkedHashMap<>();
        for (Map.Entry<Object, SkopsNode> e : ((SkopsNode.DictNode) content).entries().entrySet()) {
            if (!(e.getKey() instanceof String)) {
                throw schema(
                        head.path(), "ObjectNode attribute key " + e.getKey() + " is not a str");
            }
            attrs.put((String) e.getKey(), e.getValue());
        }
        return new SkopsNode.ObjectNode(
                head.path(), head.module(), head.className(), Collections.unmodifiableMap(attrs));
    }

    private SkopsNode dictNode(JsonNode node, Head head) {
        allowKeys(node, head, Set.of("content", "key_types"));
        requireClass(head, "builtins", "dict");
        JsonNode content = field(node, "content", head);
        if (!content.isObject()) {
            throw schema(head.path(), "DictNode content must be a JSON object");
        }
        SkopsNode keyTypes =
                decode(field(node, "key_types", head), child(head.path(), "key_types"));
        if (keyTypes == null) {
            return null;
        }
        if (!(keyTypes instanceof SkopsNode.ListNode)
                || ((SkopsNode.ListNode) keyTypes).items().size() != content.size()) {
            throw schema(
                    head.path(),
                    "key_types must be a ListNode with one TypeNode per key ("
                            + content.size()
                            + " keys)");
        }
        List<SkopsNode> types = ((SkopsNode.ListNode) keyTypes).items();
        Map<Object, SkopsNode> entries = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, JsonNode> field : content.properties()) {
            Object key = dictKey(field.getKey(), types.get(i), head);
            if (entries.containsKey(key)) {
                throw schema(head.path(), "DictNode has the key " + key + " twice");
            }
            entries.put(key, decode(field.getValue(), child(head.path(), field.getKey())));
            i++;
        }
        return new SkopsNode.DictNode(head.path(), Collections.unmodifiableMap(entries));
    }

    /** Converts a JSON key to the Python type key_types gives it: str, or int as a Long. */
    private Object dictKey(String key, SkopsNode type, Head head) {
        if (!(type instanceof SkopsNode.TypeValue)) {
            throw schema(head.path(), "key_types must hold only TypeNodes");
        }
        SkopsNode.TypeValue t = (SkopsNode.TypeValue) type;
        String qualified = t.module() + "." + t.name();
        if (qualified.equals("builtins.str")) {
            return key;
        }
        if (qualified.equals("builtins.int") && key.matches("-?(0|[1-9][0-9]{0,18})")) {
            try {
                return Long.parseLong(key);
            } catch (NumberFormatException e) {
                // Falls through to the error below.
            }
        }
        if (qualified.equals("builtins.int")) {
            throw schema(
                    head.path(),
                    "key '" + printable(key) + "' is typed builtins.int but " + "is not an int64");
        }
        throw schema(
                head.path(),
                "key type "
                        + qualified
                        + " is not supported (supported: "
                        + "builtins.str, builtins.int)");
    }

    private SkopsNode listNode(JsonNode node, Head head) {
        allowKeys(node, head, Set.of("content"));
        boolean tuple = head.loader().equals("TupleNode");
        requireClass(head, "builtins", tuple ? "tuple" : "list");
        List<SkopsNode> items = items(field(node, "content", head), head);
        return new SkopsNode.ListNode(head.path(), items, tuple);
    }

    private List<SkopsNode> items(JsonNode content, Head head) {
        if (!content.isArray()) {
            throw schema(head.path(), head.loader() + " content must be a JSON array");
        }
        List<SkopsNode> items = new ArrayList<>(content.size());
        for (int i = 0; i < content.size(); i++) {
            items.add(decode(content.get(i), child(head.path(), Integer.toString(i))));
        }
        return Collections.unmodifiableList(items);
    }

    private SkopsNode jsonNode(JsonNode node, Head head) {
        allowKeys(node, head, Set.of("content", "is_json"));
        if (!head.module().equals("builtins")
                || !BuiltinTypes.JSON_NODE_CLASSES.contains(head.className())) {
            untrusted(head, "JsonNode class " + head.qualified());
        }
        JsonNode isJson = field(node, "is_json", head);
        JsonNode content = field(node, "content", head);
        if (!isJson.isBoolean() || !isJson.booleanValue() || !content.isTextual()) {
            throw schema(head.path(), "JsonNode must have is_json true and a string content");
        }
        return new SkopsNode.JsonValue(
                head.path(), json.decodeScalar(content.textValue(), head.path()));
    }

    /**
     * What a node means to skops' loader: its JSON without {@code __id__}s, with each numpy array
     * file replaced by the array's dtype, shape and values.
     */
    private String meaning(JsonNode node, String path) {
        StringBuilder out = new StringBuilder();
        meaning(node, path, out);
        return out.toString();
    }

    private void meaning(JsonNode node, String path, StringBuilder out) {
        if (node.isObject()) {
            if ("NdArrayNode".equals(node.path("__loader__").asText())
                    && node.path("file").isTextual()) {
                NpyArray a;
                try {
                    a = arrays.load(node.path("file").asText(), path);
                } catch (BundleFormatException e) {
                    if (e.reason() != Reason.NPY_UNSUPPORTED) {
                        throw e;
                    }
                    // an array no transformer reads (a RandomState's <u4 key): its bytes
                    out.append("raw(")
                            .append(arrays.digest(node.path("file").asText(), path))
                            .append(')');
                    return;
                }
                out.append("npy(")
                        .append(a.dtype())
                        .append(java.util.Arrays.toString(a.shape()))
                        .append(
                                java.util.Arrays.toString(
                                        a.doubles() == null
                                                ? null
                                                : java.util.Arrays.stream(a.doubles())
                                                        .mapToLong(Double::doubleToRawLongBits)
                                                        .toArray()))
                        .append(java.util.Arrays.toString(a.longs()))
                        .append(java.util.Arrays.toString(a.booleans()));
                if (a.fields() != null) {
                    for (Map.Entry<String, NpyArray> f : a.fields().entrySet()) {
                        NpyArray c = f.getValue();
                        out.append(f.getKey())
                                .append('=')
                                .append(
                                        java.util.Arrays.toString(
                                                c.doubles() == null
                                                        ? null
                                                        : java.util.Arrays.stream(c.doubles())
                                                                .mapToLong(
                                                                        Double::doubleToRawLongBits)
                                                                .toArray()))
                                .append(java.util.Arrays.toString(c.longs()))
                                .append(java.util.Arrays.toString(c.booleans()));
                    }
                }
                out.append(')');
                return;
            }
            out.append('{');
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("__id__")) {
                    out.append(e.getKey()).append(':');
                    meaning(e.getValue(), child(path, e.getKey()), out);
                    out.append(',');
                }
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                meaning(node.get(i), child(path, String.valueOf(i)), out);
                out.append(',');
            }
            out.append(']');
        } else {
            out.append(node.toString());
        }
    }

    private SkopsNode ndArrayNode(JsonNode node, Head head) {
        String type = text(node, "type", head.path());
        if (type.equals("numpy")) {
            allowKeys(node, head, Set.of("type", "file"));
            String dtype = BuiltinTypes.NUMPY_SCALARS.get(head.className());
            if (!head.module().equals("numpy")
                    || (dtype == null && !head.className().equals("ndarray"))) {
                untrusted(head, "NdArrayNode class " + head.qualified());
            }
            String file = text(node, "file", head.path());
            NpyArray array = arrays == null ? null : arrays.load(file, head.path());
            if (array != null
                    && dtype != null
                    && (array.shape().length != 0 || !array.dtype().equals(dtype))) {
                throw new BundleFormatException(
                        Reason.NPY_INVALID,
                        artifact
                                + ": node at "
                                + head.path()
                                + " is a numpy."
                                + head.className()
                                + " scalar, but entry '"
                                + printable(file)
                                + "' holds a "
                                + array.dtype()
                                + " array of shape "
                                + NpyHeader.shapeText(array.shape()));
            }
            return new SkopsNode.NumpyArray(head.path(), head.className(), array);
        }
        if (type.equals("json")) {
            allowKeys(node, head, Set.of("type", "content", "shape"));
            requireClass(head, "numpy", "ndarray");
            long[] shape = shape(field(node, "shape", head), head);
            List<SkopsNode> items = items(field(node, "content", head), head);
            if (shape != null && (shape.length == 0 || shape[0] != items.size())) {
                throw schema(
                        head.path(),
                        "object array of shape "
                                + NpyHeader.shapeText(shape)
                                + " holds "
                                + items.size()
                                + " top-level items");
            }
            return new SkopsNode.ObjectArray(head.path(), items, shape);
        }
        throw schema(
                head.path(),
                "NdArrayNode type '"
                        + printable(type)
                        + "' is not supported (supported: numpy, json)");
    }

    /** Decodes the shape of an object array: a TupleNode of non-negative Json ints. */
    private long[] shape(JsonNode json, Head head) {
        SkopsNode node = decode(json, child(head.path(), "shape"));
        if (node == null) {
            return null;
        }
        if (!(node instanceof SkopsNode.ListNode) || !((SkopsNode.ListNode) node).tuple()) {
            throw schema(head.path(), "object array shape must be a TupleNode");
        }
        List<SkopsNode> dims = ((SkopsNode.ListNode) node).items();
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            SkopsNode dim = dims.get(i);
            if (dim == null) {
                return null;
            }
            if (!(dim instanceof SkopsNode.JsonValue)
                    || !(((SkopsNode.JsonValue) dim).value() instanceof Long)
                    || (Long) ((SkopsNode.JsonValue) dim).value() < 0) {
                throw schema(head.path(), "object array shape must hold non-negative ints");
            }
            shape[i] = (Long) ((SkopsNode.JsonValue) dim).value();
        }
        return shape;
    }

    private SkopsNode dtypeNode(JsonNode node, Head head) {
        allowKeys(node, head, Set.of("content"));
        requireClass(head, "numpy", "dtype");
        SkopsNode content = decode(field(node, "content", head), child(head.path(), "content"));
        if (content instanceof SkopsNode.ObjectArray) {
            return new SkopsNode.DTypeValue(head.path(), "object");
        }
        if (content instanceof SkopsNode.NumpyArray) {
            NpyArray array = ((SkopsNode.NumpyArray) content).array();
            return new SkopsNode.DTypeValue(head.path(), array == null ? null : array.dtype());
        }
        if (content == null) {
            return null;
        }
        throw schema(head.path(), "DTypeNode content must be an NdArrayNode");
    }

    private SkopsNode typeNode(JsonNode node, Head head) {
        allowKeys(node, head, Set.of());
        if (!BuiltinTypes.TYPE_NODE_TYPES.contains(head.qualified())) {
            untrusted(head, "TypeNode " + head.qualified());
        }
        return new SkopsNode.TypeValue(head.path(), head.module(), head.className());
    }

    private SkopsNode sliceNode(JsonNode node, Head head) {
        allowKeys(node, head, Set.of("content"));
        requireClass(head, "builtins", "slice");
        JsonNode content = field(node, "content", head);
        if (!content.isObject()
                || content.size() != 3
                || !content.has("start")
                || !content.has("stop")
                || !content.has("step")) {
            throw schema(head.path(), "SliceNode content must be {start, stop, step}");
        }
        return new SkopsNode.SliceValue(
                head.path(),
                sliceBound(content, "start", head),
                sliceBound(content, "stop", head),
                sliceBound(content, "step", head));
    }

    private Object sliceBound(JsonNode content, String name, Head head) {
        JsonNode value = content.get(name);
        if (value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw schema(head.path(), "SliceNode " + name + " must be an int64, a str or null");
        }
        return value.longValue();
    }

    /**
     * skops' TreeNode, which only {@code sklearn.tree._tree.Tree} uses: a fitted tree, rebuilt by
     * skops through the Cython class from {@code __reduce__} args {@code (n_features, n_classes,
     * n_outputs)} and the state dict {@code {max_depth, node_count, nodes, values}}. tabscore never
     * builds a tree; it reads these as plain data into an ObjectNode of class {@code Tree} whose
     * attributes are {@code n_features}, {@code n_classes}, {@code n_outputs} and the state entries
     * ({@code nodes} a structured array of node records, see {@link Structured}). Their sizes and
     * indices are checked by the consumer ({@code sklearn.TreeArrays}).
     */
    private SkopsNode treeNode(JsonNode node, Head head) {
        allowKeys(node, head, Set.of("content", "__reduce__"));
        if (!"sklearn.tree._tree".equals(head.module()) || !"Tree".equals(head.className())) {
            untrusted(head, "TreeNode " + head.qualified() + " (expected sklearn.tree._tree.Tree)");
            return null;
        }
        List<SkopsNode> args = reduceArgs(node, head);
        SkopsNode content = decode(field(node, "content", head), child(head.path(), "content"));
        if (args == null || content == null) {
            return null;
        }
        if (args.size() != 3 || !(content instanceof SkopsNode.DictNode state)) {
            throw schema(
                    head.path(),
                    "TreeNode must have 3 __reduce__ args (n_features, "
                            + "n_classes, n_outputs) and a DictNode state");
        }
        Map<String, SkopsNode> attrs = new LinkedHashMap<>();
        attrs.put("n_features", args.get(0));
        attrs.put("n_classes", args.get(1));
        attrs.put("n_outputs", args.get(2));
        for (Map.Entry<Object, SkopsNode> e : state.entries().entrySet()) {
            if (!(e.getKey() instanceof String key) || attrs.containsKey(key)) {
                throw schema(
                        head.path(),
                        "TreeNode state key "
                                + e.getKey()
                                + " is not a str or repeats an argument");
            }
            attrs.put(key, e.getValue());
        }
        return new SkopsNode.ObjectNode(
                head.path(), head.module(), head.className(), Collections.unmodifiableMap(attrs));
    }

    /**
     * skops' LossNode (SGDNode before skops 0.11): a Cython loss object (an SGD model's {@code
     * loss_function_}, a gradient boosting loss's {@code closs}) that skops rebuilds by calling its
     * class with the {@code __reduce__} args. Only the closed list of scikit-learn loss classes the
     * policy trusts is accepted, its args must be plain numbers (or None) and its state empty;
     * tabscore builds nothing from it. Returned as an ObjectNode whose one attribute {@code args}
     * holds the constructor arguments.
     */
    private SkopsNode lossNode(JsonNode node, Head head) {
        allowKeys(node, head, Set.of("content", "__reduce__"));
        if (!trust.trustsLoss(head.module(), head.className())) {
            untrusted(head, head.loader() + " " + head.qualified());
            return null;
        }
        List<SkopsNode> args = reduceArgs(node, head);
        SkopsNode content = decode(field(node, "content", head), child(head.path(), "content"));
        if (args == null || content == null) {
            return null;
        }
        for (SkopsNode a : args) {
            if (!(a instanceof SkopsNode.JsonValue v)
                    || !(v.value() == null
                            || v.value() instanceof Long
                            || v.value() instanceof Double)) {
                throw schema(head.path(), "LossNode __reduce__ args must be numbers");
            }
        }
        boolean emptyState =
                content instanceof SkopsNode.DictNode d && d.entries().isEmpty()
                        || content instanceof SkopsNode.ListNode l && l.items().isEmpty();
        if (!emptyState) {
            throw schema(head.path(), "LossNode state must be empty");
        }
        return new SkopsNode.ObjectNode(
                head.path(),
                head.module(),
                head.className(),
                Map.of(
                        "args",
                        new SkopsNode.ListNode(child(head.path(), "__reduce__"), args, true)));
    }

    /**
     * skops' RandomStateNode ({@code numpy.random.mtrand.RandomState} only): a random state a
     * fitted estimator keeps for fitting (gradient boosting's {@code _rng}). The trust pass walks
     * its state for untrusted types; nothing of it is read (its key is a {@code <u4} array).
     */
    private SkopsNode randomStateNode(JsonNode node, Head head) {
        allowKeys(node, head, Set.of("content"));
        requireClass(head, "numpy.random.mtrand", "RandomState");
        if (arrays == null) {
            decode(field(node, "content", head), child(head.path(), "content"));
        }
        return new SkopsNode.ObjectNode(head.path(), head.module(), head.className(), Map.of());
    }

    /** The {@code __reduce__} of a TreeNode or LossNode: only {@code args}, a TupleNode. */
    private List<SkopsNode> reduceArgs(JsonNode node, Head head) {
        JsonNode reduce = field(node, "__reduce__", head);
        if (!reduce.isObject() || reduce.size() != 1 || !reduce.has("args")) {
            throw schema(head.path(), head.loader() + " __reduce__ must hold only args");
        }
        SkopsNode args =
                decode(reduce.get("args"), child(child(head.path(), "__reduce__"), "args"));
        if (args == null) {
            return null;
        }
        if (!(args instanceof SkopsNode.ListNode l) || !l.tuple()) {
            throw schema(head.path(), head.loader() + " __reduce__ args must be a TupleNode");
        }
        return l.items();
    }

    private SkopsNode functionNode(JsonNode node, Head head) {
        allowKeys(node, head, Set.of());
        if (!trust.trustsFunction(head.module(), head.className())) {
            untrusted(head, "FunctionNode " + head.qualified());
        }
        return new SkopsNode.FunctionRef(head.path(), head.module(), head.className());
    }

    private void requireClass(Head head, String module, String className) {
        if (!head.module().equals(module) || !head.className().equals(className)) {
            untrusted(
                    head,
                    head.loader()
                            + " class "
                            + head.qualified()
                            + " (expected "
                            + module
                            + "."
                            + className
                            + ")");
        }
    }

    private void untrusted(Head head, String what) {
        untrusted.add(what, head.path());
    }

    private void allowKeys(JsonNode node, Head head, Set<String> extra) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!BASE_KEYS.contains(name) && !extra.contains(name)) {
                throw schema(
                        head.path(),
                        head.loader()
                                + " has an unexpected key '"
                                + printable(name)
                                + "'"
                                + (ROOT_KEYS.contains(name) ? " (allowed only on the root)" : ""));
            }
        }
    }

    private JsonNode field(JsonNode node, String name, Head head) {
        JsonNode value = node.get(name);
        if (value == null) {
            throw schema(head.path(), head.loader() + " lacks '" + name + "'");
        }
        return value;
    }

    private String text(JsonNode node, String name, String path) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw schema(path, "node lacks a string '" + name + "'");
        }
        return value.textValue();
    }

    private BundleFormatException schema(String path, String detail) {
        return new BundleFormatException(
                Reason.SCHEMA_INVALID, artifact + ": schema.json node at " + path + ": " + detail);
    }
}
