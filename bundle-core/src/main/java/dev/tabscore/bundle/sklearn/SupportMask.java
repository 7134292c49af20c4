package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What scikit-learn's {@code SelectorMixin.transform} does with a fitted support mask: keep the
 * columns where the mask is true, values untouched ({@code _safe_indexing(X, mask, axis=1)}; an
 * empty mask gives zero columns), names {@code input_features[mask]}. Selectors without the {@code
 * allow_nan} tag first refuse NaN and infinity in every input column, dropped ones included, as
 * their input check does (unless that check is skipped: {@link FrameInput}).
 */
final class SupportMask {

    private final boolean[] mask;
    private final int[] kept;
    private final boolean requireFinite;
    private final String who;

    /**
     * Wraps a mask.
     *
     * @param mask per input column, whether it is kept
     * @param requireFinite true to refuse NaN and infinity in any input column
     * @param who the selector, for messages
     */
    SupportMask(boolean[] mask, boolean requireFinite, String who) {
        this.mask = mask.clone();
        this.requireFinite = requireFinite;
        this.who = who;
        int k = 0;
        for (boolean m : mask) {
            k += m ? 1 : 0;
        }
        this.kept = new int[k];
        for (int j = 0, i = 0; j < mask.length; j++) {
            if (mask[j]) {
                kept[i++] = j;
            }
        }
    }

    /**
     * Returns the mask, {@code get_support()}.
     *
     * @return a copy
     */
    boolean[] mask() {
        return mask.clone();
    }

    /**
     * Returns the kept input positions, {@code get_support(indices=True)}.
     *
     * @return a copy
     */
    int[] kept() {
        return kept.clone();
    }

    ColumnBatch apply(ColumnBatch in) {
        Batches.checkWidth(in, mask.length, who);
        if (requireFinite) {
            for (int j = 0; j < mask.length; j++) {
                Column c = in.column(j);
                if (c instanceof DoubleColumn d) {
                    NumericInput.requireFinite(d.values(), in.names().get(j), who);
                } else {
                    // ints, bools and strings: a missing value is NaN to numpy
                    NumericInput.requireFinite(
                            NumericInput.doubles(c, in.names().get(j), who),
                            in.names().get(j),
                            who);
                }
            }
        }
        Column[] out = new Column[kept.length];
        List<String> names = new ArrayList<>(kept.length);
        for (int i = 0; i < kept.length; i++) {
            out[i] = in.column(kept[i]);
            names.add(in.names().get(kept[i]));
        }
        return Batches.of(in.rowCount(), names, out);
    }

    List<String> names(List<String> in) {
        List<String> out = new ArrayList<>(kept.length);
        for (int j : kept) {
            out.add(in.get(j));
        }
        return List.copyOf(out);
    }

    /**
     * scikit-learn's {@code _clean_nans}: NaN scores become {@code np.finfo(float64).min}.
     *
     * @param scores {@code scores_}
     * @return a cleaned copy
     */
    static double[] cleanNans(double[] scores) {
        return cleanNans(scores, false);
    }

    /**
     * As {@link #cleanNans(double[])}; a float32 {@code scores_} takes {@code
     * np.finfo(np.float32).min} for NaN.
     */
    static double[] cleanNans(double[] scores, boolean float32) {
        double[] s = scores.clone();
        for (int i = 0; i < s.length; i++) {
            if (Double.isNaN(s[i])) {
                s[i] = float32 ? -Float.MAX_VALUE : -Double.MAX_VALUE;
            }
        }
        return s;
    }

    @Override
    public String toString() {
        return who + Arrays.toString(kept);
    }
}
