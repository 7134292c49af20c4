package dev.tabscore.bundle.quality;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The data-quality statistics of a run, gathered in the scoring pass: rows in, scored and rejected
 * (by reason and column), a {@link ColumnProfile} per input column and per output column.
 * Mergeable: each task keeps one ({@link QualityModel#newStats()}) and the driver adds them up; an
 * empty instance ({@code new QualityStats()}) merges with anything. Not thread-safe.
 */
public final class QualityStats implements Serializable {

    private static final long serialVersionUID = 1L;

    final Map<String, ColumnProfile> columns = new LinkedHashMap<>();
    final Map<String, ColumnProfile> outputs = new LinkedHashMap<>();
    final long[] rejectedByReason = new long[RejectReason.values().length];
    final Map<String, Long> rejectedByColumn = new LinkedHashMap<>();
    long rowsIn;
    long rowsScored;

    /** Creates empty statistics (the zero of a merge). */
    public QualityStats() {}

    /**
     * Adds another partition's statistics.
     *
     * @param o the other statistics; left unchanged
     */
    public void merge(QualityStats o) {
        rowsIn += o.rowsIn;
        rowsScored += o.rowsScored;
        for (int i = 0; i < rejectedByReason.length; i++) {
            rejectedByReason[i] += o.rejectedByReason[i];
        }
        o.rejectedByColumn.forEach((k, v) -> rejectedByColumn.merge(k, v, Long::sum));
        mergeProfiles(columns, o.columns);
        mergeProfiles(outputs, o.outputs);
    }

    private static void mergeProfiles(
            Map<String, ColumnProfile> into, Map<String, ColumnProfile> from) {
        for (Map.Entry<String, ColumnProfile> e : from.entrySet()) {
            into.computeIfAbsent(e.getKey(), k -> e.getValue().emptyLike()).merge(e.getValue());
        }
    }

    void reject(Reject r) {
        rejectedByReason[r.reason().ordinal()]++;
        rejectedByColumn.merge(r.column(), 1L, Long::sum);
    }

    /**
     * @return rows read
     */
    public long rowsIn() {
        return rowsIn;
    }

    /**
     * @return rows scored
     */
    public long rowsScored() {
        return rowsScored;
    }

    /**
     * @return rows rejected
     */
    public long rowsRejected() {
        long n = 0;
        for (long c : rejectedByReason) {
            n += c;
        }
        return n;
    }

    /**
     * Returns the rows rejected for a reason.
     *
     * @param reason the reason
     * @return the count
     */
    public long rejected(RejectReason reason) {
        return rejectedByReason[reason.ordinal()];
    }

    /**
     * @return rows rejected per input column at fault
     */
    public Map<String, Long> rejectedByColumn() {
        return Collections.unmodifiableMap(rejectedByColumn);
    }

    /**
     * @return the input column profiles, in contract order
     */
    public Map<String, ColumnProfile> columns() {
        return Collections.unmodifiableMap(columns);
    }

    /**
     * @return the output column profiles, in output order
     */
    public Map<String, ColumnProfile> outputs() {
        return Collections.unmodifiableMap(outputs);
    }

    /**
     * @return whether nothing was counted
     */
    public boolean isEmpty() {
        return rowsIn == 0 && columns.isEmpty() && outputs.isEmpty();
    }
}
