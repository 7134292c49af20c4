package dev.tabscore.bundle.cli;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.OutputLayout;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.ScoredBatch;
import dev.tabscore.bundle.Scorer;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.StringColumn;
import dev.tabscore.bundle.io.BundleFiles;
import dev.tabscore.bundle.io.CsvColumns;
import dev.tabscore.bundle.io.ParquetColumns;
import dev.tabscore.bundle.io.ParquetWriting;
import dev.tabscore.bundle.manifest.Manifest;
import dev.tabscore.bundle.sklearn.TransformStats;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tabscore bundle score DIR --input F --output G}: scores a small Parquet or CSV file on
 * one machine, no Spark: for debugging a row and for small files. Writes the id columns, the
 * prediction columns and the identity columns ({@code scored_at} as ISO-8601 text; {@code
 * bundle_signer} the verified signer, null when no signature was verified) to Parquet.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score a small Parquet or CSV file with a verified bundle (no Spark).")
final class ScoreCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Bundle directory or URI.")
    String dir;

    @Option(names = "--input", required = true, description = "Input .parquet or .csv file.")
    String input;

    @Option(names = "--output", required = true, description = "Output .parquet file.")
    String output;

    @Option(names = "--id-col", description = "Column copied to the output (repeatable).")
    List<String> idColumns = new ArrayList<>();

    @Option(names = "--expect-digest", description = "Refuse the bundle unless its digest is this.")
    String expectDigest;

    @Option(names = "--model", defaultValue = "auto", description = "auto, torchscript, state_dict.")
    String model;

    @Option(names = "--batch-size", defaultValue = "8192", description = "Rows per batch.")
    int batchSize;

    @Option(names = "--run-id", description = "Run id stamped on every row (default generated).")
    String runId;

    @CommandLine.Mixin
    TrustOptions trustOptions = new TrustOptions();

    /** {@inheritDoc} */
    @Override
    public Integer call() throws IOException {
        Configuration conf = dev.tabscore.bundle.io.HadoopDefaults.newConfiguration();
        try (Bundle bundle = Bundle.open(dir, BundleOptions.defaults().withDevice("cpu")
                .withExpectDigest(expectDigest).withModel(model)
                .withTrust(trustOptions.load(spec.commandLine(), conf)));
                Scorer scorer = bundle.newScorer()) {
            ColumnBatch in = readInput(input, bundle.manifest(), conf);
            for (String id : idColumns) {
                if (!in.has(id)) {
                    throw new BundleException(Reason.INPUT_SCHEMA, "id column '" + id
                            + "' is not in " + input + " (columns " + in.names() + ")");
                }
            }
            TransformStats stats = new TransformStats();
            OutputLayout layout = bundle.outputs();
            int n = in.rowCount();
            double[][] values = new double[layout.width()][n];
            String[] labels = layout.labelColumn() == null ? null : new String[n];
            for (int start = 0; start < n; start += batchSize) {
                int end = Math.min(n, start + batchSize);
                ScoredBatch s = scorer.score(slice(in, start, end), stats);
                for (int i = 0; i < s.rows(); i++) {
                    for (int j = 0; j < s.width(); j++) {
                        values[j][start + i] = s.value(i, j);
                    }
                    if (labels != null) {
                        labels[start + i] = s.labels()[i];
                    }
                }
            }
            ColumnBatch.Builder out = ColumnBatch.builder(n);
            for (String id : idColumns) {
                out.add(id, in.column(id));
            }
            for (int j = 0; j < layout.width(); j++) {
                out.add(layout.numericColumns().get(j), new DoubleColumn(values[j]));
            }
            if (labels != null) {
                out.add(layout.labelColumn(), new StringColumn(labels));
            }
            String run = runId == null ? "run-" + UUID.randomUUID() : runId;
            String at = Instant.now().toString();
            out.add("bundle_name", constant(bundle.manifest().name(), n));
            out.add("bundle_version", constant(bundle.manifest().version(), n));
            out.add("bundle_digest", constant(bundle.digest(), n));
            out.add("run_id", constant(run, n));
            out.add("scored_at", constant(at, n));
            out.add("bundle_signer", constant(bundle.signer() == null ? null
                    : bundle.signer().identity(), n));
            ParquetWriting.write(out.build(), BundleFiles.toPath(output), conf);
            spec.commandLine().getOut().printf("scored %d rows of %s with %s %s (%s) into %s%n",
                    n, input, bundle.manifest().name(), bundle.manifest().version(),
                    bundle.digest(), output);
            stats.columns().forEach((col, cs) -> {
                if (cs.missingCount() > 0 || cs.unknownCount() > 0) {
                    spec.commandLine().getOut().printf("  %-20s missing %d, unknown %d %s%n", col,
                            cs.missingCount(), cs.unknownCount(), cs.unknownValues());
                }
            });
        }
        return 0;
    }

    /** Reads a Parquet file, or a CSV file typed by the manifest's input columns. */
    static ColumnBatch readInput(String input, Manifest m, Configuration conf)
            throws IOException {
        Path p = BundleFiles.toPath(input);
        if (input.endsWith(".csv")) {
            Map<String, String> dtypes = new LinkedHashMap<>();
            m.input().columns().forEach(c -> dtypes.put(c.name(), c.dtype()));
            String pandas = m.versions().getOrDefault("pandas", "2");
            Set<String> na = pandas.startsWith("1.") ? CsvColumns.PANDAS1_NA : CsvColumns.PANDAS2_NA;
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

    static ColumnBatch slice(ColumnBatch in, int start, int end) {
        ColumnBatch.Builder b = ColumnBatch.builder(end - start);
        for (int c = 0; c < in.columnCount(); c++) {
            b.add(in.names().get(c), Slices.of(in.column(c), start, end));
        }
        return b.build();
    }

}
