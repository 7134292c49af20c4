package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.JsonValue;
import dev.tabscore.bundle.skops.SkopsNode.ListNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.preprocessing.PolynomialFeatures} on dense input, bit-exact: the
 * columns are built as its dense {@code transform} builds them, a bias column of 1 (when {@code
 * include_bias}), the inputs, then for each degree d from 2 to {@code _max_degree} and each input
 * feature f, the degree d-1 columns (that exclude features before f, and f itself when {@code
 * interaction_only}) each multiplied by {@code x_f}. Each product is therefore one rounding of the
 * previous term times one input, in scikit-learn's order ({@code x0^3 = (x0*x0)*x0}). With {@code
 * _min_degree > 1} the lower degrees are cut away afterwards, the bias kept. Names are {@code
 * get_feature_names_out}'s: {@code 1}, {@code a}, {@code a^2}, {@code a b}, joined by spaces in
 * input order. NaN and infinity are refused, as scikit-learn's input check refuses them. {@code
 * order} only changes the memory layout, not the values.
 *
 * <p>Not reproduced: sparse input.
 *
 * <p>On a float32 input (after a {@code dtype=np.float32} step, {@link NarrowFloatSteps}): each
 * product rounded to float32 (two float32 values' product is exact in a double).
 */
public final class PolynomialFeatures implements Transformer {

    private final int width;
    private final int minDegree;
    private final int maxDegree;
    private final boolean interactionOnly;
    private final boolean includeBias;

    /** Per output column, the exponent of each input feature. */
    private final int[][] powers;

    private final boolean float32;

    /**
     * Creates a fitted expansion.
     *
     * @param width the number of input columns
     * @param minDegree {@code _min_degree}
     * @param maxDegree {@code _max_degree}
     * @param interactionOnly {@code interaction_only}
     * @param includeBias {@code include_bias}
     */
    public PolynomialFeatures(
            int width, int minDegree, int maxDegree, boolean interactionOnly, boolean includeBias) {
        this(width, minDegree, maxDegree, interactionOnly, includeBias, false);
    }

    /**
     * Creates a fitted expansion that may receive float32.
     *
     * @param width the number of input columns
     * @param minDegree {@code _min_degree}
     * @param maxDegree {@code _max_degree}
     * @param interactionOnly {@code interaction_only}
     * @param includeBias {@code include_bias}
     * @param float32 whether it receives a float32 array: {@code XP} is then float32 and each
     *     product is rounded to float32 ({@code np.multiply(..., out=XP[...])})
     */
    public PolynomialFeatures(
            int width,
            int minDegree,
            int maxDegree,
            boolean interactionOnly,
            boolean includeBias,
            boolean float32) {
        this.float32 = float32;
        if (minDegree < 0 || maxDegree < minDegree || maxDegree == 0 && !includeBias) {
            throw new IllegalArgumentException(
                    "degree ("
                            + minDegree
                            + ", "
                            + maxDegree
                            + ") with include_bias="
                            + includeBias
                            + " gives no features");
        }
        this.width = width;
        this.minDegree = minDegree;
        this.maxDegree = maxDegree;
        this.interactionOnly = interactionOnly;
        this.includeBias = includeBias;
        this.powers = powers();
    }

    static PolynomialFeatures fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        int min;
        int max;
        if (a.has("_min_degree")) {
            min = (int) a.number("_min_degree");
            max = (int) a.number("_max_degree");
        } else {
            SkopsNode d = a.get("degree");
            if (d instanceof ListNode l && l.items().size() == 2) {
                min = (int) a.numberOf(l.items().get(0), "degree[0]");
                max = (int) a.numberOf(l.items().get(1), "degree[1]");
            } else if (d instanceof JsonValue) {
                min = 0;
                max = (int) a.number("degree");
            } else {
                throw a.invalid("degree", "should be an int or a pair, got " + Attrs.render(d));
            }
        }
        a.require("order", "C", "F");
        PolynomialFeatures p =
                new PolynomialFeatures(
                        in.size(),
                        min,
                        max,
                        a.bool("interaction_only"),
                        a.bool("include_bias"),
                        a.inputIsFloat32());
        int outs = p.powers.length;
        if (a.has("n_output_features_") && a.number("n_output_features_") != outs) {
            throw a.invalid(
                    "n_output_features_",
                    "is "
                            + Attrs.render(a.get("n_output_features_"))
                            + " but the degrees give "
                            + outs
                            + " features");
        }
        a.ignore("degree", "order", "n_output_features_", "_n_out_full");
        return p;
    }

    /**
     * scikit-learn's {@code _combinations} as exponent rows: the bias, then for each degree from
     * {@code max(1, min)} to max the (with-replacement unless interaction-only) combinations of
     * feature indices in lexicographic order.
     */
    private int[][] powers() {
        List<int[]> rows = new ArrayList<>();
        if (includeBias) {
            rows.add(new int[width]);
        }
        for (int d = Math.max(1, minDegree); d <= maxDegree; d++) {
            combinations(new int[d], 0, 0, rows);
        }
        return rows.toArray(new int[0][]);
    }

    private void combinations(int[] combo, int pos, int from, List<int[]> rows) {
        if (pos == combo.length) {
            int[] row = new int[width];
            for (int f : combo) {
                row[f]++;
            }
            rows.add(row);
            return;
        }
        for (int f = from; f < width; f++) {
            combo[pos] = f;
            combinations(combo, pos + 1, interactionOnly ? f + 1 : f, rows);
        }
    }

    /** {@inheritDoc} */
    @Override
    public ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        Batches.checkWidth(in, width, "PolynomialFeatures");
        int n = in.rowCount();
        double[][] x = new double[width][];
        for (int j = 0; j < width; j++) {
            String name = in.names().get(j);
            x[j] = NumericInput.doubles(in.column(j), name, "PolynomialFeatures");
            NumericInput.requireFinite(x[j], name, "PolynomialFeatures");
        }
        List<double[]> xp = new ArrayList<>();
        double[] ones = new double[n];
        Arrays.fill(ones, 1.0);
        if (includeBias) {
            xp.add(ones);
        }
        if (maxDegree > 0) {
            int current = xp.size();
            int[] index = new int[width + 1];
            for (int j = 0; j < width; j++) {
                index[j] = current + j;
                xp.add(x[j]);
            }
            current += width;
            index[width] = current;
            for (int d = 2; d <= maxDegree; d++) {
                int[] next = new int[width + 1];
                int end = index[width];
                int f = 0;
                for (; f < width; f++) {
                    int start = index[f];
                    next[f] = current;
                    if (interactionOnly) {
                        start += index[f + 1] - index[f];
                    }
                    int nextCol = current + end - start;
                    if (nextCol <= current) {
                        break;
                    }
                    double[] xf = x[f];
                    for (int c = start; c < end; c++) {
                        double[] prev = xp.get(c);
                        double[] y = new double[n];
                        for (int r = 0; r < n; r++) {
                            // two float32 values' product is exact in a double: one rounding
                            y[r] =
                                    float32
                                            ? NarrowFloatSteps.round(prev[r] * xf[r])
                                            : prev[r] * xf[r];
                        }
                        xp.add(y);
                    }
                    current = nextCol;
                }
                // the Python loop appends current once more after its loop (after a break too)
                for (int k = f; k <= width; k++) {
                    next[k] = current;
                }
                index = next;
            }
        }
        int full = xp.size();
        int outs = powers.length;
        Column[] out = new Column[outs];
        if (minDegree > 1) {
            int o = 0;
            if (includeBias) {
                out[o++] = new DoubleColumn(ones);
            }
            for (int c = full - outs + o; c < full; c++) {
                out[o++] = new DoubleColumn(xp.get(c));
            }
        } else {
            for (int c = 0; c < outs; c++) {
                out[c] = new DoubleColumn(xp.get(c));
            }
        }
        return Batches.of(n, featureNamesOut(in.names()), out);
    }

    /** {@inheritDoc} */
    @Override
    public List<String> featureNamesOut(List<String> in) {
        List<String> names = new ArrayList<>(powers.length);
        for (int[] row : powers) {
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < width; j++) {
                if (row[j] == 0) {
                    continue;
                }
                if (b.length() > 0) {
                    b.append(' ');
                }
                b.append(in.get(j));
                if (row[j] != 1) {
                    b.append('^').append(row[j]);
                }
            }
            names.add(b.length() == 0 ? "1" : b.toString());
        }
        return List.copyOf(names);
    }
}
