package dev.tabscore.bundle.column;

/**
 * A float64 column; NaN is missing (pandas turns a null double into NaN).
 *
 * @param values the values; owned by the column once built, never copied on read
 */
public record DoubleColumn(double[] values) implements Column {

    /** {@inheritDoc} */
    @Override
    public int size() {
        return values.length;
    }

    /** {@inheritDoc} */
    @Override
    public boolean isMissing(int row) {
        return Double.isNaN(values[row]);
    }

    /** {@inheritDoc} */
    @Override
    public Object valueAt(int row) {
        return Double.isNaN(values[row]) ? null : values[row];
    }

    /** {@inheritDoc} */
    @Override
    public DoubleColumn select(int[] rows) {
        double[] v = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            v[i] = values[rows[i]];
        }
        return new DoubleColumn(v);
    }
}
