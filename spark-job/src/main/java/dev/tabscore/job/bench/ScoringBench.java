package dev.tabscore.job.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabscore.job.ScoringJob;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the real {@link ScoringJob} several times in one JVM for the benchmark (scripts/bench.sh,
 * system "b"): pass 1 is exactly a cold {@code ScoringJob} run (JVM, session, bundle open and
 * verification, JIT), later passes reuse the session ({@code --conf tabscore.keep_session=true})
 * and show the JIT-warm cost. Each pass writes its run summary to {@code <result>.pass<N>.json};
 * the {@code --result} JSON collects the wall-clock of every pass and the job's own timings.
 *
 * <pre>
 * java ... dev.tabscore.job.bench.ScoringBench --result tabscore.json --repeat 2 -- \
 *     --bundle B --input IN --output OUT --mode overwrite --master local[2] ...
 * </pre>
 */
public final class ScoringBench {

    private ScoringBench() {}

    /**
     * Runs the passes and exits with the first non-zero exit code of the job, if any.
     *
     * @param args {@code --result FILE [--repeat N] -- <ScoringJob flags>}
     * @throws IOException if a summary or the result cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        String result = null;
        int repeat = 2;
        int i = 0;
        for (; i < args.length && !args[i].equals("--"); i++) {
            switch (args[i]) {
                case "--result" -> result = args[++i];
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                default ->
                        throw new IllegalArgumentException(
                                "ScoringBench: unknown argument " + args[i]);
            }
        }
        if (result == null || i == args.length) {
            throw new IllegalArgumentException(
                    "usage: ScoringBench --result FILE [--repeat N] -- " + "<ScoringJob flags>");
        }
        List<String> job = new ArrayList<>(Arrays.asList(args).subList(i + 1, args.length));
        ObjectMapper json = new ObjectMapper();
        ObjectNode res = json.createObjectNode();
        res.put("system", "tabscore");
        res.put("jvm_start_epoch", ManagementFactory.getRuntimeMXBean().getStartTime() / 1e3);
        res.put("ready_epoch", System.currentTimeMillis() / 1e3);
        ArrayNode passes = res.putArray("passes");
        int code = 0;
        try {
            for (int p = 1; p <= repeat && code == 0; p++) {
                Path summary = Path.of(result + ".pass" + p + ".json");
                List<String> a = new ArrayList<>(job);
                a.addAll(
                        List.of(
                                "--conf",
                                "tabscore.keep_session=true",
                                "--summary",
                                summary.toAbsolutePath().toString()));
                long t = System.nanoTime();
                code = ScoringJob.run(a.toArray(new String[0]));
                double secs = (System.nanoTime() - t) / 1e9;
                ObjectNode o = passes.addObject();
                o.put("pass", p);
                o.put("exit_code", code);
                o.put("seconds", secs);
                o.put("end_epoch", System.currentTimeMillis() / 1e3);
                if (code == 0 && Files.exists(summary)) {
                    o.set("summary", json.readTree(summary.toFile()));
                }
                System.err.printf("tabscore: pass %d: exit %d, %.2fs%n", p, code, secs);
            }
        } finally {
            if (SparkSession.getDefaultSession().isDefined()) {
                SparkSession.getDefaultSession().get().stop();
            }
        }
        Files.writeString(
                Path.of(result), json.writerWithDefaultPrettyPrinter().writeValueAsString(res));
        System.exit(code);
    }
}
