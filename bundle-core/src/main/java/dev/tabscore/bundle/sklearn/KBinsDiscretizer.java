package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.skops.SkopsNode;
import java.util.Arrays;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.preprocessing.KBinsDiscretizer}: the bin of x is {@code
 * np.searchsorted(bin_edges_[j][1:-1], x, side="right")}, the number of inner edges at or below x.
 * A value exactly on an inner edge goes to the upper bin; below the first edge gives 0, at or above
 * the last gives {@code n_bins_[j] - 1}. Whatever the strategy (uniform, quantile, kmeans, any
 * {@code quantile_method}, {@code subsample}), the fitted edges are stored, so transform is the
 * same; a constant column has edges [-inf, inf] (one bin), and kmeans/quantile on a near-constant
 * column can leave a single edge (zero bins, every value 0). With {@code dtype=np.float32}
 * scikit-learn first casts the input to float32, so x is rounded to float32 before the search (and
 * a value beyond float32's range becomes infinity, which it refuses). NaN and infinity are refused,
 * as scikit-learn refuses them. With {@code encode='onehot-dense'} (or {@code onehot}, sparse,
 * returned dense) the bins go through the fitted {@code _encoder} {@link OneHotEncoder}, whose
 * float categories give names such as {@code pages_2.0}; the 0/1 and bin values are exact in either
 * output dtype. On a float32 input (a float32 step before it) the edges fitted on it may be float32
 * (numpy 2's linspace of float32 bounds) or float64 (numpy 1): numpy's searchsorted compares in
 * their common type, exact for both, so the stored edges are compared as doubles.
 *
 * <p>Not reproduced: {@code inverse_transform}, which scoring never calls.
 */
public final class KBinsDiscretizer implements Transformer {

    private final double[][] inner;
    private final OneHotEncoder encoder;
    private final boolean float32Input;
    private final int[] edgeCount;

    /**
     * Creates a fitted discretizer.
     *
     * @param binEdges {@code bin_edges_}: per feature the increasing edges, at least two
     * @param encoder the fitted {@code _encoder} for one-hot output, or null for ordinal
     */
    public KBinsDiscretizer(double[][] binEdges, OneHotEncoder encoder) {
        this(binEdges, encoder, false);
    }

    /**
     * Creates a fitted discretizer.
     *
     * @param binEdges {@code bin_edges_}: per feature the increasing edges, at least one
     * @param encoder the fitted {@code _encoder} for one-hot output, or null for ordinal
     * @param float32Input true for {@code dtype=np.float32}: the input is cast to float32
     */
    KBinsDiscretizer(double[][] binEdges, OneHotEncoder encoder, boolean float32Input) {
        this.float32Input = float32Input;
        this.inner = new double[binEdges.length][];
        this.edgeCount = new int[binEdges.length];
        for (int j = 0; j < binEdges.length; j++) {
            double[] e = binEdges[j];
            if (e.length < 1) {
                throw new IllegalArgumentException(
                        "bin_edges_[" + j + "] has " + e.length + " edges");
            }
            for (int k = 1; k < e.length; k++) {
                if (!(e[k - 1] <= e[k])) {
                    throw new IllegalArgumentException(
                            "bin_edges_[" + j + "] is not sorted: " + Arrays.toString(e));
                }
            }
            edgeCount[j] = e.length;
            inner[j] = e.length < 2 ? new double[0] : Arrays.copyOfRange(e, 1, e.length - 1);
        }
        if (encoder != null && !Arrays.equals(encoder.featureWidths(), binCounts())) {
            throw new IllegalArgumentException(
                    "_encoder widths "
                            + Arrays.toString(encoder.featureWidths())
                            + " differ from n_bins_ "
                            + Arrays.toString(binCounts()));
        }
        this.encoder = encoder;
    }

    private int[] binCounts() {
        int[] n = new int[inner.length];
        for (int j = 0; j < n.length; j++) {
            n[j] = Math.max(0, edgeCount[j] - 1);
        }
        return n;
    }

    static KBinsDiscretizer fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        String encode = a.string("encode");
        a.require("encode", "ordinal", "onehot-dense", "onehot");
        boolean float32 = !a.isNone("dtype") && float32(a);
        List<SkopsNode> edges = a.items("bin_edges_");
        long[] nBins = a.longs("n_bins_");
        if (edges.size() != in.size() || nBins.length != in.size()) {
            throw a.invalid(
                    "bin_edges_",
                    "has "
                            + edges.size()
                            + " features (n_bins_ "
                            + nBins.length
                            + ") for "
                            + in.size()
                            + " input columns");
        }
        double[][] binEdges = new double[edges.size()][];
        for (int j = 0; j < binEdges.length; j++) {
            // fitted on a float32 input the edges may be float32 (linspace / percentile of the
            // float32 column): searchsorted compares the float32 values with them exactly
            binEdges[j] = a.doublesOf(edges.get(j), "bin_edges_[" + j + "]", a.inputIsFloat32());
            if (binEdges[j].length != nBins[j] + 1) {
                throw a.invalid(
                        "n_bins_",
                        "says "
                                + nBins[j]
                                + " bins for "
                                + binEdges[j].length
                                + " edges of feature "
                                + j);
            }
        }
        OneHotEncoder encoder = null;
        if (!"ordinal".equals(encode)) {
            Transformer t =
                    g.build(a.get("_encoder"), GraphBuilder.child(a.step(), "_encoder"), in);
            if (!(t instanceof OneHotEncoder e)) {
                throw a.invalid("_encoder", "should be a OneHotEncoder");
            }
            encoder = e;
        }
        a.ignore("n_bins", "strategy", "subsample", "random_state", "quantile_method");
        return new KBinsDiscretizer(binEdges, encoder, float32);
    }

    /** {@code dtype}: np.float64 or np.float32 (the only values scikit-learn accepts). */
    private static boolean float32(Attrs a) {
        OutputDtype d = OutputDtype.read(a, "dtype");
        if (d != OutputDtype.FLOAT32 && d != OutputDtype.FLOAT64) {
            throw a.unsupported("dtype", a.get("dtype"));
        }
        return d == OutputDtype.FLOAT32;
    }

    /** {@inheritDoc} */
    @Override
    public ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        Batches.checkWidth(in, inner.length, "KBinsDiscretizer");
        int n = in.rowCount();
        DoubleColumn[] out = new DoubleColumn[inner.length];
        for (int j = 0; j < inner.length; j++) {
            String name = in.names().get(j);
            double[] x = NumericInput.doubles(in.column(j), name, "KBinsDiscretizer");
            if (float32Input) {
                x = x.clone();
                for (int r = 0; r < n; r++) {
                    x[r] = (float) x[r];
                }
            }
            NumericInput.requireFinite(x, name, "KBinsDiscretizer");
            double[] edges = inner[j];
            double[] y = new double[n];
            for (int r = 0; r < n; r++) {
                y[r] = searchRight(edges, x[r]);
            }
            out[j] = new DoubleColumn(y);
        }
        ColumnBatch bins = Batches.of(n, in.names(), out);
        return encoder == null ? bins : encoder.transform(bins, null);
    }

    /** numpy's searchsorted(edges, x, side="right"): the number of edges {@code <= x}. */
    static int searchRight(double[] edges, double x) {
        int lo = 0;
        int hi = edges.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (x < edges[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** {@inheritDoc} */
    @Override
    public List<String> featureNamesOut(List<String> in) {
        return encoder == null ? List.copyOf(in) : encoder.featureNamesOut(in);
    }
}
