package dev.tabscore.job.spark;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleOptions;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkEnv;
import org.apache.spark.deploy.SparkHadoopUtil;

/**
 * The JVM-wide bundle cache of an executor: a bundle is opened (re-hashed against the broadcast
 * digest and its golden batch replayed) once per executor JVM and digest, then shared by every
 * task thread. Bundles are immutable and thread-safe; each task makes its own scorer.
 */
public final class ExecutorBundles {

    private static final ConcurrentMap<String, Bundle> BUNDLES = new ConcurrentHashMap<>();
    private static final AtomicInteger OPENS = new AtomicInteger();

    private ExecutorBundles() {}

    /**
     * Returns the bundle of {@code plan}, opening it on first use in this JVM.
     *
     * @param plan the broadcast plan
     * @param opened called once with this JVM's id when this call opened the bundle
     * @return the verified bundle
     */
    public static Bundle get(ScoringPlan plan, java.util.function.Consumer<String> opened) {
        Bundle existing = BUNDLES.get(plan.digest());
        if (existing != null) {
            return existing;
        }
        boolean[] mine = {false};
        Bundle b = BUNDLES.computeIfAbsent(plan.digest(), d -> {
            mine[0] = true;
            OPENS.incrementAndGet();
            return Bundle.open(plan.bundleUri(), BundleOptions.defaults()
                    .withHadoopConf(hadoopConf())
                    .withExpectDigest(plan.digest())
                    .withDevice(plan.device())
                    .withModel(plan.model())
                    .withThreads(plan.threadsPerTask()));
        });
        if (mine[0]) {
            opened.accept(jvmId());
        }
        return b;
    }

    /**
     * Registers a bundle the driver already opened and verified, when the driver is also the
     * executor (local mode), so the JVM opens each bundle once.
     *
     * @param bundle the verified bundle
     * @return true if this JVM had no bundle of that digest yet
     */
    public static boolean seed(Bundle bundle) {
        if (BUNDLES.putIfAbsent(bundle.digest(), bundle) == null) {
            OPENS.incrementAndGet();
            return true;
        }
        return false;
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
