package dev.tabscore.job.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabscore.bundle.manifest.ManifestReader;
import dev.tabscore.job.spark.IdentityParquetFormat;
import dev.tabscore.job.spark.IdentityValues;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The benchmark floor (scripts/bench.sh, system "a"): what Spark alone costs to read the scoring
 * input and write the job's output columns. It reads the input Parquet, keeps the id and
 * passthrough columns, adds {@code prob} = 0.5 and the identity columns the job writes ({@code
 * bundle_name}, {@code bundle_version}, {@code bundle_digest}, {@code run_id}, {@code scored_at})
 * and writes Parquet with the job's partitioning and Spark's default compression, in the same kind
 * of session (no bundle is verified, no model runs).
 *
 * <p>Variants, one per pass ({@code --passes pruned,pruned,touch}): {@code pruned} is the floor
 * proper (Parquet column pruning: the model's input columns are never read); {@code touch} also
 * reads every model input column ({@code prob = 0.5 + 0.0 * xxhash64(inputs)}, still exactly 0.5),
 * the floor of any job that must decode its inputs. Each pass's wall-clock goes to the {@code
 * --result} JSON, with the process CPU time it took. The passes named in {@link #IDENTITY_WRITES}
 * are the pruned floor with the identity columns written another way.
 *
 * <pre>
 * java ... dev.tabscore.job.bench.FloorJob --input IN --output OUT --bundle B --id-col row_id \
 *     --passthrough-col snapshot --partition-by snapshot --master local[2] --result floor.json
 * </pre>
 */
public final class FloorJob {

    private FloorJob() {}

    /**
     * Runs the floor passes.
     *
     * @param args the command line (see the class comment)
     * @throws IOException if the manifest or the result cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        List<String> ids = new ArrayList<>();
        List<String> pass = new ArrayList<>();
        List<String> partitionBy = new ArrayList<>();
        List<String> passes = List.of("pruned", "pruned", "touch");
        String input = null;
        String output = null;
        String bundle = null;
        String master = "local[2]";
        String result = null;
        String runId = "bench-floor";
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--input" -> input = v;
                case "--output" -> output = v;
                case "--bundle" -> bundle = v;
                case "--id-col" -> ids.add(v);
                case "--passthrough-col" -> pass.add(v);
                case "--partition-by" -> partitionBy.add(v);
                case "--master" -> master = v;
                case "--result" -> result = v;
                case "--run-id" -> runId = v;
                case "--passes" -> passes = List.of(v.split(","));
                default ->
                        throw new IllegalArgumentException("FloorJob: unknown argument " + args[i]);
            }
            i++;
        }
        if (input == null || output == null || bundle == null || result == null) {
            throw new IllegalArgumentException(
                    "FloorJob: --input, --output, --bundle and --result " + "are required");
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode manifest = json.readTree(Path.of(bundle, "manifest.json").toFile());
        String digest = ManifestReader.digest(manifest);
        List<String> inputs = new ArrayList<>();
        for (JsonNode c : manifest.path("input").path("columns")) {
            inputs.add(c.path("name").asText());
        }
        List<String> outputs = outputColumns(manifest);

        ObjectNode res = json.createObjectNode();
        res.put("system", "floor");
        res.put("jvm_start_epoch", ManagementFactory.getRuntimeMXBean().getStartTime() / 1e3);
        long t = System.nanoTime();
        SparkConf conf = new SparkConf();
        if (!conf.contains("spark.master")) {
            conf.setMaster(master);
        }
        conf.setAppName("tabscore-bench-floor");
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        res.put("session_s", (System.nanoTime() - t) / 1e9);
        res.put("ready_epoch", System.currentTimeMillis() / 1e3);
        ArrayNode out = res.putArray("passes");
        try {
            int n = 0;
            for (String variant : passes) {
                long p0 = System.nanoTime();
                long c0 = processCpuNanos();
                Instant scoredAt = Instant.now();
                Dataset<Row> in = spark.read().parquet(input);
                List<Column> cols = new ArrayList<>();
                List<String> keep = new ArrayList<>(ids);
                for (String p : pass) {
                    if (!keep.contains(p)) {
                        keep.add(p);
                    }
                }
                for (String k : keep) {
                    cols.add(functions.col(k));
                }
                Column prob = functions.lit(0.5);
                if (variant.equals("touch")) {
                    Column[] touched = inputs.stream().map(functions::col).toArray(Column[]::new);
                    prob = prob.plus(functions.xxhash64(touched).multiply(functions.lit(0.0)));
                } else if (!variant.equals("pruned") && !IDENTITY_WRITES.contains(variant)) {
                    throw new IllegalArgumentException("FloorJob: unknown pass " + variant);
                }
                for (String o : outputs) {
                    cols.add(o.equals("label") ? functions.lit("0").as(o) : prob.as(o));
                }
                boolean sortFirst = variant.startsWith("sorted_");
                Dataset<Row> rows = in.select(cols.toArray(new Column[0]));
                if (sortFirst) {
                    // Sorted on the partition columns before the literals are appended: the
                    // writer's required order is then met (a projection keeps it), and the sort
                    // copies the narrow rows, not the identity strings.
                    if (!partitionBy.isEmpty()) {
                        rows =
                                rows.sortWithinPartitions(
                                        partitionBy.stream()
                                                .map(functions::col)
                                                .toArray(Column[]::new));
                    }
                }
                cols = new ArrayList<>(List.of(functions.col("*")));
                boolean inWriter = variant.equals("writer_identity");
                if (!variant.equals("no_identity") && !inWriter) {
                    cols.add(functions.lit(manifest.path("name").asText()).as("bundle_name"));
                    cols.add(functions.lit(manifest.path("version").asText()).as("bundle_version"));
                    cols.add(functions.lit(digest).as("bundle_digest"));
                    cols.add(functions.lit(runId).as("run_id"));
                    cols.add(functions.lit(Timestamp.from(scoredAt)).as("scored_at"));
                }
                rows = rows.select(cols.toArray(new Column[0]));
                DataFrameWriter<Row> w = rows.write().format("parquet").mode(SaveMode.Overwrite);
                w = identityWriteOptions(w, variant);
                if (inWriter) {
                    // As the job writes them: appended inside the Parquet write.
                    Instant at = scoredAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
                    IdentityValues id =
                            new IdentityValues(
                                    manifest.path("name").asText(),
                                    manifest.path("version").asText(),
                                    digest,
                                    runId,
                                    at.getEpochSecond() * 1_000_000L + at.getNano() / 1000,
                                    null);
                    w = w.format(IdentityParquetFormat.class.getName()).options(id.options());
                }
                List<String> dirs = new ArrayList<>(partitionBy);
                if (variant.equals("partitioned_identity")) {
                    dirs.addAll(IDENTITY_STRINGS);
                }
                if (!dirs.isEmpty()) {
                    w = w.partitionBy(dirs.toArray(new String[0]));
                }
                w.save(output);
                double secs = (System.nanoTime() - p0) / 1e9;
                double cpu = (processCpuNanos() - c0) / 1e9;
                ObjectNode o = out.addObject();
                o.put("pass", ++n);
                o.put("variant", variant);
                o.put("seconds", secs);
                o.put("cpu_s", cpu);
                o.put("end_epoch", System.currentTimeMillis() / 1e3);
                System.err.printf("floor: pass %d (%s): %.2fs, cpu %.2fs%n", n, variant, secs, cpu);
            }
        } finally {
            spark.stop();
        }
        Files.writeString(
                Path.of(result), json.writerWithDefaultPrettyPrinter().writeValueAsString(res));
    }

    /**
     * The ways of writing the constant identity columns measured for issue 18 (passes with these
     * names): {@code no_identity} (none: what they cost at all), {@code no_dictionary} (PLAIN, no
     * per-value dictionary hashing), {@code no_statistics} (no per-value min/max compare), {@code
     * plain_no_statistics} (both), {@code partitioned_identity} (the four strings as partition
     * directories, read back by partition discovery), {@code writer_identity} (appended inside the
     * Parquet write, statistics off, as the job writes them: {@link IdentityParquetFormat}), and
     * {@code sorted_} + one of pruned / no_statistics / plain_no_statistics (the rows sorted on the
     * partition columns before the literals are appended, so the writer's own sort is left out and
     * sorts no identity strings). Parquet takes per-column settings with a {@code #column} suffix;
     * Spark hands write options to the Parquet writer's configuration.
     */
    static final List<String> IDENTITY_WRITES =
            List.of(
                    "no_identity",
                    "no_dictionary",
                    "no_statistics",
                    "plain_no_statistics",
                    "partitioned_identity",
                    "writer_identity",
                    "sorted_pruned",
                    "sorted_no_statistics",
                    "sorted_plain_no_statistics");

    private static final List<String> IDENTITY_STRINGS =
            List.of("bundle_name", "bundle_version", "bundle_digest", "run_id");

    private static DataFrameWriter<Row> identityWriteOptions(
            DataFrameWriter<Row> w, String variant) {
        String v = variant.replaceFirst("^sorted_", "");
        boolean dict = !v.equals("no_dictionary") && !v.equals("plain_no_statistics");
        boolean stats =
                !v.equals("no_statistics")
                        && !v.equals("plain_no_statistics")
                        && !v.equals("writer_identity");
        for (String c : IDENTITY_STRINGS) {
            if (!dict) {
                w = w.option("parquet.enable.dictionary#" + c, "false");
            }
            if (!stats) {
                w =
                        w.option("parquet.column.statistics.enabled#" + c, "false")
                                .option("parquet.size.statistics.enabled#" + c, "false");
            }
        }
        return w;
    }

    /**
     * The CPU time of the whole process (all threads), the measure that holds up when other
     * processes share the cores: wall time then mostly measures the wait for a core.
     */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean()
                        instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : -1;
    }

    private static List<String> outputColumns(JsonNode manifest) {
        String task = manifest.path("task").asText();
        List<String> out = new ArrayList<>();
        switch (task) {
            case "binary" -> out.add("prob");
            case "multiclass" -> {
                for (JsonNode c : manifest.path("classes")) {
                    out.add("prob_" + c.asText());
                }
                out.add("label");
            }
            default -> out.add("prediction");
        }
        return out;
    }
}
