package dev.tabscore.bundle.cli;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.OutputLayout;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.ScoredBatch;
import dev.tabscore.bundle.Scorer;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.column.StringColumn;
import dev.tabscore.bundle.io.BundleFiles;
import dev.tabscore.bundle.io.CsvColumns;
import dev.tabscore.bundle.io.ParquetColumns;
import dev.tabscore.bundle.io.ParquetWriting;
import dev.tabscore.bundle.manifest.Manifest;
import dev.tabscore.bundle.quality.GuardedScorer;
import dev.tabscore.bundle.quality.QualityModel;
import dev.tabscore.bundle.quality.QualityStats;
import dev.tabscore.bundle.quality.Reject;
import dev.tabscore.bundle.sklearn.TransformStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Scores one small file with one bundle on one machine: what {@code bundle score} and {@code bundle
 * score-cases} share. Without a rejects file a row the graph refuses fails the whole file (naming
 * it); with one, rows go through the job's {@link GuardedScorer} (the bundle's quality policies),
 * so refused rows are set aside as the job sets them aside.
 */
final class FileScoring {

    /** The column holding the 0-based input row index in the features, rejects and outputs. */
    static final String ROW = "row";

    /** What to score and where to write it. */
    static final class Request {
        String dir;
        String input;
        String output;
        String features;
        String rejects;
        List<String> idColumns = new ArrayList<>();
        String expectDigest;
        String model = "auto";
        int batchSize = 8192;
        String runId;

        /** Signature trust (keys, roots, whether required); null for none. */
        dev.tabscore.bundle.signing.TrustConfig trust;
    }

    /** The outcome: rows scored and rows set aside. */
    record Outcome(int rows, int scored, int rejected) {}

    private FileScoring() {}

    /**
     * Opens (verifies) the bundle and scores the input.
     *
     * @param q the request
     * @param out where the one-line summary goes
     * @return the outcome
     * @throws IOException if a file cannot be read or written
     */
    static Outcome run(Request q, PrintWriter out) throws IOException {
        Configuration conf = dev.tabscore.bundle.io.HadoopDefaults.newConfiguration();
        try (Bundle bundle =
                Bundle.open(
                        q.dir,
                        BundleOptions.defaults()
                                .withDevice("cpu")
                                .withExpectDigest(q.expectDigest)
                                .withModel(q.model)
                                .withTrust(q.trust))) {
            ColumnBatch in = readInput(q.input, bundle.manifest(), conf);
            for (String id : q.idColumns) {
                if (!in.has(id)) {
                    throw new BundleException(
                            Reason.INPUT_SCHEMA,
                            "id column '"
                                    + id
                                    + "' is not in "
                                    + q.input
                                    + " (columns "
                                    + in.names()
                                    + ")");
                }
            }
            int n = in.rowCount();
            TransformStats stats = new TransformStats();
            int[] rows;
            List<Reject> rejects = new ArrayList<>();
            ScoredBatch scored;
            OutputLayout layout = bundle.outputs();
            if (q.rejects == null) {
                try (Scorer scorer = bundle.newScorer()) {
                    scored = scoreAll(scorer, in, q.batchSize, stats);
                }
                rows = new int[n];
                Arrays.setAll(rows, i -> i);
            } else {
                QualityModel quality =
                        new QualityModel(
                                bundle,
                                QualityModel.resolvePolicies(
                                        bundle.manifest(), bundle.preprocessor(), null, Map.of()));
                try (GuardedScorer guarded = new GuardedScorer(bundle.newScorer(), quality)) {
                    QualityStats qs = quality.newStats();
                    GuardedScorer.Result res = guarded.score(in, null, qs);
                    scored = res.scored();
                    rows = res.rows();
                    rejects = res.rejects();
                }
            }
            writeOutputs(bundle, layout, in, rows, scored, q, conf);
            if (q.features != null) {
                writeFeatures(bundle, in, rows, q.features, conf);
            }
            if (q.rejects != null) {
                writeRejects(rejects, q.rejects, conf);
            }
            out.printf(
                    "scored %d rows of %s with %s %s (%s) into %s%s%n",
                    rows.length,
                    q.input,
                    bundle.manifest().name(),
                    bundle.manifest().version(),
                    bundle.digest(),
                    q.output,
                    q.rejects == null ? "" : "; " + rejects.size() + " rejected into " + q.rejects);
            stats.columns()
                    .forEach(
                            (col, cs) -> {
                                if (cs.missingCount() > 0 || cs.unknownCount() > 0) {
                                    out.printf(
                                            "  %-20s missing %d, unknown %d %s%n",
                                            col,
                                            cs.missingCount(),
                                            cs.unknownCount(),
                                            cs.unknownValues());
                                }
                            });
            return new Outcome(n, rows.length, rejects.size());
        }
    }

    private static ScoredBatch scoreAll(
            Scorer scorer, ColumnBatch in, int batchSize, TransformStats stats) {
        OutputLayout layout = scorer.layout();
        int n = in.rowCount();
        int w = layout.width();
        double[] values = new double[n * w];
        String[] labels = layout.labelColumn() == null ? null : new String[n];
        for (int start = 0; start < n; start += batchSize) {
            int end = Math.min(n, start + batchSize);
            ScoredBatch s = scorer.score(ScoreCommand.slice(in, start, end), stats);
            System.arraycopy(s.values(), 0, values, start * w, s.rows() * w);
            if (labels != null) {
                System.arraycopy(s.labels(), 0, labels, start, s.rows());
            }
        }
        return new ScoredBatch(n, w, values, labels);
    }

    private static void writeOutputs(
            Bundle bundle,
            OutputLayout layout,
            ColumnBatch in,
            int[] rows,
            ScoredBatch s,
            Request q,
            Configuration conf)
            throws IOException {
        int n = rows.length;
        ColumnBatch.Builder out = ColumnBatch.builder(n);
        if (q.rejects != null) {
            out.add(ROW, rowColumn(rows));
        }
        for (String id : q.idColumns) {
            out.add(id, in.column(id).select(rows));
        }
        for (int j = 0; j < layout.width(); j++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = s.value(i, j);
            }
            out.add(layout.numericColumns().get(j), new DoubleColumn(v));
        }
        if (layout.labelColumn() != null) {
            out.add(
                    layout.labelColumn(),
                    new StringColumn(
                            s.labels() == null ? new String[0] : Arrays.copyOf(s.labels(), n)));
        }
        String run = q.runId == null ? "run-" + UUID.randomUUID() : q.runId;
        String at = Instant.now().toString();
        out.add("bundle_name", constant(bundle.manifest().name(), n));
        out.add("bundle_version", constant(bundle.manifest().version(), n));
        out.add("bundle_digest", constant(bundle.digest(), n));
        out.add("run_id", constant(run, n));
        out.add("scored_at", constant(at, n));
        out.add(
                "bundle_signer",
                constant(bundle.signer() == null ? null : bundle.signer().identity(), n));
        ParquetWriting.write(out.build(), BundleFiles.toPath(q.output), conf);
    }

    /** The feature matrix of the scored rows, one float64 column per feature name. */
    private static void writeFeatures(
            Bundle bundle, ColumnBatch in, int[] rows, String path, Configuration conf)
            throws IOException {
        List<String> names = bundle.manifest().features().columns(); // distinct, for Parquet
        int w = names.size();
        int n = rows.length;
        // the scored rows with the whole input's pandas dtypes, as GuardedScorer scored them
        double[] f =
                n == 0
                        ? new double[0]
                        : n == in.rowCount()
                                ? bundle.transform(in)
                                : bundle.transform(GuardedScorer.withFrameDtypes(in).select(rows));
        ColumnBatch.Builder out = ColumnBatch.builder(n);
        out.add(ROW, rowColumn(rows));
        for (int j = 0; j < w; j++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = f[i * w + j];
            }
            out.add(names.get(j), new DoubleColumn(v));
        }
        ParquetWriting.write(out.build(), BundleFiles.toPath(path), conf);
    }

    private static void writeRejects(List<Reject> rejects, String path, Configuration conf)
            throws IOException {
        int n = rejects.size();
        long[] row = new long[n];
        String[] reason = new String[n];
        String[] column = new String[n];
        String[] detail = new String[n];
        for (int i = 0; i < n; i++) {
            Reject r = rejects.get(i);
            row[i] = r.row();
            reason[i] = r.reason().code();
            column[i] = r.column();
            detail[i] = r.detail();
        }
        ColumnBatch.Builder out = ColumnBatch.builder(n);
        out.add(ROW, new LongColumn(row, null));
        out.add("reject_reason", new StringColumn(reason));
        out.add("reject_column", new StringColumn(column));
        out.add("reject_detail", new StringColumn(detail));
        ParquetWriting.write(out.build(), BundleFiles.toPath(path), conf);
    }

    private static LongColumn rowColumn(int[] rows) {
        long[] v = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            v[i] = rows[i];
        }
        return new LongColumn(v, null);
    }

    static ColumnBatch readInput(String input, Manifest m, Configuration conf) throws IOException {
        Path p = BundleFiles.toPath(input);
        if (input.endsWith(".csv")) {
            Map<String, String> dtypes = new LinkedHashMap<>();
            m.input().columns().forEach(c -> dtypes.put(c.name(), c.dtype()));
            String pandas = m.versions().getOrDefault("pandas", "2");
            Set<String> na =
                    pandas.startsWith("1.") ? CsvColumns.PANDAS1_NA : CsvColumns.PANDAS2_NA;
            FileSystem fs = p.getFileSystem(conf);
            try (InputStream in = fs.open(p)) {
                return CsvColumns.read(in, dtypes, na, input);
            }
        }
        return ParquetColumns.read(HadoopInputFile.fromPath(p, conf), input);
    }

    private static StringColumn constant(String v, int n) {
        String[] a = new String[n];
        Arrays.fill(a, v);
        return new StringColumn(a);
    }
}
