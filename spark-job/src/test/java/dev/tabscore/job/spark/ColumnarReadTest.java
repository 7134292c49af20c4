package dev.tabscore.job.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.StringColumn;
import dev.tabscore.bundle.manifest.ManifestReader;
import dev.tabscore.bundle.quality.InvalidCells;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.sql.vectorized.ColumnarBatchRow;
import org.junit.jupiter.api.Test;

/**
 * The sample input read as the vectorized scan's column batches (row views, bulk double reads,
 * dictionary ids for strings) gives exactly the column batch the row path gives for the same rows.
 * Compared inside the tasks, where the batches live.
 */
class ColumnarReadTest {

    @Test
    void vectorsAndRowsGiveTheSameBatch() throws Exception {
        SparkSession spark =
                SparkSession.builder()
                        .master("local[2]")
                        .appName("tabscore-tests")
                        .config("spark.ui.enabled", "false")
                        .config("spark.driver.host", "127.0.0.1")
                        .getOrCreate();
        Path root = Path.of("..").toAbsolutePath().normalize();
        var manifest =
                ManifestReader.read(
                                Files.readAllBytes(
                                        root.resolve("sample-data/bundle/manifest.json")),
                                "manifest.json")
                        .manifest();
        Dataset<Row> df = spark.read().parquet(root.resolve("sample-data/input").toString());
        InputContract contract = InputContract.check(df.schema(), manifest);
        var batches = SparkInternals.columnarScan(df);
        assertNotNull(batches, "a Parquet scan is columnar");
        List<String> results =
                batches.toJavaRDD()
                        .mapPartitions(
                                it -> {
                                    List<String> out = new ArrayList<>();
                                    while (it.hasNext()) {
                                        out.add(compare(it.next(), contract));
                                    }
                                    return out.iterator();
                                })
                        .collect();
        long rows = 0;
        boolean dictionary = false;
        for (String r : results) {
            assertTrue(r.startsWith("ok "), r);
            rows += Long.parseLong(r.split(" ")[1]);
            dictionary |= r.endsWith("dictionary");
        }
        assertEquals(df.count(), rows);
        assertTrue(dictionary, "the sample's string columns arrive dictionary-encoded");
    }

    private static String compare(ColumnarBatch b, InputContract contract) {
        int n = b.numRows();
        ColumnVector[] cols = new ColumnVector[b.numCols()];
        boolean dictionary = false;
        for (int c = 0; c < cols.length; c++) {
            cols[c] = b.column(c);
            dictionary |= cols[c] instanceof WritableColumnVector w && w.hasDictionary();
        }
        InternalRow[] views = new InternalRow[n];
        InternalRow[] copies = new InternalRow[n];
        for (int i = 0; i < n; i++) {
            ColumnarBatchRow r = new ColumnarBatchRow(cols);
            r.rowId = i;
            views[i] = r;
            copies[i] = r.copy();
        }
        ColumnBatch fromVectors =
                new RowBatcher(contract)
                        .batch(views, cols, n, new InvalidCells(contract.columns().size()));
        ColumnBatch fromRows =
                new RowBatcher(contract)
                        .batch(copies, n, new InvalidCells(contract.columns().size()));
        for (int c = 0; c < fromRows.columnCount(); c++) {
            if (!same(fromRows.column(c), fromVectors.column(c))) {
                return "column " + fromRows.names().get(c) + " differs";
            }
        }
        return "ok " + n + (dictionary ? " dictionary" : "");
    }

    private static boolean same(Column want, Column got) {
        if (want instanceof DoubleColumn d) {
            return Arrays.equals(d.values(), ((DoubleColumn) got).values());
        }
        return Arrays.equals(((StringColumn) want).values(), ((StringColumn) got).values());
    }
}
