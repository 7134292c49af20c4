package dev.tabscore.bundle.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.column.StringColumn;
import dev.tabscore.bundle.io.ParquetColumns;
import dev.tabscore.bundle.io.ParquetWriting;
import dev.tabscore.bundle.verify.SealedBundles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bundle score --features / --rejects} and {@code bundle score-cases}, on a sealed bundle
 * written by scikit-learn 1.9.1: the feature matrix is the golden one bit for bit, a row the graph
 * refuses goes to the rejects with the graph path, and a folder of cases is scored in one run with
 * a refused case recorded, not fatal.
 */
class ScoreFeaturesTest {

    @TempDir Path tmp;

    private record Run(int code, String out, String err) {}

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TabscoreCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path seed(String where) {
        return SealedBundles.copy(
                SealedBundles.dir("sklearn-1.9.1", "seed-binary"), tmp.resolve(where));
    }

    private static ColumnBatch read(Path p) {
        try {
            return ParquetColumns.read(Files.readAllBytes(p), p.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void featuresAreTheGoldenFeaturesBitForBit() {
        Path b = seed("bundle");
        Path features = tmp.resolve("features.parquet");
        Run r =
                cli(
                        "bundle",
                        "score",
                        b.toString(),
                        "--input",
                        b.resolve("golden/input.parquet").toString(),
                        "--output",
                        tmp.resolve("out.parquet").toString(),
                        "--features",
                        features.toString());
        assertEquals(0, r.code, r.err);
        ColumnBatch got = read(features);
        ColumnBatch golden = read(b.resolve("golden/output.parquet"));
        JsonNode featureNames = SealedBundles.manifest(b).get("features").get("names");
        assertEquals(featureNames.size() + 1, got.columnCount());
        assertEquals("row", got.names().get(0));
        long[] rows = ((LongColumn) got.column("row")).values();
        for (int i = 0; i < rows.length; i++) {
            assertEquals(i, rows[i]);
        }
        for (JsonNode n : featureNames) {
            double[] want = ((DoubleColumn) golden.column(n.asText())).values();
            double[] have = ((DoubleColumn) got.column(n.asText())).values();
            assertEquals(want.length, have.length);
            for (int i = 0; i < want.length; i++) {
                assertEquals(
                        Double.doubleToRawLongBits(want[i]),
                        Double.doubleToRawLongBits(have[i]),
                        n.asText() + " row " + i);
            }
        }
    }

    @Test
    void aRowTheGraphRefusesGoesToTheRejectsAndTheRestIsScored() throws IOException {
        Path b = seed("bundle");
        ColumnBatch golden = read(b.resolve("golden/input.parquet"));
        double[] age = ((DoubleColumn) golden.column("age")).values().clone();
        age[2] = Double.POSITIVE_INFINITY; // SimpleImputer.transform raises on infinity
        ColumnBatch.Builder in = ColumnBatch.builder(golden.rowCount());
        for (String c : golden.names()) {
            in.add(c, c.equals("age") ? new DoubleColumn(age) : golden.column(c));
        }
        Path input = tmp.resolve("inf.parquet");
        ParquetWriting.write(
                in.build(), new org.apache.hadoop.fs.Path(input.toUri()), new Configuration());
        Path out = tmp.resolve("out.parquet");
        Path rejects = tmp.resolve("rejects.parquet");
        Path features = tmp.resolve("features.parquet");
        Run r =
                cli(
                        "bundle",
                        "score",
                        b.toString(),
                        "--input",
                        input.toString(),
                        "--output",
                        out.toString(),
                        "--features",
                        features.toString(),
                        "--rejects",
                        rejects.toString());
        assertEquals(0, r.code, r.err);
        ColumnBatch rej = read(rejects);
        assertEquals(1, rej.rowCount());
        assertEquals(2, ((LongColumn) rej.column("row")).values()[0]);
        assertEquals(
                "refused_by_preprocessor",
                ((StringColumn) rej.column("reject_reason")).values()[0]);
        String detail = ((StringColumn) rej.column("reject_detail")).values()[0];
        assertTrue(detail.contains("'imputer'") && detail.contains("infinity"), detail);
        ColumnBatch scored = read(out);
        assertEquals(golden.rowCount() - 1, scored.rowCount());
        long[] rows = ((LongColumn) scored.column("row")).values();
        assertFalse(java.util.Arrays.stream(rows).anyMatch(x -> x == 2));
        assertArrayEquals(rows, ((LongColumn) read(features).column("row")).values());

        // Without --rejects the file is refused as a whole, naming the row.
        Run whole =
                cli(
                        "bundle",
                        "score",
                        b.toString(),
                        "--input",
                        input.toString(),
                        "--output",
                        tmp.resolve("whole.parquet").toString());
        assertEquals(Reason.INPUT_VALUE.exitCode(), whole.code, whole.err);
        assertTrue(whole.err.contains("row 2"), whole.err);
    }

    @Test
    void scoreCasesScoresEveryCaseAndRecordsARefusal() throws IOException {
        Path cases = tmp.resolve("cases");
        Path good = cases.resolve("case-a");
        Path bad = cases.resolve("case-b");
        Path gb = seed("cases/case-a/bundle");
        Files.copy(gb.resolve("golden/input.parquet"), good.resolve("input.parquet"));
        Path bb = seed("cases/case-b/bundle");
        Files.copy(bb.resolve("golden/input.parquet"), bad.resolve("input.parquet"));
        Files.writeString(bb.resolve("golden/input.parquet"), "tampered");
        Run r = cli("bundle", "score-cases", cases.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("2 cases, 1 scored, 1 refused"), r.out);
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(good.resolve("java/result.json").toFile());
        assertEquals(0, a.get("exit_code").asInt());
        assertEquals(64, a.get("scored").asInt());
        assertEquals(64, read(good.resolve("java/features.parquet")).rowCount());
        JsonNode refused = json.readTree(bad.resolve("java/result.json").toFile());
        assertEquals(
                Reason.ARTIFACT_MISMATCH.exitCode(),
                refused.get("exit_code").asInt(),
                refused.toString());
        assertTrue(
                refused.get("message").asText().contains("golden/input.parquet"),
                refused.toString());
        assertFalse(Files.exists(bad.resolve("java/features.parquet")));
    }
}
