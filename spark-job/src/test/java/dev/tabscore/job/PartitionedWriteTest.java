package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partitioned write keeps up to four files open per task instead of sorting the scored rows on
 * the partition columns first (SessionSetup: {@code spark.sql.maxConcurrentOutputFileWriters}). The
 * sample input is one file, so one task meets every value of {@code region} (more than four, and
 * null): Spark sorts what the open writers cannot take, and every row still lands once, in its own
 * partition, with the run's identity.
 */
@ExtendWith(LocalJobSession.class)
class PartitionedWriteTest {

    private static final Path ROOT = JobTesting.repoRoot();

    @TempDir Path tmp;

    @Test
    void moreValuesInATaskThanOpenWritersStillLandEachRowInItsPartition() throws IOException {
        Path input = ROOT.resolve("sample-data/input");
        Path out = tmp.resolve("out");
        JobTesting.Run run =
                JobTesting.run(
                        JobTesting.localArgs(
                                "--config", ROOT.resolve("conf/local.yaml").toString(),
                                "--bundle", ROOT.resolve("sample-data/bundle").toString(),
                                "--input", input.toString(),
                                "--output", out.toString(),
                                "--passthrough-col", "region",
                                "--partition-by", "region",
                                "--run-id", "partitioned-1"));
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());

        SparkSession spark = JobTesting.spark();
        Map<String, Long> expected = counts(spark.read().parquet(input.toString()));
        // Hive partitioning: an empty string is written as the null partition, as Spark does.
        Long empty = expected.remove("");
        if (empty != null) {
            expected.merge("null", empty, Long::sum);
        }
        assertTrue(expected.size() > 5, "the sample has more regions than open writers");
        Dataset<Row> scored = spark.read().parquet(out.toString());
        assertEquals(expected, counts(scored));
        assertEquals(
                expected.values().stream().mapToLong(Long::longValue).sum(),
                scored.select("customer_id").distinct().count(),
                "each row once");
        assertEquals(
                scored.count(),
                scored.filter(scored.col("run_id").equalTo("partitioned-1")).count());
        try (Stream<Path> dirs = Files.list(out)) {
            assertEquals(
                    expected.size(),
                    dirs.filter(p -> p.getFileName().toString().startsWith("region=")).count());
        }
    }

    private static Map<String, Long> counts(Dataset<Row> d) {
        Map<String, Long> m = new TreeMap<>();
        for (Row r : d.groupBy("region").count().collectAsList()) {
            m.put(String.valueOf(r.get(0)), r.getLong(1));
        }
        return m;
    }
}
