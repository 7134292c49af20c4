package dev.tabscore.bundle.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.io.ParquetColumns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A batch with a refused row is scored again in parts; each part keeps the whole batch's pandas
 * dtypes (int-null-parts/make_int_null_parts.py, scikit-learn 1.9.1): an Int64 column with a null
 * in the batch is float64, so a part without the null still matches the int64 categories beyond
 * 2^53 as float64 (BIG + 1 finds BIG). Before, the part matched them exactly and refused rows
 * scikit-learn scores (differential fuzzer, case-9292-00033 on every release).
 */
class GuardedScorerIntNullPartsTest {

    private static final Path ROOT = Path.of("src/test/resources/int-null-parts");

    @Test
    void partsOfABatchKeepItsFloat64IntColumn() throws IOException {
        JsonNode rows =
                new ObjectMapper().readTree(ROOT.resolve("expected.json").toFile()).get("rows");
        List<Integer> want = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            if (!rows.get(r).isNull()) {
                want.add(r);
            }
        }
        ColumnBatch raw =
                ParquetColumns.read(
                        Files.readAllBytes(ROOT.resolve("fresh.parquet")), "fresh.parquet");
        try (Bundle bundle =
                Bundle.open(
                        ROOT.resolve("bundle").toString(),
                        BundleOptions.defaults().withDevice("cpu"))) {
            QualityModel model = new QualityModel(bundle, Map.of());
            InvalidCells invalid = new InvalidCells(raw.columnCount());
            invalid.reset(raw.rowCount());
            try (GuardedScorer g = new GuardedScorer(bundle.newScorer(), model)) {
                GuardedScorer.Result res = g.score(raw, invalid, model.newStats());
                assertArrayEquals(want.stream().mapToInt(Integer::intValue).toArray(), res.rows());
                assertEquals(rows.size() - want.size(), res.rejects().size());
                res.rejects()
                        .forEach(
                                r ->
                                        assertTrue(
                                                rows.get(r.row()).isNull(),
                                                "row " + r.row() + " refused: " + r.detail()));
            }
            // what the parts see: the int column as float64 with NaN for the null
            ColumnBatch frame = GuardedScorer.withFrameDtypes(raw);
            assertTrue(frame.column("k") instanceof DoubleColumn, "float64 like pandas");
            double[] f = bundle.transform(frame.select(new int[] {1, 4}));
            assertEquals(rows.get(1).get(0).asDouble(), f[0]);
            assertEquals(rows.get(4).get(0).asDouble(), f[1]);
        }
    }
}
