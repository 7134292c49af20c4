package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.skops.NpyArray;
import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.DTypeValue;
import dev.tabscore.bundle.skops.SkopsNode.DictNode;
import dev.tabscore.bundle.skops.SkopsNode.FunctionRef;
import dev.tabscore.bundle.skops.SkopsNode.JsonValue;
import dev.tabscore.bundle.skops.SkopsNode.ListNode;
import dev.tabscore.bundle.skops.SkopsNode.NumpyArray;
import dev.tabscore.bundle.skops.SkopsNode.ObjectArray;
import dev.tabscore.bundle.skops.SkopsNode.ObjectNode;
import dev.tabscore.bundle.skops.SkopsNode.SliceValue;
import dev.tabscore.bundle.skops.SkopsNode.TypeValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The attributes of one estimator node, read with its step path at hand: every accessor refuses a
 * missing or malformed attribute with a {@link BundleFormatException} that names the step, and
 * {@link #finish()} refuses any attribute the builder neither read nor deliberately ignored, so an
 * option added by a future scikit-learn is never silently dropped.
 */
final class Attrs {

    /** Attributes of every estimator that never change what transform computes. */
    private static final Set<String> ALWAYS_HARMLESS =
            Set.of("_sklearn_version", "_sklearn_output_config", "_metadata_request");

    private final ObjectNode node;
    private final String step;
    private final Set<String> noneColumns;
    private final Set<String> used = new HashSet<>();
    private final boolean inputIsFrame;
    private final OutputDtype inputDtype;
    private final String inputOrigin;
    private final TrainingNumpy numpy;

    /**
     * Wraps a node.
     *
     * @param node the estimator node
     * @param step its step path, empty for the root
     */
    Attrs(ObjectNode node, String step) {
        this(node, step, Set.of());
    }

    /**
     * Wraps a node of a graph whose input holds Python None for a null in some columns.
     *
     * @param node the estimator node
     * @param step its step path, empty for the root
     * @param noneColumns the input columns whose nulls are None (manifest {@code training_nulls})
     */
    Attrs(ObjectNode node, String step, Set<String> noneColumns) {
        this(node, step, noneColumns, true);
    }

    /**
     * Wraps a node, saying whether it receives a pandas DataFrame ({@link FrameInput}).
     *
     * @param node the estimator node
     * @param step its step path, empty for the root
     * @param noneColumns the input columns whose nulls are None (manifest {@code training_nulls})
     * @param inputIsFrame whether the step receives a DataFrame
     */
    Attrs(ObjectNode node, String step, Set<String> noneColumns, boolean inputIsFrame) {
        this(
                node,
                step,
                noneColumns,
                inputIsFrame,
                OutputDtype.FLOAT64,
                null,
                TrainingNumpy.UNKNOWN);
    }

    /**
     * Wraps a node, saying whether it receives a DataFrame and the numpy dtype of the array it
     * receives ({@link ArrayDtypes}).
     *
     * @param node the estimator node
     * @param step its step path, empty for the root
     * @param noneColumns the input columns whose nulls are None (manifest {@code training_nulls})
     * @param inputIsFrame whether the step receives a DataFrame
     * @param inputDtype the dtype of its input array: FLOAT64 for float64 (and for what it converts
     *     to float64), FLOAT32 or FLOAT16 when it computes in that precision
     * @param inputOrigin for a float32 / float16 input, the step that made it so, for messages
     * @param numpy the numpy that ran the training side (the manifest's), or unknown
     */
    Attrs(
            ObjectNode node,
            String step,
            Set<String> noneColumns,
            boolean inputIsFrame,
            OutputDtype inputDtype,
            String inputOrigin,
            TrainingNumpy numpy) {
        this.numpy = numpy;
        this.inputOrigin = inputOrigin;
        this.node = node;
        this.step = step;
        this.noneColumns = noneColumns;
        this.inputIsFrame = inputIsFrame;
        this.inputDtype = inputDtype;
    }

    /** The step that made its input float32 / float16, e.g. {@code steps[0] 'ord' ...}. */
    String inputOrigin() {
        return inputOrigin;
    }

    /**
     * The numpy that ran the training side, from the bundle manifest ({@link TrainingNumpy#UNKNOWN}
     * without one): the skops file does not record it.
     */
    TrainingNumpy trainingNumpy() {
        return numpy;
    }

    /** The dtype of the array the step receives (FLOAT64 unless a float32 step feeds it). */
    OutputDtype inputDtype() {
        return inputDtype;
    }

    /**
     * Whether the step receives a float32 array: scikit-learn then computes it in float32 and fits
     * some attributes as float32 ({@code <f4}), which are then read as they are.
     */
    boolean inputIsFloat32() {
        return inputDtype == OutputDtype.FLOAT32;
    }

    /** Whether the step receives a pandas DataFrame (rather than a numpy array). */
    boolean inputIsFrame() {
        return inputIsFrame;
    }

    /** The estimator node itself. */
    ObjectNode node() {
        return node;
    }

    /**
     * Whether a column of this name carries Python None for its nulls (a None category is real).
     */
    boolean nullIsNone(String column) {
        return noneColumns.contains(column);
    }

    String step() {
        return step;
    }

    String className() {
        return node.className();
    }

    boolean has(String name) {
        return node.attrs().containsKey(name);
    }

    SkopsNode get(String name) {
        SkopsNode v = node.attrs().get(name);
        if (v == null) {
            throw invalid(name, "is missing");
        }
        used.add(name);
        return v;
    }

    SkopsNode opt(String name) {
        used.add(name);
        return node.attrs().get(name);
    }

    /** Whether the attribute is a float32 ({@code <f4}) numpy array. */
    boolean isFloat32(String name) {
        return get(name) instanceof NumpyArray n
                && n.array() != null
                && "<f4".equals(n.array().dtype());
    }

    /** True if the attribute is absent or Python None. */
    boolean isNone(String name) {
        SkopsNode v = opt(name);
        return v == null || v instanceof JsonValue j && j.value() == null;
    }

    Object json(String name) {
        return jsonOf(get(name), name);
    }

    String string(String name) {
        Object v = json(name);
        if (!(v instanceof String s)) {
            throw invalid(name, "should be a string, got " + render(get(name)));
        }
        return s;
    }

    boolean bool(String name) {
        Object v = json(name);
        if (!(v instanceof Boolean b)) {
            throw invalid(name, "should be a bool, got " + render(get(name)));
        }
        return b;
    }

    double number(String name) {
        return numberOf(get(name), name);
    }

    double[] doubles(String name) {
        return doublesOf(get(name), name);
    }

    /**
     * A fitted float array that transform multiplies, divides or shifts by. NaN and infinity are
     * accepted: scikit-learn fits them (a column missing in every training row gives NaN, values
     * near 1e300 overflow a variance to inf) and transforms with them, and Java's IEEE arithmetic
     * gives what numpy's does (NaN stays NaN, x / inf is 0). Golden replay reaches every such
     * feature, since a scaler transforms every column of every row.
     */
    double[] fittedDoubles(String name) {
        return doublesOf(get(name), name, inputIsFloat32());
    }

    long[] longs(String name) {
        return longsOf(get(name), name);
    }

    List<SkopsNode> items(String name) {
        return itemsOf(get(name), name);
    }

    /** The names of a {@code feature_names_in_}-like array of str. */
    List<String> strings(String name) {
        List<String> out = new ArrayList<>();
        for (SkopsNode n : items(name)) {
            if (!(jsonOf(n, name) instanceof String s)) {
                throw invalid(name, "should hold strings, got " + render(n));
            }
            out.add(s);
        }
        return out;
    }

    Object jsonOf(SkopsNode n, String label) {
        if (!(n instanceof JsonValue j)) {
            throw invalid(label, "should be a plain value, got " + render(n));
        }
        return j.value();
    }

    double numberOf(SkopsNode n, String label) {
        Object v = jsonOf(n, label);
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Double d) {
            return d;
        }
        throw invalid(label, "should be a number, got " + render(n));
    }

    /** A list, tuple or object array as its element nodes. */
    List<SkopsNode> itemsOf(SkopsNode n, String label) {
        if (n instanceof ListNode l) {
            return l.items();
        }
        if (n instanceof ObjectArray a) {
            if (a.shape().length != 1) {
                throw invalid(
                        label, "should be a 1-d array, got shape " + Arrays.toString(a.shape()));
            }
            return a.items();
        }
        throw invalid(label, "should be a list or array, got " + render(n));
    }

    /** A 1-d numeric array from a .npy entry, or an object array / list of Json numbers. */
    double[] doublesOf(SkopsNode n, String label) {
        return doublesOf(n, label, false);
    }

    /**
     * As {@link #doublesOf(SkopsNode, String)}, taking a {@code <f4} array as its exact values when
     * {@code float32} (a scaler fitted on float32 input, which transform uses as numpy does).
     */
    double[] doublesOf(SkopsNode n, String label, boolean float32) {
        if (n instanceof NumpyArray a) {
            NpyArray npy = one(a, label);
            if (npy.booleans() != null
                    || npy.strings() != null
                    || "<f4".equals(npy.dtype()) && !float32) {
                throw invalid(label, "has dtype " + npy.dtype() + ", expected float64 or int64");
            }
            return npy.asDoubles().clone();
        }
        List<SkopsNode> items = itemsOf(n, label);
        double[] out = new double[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = numberOf(items.get(i), label + "[" + i + "]");
        }
        return out;
    }

    long[] longsOf(SkopsNode n, String label) {
        if (n instanceof NumpyArray a) {
            NpyArray npy = one(a, label);
            if (npy.longs() == null) {
                throw invalid(label, "has dtype " + npy.dtype() + ", expected an integer array");
            }
            return npy.longs().clone();
        }
        List<SkopsNode> items = itemsOf(n, label);
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(jsonOf(items.get(i), label) instanceof Long l)) {
                throw invalid(label, "should hold integers, got " + render(items.get(i)));
            }
            out[i] = l;
        }
        return out;
    }

    /** An array's elements as Java values: String, Long, Double (NaN included), Boolean or null. */
    Object[] valuesOf(SkopsNode n, String label) {
        return valuesOf(n, label, false);
    }

    /**
     * As {@link #valuesOf(SkopsNode, String)}, taking a {@code <f4} array as its exact values when
     * {@code float32} (SimpleImputer's median {@code statistics_} fitted on float32).
     */
    Object[] valuesOf(SkopsNode n, String label, boolean float32) {
        if (n instanceof NumpyArray a) {
            NpyArray npy = one(a, label);
            Object[] out = new Object[npy.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] =
                        npy.strings() != null
                                ? npy.strings()[i]
                                : npy.doubles() != null
                                        ? (Object) npy.doubles()[i]
                                        : npy.longs() != null
                                                ? (Object) npy.longs()[i]
                                                : npy.booleans()[i];
            }
            if ("<f4".equals(npy.dtype()) && !float32) {
                throw invalid(label, "has dtype <f4, expected float64");
            }
            return out;
        }
        List<SkopsNode> items = itemsOf(n, label);
        Object[] out = new Object[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = jsonOf(items.get(i), label + "[" + i + "]");
        }
        return out;
    }

    private NpyArray one(NumpyArray a, String label) {
        if (a.array().fields() != null) {
            throw invalid(
                    label,
                    "has the structured dtype " + a.array().dtype() + ", expected a plain array");
        }
        if (a.array().shape().length != 1) {
            throw invalid(
                    label,
                    "should be a 1-d array, got shape " + Arrays.toString(a.array().shape()));
        }
        return a.array();
    }

    /** Marks attributes as read on purpose without using them: they do not change transform. */
    void ignore(String... names) {
        used.addAll(List.of(names));
    }

    /** Refuses the estimator unless the option is absent or equals one of {@code allowed}. */
    void require(String name, Object... allowed) {
        SkopsNode v = opt(name);
        if (v == null) {
            return;
        }
        Object value = v instanceof JsonValue j ? j.value() : v;
        for (Object a : allowed) {
            if (Objects.equals(a, value)
                    || a instanceof Number x
                            && value instanceof Number y
                            && x.doubleValue() == y.doubleValue()) {
                return;
            }
        }
        throw unsupported(name, v);
    }

    /** Refuses the estimator if it has an attribute nobody read or ignored. */
    void finish() {
        Set<String> unknown = new TreeSet<>(node.attrs().keySet());
        unknown.removeAll(used);
        unknown.removeAll(ALWAYS_HARMLESS);
        unknown.removeAll(FittedAttributes.versionSpecificHarmless(node.className()));
        if (!unknown.isEmpty()) {
            throw new BundleFormatException(
                    Reason.UNSUPPORTED_OPTION,
                    prefix(step)
                            + node.className()
                            + " has attributes tabscore does not know, "
                            + unknown
                            + "; refusing rather than guessing what they change");
        }
    }

    BundleFormatException unsupported(String name, SkopsNode value) {
        return new BundleFormatException(
                Reason.UNSUPPORTED_OPTION,
                prefix(step)
                        + node.className()
                        + "("
                        + name
                        + "="
                        + render(value)
                        + ") is not supported");
    }

    BundleFormatException unsupported(String what) {
        return new BundleFormatException(
                Reason.UNSUPPORTED_OPTION, prefix(step) + node.className() + ": " + what);
    }

    BundleFormatException invalid(String name, String problem) {
        return new BundleFormatException(
                Reason.ATTRIBUTE_INVALID,
                prefix(step)
                        + node.className()
                        + "."
                        + name
                        + " "
                        + problem
                        + " (at "
                        + node.path()
                        + ")");
    }

    static String prefix(String step) {
        return step.isEmpty() ? "" : step + ": ";
    }

    /** A short Python-like rendering of a node for messages. */
    static String render(SkopsNode n) {
        if (n instanceof JsonValue j) {
            return PyRepr.repr(j.value());
        }
        if (n instanceof ObjectNode o) {
            return "<" + o.className() + ">";
        }
        if (n instanceof ListNode l) {
            return l.tuple() ? "<tuple>" : "<list>";
        }
        if (n instanceof NumpyArray || n instanceof ObjectArray) {
            return "<array>";
        }
        if (n instanceof DictNode) {
            return "<dict>";
        }
        if (n instanceof FunctionRef f) {
            return "<function " + f.module() + "." + f.name() + ">";
        }
        if (n instanceof TypeValue t) {
            return "<class '" + t.module() + "." + t.name() + "'>";
        }
        if (n instanceof DTypeValue d) {
            return "dtype('" + d.dtype() + "')";
        }
        if (n instanceof SliceValue) {
            return "<slice>";
        }
        return String.valueOf(n);
    }
}
