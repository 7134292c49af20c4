package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.ListNode;
import dev.tabscore.bundle.skops.SkopsNode.ObjectNode;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the root node of a skops file into a graph of {@link Transformer}s, refusing at load time
 * anything it would not reproduce exactly: a class missing from the {@link SklearnRegistry}, an
 * option a transformer does not implement, an attribute nobody knows, fitted arrays whose widths do
 * not line up. Every refusal is a {@link BundleFormatException} whose message starts with the step
 * path, e.g. {@code transformers_[1] 'cat' > steps[1] 'onehot': OneHotEncoder(...) is not
 * supported}.
 *
 * <pre>{@code
 * Transformer graph = new GraphBuilder(SklearnRegistry.standard()).build(skopsFile.root());
 * }</pre>
 */
public final class GraphBuilder {

    private final SklearnRegistry registry;
    private final Set<String> noneColumns;

    /** The numpy that ran the training side, when the manifest says. */
    private final TrainingNumpy numpy;

    /** The output dtype of every step built so far ({@link ArrayDtypes}). */
    private final Map<Transformer, OutputDtype> dtypes = new IdentityHashMap<>();

    /** For a step whose output is float32 / float16: the step that made it so. */
    private final Map<Transformer, String> origins = new IdentityHashMap<>();

    /** Whether a step built so far is reproduced within a tolerance rather than bit for bit. */
    private boolean inexactBuilt;

    /**
     * Creates a builder.
     *
     * @param registry the classes it may build
     */
    public GraphBuilder(SklearnRegistry registry) {
        this(registry, Set.of());
    }

    /**
     * Creates a builder for a graph fitted on a frame that held Python None for a null in some
     * string columns: encoders may then hold a None category for those columns.
     *
     * @param registry the classes it may build
     * @param noneColumns the input columns whose nulls are None (manifest {@code training_nulls})
     */
    public GraphBuilder(SklearnRegistry registry, Set<String> noneColumns) {
        this(registry, noneColumns, TrainingNumpy.UNKNOWN);
    }

    /**
     * Creates a builder that also knows which numpy ran the training side (the manifest's {@code
     * versions.numpy}): float32 steps that numpy 1.x and 2 compute differently follow it.
     *
     * @param registry the classes it may build
     * @param noneColumns the input columns whose nulls are None (manifest {@code training_nulls})
     * @param numpy the training side's numpy, or {@link TrainingNumpy#UNKNOWN}
     */
    public GraphBuilder(SklearnRegistry registry, Set<String> noneColumns, TrainingNumpy numpy) {
        this.registry = registry;
        this.noneColumns = Set.copyOf(noneColumns);
        this.numpy = numpy;
    }

    /**
     * Builds the graph of a root estimator fitted on a DataFrame.
     *
     * @param root the root node
     * @return the fitted graph
     * @throws BundleFormatException if anything in it is unsupported or malformed
     */
    public Transformer build(ObjectNode root) {
        return build(root, "", inputNames(root));
    }

    /**
     * Returns the input column names of a root estimator: its {@code feature_names_in_}, or that of
     * a Pipeline's first step or a FeatureUnion's first transformer.
     *
     * @param root the root node
     * @return the names, in fitted order
     * @throws BundleFormatException if the estimator was not fitted on a DataFrame
     */
    public static List<String> inputNames(ObjectNode root) {
        return inputNames(root, "");
    }

    private static List<String> inputNames(ObjectNode root, String step) {
        if (SklearnRegistry.standard().factory(root.module(), root.className()) == null) {
            // Read without attributes: say what it is rather than that it lacks names.
            throw new BundleFormatException(
                    Reason.UNSUPPORTED_OPTION,
                    Attrs.prefix(step)
                            + root.qualifiedName()
                            + " is not supported (tabscore implements "
                            + SklearnRegistry.standard().supportedClasses()
                            + ")");
        }
        Attrs a = new Attrs(root, step);
        if (a.has("feature_names_in_")) {
            return List.copyOf(a.strings("feature_names_in_"));
        }
        // Pipeline and FeatureUnion delegate feature_names_in_ to their first estimator.
        String members =
                "Pipeline".equals(root.className())
                        ? "steps"
                        : "FeatureUnion".equals(root.className()) ? "transformer_list" : null;
        if (members != null && a.has(members)) {
            List<SkopsNode> items = a.items(members);
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i) instanceof ListNode l
                        && l.items().size() == 2
                        && l.items().get(1) instanceof ObjectNode first
                        && l.items().get(0) instanceof SkopsNode.JsonValue name) {
                    return inputNames(
                            first, child(step, members + "[" + i + "] '" + name.value() + "'"));
                }
            }
        }
        throw new BundleFormatException(
                Reason.UNSUPPORTED_OPTION,
                root.className()
                        + " has no feature_names_in_: it was not fitted on a DataFrame, so its input"
                        + " columns have no names");
    }

    /**
     * Builds one estimator node and everything below it.
     *
     * @param node the node
     * @param step its step path, empty for the root
     * @param in the names of the columns it will receive
     * @return the fitted transformer
     */
    Transformer build(SkopsNode node, String step, List<String> in) {
        return build(node, step, in, true);
    }

    /**
     * Builds one estimator node fed a DataFrame or not ({@link FrameInput}): a Pipeline's later
     * steps receive what the step before them returns.
     *
     * @param node the node
     * @param step its step path, empty for the root
     * @param in the names of the columns it will receive
     * @param inputIsFrame whether it receives a pandas DataFrame
     * @return the fitted transformer
     */
    Transformer build(SkopsNode node, String step, List<String> in, boolean inputIsFrame) {
        return build(node, step, in, inputIsFrame, OutputDtype.FLOAT64, null);
    }

    /**
     * Builds one estimator node fed a DataFrame or not, and fed an array of the given dtype ({@link
     * ArrayDtypes}): a step after a float32 step computes in float32, as scikit-learn does, or is
     * refused ({@link NarrowFloatSteps}).
     *
     * @param node the node
     * @param step its step path, empty for the root
     * @param in the names of the columns it will receive
     * @param inputIsFrame whether it receives a pandas DataFrame
     * @param inputDtype the dtype of the array it receives
     * @param inputOrigin for a float32 / float16 input, the step that made it so (messages)
     * @return the fitted transformer
     */
    Transformer build(
            SkopsNode node,
            String step,
            List<String> in,
            boolean inputIsFrame,
            OutputDtype inputDtype,
            String inputOrigin) {
        if (!(node instanceof ObjectNode o)) {
            throw new BundleFormatException(
                    Reason.ATTRIBUTE_INVALID,
                    Attrs.prefix(step)
                            + "expected an estimator, got "
                            + Attrs.render(node)
                            + " (at "
                            + node.path()
                            + ")");
        }
        SklearnRegistry.Factory factory = registry.factory(o.module(), o.className());
        if (factory == null) {
            throw new BundleFormatException(
                    Reason.UNSUPPORTED_OPTION,
                    Attrs.prefix(step)
                            + o.qualifiedName()
                            + " is not supported (tabscore implements "
                            + registry.supportedClasses()
                            + ")");
        }
        Attrs a = new Attrs(o, step, noneColumns, inputIsFrame, inputDtype, inputOrigin, numpy);
        NarrowFloatSteps.check(a);
        checkInput(a, in);
        Transformer t;
        try {
            t = factory.build(a, in, this);
            t.featureNamesOut(in); // names its outputs now: a refusal names this step
        } catch (IllegalArgumentException e) {
            throw new BundleFormatException(
                    Reason.ATTRIBUTE_INVALID,
                    Attrs.prefix(step)
                            + o.className()
                            + ": "
                            + e.getMessage()
                            + " (at "
                            + o.path()
                            + ")",
                    e);
        }
        a.finish();
        inexactBuilt |= inexact(t);
        OutputDtype outDtype = ArrayDtypes.output(o, step, t, inputDtype, this);
        dtypes.put(t, outDtype);
        if (ArrayDtypes.floatOf(outDtype) != OutputDtype.FLOAT64) {
            origins.put(
                    t,
                    outDtype == inputDtype && inputOrigin != null
                            ? inputOrigin
                            : ArrayDtypes.origin(o, step, t, this));
        }
        // Output names may repeat (OneHotEncoder's categories 'nan' and NaN both give c_nan), as
        // scikit-learn's do: columns are positional, and only a lookup by a repeated name fails.
        return t;
    }

    /**
     * Whether a step built before the one being built is reproduced within a tolerance (the approx
     * contract: PowerTransformer, QuantileTransformer's normal output, Normalizer l1/l2, PCA,
     * TruncatedSVD, KNNImputer; or an inexact ufunc). Steps are built in graph order, so this
     * covers every step upstream; a ColumnTransformer or FeatureUnion resets it for each of its
     * branches to what it was on entry ({@link #inexactBefore(boolean)}), so a sibling branch does
     * not count, and after them it holds whether any branch (or the entry) was inexact.
     *
     * @return whether the input of the step being built may be inexact
     */
    boolean inexactBefore() {
        return inexactBuilt;
    }

    /**
     * Sets what {@link #inexactBefore()} returns: a parallel step's branch starts from the parallel
     * step's input, and the step's output is inexact if any branch's is.
     *
     * @param inexact whether the next step's input may be inexact
     */
    void inexactBefore(boolean inexact) {
        inexactBuilt = inexact;
    }

    private static boolean inexact(Transformer t) {
        return t instanceof PowerTransformer
                || t instanceof PCA
                || t instanceof TruncatedSVD
                || t instanceof KNNImputer
                || t instanceof QuantileTransformer q && q.normal()
                || t instanceof Normalizer n && n.norm() != Normalizer.Norm.MAX
                || t instanceof FunctionTransformer f && f.func() != null && !f.func().exact();
    }

    /**
     * The dtype of the array a step built here returns; FLOAT64 for one built elsewhere (the
     * identity standing for a passthrough branch, whose input is the graph's).
     *
     * @param t a built step
     * @return its output dtype
     */
    OutputDtype outputDtype(Transformer t) {
        return dtypes.getOrDefault(t, OutputDtype.FLOAT64);
    }

    /**
     * For a step built here whose output is float32 / float16, the step that made it so.
     *
     * @param t a built step
     * @return e.g. {@code steps[0] 'ord' OrdinalEncoder(dtype=float32)}, or null
     */
    String outputOrigin(Transformer t) {
        return origins.get(t);
    }

    /** {@code n_features_in_} and {@code feature_names_in_}, when stored, must match the input. */
    private static void checkInput(Attrs a, List<String> in) {
        if (a.has("n_features_in_") && a.number("n_features_in_") != in.size()) {
            throw a.invalid(
                    "n_features_in_",
                    "is "
                            + Attrs.render(a.get("n_features_in_"))
                            + " but it receives "
                            + in.size()
                            + " columns "
                            + in);
        }
        if (a.has("feature_names_in_") && !a.strings("feature_names_in_").equals(in)) {
            throw a.invalid(
                    "feature_names_in_",
                    "is " + a.strings("feature_names_in_") + " but it receives " + in);
        }
        a.ignore("n_features_in_", "feature_names_in_");
    }

    /**
     * Joins step labels into a path.
     *
     * @param step the parent path, empty for the root
     * @param label the child label, e.g. {@code steps[1] 'onehot'}
     * @return the child path
     */
    static String child(String step, String label) {
        return step.isEmpty() ? label : step + " > " + label;
    }
}
