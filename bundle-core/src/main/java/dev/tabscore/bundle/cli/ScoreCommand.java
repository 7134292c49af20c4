package dev.tabscore.bundle.cli;

import dev.tabscore.bundle.ModelChoice;
import dev.tabscore.bundle.column.ColumnBatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tabscore bundle score DIR --input F --output G}: scores a small Parquet or CSV file on one
 * machine, no Spark: for debugging a row and for small files. Writes the id columns, the prediction
 * columns and the identity columns ({@code scored_at} as ISO-8601 text; {@code bundle_signer} the
 * verified signer, null when no signature was verified) to Parquet. {@code --features H} also
 * writes the feature matrix (a {@code row} column, then one float64 column per feature name) so
 * that anyone can compare features with scikit-learn's; {@code --rejects R} scores as the job does:
 * rows the fitted graph refuses (or the bundle's quality policies reject) go to R with their reason
 * instead of failing the file, and every output then starts with the input's 0-based {@code row}.
 */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        description = "Score a small Parquet or CSV file with a verified bundle (no Spark).")
final class ScoreCommand implements Callable<Integer> {

    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Bundle directory or URI.")
    String dir;

    @Option(names = "--input", required = true, description = "Input .parquet or .csv file.")
    String input;

    @Option(names = "--output", required = true, description = "Output .parquet file.")
    String output;

    @Option(
            names = "--features",
            description =
                    "Also write the feature matrix to this .parquet "
                            + "file (column 'row', then one float64 column per feature name).")
    String features;

    @Option(
            names = "--rejects",
            description =
                    "Set refused rows aside into this .parquet file "
                            + "(row, reject_reason, reject_column, reject_detail) instead of failing, as the job "
                            + "does.")
    String rejects;

    @Option(names = "--id-col", description = "Column copied to the output (repeatable).")
    List<String> idColumns = new ArrayList<>();

    @Option(names = "--expect-digest", description = "Refuse the bundle unless its digest is this.")
    String expectDigest;

    @Option(
            names = "--model",
            defaultValue = "auto",
            paramLabel = "MODEL",
            description = "${COMPLETION-CANDIDATES}; default auto.")
    ModelChoice model;

    @Option(names = "--batch-size", defaultValue = "8192", description = "Rows per batch.")
    int batchSize;

    @Option(names = "--run-id", description = "Run id stamped on every row (default generated).")
    String runId;

    @CommandLine.Mixin TrustOptions trustOptions = new TrustOptions();

    /** {@inheritDoc} */
    @Override
    public Integer call() throws IOException {
        FileScoring.Request q = new FileScoring.Request();
        q.dir = dir;
        q.input = input;
        q.output = output;
        q.features = features;
        q.rejects = rejects;
        q.idColumns = idColumns;
        q.expectDigest = expectDigest;
        q.model = model.toString();
        q.batchSize = batchSize;
        q.runId = runId;
        q.trust =
                trustOptions.load(
                        spec.commandLine(),
                        dev.tabscore.bundle.io.HadoopDefaults.newConfiguration());
        FileScoring.run(q, spec.commandLine().getOut());
        return 0;
    }

    /** Reads a Parquet file, or a CSV file typed by the manifest's input columns. */
    static ColumnBatch readInput(
            String input,
            dev.tabscore.bundle.manifest.Manifest m,
            org.apache.hadoop.conf.Configuration conf)
            throws IOException {
        return FileScoring.readInput(input, m, conf);
    }

    static ColumnBatch slice(ColumnBatch in, int start, int end) {
        ColumnBatch.Builder b = ColumnBatch.builder(end - start);
        for (int c = 0; c < in.columnCount(); c++) {
            b.add(in.names().get(c), Slices.of(in.column(c), start, end));
        }
        return b.build();
    }
}
