package dev.tabscore.job.spark;

import java.util.Iterator;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.sql.vectorized.ColumnarBatchRow;

/**
 * Where a scoring task's input rows come from, a batch at a time: copies of a row iterator's rows
 * ({@link Copied}), or views onto a vectorized scan's column batches ({@link Views}).
 */
abstract class TaskRows {
    /** The current batch; valid until the next call of {@link #next}. */
    InternalRow[] rows = new InternalRow[0];

    /** The vectors the rows view, by input field; null when the rows are copies. */
    ColumnVector[] vectors;

    /**
     * Moves to the next batch.
     *
     * @param max the most rows wanted
     * @return the row count, 0 at the end
     */
    abstract int next(int max);

    /** Makes room for n rows. */
    final void ensure(int n) {
        if (rows.length < n) {
            rows = new InternalRow[n];
        }
    }

    /** Rows from a row iterator, copied: Spark reuses the row object it hands out. */
    static final class Copied extends TaskRows {
        private final Iterator<InternalRow> input;

        Copied(Iterator<InternalRow> input) {
            this.input = input;
        }

        @Override
        int next(int max) {
            ensure(max);
            int n = 0;
            while (n < max && input.hasNext()) {
                rows[n++] = input.next().copy();
            }
            return n;
        }
    }

    /**
     * Rows of a column batch, as views onto its vectors (no copy): the batch stays valid until the
     * scan produces the next one, which happens only after every row of this one was emitted. Its
     * size is the reader's, {@code spark.sql.parquet.columnarReaderBatchSize}.
     */
    static final class Views extends TaskRows {
        private final Iterator<ColumnarBatch> input;

        Views(Iterator<ColumnarBatch> input) {
            this.input = input;
        }

        @Override
        int next(int max) {
            while (input.hasNext()) {
                ColumnarBatch b = input.next();
                int n = b.numRows();
                if (n == 0) {
                    continue;
                }
                ensure(n);
                ColumnVector[] cols = new ColumnVector[b.numCols()];
                for (int c = 0; c < cols.length; c++) {
                    cols[c] = b.column(c);
                }
                vectors = cols;
                for (int i = 0; i < n; i++) {
                    ColumnarBatchRow r = new ColumnarBatchRow(cols);
                    r.rowId = i;
                    rows[i] = r;
                }
                return n;
            }
            return 0;
        }
    }
}
