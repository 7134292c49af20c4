package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.skops.NpyArray;
import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.JsonValue;
import dev.tabscore.bundle.skops.SkopsNode.NumpyArray;
import dev.tabscore.bundle.skops.SkopsNode.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * scikit-learn's {@code sklearn.feature_selection.SelectFromModel} over a fitted linear model or a
 * fitted tree model. scikit-learn recomputes {@code _get_support_mask()} from {@code estimator_} at
 * every transform; tabscore computes the same mask once at load, with numpy's arithmetic:
 *
 * <ul>
 *   <li>importances ({@code _get_feature_importances}, {@code importance_getter='auto'}): a tree
 *       model's {@code feature_importances_} ({@link TreeImportances}, from the stored trees), then
 *       {@code np.abs}; or a linear model's {@code coef_}; 1-D: {@code np.abs}; 2-D: {@code
 *       np.linalg.norm(coef_, axis=0, ord=norm_order)} for {@code ord} 1 (sum of absolute values),
 *       2 / None (square root of the sum of squares), inf / -inf (max / min of absolute values) and
 *       0 (count of non-zeros). The sum along axis 0 is numpy's reduction: for a coefficient matrix
 *       with one column, or of fewer than 8 rows, it is {@code 0.0 +} numpy's pairwise sum
 *       (sequential below 8 terms); with 8 or more rows and several columns numpy's order depends
 *       on the memory layout the file's array had, which the reader does not keep, so such a sum is
 *       refused (exit 19);
 *   <li>threshold ({@code _calculate_threshold}): None gives 1e-5 for l1-penalised estimators (the
 *       rules of each release) and {@code "mean"} otherwise; {@code "mean"} is {@code 0.0 +}
 *       numpy's pairwise sum divided by n (refused above 8192 importances, where numpy 1.x and 2.x
 *       sum differently), {@code "median"} the mean of the two middle order statistics, {@code
 *       "s*mean"} / {@code "s*median"} the product, a number {@code float(threshold)} (on a float32
 *       {@code coef_} numpy's float32 rules, {@link #threshold32});
 *   <li>mask: with {@code max_features}, the first {@code max_features_} positions of {@code
 *       np.argsort(-scores, kind="mergesort")} (a stable sort, so among tied importances the
 *       earlier column wins), otherwise all; then every column with {@code scores < threshold} is
 *       dropped.
 * </ul>
 *
 * <p>The estimator node is read as plain data (its class name, {@code coef_}, {@code penalty},
 * {@code l1_ratio}, or its trees' node records); nothing of it is built or run. Any other estimator
 * is refused at load, naming the class and the step. The input check refuses NaN and infinity in
 * every input column, as the linear models' {@code allow_nan=False} tag makes scikit-learn's
 * selector do; for a tree model, as the release's {@code allow_nan} tag of the unfitted estimator
 * says ({@link TreeImportances#allowNan}).
 */
public final class SelectFromModel extends MaskSelector {

    /** The linear models whose {@code coef_} tabscore reads, by qualified class name. */
    static final Set<String> LINEAR_MODELS =
            Set.of(
                    "sklearn.linear_model._logistic.LogisticRegression",
                    "sklearn.linear_model._base.LinearRegression",
                    "sklearn.linear_model._ridge.Ridge",
                    "sklearn.linear_model._ridge.RidgeClassifier",
                    "sklearn.linear_model._coordinate_descent.Lasso",
                    "sklearn.linear_model._coordinate_descent.ElasticNet",
                    "sklearn.svm._classes.LinearSVC",
                    "sklearn.svm._classes.LinearSVR",
                    "sklearn.linear_model._stochastic_gradient.SGDClassifier",
                    "sklearn.linear_model._stochastic_gradient.SGDRegressor");

    /** The tree models whose feature_importances_ tabscore computes, by qualified class name. */
    static final Set<String> TREE_MODELS =
            union(
                    TreeImportances.TREES,
                    TreeImportances.FORESTS,
                    TreeImportances.BOOSTING,
                    TreeImportances.ADABOOST);

    /** numpy's pairwise summation: blocks of this many terms are summed 8-way unrolled. */
    private static final int PW_BLOCKSIZE = 128;

    /** Above this many importances numpy 1.x and 2.x order {@code np.mean}'s sum differently. */
    static final int MAX_MEAN_TERMS = 8192;

    private static final Pattern PY_FLOAT =
            Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    private final double[] importances;
    private final double threshold;

    /**
     * Creates a fitted selector.
     *
     * @param importances the importances computed from {@code coef_}
     * @param threshold the threshold computed from them
     * @param maxFeatures {@code max_features_}, or null when {@code max_features} is None
     */
    public SelectFromModel(double[] importances, double threshold, Long maxFeatures) {
        this(importances, threshold, maxFeatures, true);
    }

    /**
     * Creates a fitted selector.
     *
     * @param importances the importances computed from {@code coef_}
     * @param threshold the threshold computed from them
     * @param maxFeatures {@code max_features_}, or null when {@code max_features} is None
     * @param requireFinite false where scikit-learn skips the input check ({@link FrameInput}: a
     *     DataFrame in, pandas output configured)
     */
    public SelectFromModel(
            double[] importances, double threshold, Long maxFeatures, boolean requireFinite) {
        super(
                new SupportMask(
                        mask(importances, threshold, maxFeatures),
                        requireFinite,
                        "SelectFromModel"));
        this.importances = importances.clone();
        this.threshold = threshold;
    }

    /**
     * Returns the importances the mask was computed from.
     *
     * @return a copy
     */
    public double[] importances() {
        return importances.clone();
    }

    /**
     * Returns the threshold ({@code threshold_}).
     *
     * @return the threshold
     */
    public double threshold() {
        return threshold;
    }

    /** {@code _get_support_mask} given importances and the threshold. */
    static boolean[] mask(double[] scores, double threshold, Long maxFeatures) {
        int n = scores.length;
        boolean[] mask = new boolean[n];
        if (maxFeatures != null) {
            double[] neg = new double[n];
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                neg[i] = -scores[i];
                order[i] = i;
            }
            // np.argsort(-scores, kind="mergesort"): stable, comparing with <
            Arrays.sort(order, (a, b) -> neg[a] < neg[b] ? -1 : neg[a] > neg[b] ? 1 : 0);
            // Python's [:k]: a negative k drops the last -k positions
            long k = maxFeatures >= 0 ? Math.min(maxFeatures, n) : Math.max(0, n + maxFeatures);
            for (int i = 0; i < k; i++) {
                mask[order[i]] = true;
            }
        } else {
            Arrays.fill(mask, true);
        }
        for (int i = 0; i < n; i++) {
            if (scores[i] < threshold) {
                mask[i] = false;
            }
        }
        return mask;
    }

    /**
     * numpy's {@code pairwise_sum} for float64 ({@code loops_utils.h.src}).
     *
     * @param a the values
     * @param off the first index
     * @param n how many
     * @return their sum in numpy's order
     */
    static double pairwiseSum(double[] a, int off, int n) {
        if (n < 8) {
            double res = 0.0;
            for (int i = 0; i < n; i++) {
                res += a[off + i];
            }
            return res;
        } else if (n <= PW_BLOCKSIZE) {
            double[] r = new double[8];
            System.arraycopy(a, off, r, 0, 8);
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[off + i + j];
                }
            }
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                res += a[off + i];
            }
            return res;
        } else {
            int n2 = n / 2;
            n2 -= n2 % 8;
            return pairwiseSum(a, off, n2) + pairwiseSum(a, off + n2, n - n2);
        }
    }

    /**
     * {@code np.add.reduce} of a contiguous float64 vector of at most 8192 values: the identity
     * plus the pairwise sum.
     */
    static double sum(double[] a) {
        return 0.0 + pairwiseSum(a, 0, a.length);
    }

    /** {@code np.mean} of at most 8192 values. */
    static double mean(double[] a) {
        return sum(a) / a.length;
    }

    /** {@code np.median}: the middle order statistic, or the mean of the two middle ones. */
    static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        int h = s.length / 2;
        return s.length % 2 == 1 ? (0.0 + s[h]) / 1 : (0.0 + s[h - 1] + s[h]) / 2;
    }

    /**
     * {@code _get_feature_importances(..., transform_func="norm", norm_order)} of a coefficient
     * array.
     *
     * @param coef row-major values
     * @param shape its shape, 1-D or 2-D
     * @param order the norm order for a 2-D array: 1, 2, +inf, -inf or 0
     * @return per feature
     */
    static double[] importances(double[] coef, long[] shape, double order) {
        if (shape.length == 1) {
            double[] out = new double[coef.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.abs(coef[i]);
            }
            return out;
        }
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        double[] out = new double[cols];
        double[] column = new double[rows];
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                double x = coef[i * cols + j];
                column[i] = order == 2 ? x * x : order == 0 ? (x != 0 ? 1.0 : 0.0) : Math.abs(x);
            }
            if (order == Double.POSITIVE_INFINITY || order == Double.NEGATIVE_INFINITY) {
                double m = column.length == 0 ? Double.NaN : column[0];
                for (double v : column) {
                    m = order > 0 ? Math.max(m, v) : Math.min(m, v);
                }
                out[j] = m;
            } else {
                // sequential for < 8 rows; pairwise along the axis for one column
                double s = 0.0 + pairwiseSum(column, 0, rows);
                out[j] = order == 2 ? Math.sqrt(s) : s;
            }
        }
        return out;
    }

    /**
     * {@link #importances} of a float32 {@code coef_}: numpy's loops in float32. {@code np.abs} is
     * exact; {@code np.linalg.norm(coef_, axis=0, ord=...)} squares in float32 ({@code x.conj() *
     * x}, rounded), sums the fewer than 8 rows in float32 (the same order whether the array is C-
     * or Fortran-ordered, as in {@link #importances}), takes a float32 sqrt (the double sqrt of a
     * float32 rounded once more is correctly rounded); max and the count are exact.
     */
    static double[] importances32(double[] coef, long[] shape, double order) {
        if (shape.length == 1 || order == 0 || Double.isInfinite(order)) {
            return importances(coef, shape, order);
        }
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        double[] out = new double[cols];
        double[] column = new double[rows];
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                float x = (float) coef[i * cols + j];
                column[i] = order == 2 ? x * x : Math.abs(x);
            }
            float s = 0.0f + pairwiseSum32(column, 0, rows);
            out[j] = order == 2 ? (float) Math.sqrt(s) : s;
        }
        return out;
    }

    /**
     * {@code _calculate_threshold} for a threshold given as a string.
     *
     * @param spec {@code "mean"}, {@code "median"} or {@code "<float>*mean|median"}
     * @param scores the importances
     * @return the threshold, or null if scikit-learn would raise on it
     */
    static Double threshold(String spec, double[] scores) {
        if (spec.contains("*")) {
            String[] parts = spec.split("\\*", -1);
            if (parts.length != 2 || !isAscii(spec)) {
                return null;
            }
            String scale = parts[0].strip();
            String reference = parts[1].strip();
            if (!PY_FLOAT.matcher(scale).matches()) {
                return null;
            }
            Double ref = reference(reference, scores);
            return ref == null ? null : Double.parseDouble(scale) * ref;
        }
        return reference(spec, scores);
    }

    private static Double reference(String name, double[] scores) {
        return switch (name) {
            case "mean" -> mean(scores);
            case "median" -> median(scores);
            default -> null;
        };
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 128);
    }

    static SelectFromModel fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        String getter = a.string("importance_getter");
        boolean prefit = a.bool("prefit");
        SkopsNode estNode = a.has("estimator_") ? a.get("estimator_") : a.get("estimator");
        String estLabel = a.has("estimator_") ? "estimator_" : "estimator";
        SkopsNode unfitted = a.get("estimator");
        if (!(estNode instanceof ObjectNode est) || !(unfitted instanceof ObjectNode unfit)) {
            throw a.invalid(estLabel, "should be an estimator, got " + Attrs.render(estNode));
        }
        boolean linear = LINEAR_MODELS.contains(est.qualifiedName());
        boolean trees = TreeImportances.supports(est.qualifiedName());
        if (!linear && !trees) {
            throw new BundleFormatException(
                    Reason.UNSUPPORTED_OPTION,
                    Attrs.prefix(a.step())
                            + "SelectFromModel("
                            + estLabel
                            + "="
                            + est.qualifiedName()
                            + ") is not supported: tabscore computes the support from the coef_ of the "
                            + "linear models "
                            + simpleNames(LINEAR_MODELS)
                            + " and from the "
                            + "feature_importances_ of the tree models "
                            + simpleNames(TREE_MODELS)
                            + ", read from their stored attributes");
        }
        if (!"auto".equals(getter) && !(linear ? "coef_" : "feature_importances_").equals(getter)) {
            throw a.unsupported("importance_getter", a.get("importance_getter"));
        }
        Attrs e =
                new Attrs(
                        est, GraphBuilder.child(a.step(), estLabel + " '" + est.className() + "'"));
        if (prefit && !isFitted(unfit)) {
            throw a.invalid(
                    "estimator",
                    "is not fitted but prefit=True (scikit-learn raises "
                            + "NotFittedError at transform)");
        }
        if (trees) {
            // 1-d importances: np.abs, norm_order unused
            a.ignore("norm_order");
            double[] scores = TreeImportances.of(e, est);
            if (scores.length != in.size()) {
                throw e.invalid(
                        "n_features_in_",
                        "is " + scores.length + " for " + in.size() + " input columns");
            }
            for (int i = 0; i < scores.length; i++) {
                scores[i] = Math.abs(scores[i]);
            }
            boolean allowNan = TreeImportances.allowNan(a, unfit);
            return new SelectFromModel(
                    scores,
                    threshold(a, e, est, scores),
                    maxFeatures(a),
                    !allowNan && !FrameInput.skipsInputCheck(a));
        }
        SkopsNode coefNode = e.get("coef_");
        if (!(coefNode instanceof NumpyArray arr)) {
            throw e.invalid("coef_", "should be a numpy array, got " + Attrs.render(coefNode));
        }
        NpyArray npy = arr.array();
        long[] shape = npy.shape();
        // a float32 coef_ (fitted on float32 input): its norm and threshold computed in float32
        boolean coef32 = "<f4".equals(npy.dtype()) && a.inputIsFloat32();
        if (!"<f8".equals(npy.dtype()) && !coef32 || shape.length < 1 || shape.length > 2) {
            throw e.invalid(
                    "coef_",
                    "has dtype "
                            + npy.dtype()
                            + " and shape "
                            + Arrays.toString(shape)
                            + ", expected a 1-d or 2-d float64 array (float32 where the input is)");
        }
        double[] coef = npy.asDoubles();
        for (int i = 0; i < coef.length; i++) {
            if (!Double.isFinite(coef[i])) {
                throw e.invalid(
                        "coef_",
                        "holds "
                                + coef[i]
                                + " at flat index "
                                + i
                                + "; a fitted parameter must be finite");
            }
        }
        long features = shape[shape.length - 1];
        if (features != in.size()) {
            throw e.invalid(
                    "coef_",
                    "has " + features + " feature columns for " + in.size() + " input columns");
        }
        double order = 1;
        SkopsNode ordNode = a.get("norm_order");
        if (shape.length == 2) {
            Object o = ordNode instanceof JsonValue j ? j.value() : ordNode;
            if (o == null) {
                order = 2;
            } else if (o instanceof Long l && (l == 0 || l == 1 || l == 2)) {
                order = l;
            } else if (o instanceof Double d
                    && (d == 0 || d == 1 || d == 2 || Double.isInfinite(d))) {
                order = d;
            } else {
                throw a.unsupported("norm_order", ordNode);
            }
            boolean summed = order == 1 || order == 2;
            if (summed && shape[0] >= 8 && shape[1] >= 2) {
                throw a.unsupported(
                        "np.linalg.norm(coef_, axis=0, ord="
                                + Attrs.render(ordNode)
                                + ") over "
                                + shape[0]
                                + " rows: numpy sums them in an order that "
                                + "depends on the memory layout of the fitted array (pairwise if it was "
                                + "Fortran-ordered, sequential if C-ordered), which the file does not "
                                + "keep; norm_order=np.inf or fewer than 8 rows of coef_ is supported");
            }
        } else {
            a.ignore("norm_order"); // unused for a 1-d coef_
        }
        double[] scores =
                coef32 ? importances32(coef, shape, order) : importances(coef, shape, order);

        double threshold = coef32 ? threshold32(a, e, est, scores) : threshold(a, e, est, scores);
        return new SelectFromModel(
                scores, threshold, maxFeatures(a), !FrameInput.skipsInputCheck(a));
    }

    /** {@code max_features_} (the int param once fitted), or null for None. */
    private static Long maxFeatures(Attrs a) {
        Long maxFeatures = null;
        if (!a.isNone("max_features")) {
            SkopsNode mf = a.has("max_features_") ? a.get("max_features_") : a.get("max_features");
            if (!(mf instanceof JsonValue j && j.value() instanceof Long l)) {
                throw a.unsupported("max_features", a.get("max_features"));
            }
            maxFeatures = l;
            // scikit-learn uses max_features_ once fitted; the param must then be an int too
            SkopsNode param = a.get("max_features");
            if (!(param instanceof JsonValue p && p.value() instanceof Long)) {
                throw a.unsupported("max_features", param);
            }
        } else {
            a.ignore("max_features_");
        }
        return maxFeatures;
    }

    /** A mean threshold over more terms than numpy 1.x and 2.x sum in the same order is refused. */
    private static void requireFewMeanTerms(Attrs a, String spec, int terms) {
        if (terms > MAX_MEAN_TERMS) {
            throw a.unsupported(
                    "threshold='"
                            + spec
                            + "' over "
                            + terms
                            + " importances: numpy 1.x and 2.x sum more than "
                            + MAX_MEAN_TERMS
                            + " values in different orders");
        }
    }

    private static double threshold(Attrs a, Attrs e, ObjectNode est, double[] scores) {
        SkopsNode t = a.get("threshold");
        Object v = t instanceof JsonValue j ? j.value() : t;
        if (v == null) {
            v = l1Penalised(a, e, est) ? (Object) 1e-5 : "mean";
        }
        if (v instanceof String s) {
            if ("mean".equals(s) || s.endsWith("mean")) {
                requireFewMeanTerms(a, s, scores.length);
            }
            Double d = threshold(s, scores);
            if (d == null) {
                throw a.unsupported("threshold", t);
            }
            return d;
        }
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Double d) {
            return d;
        }
        throw a.unsupported("threshold", t);
    }

    /**
     * {@code _calculate_threshold} on float32 importances ({@code np.abs} of a float32 {@code
     * coef_}): {@code np.mean} sums pairwise in float32 and divides in float32, {@code np.median}
     * averages the middle two in float32, and a number (or None's 1e-5) is compared with the
     * float32 scores in float32 (numpy 1.x value-based casting and numpy 2's weak Python float
     * agree). A scaled {@code "s*mean"} multiplies a Python float by a float32 scalar, float64 in
     * numpy 1.x and float32 in numpy 2 ({@link #scaled32}): up to scikit-learn 1.3 numpy 1.x's
     * rule, from 1.4 that of the numpy a bundle manifest names ({@link TrainingNumpy}), refused
     * without it.
     */
    private static double threshold32(Attrs a, Attrs e, ObjectNode est, double[] scores) {
        SkopsNode t = a.get("threshold");
        Object v = t instanceof JsonValue j ? j.value() : t;
        if (v == null) {
            v = l1Penalised(a, e, est) ? (Object) 1e-5 : "mean";
        }
        if (v instanceof String s) {
            if ("mean".equals(s.strip()) || "median".equals(s.strip())) {
                if ("mean".equals(s.strip()) && scores.length > MAX_MEAN_TERMS) {
                    throw a.unsupported(
                            "threshold='mean' over "
                                    + scores.length
                                    + " importances: numpy 1.x and 2.x sum more than "
                                    + MAX_MEAN_TERMS
                                    + " values in different orders");
                }
                return "mean".equals(s.strip()) ? mean32(scores) : median32(scores);
            }
            String[] parts = s.split("\\*", -1);
            String reference = parts.length == 2 ? parts[1].strip() : "";
            if (!isAscii(s)
                    || parts.length != 2
                    || !PY_FLOAT.matcher(parts[0].strip()).matches()
                    || !(reference.equals("mean") || reference.equals("median"))) {
                throw a.unsupported("threshold", t);
            }
            // up to 1.3 scikit-learn runs on numpy 1.x only; from 1.4 the manifest says which
            TrainingNumpy numpy = a.trainingNumpy();
            boolean numpy1 = numpy.known() ? numpy.isNumpy1() : !SklearnVersion.atLeast(a, 1, 4);
            if (!numpy.known() && !numpy1) {
                throw a.unsupported(
                        "threshold='"
                                + s
                                + "' on a float32 coef_: numpy 1.x scales the float32 mean /"
                                + " median in float64, numpy 2 in float32, and neither the file"
                                + " nor a manifest's versions.numpy says which ran");
            }
            if (reference.equals("mean")) {
                requireFewMeanTerms(a, s, scores.length);
            }
            float ref = reference.equals("mean") ? mean32(scores) : median32(scores);
            return scaled32(Double.parseDouble(parts[0].strip()), ref, numpy1);
        }
        if (v instanceof Long l) {
            return (float) l.doubleValue();
        }
        if (v instanceof Double d) {
            return (float) d.doubleValue();
        }
        throw a.unsupported("threshold", t);
    }

    /**
     * The threshold {@code scores < scale * reference} compares the float32 scores with, for a
     * Python float {@code scale} and a float32 scalar {@code reference}. numpy 1.x: the product is
     * float64, and value-based casting compares it with the float32 array in float32 (rounded),
     * unless it lies beyond float32's range ({@code min_scalar_type}: then in float64). numpy 2:
     * the weak Python float becomes float32 (inf beyond its range), the product is float32.
     *
     * @param scale the Python float
     * @param reference the float32 mean or median
     * @param numpy1 whether numpy 1.x computes it
     * @return the value compared with, in the comparison's precision
     */
    static double scaled32(double scale, float reference, boolean numpy1) {
        if (numpy1) {
            double t = scale * reference;
            return SplineTransformer.fitsFloat32(t) ? (float) t : t;
        }
        // the product of two float32 values is exact in double: rounded once, as float32's
        return (float) ((double) (float) scale * reference);
    }

    /** {@code np.mean} of float32 values: numpy's pairwise sum in float32, then the division. */
    static float mean32(double[] a) {
        return (0.0f + pairwiseSum32(a, 0, a.length)) / a.length;
    }

    /** {@code np.median} of float32 values: the middle one, or the float32 mean of two. */
    static float median32(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        int h = s.length / 2;
        return s.length % 2 == 1 ? (float) s[h] : (0.0f + (float) s[h - 1] + (float) s[h]) / 2;
    }

    /** {@link #pairwiseSum} with float32 accumulators, as numpy's {@code FLOAT_pairwise_sum}. */
    static float pairwiseSum32(double[] a, int off, int n) {
        if (n < 8) {
            float res = 0.0f;
            for (int i = 0; i < n; i++) {
                res += (float) a[off + i];
            }
            return res;
        } else if (n <= PW_BLOCKSIZE) {
            float[] r = new float[8];
            for (int j = 0; j < 8; j++) {
                r[j] = (float) a[off + j];
            }
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += (float) a[off + i + j];
                }
            }
            float res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                res += (float) a[off + i];
            }
            return res;
        } else {
            int n2 = n / 2;
            n2 -= n2 % 8;
            return pairwiseSum32(a, off, n2) + pairwiseSum32(a, off + n2, n - n2);
        }
    }

    /** The branches of {@code _calculate_threshold(threshold=None)} for the linear models. */
    private static boolean l1Penalised(Attrs a, Attrs e, ObjectNode est) {
        Map<String, SkopsNode> attrs = est.attrs();
        if (attrs.get("penalty") instanceof JsonValue p && "l1".equals(p.value())) {
            return true;
        }
        String name = est.className();
        if (name.contains("Lasso")) {
            return true;
        }
        if (name.equals("ElasticNet") && isClose1(e, attrs.get("l1_ratio"), true)) {
            return true;
        }
        if (name.equals("LogisticRegression")
                && SklearnVersion.atLeast(a, 1, 8)
                && attrs.containsKey("l1_ratio")) {
            return isClose1(e, attrs.get("l1_ratio"), false);
        }
        return false;
    }

    /** {@code np.isclose(x, 1.0)}; a None or non-number is what scikit-learn fails on. */
    private static boolean isClose1(Attrs e, SkopsNode n, boolean absentIsFalse) {
        if (n == null && absentIsFalse) {
            return false;
        }
        if (!(n instanceof JsonValue j)
                || !(j.value() instanceof Number x)
                || j.value() instanceof Boolean) {
            throw e.unsupported(
                    "l1_ratio="
                            + (n == null ? "absent" : Attrs.render(n))
                            + " with SelectFromModel(threshold=None): scikit-learn's np.isclose(l1_ratio,"
                            + " 1.0) fails on it");
        }
        double d = x.doubleValue();
        return Math.abs(d - 1.0) <= 1e-8 + 1e-5 * Math.abs(1.0);
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (Set<String> x : sets) {
            out.addAll(x);
        }
        return Set.copyOf(out);
    }

    /** {@code check_is_fitted}: an attribute ending with "_" that does not start with "__". */
    private static boolean isFitted(ObjectNode est) {
        return est.attrs().keySet().stream().anyMatch(k -> k.endsWith("_") && !k.startsWith("__"));
    }

    private static List<String> simpleNames(Set<String> names) {
        return names.stream().map(s -> s.substring(s.lastIndexOf('.') + 1)).sorted().toList();
    }
}
