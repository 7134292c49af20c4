package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.column.StringColumn;
import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.DTypeValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * scikit-learn's {@code sklearn.impute.SimpleImputer}: every cell of column j that holds {@code
 * missing_values} (NaN by default, also matching a null string and a masked int or bool; or a
 * number, a string, None: see {@link MissingValue}) becomes {@code statistics_[j]}, whatever the
 * strategy (mean, median, most_frequent, constant) that computed it at fit. The whole input is
 * checked first, as scikit-learn validates it before dropping columns: infinity is refused (and NaN
 * too when missing_values is not NaN) even in a column the imputer drops. A column whose statistic
 * is NaN (all missing at fit) is dropped, as scikit-learn drops it; with {@code add_indicator} the
 * {@link MissingIndicator} columns of the input follow the imputed ones. Numeric statistics give
 * float64 columns (ints and bools converted as numpy does), except that an imputer fitted on int64
 * keeps int64 when its whole input is int64 without nulls; string statistics keep a string column.
 *
 * <p>Not reproduced: {@code missing_values=pd.NA} (skops stores it as an object tabscore does not
 * read), callable strategies, sparse input, a column mixing strings and numbers.
 *
 * <p>On a float32 input (after a {@code dtype=np.float32} step, {@link NarrowFloatSteps}): each
 * statistic rounded to float32 as numpy stores it into the array.
 */
public final class SimpleImputer implements Transformer {

    private static final Set<String> STRATEGIES =
            Set.of("mean", "median", "most_frequent", "constant");

    private final int width;
    private final Object[] statistics;
    private final int[] kept;
    private final MissingIndicator indicator;
    private final MissingValue missing;
    private final boolean objectFit;
    private final boolean intFit;

    /**
     * Creates a fitted imputer.
     *
     * @param statistics {@code statistics_}: per input column a Double (NaN drops the column), a
     *     String or a Boolean
     * @param indicator the fitted indicator when {@code add_indicator}, else null
     */
    public SimpleImputer(Object[] statistics, MissingIndicator indicator) {
        this(statistics, indicator, MissingValue.NAN, hasString(statistics), false);
    }

    private static boolean hasString(Object[] statistics) {
        for (Object s : statistics) {
            if (s instanceof String) {
                return true;
            }
        }
        return false;
    }

    /**
     * Creates a fitted imputer.
     *
     * @param statistics as above
     * @param indicator as above
     * @param missing {@code missing_values}
     * @param objectFit whether {@code _fit_dtype} is object (then scikit-learn does not look for
     *     infinity)
     * @param intFit whether {@code _fit_dtype} is int64 (most_frequent or constant on int columns):
     *     then int64 input stays int64, as numpy keeps the array's dtype
     */
    SimpleImputer(
            Object[] statistics,
            MissingIndicator indicator,
            MissingValue missing,
            boolean objectFit,
            boolean intFit) {
        this.missing = missing;
        this.objectFit = objectFit;
        this.intFit = intFit;
        this.width = statistics.length;
        this.statistics = statistics.clone();
        int[] keep = new int[width];
        int n = 0;
        for (int j = 0; j < width; j++) {
            Object s = statistics[j];
            if (!(s instanceof Double || s instanceof String || s instanceof Boolean)) {
                throw new IllegalArgumentException(
                        "statistics_["
                                + j
                                + "] = "
                                + PyRepr.repr(s)
                                + " is not a number, string or bool");
            }
            if (!(s instanceof Double d && d.isNaN())) {
                keep[n++] = j;
            }
        }
        this.kept = Arrays.copyOf(keep, n);
        this.indicator = indicator;
    }

    /**
     * Returns where input column {@code j} lands in the output: the imputer keeps the values of the
     * columns it does not drop (it only fills missing ones), in order.
     *
     * @param j an input position
     * @return its output position, or -1 when the column is dropped (all missing when fitted)
     */
    int outputPosition(int j) {
        int k = Arrays.binarySearch(kept, j);
        return k >= 0 ? k : -1;
    }

    static SimpleImputer fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        Object strategy = a.get("strategy") instanceof SkopsNode.JsonValue j ? j.value() : null;
        if (strategy == null || !STRATEGIES.contains(strategy)) {
            throw a.unsupported("strategy", a.get("strategy"));
        }
        MissingValue missing = MissingValue.of(a);
        boolean keepEmpty = a.has("keep_empty_features") && a.bool("keep_empty_features");
        boolean constantDrops = FittedAttributes.constantDropsEmptyColumns(a);
        Object[] stats = FittedAttributes.imputerStatistics(a);
        if (stats.length != in.size()) {
            throw a.invalid(
                    "statistics_",
                    "has " + stats.length + " values for " + in.size() + " input columns");
        }
        boolean numericFit = !isObject(a.get("_fit_dtype"));
        for (int j = 0; j < stats.length; j++) {
            if (!numericFit && stats[j] == null) {
                // most_frequent with a NaN mask over a column that held None (not missing to it):
                // None may be the statistic; a masked cell becomes None, as in scikit-learn
                stats[j] = StringColumn.NONE;
            }
            if (numericFit && stats[j] instanceof Boolean b) {
                stats[j] = b ? 1.0 : 0.0; // fill_value=True cast to the float64 input
            }
            if (numericFit && !(stats[j] instanceof Double)) {
                throw a.invalid(
                        "statistics_", "holds " + PyRepr.repr(stats[j]) + " for a numeric column");
            }
            if (a.inputIsFloat32() && stats[j] instanceof Double d) {
                // filled into the float32 array: statistics_.astype(X.dtype) (1.8+), or
                // assigned into it (before): rounded to float32 either way
                stats[j] = NarrowFloatSteps.round(d);
            }
            boolean nan = stats[j] instanceof Double d && d.isNaN();
            boolean dropped = !keepEmpty && (!"constant".equals(strategy) || constantDrops);
            if (nan && !dropped) {
                // scikit-learn itself disagrees here: transform keeps the NaN column, while
                // get_feature_names_out drops its name
                throw a.unsupported(
                        "statistics_["
                                + j
                                + "] is NaN (fill_value="
                                + Attrs.render(a.get("fill_value"))
                                + ", keep_empty_features="
                                + (keepEmpty ? "True" : "False")
                                + "), a column this version keeps");
            }
        }
        MissingIndicator indicator = null;
        if (a.bool("add_indicator")) {
            Transformer t =
                    g.build(
                            a.get("indicator_"),
                            GraphBuilder.child(a.step(), "indicator_"),
                            in,
                            a.inputIsFrame(),
                            a.inputDtype(),
                            a.inputOrigin());
            if (!(t instanceof MissingIndicator m)) {
                throw a.invalid("indicator_", "should be a MissingIndicator");
            }
            indicator = m;
            if (!m.missingValue().describe().equals(missing.describe())) {
                throw a.invalid(
                        "indicator_",
                        "has missing_values="
                                + m.missingValue().describe()
                                + ", the imputer "
                                + missing.describe());
            }
        } else if (!a.isNone("indicator_")) {
            throw a.invalid("indicator_", "is set although add_indicator is False");
        }
        a.ignore("fill_value", "copy");
        SkopsNode fitDtype = a.get("_fit_dtype");
        boolean intFit =
                fitDtype instanceof DTypeValue d
                        && Set.of("<i8", "int64", "i8").contains(d.dtype());
        return new SimpleImputer(stats, indicator, missing, !numericFit, intFit);
    }

    private static boolean isObject(SkopsNode dtype) {
        return dtype instanceof DTypeValue d && Set.of("object", "O", "|O").contains(d.dtype());
    }

    /** {@inheritDoc} */
    @Override
    public ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        Batches.checkWidth(in, width, "SimpleImputer");
        int n = in.rowCount();
        boolean[][] masks = new boolean[width][];
        for (int j = 0; j < width; j++) {
            missing.check(in.column(j), in.names().get(j), "SimpleImputer", objectFit);
            masks[j] = missing.mask(in.column(j));
        }
        // numpy keeps int64 when the whole input is int64 (pandas: no null in any column)
        boolean ints = intFit;
        for (int j = 0; j < width && ints; j++) {
            ints = in.column(j) instanceof LongColumn l && !l.float64();
        }
        List<Column> out = new ArrayList<>(kept.length + 4);
        for (int j : kept) {
            out.add(
                    ints && statistics[j] instanceof Double d
                            ? imputeLongs((LongColumn) in.column(j), d, masks[j])
                            : impute(in.column(j), in.names().get(j), statistics[j], masks[j]));
        }
        List<String> names = featureNamesOut(in.names());
        if (indicator != null) {
            ColumnBatch ind = indicator.indicate(in, masks);
            for (int i = 0; i < ind.columnCount(); i++) {
                out.add(ind.column(i));
            }
        }
        return Batches.of(n, names, out.toArray(new Column[0]));
    }

    /** {@code statistics_.astype(int64)} into an int64 column, as the int64 array is filled. */
    private static Column imputeLongs(LongColumn c, double stat, boolean[] mask) {
        long fill = (long) stat;
        long[] y = c.values().clone();
        for (int r = 0; r < y.length; r++) {
            if (mask[r]) {
                y[r] = fill;
            }
        }
        return new LongColumn(y, null);
    }

    private static Column impute(Column c, String name, Object stat, boolean[] mask) {
        int n = mask.length;
        if (stat instanceof Double d && !(c instanceof StringColumn)) {
            double fill = d;
            double[] x = NumericInput.doubles(c, name, "SimpleImputer");
            double[] y = new double[n];
            for (int r = 0; r < n; r++) {
                y[r] = mask[r] ? fill : x[r];
            }
            return new DoubleColumn(y);
        }
        if (stat instanceof String fill && c instanceof StringColumn s) {
            String[] x = s.values();
            String[] y = new String[n];
            for (int r = 0; r < n; r++) {
                y[r] = mask[r] ? fill : x[r];
            }
            return new StringColumn(y);
        }
        if (stat instanceof Boolean fill && c instanceof BooleanColumn b) {
            boolean[] y = b.values().clone();
            boolean[] still = null;
            for (int r = 0; r < n; r++) {
                if (mask[r]) {
                    y[r] = fill;
                } else if (b.isMissing(r)) {
                    still = still == null ? new boolean[n] : still;
                    still[r] = true;
                }
            }
            return new BooleanColumn(y, still);
        }
        for (int r = 0; r < n; r++) {
            if (!mask[r] && !c.isMissing(r)) {
                throw ScoringFailure.at(
                        Reason.INPUT_SCHEMA,
                        name,
                        r,
                        "value "
                                + PyRepr.repr(c.valueAt(r))
                                + " in a column SimpleImputer fills with "
                                + PyRepr.repr(stat));
            }
        }
        if (stat instanceof String fill) {
            String[] y = new String[n];
            for (int r = 0; r < n; r++) {
                y[r] = mask[r] ? fill : null;
            }
            return new StringColumn(y);
        }
        if (stat instanceof Double d) {
            double[] y = new double[n];
            Arrays.fill(y, Double.NaN);
            for (int r = 0; r < n; r++) {
                y[r] = mask[r] ? d : Double.NaN;
            }
            return new DoubleColumn(y);
        }
        boolean[] y = new boolean[n];
        Arrays.fill(y, (Boolean) stat);
        return new BooleanColumn(y, null);
    }

    /** {@inheritDoc} */
    @Override
    public List<String> featureNamesOut(List<String> in) {
        List<String> out = new ArrayList<>(kept.length);
        for (int j : kept) {
            out.add(in.get(j));
        }
        if (indicator != null) {
            out.addAll(indicator.featureNamesOut(in));
        }
        return out;
    }
}
