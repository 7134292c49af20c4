package dev.tabscore.bundle.skops;

import java.util.List;
import java.util.Map;

/**
 * A typed node of a skops {@code schema.json} (FORMATS.md §2.3), already resolved: arrays are read
 * from their {@code .npy} entries, JsonNode content is decoded. The reader knows nothing of
 * scikit-learn; turning these nodes into transformers is the job of {@code bundle.sklearn}.
 *
 * <p>Every node carries {@link #path()}: where it sits in the graph, as a JSON-pointer-like string
 * such as {@code /content/transformers_/1/1}, used in error messages.
 */
public sealed interface SkopsNode {

    /**
     * Returns where this node sits in schema.json.
     *
     * @return the path, e.g. {@code /content/transformers_/0/1}
     */
    String path();

    /**
     * {@code ObjectNode}: an instance of {@code module.className}; {@code attrs} is its {@code
     * __dict__} in file order.
     *
     * @param path where the node sits
     * @param module the Python module, e.g. {@code sklearn.preprocessing._data}
     * @param className the Python class name, e.g. {@code StandardScaler}
     * @param attrs the attributes in file order
     */
    record ObjectNode(String path, String module, String className, Map<String, SkopsNode> attrs)
            implements SkopsNode {
        /**
         * Returns {@code module.className}.
         *
         * @return the qualified name
         */
        public String qualifiedName() {
            return module + "." + className;
        }
    }

    /**
     * {@code DictNode}: keys are {@link String} or {@link Long} per {@code key_types}, in file
     * order.
     *
     * @param path where the node sits
     * @param entries the entries in file order
     */
    record DictNode(String path, Map<Object, SkopsNode> entries) implements SkopsNode {}

    /**
     * {@code ListNode} or {@code TupleNode}.
     *
     * @param path where the node sits
     * @param items the items
     * @param tuple true for a TupleNode
     */
    record ListNode(String path, List<SkopsNode> items, boolean tuple) implements SkopsNode {}

    /**
     * {@code JsonNode}, decoded: {@code value} is a {@link String}, {@link Boolean}, {@link Long},
     * {@link Double} (NaN and infinities included) or {@code null} for Python None.
     *
     * @param path where the node sits
     * @param value the decoded value
     */
    record JsonValue(String path, Object value) implements SkopsNode {}

    /**
     * {@code NdArrayNode} with {@code type: "numpy"}: a numeric array read from a .npy entry, or a
     * numpy scalar (then {@code shape} is empty and {@code className} is e.g. {@code int64}).
     *
     * @param path where the node sits
     * @param className {@code ndarray} or a numpy scalar type name
     * @param array the array
     */
    record NumpyArray(String path, String className, NpyArray array) implements SkopsNode {}

    /**
     * {@code NdArrayNode} with {@code type: "json"}: an object-dtype array whose elements are nodes
     * ({@code arr.tolist()}).
     *
     * @param path where the node sits
     * @param items the elements
     * @param shape the declared shape
     */
    record ObjectArray(String path, List<SkopsNode> items, long[] shape) implements SkopsNode {}

    /**
     * {@code DTypeNode}: a numpy dtype, e.g. {@code <f8} or {@code object}.
     *
     * @param path where the node sits
     * @param dtype the numpy dtype string
     */
    record DTypeValue(String path, String dtype) implements SkopsNode {}

    /**
     * {@code TypeNode}: a Python type such as {@code builtins.str} or {@code numpy.float64}.
     *
     * @param path where the node sits
     * @param module the module
     * @param name the type name
     */
    record TypeValue(String path, String module, String name) implements SkopsNode {}

    /**
     * {@code SliceNode}: start, stop and step, each a {@link Long}, a {@link String} (a label slice
     * such as a ColumnTransformer's {@code slice("a", "c")}) or null when Python had None.
     *
     * @param path where the node sits
     * @param start the start or null
     * @param stop the stop or null
     * @param step the step or null
     */
    record SliceValue(String path, Object start, Object stop, Object step) implements SkopsNode {}

    /**
     * {@code FunctionNode}: a function named by module and name (only allow-listed ufuncs are ever
     * returned by the reader).
     *
     * @param path where the node sits
     * @param module the module, e.g. {@code numpy} or {@code numpy.core._multiarray_umath}
     * @param name the function name, e.g. {@code log1p}
     */
    record FunctionRef(String path, String module, String name) implements SkopsNode {}
}
