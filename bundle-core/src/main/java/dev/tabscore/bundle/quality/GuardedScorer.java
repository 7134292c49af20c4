package dev.tabscore.bundle.quality;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.ScoredBatch;
import dev.tabscore.bundle.Scorer;
import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.model.ModelRefusalException;
import dev.tabscore.bundle.sklearn.KnownCategories;
import dev.tabscore.bundle.sklearn.UnsettledImputationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scores raw batches under the quality policy, for one thread: profiles every row of the batch (all
 * of it, rejected rows too: the statistics describe the input), decides from the raw values which
 * rows are rejected (invalid value, missing or unknown under a reject policy), transforms and
 * scores the rest, and rejects the rows the fitted graph refuses (where scikit-learn would raise)
 * instead of failing the batch: such a row is found from the exception, set aside, and the
 * remaining rows are scored again in halves, so k refused rows cost O(k log n) extra transforms.
 * Output columns are profiled over the scored rows.
 *
 * <p>A row whose KNNImputer imputation is unsettled (scikit-learn's own value depends on the CPU's
 * sort order among tied neighbours, or on BLAS's rounding) is rejected as {@code knn_unsettled};
 * the imputer refuses all such rows of a batch at once, so they cost one extra transform.
 *
 * <p>A row with several problems is rejected once, for the first one in contract column order;
 * every problem is still counted in its column's profile.
 */
public final class GuardedScorer implements AutoCloseable {

    /** Longest value text put into a reject's detail. */
    static final int MAX_DETAIL_VALUE = 200;

    private final Scorer scorer;
    private final QualityModel model;

    /**
     * The outcome of a batch.
     *
     * @param scored the predictions of the scored rows, in {@code rows} order
     * @param rows the raw batch index of each scored row, ascending
     * @param rejects the rejected rows, by raw batch index
     */
    public record Result(ScoredBatch scored, int[] rows, List<Reject> rejects) {}

    /**
     * Wraps a scorer.
     *
     * @param scorer the thread's scorer (closed by {@link #close})
     * @param model the bundle's quality model
     */
    public GuardedScorer(Scorer scorer, QualityModel model) {
        this.scorer = scorer;
        this.model = model;
    }

    /**
     * Profiles, screens and scores a batch.
     *
     * @param raw the raw contract columns
     * @param invalid the cells that could not be read (their cells hold a missing value)
     * @param stats where the batch is counted
     * @return what was scored and what was rejected
     * @throws ScoringException for a value under an {@code on_invalid: fail} policy, naming the
     *     column and the batch row
     */
    public Result score(ColumnBatch raw, InvalidCells invalid, QualityStats stats) {
        int n = raw.rowCount();
        Reject[] rejected = new Reject[n];
        List<QualityModel.ColumnSpec> cols = model.columns();
        for (int ci = 0; ci < cols.size(); ci++) {
            screenColumn(
                    cols.get(ci),
                    ci,
                    raw.column(cols.get(ci).name()),
                    invalid,
                    stats.columns.get(cols.get(ci).name()),
                    rejected);
        }
        int kept = 0;
        for (Reject r : rejected) {
            kept += r == null ? 1 : 0;
        }
        int[] rows = new int[kept];
        for (int r = 0, k = 0; r < n; r++) {
            if (rejected[r] == null) {
                rows[k++] = r;
            }
        }
        List<ScoredBatch> parts = new ArrayList<>();
        List<int[]> partRows = new ArrayList<>();
        scoreRows(
                rows.length == n ? raw : withFrameDtypes(raw),
                rows,
                rows.length == n,
                rejected,
                parts,
                partRows);
        ScoredBatch scored = concat(parts, scorer.layout().width());
        int[] scoredRows = concatRows(partRows);
        List<Reject> rejects = new ArrayList<>();
        for (Reject r : rejected) {
            if (r != null) {
                rejects.add(r);
                stats.reject(r);
            }
        }
        profileOutputs(scored, stats);
        stats.rowsIn += n;
        stats.rowsScored += scored.rows();
        return new Result(scored, scoredRows, rejects);
    }

    private void screenColumn(
            QualityModel.ColumnSpec spec,
            int ci,
            Column col,
            InvalidCells invalid,
            ColumnProfile p,
            Reject[] rejected) {
        int n = col.size();
        Reference ref = spec.reference();
        ColumnPolicy policy = spec.policy();
        boolean[] unknown = null;
        int[] codes = null;
        if (spec.known() != null) {
            unknown = new boolean[n];
            codes = new int[n];
            spec.known().encode(col, codes, unknown);
        }
        boolean categorical = ref != null && ref.kind() == Reference.Kind.CATEGORICAL;
        // The reference bin of each fitted category, so that a row's bin comes from the code
        // the encoder lookup already found; values outside the categories are "other".
        int[] codeBins = categorical && codes != null ? codeBins(spec) : null;
        Map<String, Integer> keyIndex = categorical && codeBins == null ? keyIndex(ref) : null;
        boolean checkInvalid = invalid != null && invalid.anyIn(ci);
        p.rows += n;
        for (int r = 0; r < n; r++) {
            if (checkInvalid && invalid.isInvalid(ci, r)) {
                p.invalid++;
                String detail =
                        "value "
                                + shorten(pyRepr(invalid.value(ci, r)))
                                + " cannot be read as a number";
                if (policy.onInvalid() == ColumnPolicy.OnInvalid.FAIL) {
                    throw new ScoringException(
                            Reason.INPUT_VALUE,
                            spec.name(),
                            r,
                            "column '" + spec.name() + "': " + detail + " (on_invalid: fail)");
                }
                first(rejected, r, RejectReason.INVALID_VALUE, spec.name(), detail);
                continue;
            }
            if (col.isMissing(r)) {
                p.missing++;
                if (ref != null) {
                    p.bins[ref.missingBin()]++;
                }
                if (policy.onNull() == ColumnPolicy.OnNull.REJECT) {
                    first(
                            rejected,
                            r,
                            RejectReason.NULL_VALUE,
                            spec.name(),
                            "missing value (on_null: reject)");
                }
                continue;
            }
            if (spec.numeric()) {
                double v = number(col, r);
                p.addNumber(v);
                if (ref != null && ref.kind() == Reference.Kind.NUMERIC) {
                    p.bins[ref.bin(v)]++;
                    if (v < ref.min()) {
                        p.belowMin++;
                    } else if (v > ref.max()) {
                        p.aboveMax++;
                    }
                }
            } else if (codeBins != null) {
                int k = codes[r];
                p.bins[k >= 0 ? codeBins[k] : ref.keys().size()]++;
            } else if (keyIndex != null) {
                p.bins[ref.bin(keyIndex, CategoryKey.of(col, r))]++;
            }
            if (unknown != null && unknown[r]) {
                KnownCategories.countUnknown(p.unknowns, col, r);
                if (policy.onUnknown() == ColumnPolicy.OnUnknown.REJECT) {
                    first(
                            rejected,
                            r,
                            RejectReason.UNKNOWN_CATEGORY,
                            spec.name(),
                            "unknown category "
                                    + shorten(KnownCategories.repr(col, r))
                                    + " (on_unknown: reject)");
                }
            }
        }
    }

    /** Key indexes per reference, built once: references are shared and immutable. */
    private final java.util.IdentityHashMap<Reference, Map<String, Integer>> keyIndexes =
            new java.util.IdentityHashMap<>();

    private Map<String, Integer> keyIndex(Reference ref) {
        return keyIndexes.computeIfAbsent(ref, Reference::keyIndex);
    }

    private final java.util.IdentityHashMap<QualityModel.ColumnSpec, int[]> codeBins =
            new java.util.IdentityHashMap<>();

    private int[] codeBins(QualityModel.ColumnSpec spec) {
        return codeBins.computeIfAbsent(
                spec,
                s -> {
                    Map<String, Integer> keys = keyIndex(s.reference());
                    int[] bins = new int[s.known().size()];
                    for (int k = 0; k < bins.length; k++) {
                        Object v = s.known().category(k);
                        // a NaN or None category is where missing values go: never a present value
                        bins[k] =
                                v == null || v instanceof Double d && d.isNaN()
                                        ? s.reference().missingBin()
                                        : s.reference().bin(keys, CategoryKey.ofValue(v));
                    }
                    return bins;
                });
    }

    private static void first(
            Reject[] rejected, int row, RejectReason reason, String column, String detail) {
        if (rejected[row] == null) {
            rejected[row] = new Reject(row, reason, column, detail);
        }
    }

    private static double number(Column c, int r) {
        if (c instanceof DoubleColumn d) {
            return d.values()[r];
        }
        if (c instanceof LongColumn l) {
            return l.values()[r];
        }
        if (c instanceof BooleanColumn b) {
            return b.values()[r] ? 1.0 : 0.0;
        }
        throw new IllegalStateException("column is not numeric: " + c.getClass().getSimpleName());
    }

    /** Scores {@code rows} of the raw batch, setting aside the rows the graph refuses. */
    private void scoreRows(
            ColumnBatch raw,
            int[] rows,
            boolean all,
            Reject[] rejected,
            List<ScoredBatch> parts,
            List<int[]> partRows) {
        if (rows.length == 0) {
            return;
        }
        try {
            parts.add(scorer.score(all ? raw : raw.select(rows), null));
            partRows.add(rows);
            return;
        } catch (UnsettledImputationException e) {
            // every unsettled row of the part at once; the imputer's rows are independent, so
            // the others are scored again together
            boolean[] out = new boolean[rows.length];
            for (UnsettledImputationException.Row u : e.rows()) {
                int bad = rows[u.row()];
                out[u.row()] = true;
                rejected[bad] =
                        new Reject(
                                bad,
                                e.cause() == UnsettledImputationException.Cause.UFUNC_RESULT
                                        ? RejectReason.UFUNC_UNSETTLED
                                        : RejectReason.KNN_UNSETTLED,
                                u.column(),
                                (e.steps().isEmpty() ? "" : e.steps() + ": ")
                                        + "column '"
                                        + u.column()
                                        + "': "
                                        + u.detail());
            }
            int[] left =
                    java.util.stream.IntStream.range(0, rows.length)
                            .filter(i -> !out[i])
                            .map(i -> rows[i])
                            .toArray();
            scoreRows(all ? withFrameDtypes(raw) : raw, left, false, rejected, parts, partRows);
        } catch (ScoringException e) {
            if (e.row() < 0 || e.row() >= rows.length || e.reason() != Reason.INPUT_VALUE) {
                throw e;
            }
            int bad = rows[e.row()];
            String column = e.column() == null ? "(unknown)" : e.column();
            if (model.policy(column).onInvalid() == ColumnPolicy.OnInvalid.FAIL) {
                throw new ScoringException(
                        Reason.INPUT_VALUE, column, bad, e.getMessage() + " (on_invalid: fail)");
            }
            rejected[bad] =
                    new Reject(
                            bad,
                            e instanceof ModelRefusalException
                                    ? RejectReason.REFUSED_BY_MODEL
                                    : RejectReason.REFUSED_BY_PREPROCESSOR,
                            column,
                            e.getMessage());
            int[] left = java.util.Arrays.copyOfRange(rows, 0, e.row());
            int[] right = java.util.Arrays.copyOfRange(rows, e.row() + 1, rows.length);
            // Rows before the refused one are likely fine; the rest are split in halves so
            // that many refused rows do not cost one full transform each.
            ColumnBatch frame = all ? withFrameDtypes(raw) : raw;
            scoreRows(frame, left, false, rejected, parts, partRows);
            int mid = right.length / 2;
            scoreRows(
                    frame,
                    java.util.Arrays.copyOfRange(right, 0, mid),
                    false,
                    rejected,
                    parts,
                    partRows);
            scoreRows(
                    frame,
                    java.util.Arrays.copyOfRange(right, mid, right.length),
                    false,
                    rejected,
                    parts,
                    partRows);
        }
    }

    /**
     * The batch with the dtypes pandas gives the whole frame, so that a part of it keeps them (as
     * {@code df.iloc[rows]} does): an int column holding a null anywhere in the batch is float64,
     * also in a part without a null. Otherwise a part would match int categories beyond 2^53
     * exactly where the whole batch matched them as float64 (found by the differential fuzzer).
     *
     * @param raw the whole batch
     * @return the batch with such int columns as float64 (NaN for the nulls)
     */
    public static ColumnBatch withFrameDtypes(ColumnBatch raw) {
        ColumnBatch.Builder b = ColumnBatch.builder(raw.rowCount());
        for (int j = 0; j < raw.columnCount(); j++) {
            dev.tabscore.bundle.column.Column c = raw.column(j);
            if (c instanceof dev.tabscore.bundle.column.LongColumn l && l.missing() != null) {
                double[] x = new double[l.size()];
                boolean any = false;
                for (int r = 0; r < x.length; r++) {
                    any |= l.isMissing(r);
                    x[r] = l.isMissing(r) ? Double.NaN : (double) l.values()[r];
                }
                c = any ? new dev.tabscore.bundle.column.DoubleColumn(x) : c;
            }
            b.add(raw.names().get(j), c);
        }
        return b.build();
    }

    private static ScoredBatch concat(List<ScoredBatch> parts, int width) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int n = 0;
        boolean labels = false;
        for (ScoredBatch p : parts) {
            n += p.rows();
            labels |= p.labels() != null;
        }
        double[] values = new double[n * width];
        String[] l = labels ? new String[n] : null;
        int at = 0;
        for (ScoredBatch p : parts) {
            System.arraycopy(p.values(), 0, values, at * width, p.rows() * width);
            if (l != null) {
                System.arraycopy(p.labels(), 0, l, at, p.rows());
            }
            at += p.rows();
        }
        return new ScoredBatch(n, width, values, l);
    }

    /** The parts are in row order: left part, then the halves, recursively. */
    private static int[] concatRows(List<int[]> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] out = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private void profileOutputs(ScoredBatch s, QualityStats stats) {
        List<QualityModel.OutputSpec> outs = model.outputs();
        int j = 0;
        for (QualityModel.OutputSpec o : outs) {
            ColumnProfile p = stats.outputs.get(o.name());
            Reference ref = o.reference();
            p.rows += s.rows();
            if (!o.numeric()) {
                Map<String, Integer> keys = ref == null ? null : keyIndex(ref);
                for (int r = 0; r < s.rows(); r++) {
                    if (keys != null) {
                        p.bins[ref.bin(keys, s.labels()[r])]++;
                    }
                }
                continue;
            }
            for (int r = 0; r < s.rows(); r++) {
                double v = s.value(r, j);
                if (v != v) {
                    p.missing++;
                    if (ref != null) {
                        p.bins[ref.missingBin()]++;
                    }
                    continue;
                }
                p.addNumber(v);
                if (ref != null) {
                    p.bins[ref.bin(v)]++;
                    if (v < ref.min()) {
                        p.belowMin++;
                    } else if (v > ref.max()) {
                        p.aboveMax++;
                    }
                }
            }
            j++;
        }
    }

    private static String pyRepr(String s) {
        return s == null ? "None" : dev.tabscore.bundle.sklearn.PyRepr.repr(s);
    }

    static String shorten(String s) {
        return s.length() <= MAX_DETAIL_VALUE
                ? s
                : s.substring(0, MAX_DETAIL_VALUE) + "... (" + s.length() + " chars)";
    }

    /**
     * Returns the prediction columns.
     *
     * @return the scorer's layout
     */
    public dev.tabscore.bundle.OutputLayout layout() {
        return scorer.layout();
    }

    /** Releases the scorer. */
    @Override
    public void close() {
        scorer.close();
    }
}
