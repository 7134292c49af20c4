package dev.tabscore.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.model.Device;
import dev.tabscore.bundle.model.ModelPredictor;
import dev.tabscore.bundle.model.ModelRunner;
import dev.tabscore.bundle.model.ModelSpec;
import dev.tabscore.bundle.model.djl.DjlEngine;
import dev.tabscore.bundle.model.djl.OnnxRunner;
import dev.tabscore.bundle.model.djl.StateDictRunner;
import dev.tabscore.bundle.model.djl.TorchScriptRunner;
import dev.tabscore.bundle.torch.StateDictReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@link PredictorBenchmark}'s comparison for a shared machine: the artifact kinds run
 * <em>interleaved</em> in one JVM (a round calls each kind in turn), and each call is timed in the
 * calling thread's CPU time as well as wall time. With libtorch and ONNX Runtime at one intra-op
 * and one inter-op thread the whole forward pass runs on the calling thread, so its CPU time does
 * not count the time other processes held the cores, which is what makes JMH's wall clock scores
 * scatter by several hundred percent when other builds run. Cache contention still shows;
 * interleaving spreads it over the kinds alike.
 *
 * <pre>
 * java -Dai.djl.offline=true -cp "benchmarks/target/classes:$(cat cp.txt)" \
 *     dev.tabscore.bench.PredictorCpuTime [networks] [batches] [kinds] [seconds per cell]
 * </pre>
 *
 * <p>Defaults: {@code seed-binary,mlp-20-128-64-32-1 1,64,1024,8192 state_dict,onnx,torchscript
 * 10}. Prints a markdown table of median rows/s by CPU time and by wall time (the first fifth of
 * each cell's rounds are warm-up and dropped), and the ratios of each kind's CPU-time median to the
 * first kind's.
 */
public final class PredictorCpuTime {

    private PredictorCpuTime() {}

    /**
     * Runs the comparison.
     *
     * @param args networks, batches, kinds, seconds per (network, batch) cell, all optional
     * @throws IOException if a model file cannot be read
     */
    public static void main(String[] args) throws IOException {
        List<String> networks = List.of(arg(args, 0, "seed-binary,mlp-20-128-64-32-1").split(","));
        int[] batches =
                Arrays.stream(arg(args, 1, "1,64,1024,8192").split(","))
                        .mapToInt(Integer::parseInt)
                        .toArray();
        List<String> kinds = List.of(arg(args, 2, "state_dict,onnx,torchscript").split(","));
        double seconds = Double.parseDouble(arg(args, 3, "10"));
        DjlEngine.configureThreads(1, 1);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Path root = Path.of(System.getProperty("tabscore.bench.models", "benchmarks/models"));
        StringBuilder table = new StringBuilder("| network | batch |");
        kinds.forEach(k -> table.append(" ").append(k).append(" rows/s cpu (wall) |"));
        kinds.subList(1, kinds.size())
                .forEach(
                        k ->
                                table.append(" ")
                                        .append(k)
                                        .append(" ÷ ")
                                        .append(kinds.get(0))
                                        .append(" (cpu) |"));
        table.append("\n|").append(" --- |".repeat(2 + 2 * kinds.size() - 1)).append('\n');
        for (String network : networks) {
            Path dir = root.resolve(network);
            JsonNode model = new ObjectMapper().readTree(dir.resolve("model.json").toFile());
            ModelSpec spec = ModelSpec.fromJson(model);
            Map<String, ModelRunner> runners = new LinkedHashMap<>();
            Map<String, ModelPredictor> predictors = new LinkedHashMap<>();
            for (String kind : kinds) {
                ModelRunner runner = load(kind, dir, model, spec);
                runners.put(kind, runner);
                predictors.put(kind, runner.newPredictor());
            }
            for (int batch : batches) {
                float[] features = new float[batch * spec.inputWidth()];
                Random random = new Random(7);
                for (int i = 0; i < features.length; i++) {
                    features[i] = (float) random.nextGaussian();
                }
                Map<String, List<Long>> cpu = new LinkedHashMap<>();
                Map<String, List<Long>> wall = new LinkedHashMap<>();
                kinds.forEach(
                        k -> {
                            cpu.put(k, new ArrayList<>());
                            wall.put(k, new ArrayList<>());
                        });
                // About 4096 rows per kind per round, so a round's calls are long enough to time
                // and a round short enough to interleave finely.
                int calls = Math.max(1, 4096 / batch);
                long end = System.nanoTime() + (long) (seconds * 1e9);
                for (int round = 0; round < 5 || System.nanoTime() < end; round++) {
                    for (String kind : kinds) {
                        ModelPredictor predictor = predictors.get(kind);
                        long c0 = threads.getCurrentThreadCpuTime();
                        long w0 = System.nanoTime();
                        for (int i = 0; i < calls; i++) {
                            predictor.predict(features, batch);
                        }
                        wall.get(kind).add((System.nanoTime() - w0) / calls);
                        cpu.get(kind).add((threads.getCurrentThreadCpuTime() - c0) / calls);
                    }
                }
                table.append("| ").append(network).append(" | ").append(batch).append(" |");
                List<Double> cpuRates = new ArrayList<>();
                for (String kind : kinds) {
                    double c = batch * 1e9 / median(cpu.get(kind));
                    double w = batch * 1e9 / median(wall.get(kind));
                    cpuRates.add(c);
                    table.append(String.format(" %,.0f (%,.0f) |", c, w));
                }
                double first = cpuRates.get(0);
                for (int i = 1; i < kinds.size(); i++) {
                    table.append(String.format(" %.2f |", cpuRates.get(i) / first));
                }
                table.append('\n');
                System.err.println(
                        network
                                + " batch "
                                + batch
                                + " done, "
                                + cpu.get(kinds.get(0)).size()
                                + " rounds");
            }
            predictors.values().forEach(ModelPredictor::close);
            runners.values().forEach(ModelRunner::close);
        }
        System.out.print(table);
    }

    private static ModelRunner load(String kind, Path dir, JsonNode model, ModelSpec spec)
            throws IOException {
        String file = model.get(kind).asText();
        byte[] bytes = Files.readAllBytes(dir.resolve(file));
        return switch (kind) {
            case "torchscript" -> TorchScriptRunner.load(bytes, file, spec, Device.CPU);
            case "onnx" -> OnnxRunner.load(bytes, file, spec, Device.CPU);
            case "state_dict" ->
                    StateDictRunner.load(StateDictReader.read(bytes, file), file, spec, Device.CPU);
            default ->
                    throw new IllegalArgumentException(
                            "kinds are state_dict, onnx and " + "torchscript, got " + kind);
        };
    }

    /** The median after dropping the first fifth (warm-up: JIT, allocator, caches). */
    private static double median(List<Long> nanos) {
        List<Long> kept = new ArrayList<>(nanos.subList(nanos.size() / 5, nanos.size()));
        Collections.sort(kept);
        return Math.max(1, kept.get(kept.size() / 2));
    }

    private static String arg(String[] args, int index, String otherwise) {
        return args.length > index ? args[index] : otherwise;
    }
}
