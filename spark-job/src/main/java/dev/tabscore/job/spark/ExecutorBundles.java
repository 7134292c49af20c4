package dev.tabscore.job.spark;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.model.Device;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkEnv;
import org.apache.spark.deploy.SparkHadoopUtil;

/**
 * The JVM-wide bundle cache of an executor: a bundle is opened (re-hashed against the broadcast
 * digest and its golden batch replayed) once per executor JVM, digest and device, then shared by
 * every task thread. Bundles are immutable and thread-safe; each task makes its own scorer.
 *
 * <p>The device is resolved per task ({@link TaskDevice}): on the CPU every task of a JVM
 * resolves to {@code cpu} and shares one open; on GPU executors a task assigned another GPU than
 * the open bundle's gets the bundle loaded on its own GPU (one open per JVM and GPU), never a
 * model living on another task's device.
 */
public final class ExecutorBundles {

    private static final ConcurrentMap<String, Bundle> BUNDLES = new ConcurrentHashMap<>();
    private static final AtomicInteger OPENS = new AtomicInteger();

    private ExecutorBundles() {}

    /**
     * Returns the bundle of {@code plan} on the calling task's device, opening it on first use
     * in this JVM for that device.
     *
     * @param plan the broadcast plan
     * @param opened called once, when this call opened the bundle, with the {@link
     *     BundleOpen#encode() entry} naming this JVM and the task's device choice
     * @return the verified bundle
     */
    public static Bundle get(ScoringPlan plan, java.util.function.Consumer<String> opened) {
        TaskDevice.Choice device = TaskDevice.forCurrentTask(plan.device(),
                plan.threadsPerTask());
        String key = key(plan.digest(), device.device());
        Bundle existing = BUNDLES.get(key);
        if (existing != null) {
            return existing;
        }
        boolean[] mine = {false};
        Bundle b = BUNDLES.computeIfAbsent(key, k -> {
            mine[0] = true;
            OPENS.incrementAndGet();
            return Bundle.open(plan.bundleUri(), BundleOptions.defaults()
                    .withHadoopConf(hadoopConf())
                    .withExpectDigest(plan.digest())
                    .withDevice(device.device().toString())
                    .withModel(plan.model())
                    .withThreads(plan.threadsPerTask()));
        });
        if (mine[0]) {
            opened.accept(new BundleOpen(jvmId(), device).encode());
        }
        return b;
    }

    /**
     * Registers a bundle the driver already opened and verified, when the driver is also the
     * executor (local mode), so the JVM opens each bundle once per device.
     *
     * @param bundle the verified bundle, on the device the tasks resolve to
     * @return true if this JVM had no bundle of that digest and device yet
     */
    public static boolean seed(Bundle bundle) {
        if (BUNDLES.putIfAbsent(key(bundle.digest(), bundle.model().device()), bundle) == null) {
            OPENS.incrementAndGet();
            return true;
        }
        return false;
    }

    private static String key(String digest, Device device) {
        return digest + "@" + device;
    }

    /**
     * Returns how many bundles this JVM has opened (for tests and metrics).
     *
     * @return the count
     */
    public static int opens() {
        return OPENS.get();
    }

    /**
     * Returns an id for this JVM: Spark executor id, process id and host.
     *
     * @return e.g. {@code executor-1/pid-4242@worker7}, or {@code executor-driver/...} on the
     *     driver
     */
    public static String jvmId() {
        SparkEnv env = SparkEnv.get();
        String executor = env == null ? "none" : env.executorId();
        String name = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
        String host = name.substring(name.indexOf('@') + 1);
        return "executor-" + executor + "/pid-" + ProcessHandle.current().pid() + "@" + host;
    }

    static Configuration hadoopConf() {
        SparkEnv env = SparkEnv.get();
        // The executor's view of spark.hadoop.* settings, as Spark itself builds it.
        return env == null ? new Configuration()
                : SparkHadoopUtil.get().newConfiguration(env.conf());
    }
}
