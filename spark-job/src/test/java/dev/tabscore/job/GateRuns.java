package dev.tabscore.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The runs of the quality gate tests ({@link QualityGatesTest}, {@link QualityGateOutcomesTest}):
 * the sample bundle over the sample input, or over an input crafted from it, with gate and policy
 * flags. Shared so that both test classes run the job the same way.
 */
final class GateRuns {

    static final Path ROOT = JobTesting.repoRoot();
    static final Path SAMPLE_BUNDLE = ROOT.resolve("sample-data/bundle");
    static final Path SAMPLE_FILE =
            ROOT.resolve("sample-data/input/snapshot=2026-11-01/part-0.parquet");

    private GateRuns() {}

    /** Runs the job in local mode on {@code in} into {@code out} (run id: out's name). */
    static JobTesting.Run run(Path in, Path out, List<String> flags) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bundle",
                                SAMPLE_BUNDLE.toString(),
                                "--input",
                                in.toString(),
                                "--id-col",
                                "customer_id",
                                "--output",
                                out.toString(),
                                "--run-id",
                                out.getFileName().toString()));
        args.addAll(flags);
        return JobTesting.run(JobTesting.localArgs(args.toArray(new String[0])));
    }

    /** Writes the sample input, crafted, as two Parquet files under {@code tmp/name-in}. */
    static Path input(Path tmp, String name, UnaryOperator<Dataset<Row>> craft) {
        SparkSession spark = JobTesting.spark();
        Path in = tmp.resolve(name + "-in");
        craft.apply(spark.read().parquet(SAMPLE_FILE.toString()))
                .coalesce(2)
                .write()
                .parquet(in.toString());
        return in;
    }

    /** Reads a text file (a report). */
    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
