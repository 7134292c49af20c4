package dev.tabscore.bundle.skops;

/**
 * Decides which classes and functions a skops graph may name. The reader itself trusts only the
 * fixed Python and numpy builtin types of the node grammar; every {@code ObjectNode} class and
 * every {@code FunctionNode} must be accepted here. The scikit-learn layer supplies the real
 * policy. Nothing named in a file is ever executed or instantiated, whatever this returns.
 */
public interface TrustPolicy {

    /**
     * Tells whether an {@code ObjectNode} of this class may appear in the graph.
     *
     * @param module the Python module, e.g. {@code sklearn.preprocessing._data}
     * @param className the class name, e.g. {@code StandardScaler}
     * @return true to accept the node
     */
    boolean trustsObject(String module, String className);

    /**
     * Tells whether a {@code FunctionNode} naming this function may appear in the graph.
     *
     * @param module the Python module, e.g. {@code numpy} or {@code numpy.core._multiarray_umath}
     * @param name the function name, e.g. {@code log1p}
     * @return true to accept the node
     */
    boolean trustsFunction(String module, String name);

    /**
     * Tells whether the attributes of a trusted {@code ObjectNode} are read. When false, the node
     * keeps its class and path but no attribute, and none of its arrays is read: the consumer will
     * refuse the class anyway (a scikit-learn estimator tabscore does not build), so a layout its
     * arrays use must not be the reason. The trust pass still walks the content, so an untrusted
     * type inside it is refused as one.
     *
     * @param module the Python module
     * @param className the class name
     * @return true to read the attributes (the default)
     */
    default boolean readsContent(String module, String className) {
        return true;
    }

    /**
     * Tells whether a {@code LossNode} (a Cython loss object skops rebuilds from its constructor
     * arguments) of this class may appear in the graph. Its arguments are read as plain numbers;
     * nothing is built from it.
     *
     * @param module the Python module, e.g. {@code sklearn.linear_model._sgd_fast}
     * @param className the class name, e.g. {@code Hinge}
     * @return true to accept the node (default: none)
     */
    default boolean trustsLoss(String module, String className) {
        return false;
    }
}
