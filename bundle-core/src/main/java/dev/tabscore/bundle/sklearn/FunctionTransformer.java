package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.DictNode;
import dev.tabscore.bundle.skops.SkopsNode.FunctionRef;
import dev.tabscore.bundle.skops.SkopsNode.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.preprocessing.FunctionTransformer} with {@code func=None} (the
 * identity, which is also what a ColumnTransformer keeps for {@code "passthrough"}) or one of the
 * single-argument numpy ufuncs of {@link Ufunc}, applied element-wise with the dtype numpy sees:
 *
 * <ul>
 *   <li>a float64 column (or an int64 column with a missing value in the batch as read, which
 *       pandas made float64, also for the rows left after a refused row): float64;
 *   <li>an int64 column without missing values: numpy's int64 loop where it has one ({@code abs},
 *       {@code square}, ... wrap in two's complement; {@code np.abs(-2^63)} is -2^63), otherwise
 *       float64;
 *   <li>a bool column without missing values: numpy's bool result (bool, int8, or float16 rounded
 *       from float32), or numpy's TypeError as a refusal; with missing values in the batch as read
 *       pandas holds an object column (for every row of the batch), on which only abs, negative,
 *       positive and square are defined; other ufuncs refuse the column.
 * </ul>
 *
 * <p>With {@code validate=True} the batch first becomes one array as {@code check_array(X,
 * dtype="numeric")} makes it: int64 if every column is an int64 without missing values, bool if
 * every column is bool, else float64, and NaN or infinity is refused ({@code
 * ensure_all_finite=True}). Names are one-to-one for {@code feature_names_out="one-to-one"} and for
 * None (scikit-learn then offers no names; the columns still map one to one). {@code inverse_func},
 * {@code inv_kw_args}, {@code check_inverse} and {@code accept_sparse} do not change transform of
 * dense input.
 *
 * <p>Refused, naming the attribute: any other function, a non-empty {@code kw_args} (the ufunc
 * keywords out/where/dtype/casting change the dtype flow), a callable {@code feature_names_out}.
 *
 * <p>On a float32 input (after a {@code dtype=np.float32} step, {@link NarrowFloatSteps}): numpy's
 * float32 loop ({@link Ufunc#applyAll32}), nudged by float32 ulps.
 *
 * <p>sin, cos and tan of an <em>inexact</em> input (a step before this one in the graph is
 * reproduced within a tolerance: PowerTransformer, QuantileTransformer's normal output, Normalizer
 * l1/l2, PCA, TruncatedSVD, KNNImputer, an inexact ufunc; {@link GraphBuilder#inexactBefore()}):
 * the input may differ from numpy's by {@link Ufunc#CONTRACT_ULPS} ulps. Where that interval spans
 * more than a quarter period (|x| &gt;= 2^51; near 1e19 the result is anything in [-1, 1]), holds a
 * pole of tan, or holds an extremum of sin / cos and is wide enough (2 delta^2 above 5 ulps of 1,
 * |x| &gt;= 2^25) for that to show, the function is not monotone over it, so the result is not
 * bounded by the envelope of nudged results: the row is refused as {@link
 * UnsettledImputationException} ({@code ufunc_unsettled}). An exact input (straight from the data)
 * keeps scoring: StrictMath agrees with numpy within 3 ulps for any magnitude (measured on 5,001
 * values up to 1e300 and +-2^63, numpy 1.26 and 2.4).
 */
public final class FunctionTransformer implements Transformer {

    private final Ufunc func;
    private final boolean validate;
    private final boolean float32;

    /** Whether a step before this one is reproduced within a tolerance, not bit for bit. */
    private final boolean inexactInput;

    /** A quarter of the period 2 pi of sin and cos (tan's period is pi: its poles are checked). */
    private static final double QUARTER_PERIOD = Math.PI / 2;

    /**
     * Creates a fitted transformer.
     *
     * @param func the ufunc, or null for the identity
     * @param validate scikit-learn's {@code validate}
     */
    public FunctionTransformer(Ufunc func, boolean validate) {
        this(func, validate, false);
    }

    /**
     * Creates a fitted transformer that may receive float32.
     *
     * @param func the ufunc, or null for the identity
     * @param validate scikit-learn's {@code validate}
     * @param float32 whether it receives a float32 array: numpy then runs the ufunc's float32 loop
     *     ({@link Ufunc#applyAll32}), and a nudge moves results by float32 ulps
     */
    public FunctionTransformer(Ufunc func, boolean validate, boolean float32) {
        this(func, validate, float32, false);
    }

    /**
     * Creates a fitted transformer whose input may be inexact.
     *
     * @param func the ufunc, or null for the identity
     * @param validate scikit-learn's {@code validate}
     * @param float32 whether it receives a float32 array
     * @param inexactInput whether a step before it is reproduced within a tolerance: sin, cos and
     *     tan then refuse the rows where that tolerance makes their result unsettled
     */
    public FunctionTransformer(
            Ufunc func, boolean validate, boolean float32, boolean inexactInput) {
        this.inexactInput = inexactInput;
        this.float32 = float32;
        this.func = func;
        this.validate = validate;
    }

    /**
     * Returns the identity that stands for a {@code "passthrough"} branch.
     *
     * @return the identity
     */
    public static FunctionTransformer identity() {
        return new FunctionTransformer(null, false);
    }

    /**
     * Returns the ufunc applied, for the manifest's record of inexact features.
     *
     * @return the ufunc, or null for the identity
     */
    Ufunc func() {
        return func;
    }

    static FunctionTransformer fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        SkopsNode f = a.get("func");
        Ufunc func = null;
        if (f instanceof FunctionRef ref) {
            func = FittedAttributes.ufunc(a, "func", ref);
        } else if (!(f instanceof JsonValue j && j.value() == null)) {
            throw a.unsupported("func", f);
        }
        SkopsNode kw = a.opt("kw_args");
        if (!(kw == null
                || kw instanceof JsonValue j && j.value() == null
                || kw instanceof DictNode d && d.entries().isEmpty())) {
            throw a.unsupported("kw_args", kw);
        }
        if (!a.isNone("feature_names_out")) {
            a.require("feature_names_out", "one-to-one");
        }
        boolean validate = a.has("validate") && a.bool("validate");
        a.ignore("inverse_func", "inv_kw_args", "accept_sparse", "check_inverse");
        return new FunctionTransformer(func, validate, a.inputIsFloat32(), g.inexactBefore());
    }

    /** {@inheritDoc} */
    @Override
    public ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        if (func == null && !validate) {
            return in;
        }
        Column[] cols = new Column[in.columnCount()];
        for (int j = 0; j < cols.length; j++) {
            cols[j] = in.column(j);
        }
        if (validate) {
            checkArray(cols, in.names());
        }
        if (func != null) {
            if (inexactInput && periodic()) {
                refuseUnsettled(cols, in.names());
            }
            for (int j = 0; j < cols.length; j++) {
                int nudge = func.exact() ? 0 : TransformStats.ufuncNudge(stats, j);
                cols[j] = apply(cols[j], in.names().get(j), nudge);
            }
        }
        return Batches.of(in.rowCount(), in.names(), cols);
    }

    private boolean periodic() {
        return func == Ufunc.SIN || func == Ufunc.COS || func == Ufunc.TAN;
    }

    /**
     * Refuses every row where an inexact input's ulp-contract uncertainty moves the result past its
     * tolerance: all such rows of the batch at once, naming the first such column.
     */
    private void refuseUnsettled(Column[] cols, List<String> names) {
        List<UnsettledImputationException.Row> rows = new ArrayList<>();
        boolean[] seen = new boolean[cols.length == 0 ? 0 : cols[0].size()];
        for (int j = 0; j < cols.length; j++) {
            if (!(cols[j] instanceof DoubleColumn d)) {
                continue; // int and bool columns come from the data: exact
            }
            double[] x = d.values();
            boolean f32 = float32;
            for (int r = 0; r < x.length; r++) {
                String why = seen[r] ? null : unsettled(x[r], f32);
                if (why != null) {
                    seen[r] = true;
                    rows.add(new UnsettledImputationException.Row(r, names.get(j), why));
                }
            }
        }
        if (!rows.isEmpty()) {
            rows.sort(java.util.Comparator.comparingInt(UnsettledImputationException.Row::row));
            throw UnsettledImputationException.ofUfunc(rows);
        }
    }

    /**
     * Why np.func(x) of an inexact x is unsettled, or null when it is not: x may differ from
     * numpy's by {@link Ufunc#CONTRACT_ULPS} ulps, and over that interval the function must be
     * monotone (the envelope golden replay and the fuzzer carry through later steps assumes so):
     * the interval must be shorter than a quarter period and hold no pole of tan and no extremum of
     * sin / cos where the interval is wide enough for that to matter (|x| &gt;= 2^25). With the
     * interval under a quarter period it holds at most one such point, found as a sign change of
     * the derivative's factor (cos for sin and tan, sin for cos) at its ends; StrictMath reduces
     * huge arguments exactly.
     */
    String unsettled(double x, boolean f32) {
        if (!Double.isFinite(x)) {
            return null;
        }
        double delta = Ufunc.CONTRACT_ULPS * (f32 ? Math.ulp((float) x) : Math.ulp(x));
        String span =
                " (an inexact step upstream, within "
                        + Ufunc.CONTRACT_ULPS
                        + " ulps: +-"
                        + delta
                        + ")";
        if (2 * delta >= QUARTER_PERIOD) {
            return "np."
                    + func.pythonName()
                    + " of "
                    + x
                    + " is unsettled: its input's"
                    + " uncertainty"
                    + span
                    + " spans more than a quarter period, so the result"
                    + " may be any value of the function";
        }
        double lo = func == Ufunc.COS ? StrictMath.sin(x - delta) : StrictMath.cos(x - delta);
        double hi = func == Ufunc.COS ? StrictMath.sin(x + delta) : StrictMath.cos(x + delta);
        if (Math.signum(lo) == Math.signum(hi) && lo != 0) {
            return null;
        }
        // Over an extremum of sin / cos the result moves by at most (2 delta)^2 / 2, which is
        // inside the result's own ulp contract for delta below ~2.3e-8 (|x| < 2^25): cos(0.0)
        // of an inexact 0 stays settled. A pole of tan always counts.
        if (func != Ufunc.TAN && 2 * delta * delta <= Ufunc.CONTRACT_ULPS * Math.ulp(1.0)) {
            return null;
        }
        return "np."
                + func.pythonName()
                + " of "
                + x
                + " is unsettled: its input's uncertainty"
                + span
                + " holds "
                + (func == Ufunc.TAN ? "a pole of tan" : "an extremum of np." + func.pythonName())
                + ", so numpy's result is not bounded by Java's nudged ones";
    }

    private String who() {
        return func == null
                ? "FunctionTransformer"
                : "FunctionTransformer(np." + func.pythonName() + ")";
    }

    /** check_array(X, dtype="numeric", ensure_all_finite=True) on the stacked columns. */
    private void checkArray(Column[] cols, List<String> names) {
        boolean allInt = true;
        boolean allBool = true;
        for (Column c : cols) {
            allInt &= c instanceof LongColumn l && !l.float64();
            allBool &= c instanceof BooleanColumn b && !b.nullInBatch();
        }
        if (allInt || allBool) {
            return;
        }
        for (int j = 0; j < cols.length; j++) {
            double[] x = NumericInput.doubles(cols[j], names.get(j), who());
            NumericInput.requireFinite(x, names.get(j), who());
            cols[j] = cols[j] instanceof DoubleColumn ? cols[j] : new DoubleColumn(x);
        }
    }

    private Column apply(Column c, String name, int nudge) {
        if (c instanceof LongColumn l && !l.float64()) {
            return applyInt(l.values(), nudge);
        }
        if (c instanceof BooleanColumn b) {
            if (!b.nullInBatch()) {
                return applyBool(b.values(), name);
            }
            // An object column in pandas for the whole batch (the rows left after a refused
            // row too): numpy's object loop raises TypeError for every row, so the column is
            // refused, as a bool column is where numpy's bool loop raises.
            if (!func.onObject()) {
                throw ScoringFailure.at(
                        Reason.INPUT_SCHEMA,
                        name,
                        -1,
                        "np."
                                + func.pythonName()
                                + " is not defined on a bool column with"
                                + " missing values in the batch (pandas holds it as an object column;"
                                + " numpy raises TypeError for every row)");
            }
        }
        double[] x = NumericInput.doubles(c, name, who());
        double[] y = new double[x.length];
        boolean f32 = float32 && c instanceof DoubleColumn;
        if (f32) {
            func.applyAll32(x, y);
        } else {
            func.applyAll(x, y);
        }
        if (nudge != 0) {
            if (f32) {
                nudge32(y, nudge);
            } else {
                nudge(y, nudge);
            }
        }
        return func.intRule() == Ufunc.IntRule.BOOL ? booleans(y) : new DoubleColumn(y);
    }

    private Column applyInt(long[] v, int nudge) {
        switch (func.intRule()) {
            case INT:
                {
                    long[] y = new long[v.length];
                    for (int r = 0; r < y.length; r++) {
                        y[r] = func.applyLong(v[r]);
                    }
                    return new LongColumn(y, null);
                }
            case BOOL:
                {
                    double[] y = new double[v.length];
                    for (int r = 0; r < y.length; r++) {
                        y[r] = func.apply((double) v[r]);
                    }
                    return booleans(y);
                }
            default:
                {
                    double[] y = new double[v.length];
                    for (int r = 0; r < y.length; r++) {
                        y[r] = func.apply((double) v[r]);
                    }
                    if (nudge != 0) {
                        nudge(y, nudge);
                    }
                    return new DoubleColumn(y);
                }
        }
    }

    private Column applyBool(boolean[] v, String name) {
        if (func.boolRule() == Ufunc.BoolRule.ERROR) {
            throw ScoringFailure.at(
                    Reason.INPUT_SCHEMA,
                    name,
                    -1,
                    "np."
                            + func.pythonName()
                            + " is not defined on a bool column (numpy raises TypeError)");
        }
        double[] y = new double[v.length];
        for (int r = 0; r < y.length; r++) {
            y[r] = func.applyBool(v[r]);
        }
        switch (func.boolRule()) {
            case SAME:
                return booleans(y);
            case INT8:
                {
                    long[] l = new long[y.length];
                    for (int r = 0; r < l.length; r++) {
                        l[r] = (long) y[r];
                    }
                    return new LongColumn(l, null);
                }
            default:
                return new DoubleColumn(y);
        }
    }

    private static BooleanColumn booleans(double[] y) {
        boolean[] b = new boolean[y.length];
        for (int r = 0; r < b.length; r++) {
            b[r] = y[r] != 0;
        }
        return new BooleanColumn(b, null);
    }

    /** Moves each finite float32 result {@code ulps} float32 steps up or down. */
    private static void nudge32(double[] y, int ulps) {
        for (int r = 0; r < y.length; r++) {
            float v = (float) y[r];
            if (Float.isFinite(v)) {
                for (int k = 0; k < Math.abs(ulps); k++) {
                    v = ulps > 0 ? Math.nextUp(v) : Math.nextDown(v);
                }
                y[r] = v;
            }
        }
    }

    /** Moves each finite result {@code ulps} steps up (positive) or down (negative). */
    private static void nudge(double[] y, int ulps) {
        for (int r = 0; r < y.length; r++) {
            double v = y[r];
            if (Double.isFinite(v)) {
                for (int k = 0; k < Math.abs(ulps); k++) {
                    v = ulps > 0 ? Math.nextUp(v) : Math.nextDown(v);
                }
                y[r] = v;
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public List<String> featureNamesOut(List<String> in) {
        return List.copyOf(in);
    }
}
