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
import java.util.List;

/**
 * scikit-learn's {@code sklearn.preprocessing.FunctionTransformer} with {@code func=None} (the
 * identity, which is also what a ColumnTransformer keeps for {@code "passthrough"}) or one of the
 * numpy ufuncs of {@link Ufunc} applied element-wise in float64. With {@code validate=True} the
 * input is first converted to float64 and NaN or infinity is refused, as scikit-learn's {@code
 * check_array} does. Names are one-to-one ({@code feature_names_out="one-to-one"}).
 *
 * <p>Not reproduced: any other function, {@code kw_args}, a callable {@code feature_names_out},
 * or none at all (scikit-learn then has no feature names, which tabscore needs); a ufunc on a
 * bool column (numpy computes it in float16) is refused.
 */
public final class FunctionTransformer implements Transformer {

    private final Ufunc func;
    private final boolean validate;

    /**
     * Creates a fitted transformer.
     *
     * @param func the ufunc, or null for the identity
     * @param validate scikit-learn's {@code validate}
     */
    public FunctionTransformer(Ufunc func, boolean validate) {
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

    static FunctionTransformer fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        SkopsNode f = a.get("func");
        Ufunc func = null;
        if (f instanceof FunctionRef ref) {
            func = FittedAttributes.ufunc(a, "func", ref);
        } else if (!(f instanceof JsonValue j && j.value() == null)) {
            throw a.unsupported("func", f);
        }
        SkopsNode kw = a.opt("kw_args");
        if (!(kw == null || kw instanceof JsonValue j && j.value() == null
                || kw instanceof DictNode d && d.entries().isEmpty())) {
            throw a.unsupported("kw_args", kw);
        }
        a.require("feature_names_out", "one-to-one");
        if (a.isNone("feature_names_out")) {
            throw a.unsupported("feature_names_out", a.get("feature_names_out"));
        }
        boolean validate = a.has("validate") && a.bool("validate");
        a.ignore("inverse_func", "inv_kw_args", "accept_sparse", "check_inverse");
        return new FunctionTransformer(func, validate);
    }

    /** {@inheritDoc} */
    @Override
    public ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        if (func == null && !validate) {
            return in;
        }
        Column[] out = new Column[in.columnCount()];
        for (int j = 0; j < out.length; j++) {
            out[j] = apply(in.column(j), in.names().get(j));
        }
        return Batches.of(in.rowCount(), in.names(), out);
    }

    private Column apply(Column c, String name) {
        String who = func == null ? "FunctionTransformer" : "FunctionTransformer(np."
                + func.pythonName() + ")";
        if (validate) {
            double[] x = NumericInput.doubles(c, name, who);
            NumericInput.requireFinite(x, name, who);
            c = new DoubleColumn(x);
        }
        if (func == null) {
            return c;
        }
        if (c instanceof BooleanColumn) {
            throw ScoringFailure.at(Reason.INPUT_SCHEMA, name, -1, "a bool column, which np."
                    + func.pythonName() + " would compute in float16");
        }
        if (func == Ufunc.ABS && c instanceof LongColumn l) {
            // int64 stays int64 under np.abs; Math.abs wraps Long.MIN_VALUE as numpy does
            long[] v = l.values();
            long[] y = new long[v.length];
            for (int r = 0; r < y.length; r++) {
                y[r] = Math.abs(v[r]);
            }
            return new LongColumn(y, l.missing() == null ? null : l.missing().clone());
        }
        double[] x = NumericInput.doubles(c, name, who);
        double[] y = new double[x.length];
        func.applyAll(x, y);
        return new DoubleColumn(y);
    }

    /** {@inheritDoc} */
    @Override
    public List<String> featureNamesOut(List<String> in) {
        return List.copyOf(in);
    }
}
