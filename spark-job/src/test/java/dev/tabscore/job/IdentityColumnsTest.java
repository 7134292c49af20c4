package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.manifest.ManifestFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: the identity columns are on every row of every file, whatever way of writing them is
 * chosen for speed (docs/benchmarks.md, "Identity columns"): a plain {@code SELECT bundle_digest
 * FROM output} in Spark, Spark reading one file alone (no partition directories to discover), and
 * pyarrow reading the directory or each file alone return the run's identity on every row. The
 * files keep the identity strings dictionary-encoded, without min/max statistics, and hold the
 * identity once more in the footer's key-value metadata.
 */
@ExtendWith(LocalJobSession.class)
class IdentityColumnsTest {

    private static final Path ROOT = JobTesting.repoRoot();
    private static final Path SAMPLE_BUNDLE = ROOT.resolve("sample-data/bundle");
    private static final Path SAMPLE_INPUT = ROOT.resolve("sample-data/input");
    private static final List<String> STRINGS =
            List.of("bundle_name", "bundle_version", "bundle_digest", "run_id");

    @TempDir static Path tmp;

    @Test
    void everyRowOfEveryFileCarriesTheIdentity() throws Exception {
        Path out = tmp.resolve("out");
        String runId = "it-identity-1";
        JobTesting.Run run =
                JobTesting.run(
                        JobTesting.localArgs(
                                "--config", ROOT.resolve("conf/local.yaml").toString(),
                                "--bundle", SAMPLE_BUNDLE.toString(),
                                "--input", SAMPLE_INPUT.toString(),
                                "--output", out.toString(),
                                "--mode", "error_if_exists",
                                "--run-id", runId));
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());

        ManifestFile mf = JobTesting.manifest(SAMPLE_BUNDLE);
        List<String> expected =
                List.of(mf.manifest().name(), mf.manifest().version(), mf.digest(), runId);
        long rows =
                JobTesting.summary(out.resolve("_tabscore_summary.json"))
                        .at("/rows/scored")
                        .asLong();
        assertEquals(5000, rows);

        // Spark, plain SQL over the output directory.
        SparkSession spark = JobTesting.spark();
        Dataset<Row> digests = spark.sql("SELECT bundle_digest FROM parquet.`" + out + "`");
        assertEquals(rows, digests.count());
        assertEquals(
                List.of(mf.digest()),
                digests.distinct().collectAsList().stream().map(r -> r.getString(0)).toList());
        for (Path file : parts(out)) {
            // One file alone, without the partition directories: the columns are in the file.
            Dataset<Row> one = spark.read().parquet(file.toString());
            for (int i = 0; i < STRINGS.size(); i++) {
                String c = STRINGS.get(i);
                assertEquals(
                        one.count(),
                        one.filter(one.col(c).equalTo(expected.get(i))).count(),
                        file + " " + c);
            }
            assertEquals(0, one.filter(one.col("scored_at").isNull()).count(), file.toString());
        }

        // pyarrow: the directory (hive partitioning) and every file alone.
        JsonNode py = pyarrow(out);
        assertEquals(rows, py.get("rows").asLong(), py.toString());
        for (int i = 0; i < STRINGS.size(); i++) {
            assertEquals(
                    "[\"" + expected.get(i) + "\"]",
                    py.at("/distinct/" + STRINGS.get(i)).toString(),
                    py.toString());
        }
        assertEquals(0, py.get("null_scored_at").asLong(), py.toString());
        assertEquals(parts(out).size(), py.get("files").size(), py.toString());
        for (JsonNode f : py.get("files")) {
            assertEquals(f.get("rows").asLong(), f.get("rows_with_digest").asLong(), f.toString());
            assertTrue(f.get("rows").asLong() > 0, f.toString());
            // The write's choice (ScoringStage.withoutIdentityStatistics): dictionary-encoded,
            // no min/max for the constant strings; the predictions keep theirs.
            assertFalse(f.get("digest_stats").asBoolean(), f.toString());
            assertTrue(f.get("digest_encodings").toString().contains("DICTIONARY"), f.toString());
            assertTrue(f.get("prob_stats").asBoolean(), f.toString());
            // The identity once more, in the footer's key-value metadata.
            assertEquals(mf.digest(), f.get("footer_digest").asText(), f.toString());
        }
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static List<Path> parts(Path out) throws IOException {
        try (Stream<Path> s = Files.walk(out)) {
            // What readers of the directory read: not the hidden files and directories (the
            // run's rejects, summaries, staging), which Spark and pyarrow skip too.
            List<Path> files =
                    s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                            .filter(p -> !hidden(out.relativize(p)))
                            .sorted()
                            .toList();
            assertFalse(files.isEmpty(), "no Parquet files under " + out);
            return files;
        }
    }

    private static boolean hidden(Path relative) {
        for (Path name : relative) {
            if (name.toString().startsWith("_") || name.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** Reads the output with pyarrow in a python3 process; skips when pyarrow is missing. */
    private static JsonNode pyarrow(Path out) throws Exception {
        String script =
                """
                import json, sys, pathlib
                import pyarrow.compute as pc, pyarrow.parquet as pq
                root = pathlib.Path(sys.argv[1])
                cols = ["bundle_name", "bundle_version", "bundle_digest", "run_id", "scored_at"]
                t = pq.read_table(root, columns=cols)
                res = {"rows": t.num_rows,
                       "distinct": {c: sorted(pc.unique(t[c]).to_pylist()) for c in cols[:4]},
                       "null_scored_at": t["scored_at"].null_count, "files": []}
                digest = res["distinct"]["bundle_digest"][0]
                files = [f for f in sorted(root.rglob("*.parquet"))
                         if not any(p[0] in "._" for p in f.relative_to(root).parts)]
                for f in files:
                    one = pq.read_table(f, columns=["bundle_digest"])
                    same = pc.sum(pc.equal(one["bundle_digest"], digest)).as_py() or 0
                    meta = pq.ParquetFile(f).metadata
                    chunks = {meta.row_group(0).column(i).path_in_schema:
                              meta.row_group(0).column(i) for i in range(meta.num_columns)}
                    res["files"].append({"file": str(f), "rows": one.num_rows,
                                         "rows_with_digest": same,
                                         "digest_stats": chunks["bundle_digest"].is_stats_set,
                                         "digest_encodings":
                                             list(chunks["bundle_digest"].encodings),
                                         "prob_stats": chunks["prob"].is_stats_set,
                                         "footer_digest": (meta.metadata or {}).get(
                                             b"tabscore.bundle_digest", b"").decode()})
                print(json.dumps(res))
                """;
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", script, out.toString()).start();
        } catch (IOException e) {
            Assumptions.abort("python3 cannot be started: " + e.getMessage());
            throw e;
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("pyarrow read of " + out + " took over 120 s");
        }
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeFalse(
                stderr.contains("No module named 'pyarrow'"),
                "pyarrow is not installed (scripts/install-python-deps.sh)");
        assertEquals(0, p.exitValue(), stderr);
        return JobTesting.JSON.readTree(stdout);
    }
}
