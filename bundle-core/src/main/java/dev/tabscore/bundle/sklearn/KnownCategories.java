package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.Column;
import java.util.ArrayList;
import java.util.List;

/**
 * The categories that the encoders of a preprocessor compare one raw input column with, found by
 * following the column through the graph to every encoder it reaches with its values unchanged
 * (imputers only fill missing values). It tells an unknown category from the raw value alone,
 * before anything is transformed: what a row policy needs to reject a row, and what the quality
 * statistics count. A value is unknown when it is not missing and some encoder has no category for
 * it. Immutable and thread-safe.
 */
public final class KnownCategories {

    private final List<Categories> lookups;

    KnownCategories(List<Categories> lookups) {
        this.lookups = List.copyOf(lookups);
    }

    /**
     * Marks the rows whose value is an unknown category.
     *
     * @param c the raw column
     * @param unknown set to true for each unknown row (others are left as they are)
     * @return how many rows were marked
     */
    public int markUnknown(Column c, boolean[] unknown) {
        int n = c.size();
        int[] codes = new int[n];
        int marked = 0;
        for (Categories cats : lookups) {
            cats.encode(c, codes);
            for (int r = 0; r < n; r++) {
                if (codes[r] < 0 && !unknown[r] && !c.isMissing(r)) {
                    unknown[r] = true;
                    marked++;
                }
            }
        }
        return marked;
    }

    /**
     * Looks every row up: the category index of the first encoder's categories in {@code codes} (-1
     * when unknown to it, its NaN category or -1 when missing), and unknown rows (unknown to some
     * encoder, not missing) marked in {@code unknown}.
     *
     * @param c the raw column
     * @param codes receives the first encoder's category index of each row
     * @param unknown set to true for each unknown row (others are left as they are)
     */
    public void encode(Column c, int[] codes, boolean[] unknown) {
        lookups.get(0).encode(c, codes);
        int n = c.size();
        for (int r = 0; r < n; r++) {
            if (codes[r] < 0 && !c.isMissing(r)) {
                unknown[r] = true;
            }
        }
        if (lookups.size() > 1) {
            int[] more = new int[n];
            for (int i = 1; i < lookups.size(); i++) {
                lookups.get(i).encode(c, more);
                for (int r = 0; r < n; r++) {
                    if (more[r] < 0 && !c.isMissing(r)) {
                        unknown[r] = true;
                    }
                }
            }
        }
    }

    /**
     * Returns the number of categories of the first encoder ({@link #encode}'s codes).
     *
     * @return the count
     */
    public int size() {
        return lookups.get(0).size();
    }

    /**
     * Returns a category of the first encoder, as stored.
     *
     * @param code a category index
     * @return String, Long, Double, Boolean or null
     */
    public Object category(int code) {
        return lookups.get(0).value(code);
    }

    /**
     * Counts one unknown value in the statistics, as the encoders would (Python's str).
     *
     * @param stats the column's statistics
     * @param c the raw column
     * @param row the unknown row
     */
    public static void countUnknown(ColumnStats stats, Column c, int row) {
        Categories.countUnknown(stats, c, row);
    }

    /**
     * Returns Python's repr of a value, for messages and reject details.
     *
     * @param c the column
     * @param row the row
     * @return e.g. {@code 'North'}
     */
    public static String repr(Column c, int row) {
        return Categories.repr(c, row);
    }

    /** Follows input positions through a fitted graph to the encoders they reach unchanged. */
    static final class Trace {

        private Trace() {}

        /**
         * Returns, for each input position of {@code t}, the encoder lookups its values reach.
         *
         * @param t the transformer
         * @param width its number of inputs
         * @return one list per input position (empty when none)
         */
        static List<List<Categories>> of(Transformer t, int width) {
            List<List<Categories>> out = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                out.add(new ArrayList<>());
            }
            if (t instanceof OneHotEncoder e) {
                for (int i = 0; i < Math.min(width, e.featureCount()); i++) {
                    out.get(i).add(e.categoriesOf(i));
                }
            } else if (t instanceof OrdinalEncoder e) {
                for (int i = 0; i < Math.min(width, e.featureCount()); i++) {
                    out.get(i).add(e.categoriesOf(i));
                }
            } else if (t instanceof TargetEncoder e) {
                for (int i = 0; i < Math.min(width, e.featureCount()); i++) {
                    out.get(i).add(e.categoriesOf(i));
                }
            } else if (t instanceof ColumnTransformer ct) {
                for (ColumnTransformer.Branch b : ct.branches()) {
                    int[] cols = b.columns();
                    List<List<Categories>> sub = of(b.transformer(), cols.length);
                    for (int k = 0; k < cols.length; k++) {
                        out.get(cols[k]).addAll(sub.get(k));
                    }
                }
            } else if (t instanceof Pipeline p) {
                // pos[i]: where input i is at the current step; -1 once its values changed.
                int[] pos = new int[width];
                for (int i = 0; i < width; i++) {
                    pos[i] = i;
                }
                for (Transformer step : p.steps()) {
                    List<List<Categories>> sub = of(step, width(pos));
                    for (int i = 0; i < width; i++) {
                        if (pos[i] >= 0 && pos[i] < sub.size()) {
                            out.get(i).addAll(sub.get(pos[i]));
                        }
                    }
                    if (!(step instanceof SimpleImputer imp)) {
                        break;
                    }
                    for (int i = 0; i < width; i++) {
                        pos[i] = pos[i] < 0 ? -1 : imp.outputPosition(pos[i]);
                    }
                }
            }
            return out;
        }

        private static int width(int[] pos) {
            int w = 0;
            for (int p : pos) {
                w = Math.max(w, p + 1);
            }
            return w;
        }
    }
}
