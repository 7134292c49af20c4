package dev.tabscore.job.spark;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.model.Device;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkEnv;
import org.apache.spark.deploy.SparkHadoopUtil;

/**
 * The JVM-wide bundle cache of an executor: a bundle is opened (re-hashed against the broadcast
 * digest and its golden batch replayed) once per executor JVM and per everything that changes what
 * runs: digest, device, model choice ({@code auto}, {@code torchscript}, {@code state_dict}: a
 * {@code state_dict} run never gets a cached TorchScript bundle) and intra-op threads. Bundles are
 * immutable and thread-safe; each task makes its own scorer and holds a {@link Lease} for its
 * partition.
 *
 * <p>At most {@value #MAX_BUNDLES} bundles stay open; the least recently used one beyond that is
 * evicted and closed (its native model memory freed) once no task holds it.
 *
 * <p>The device is resolved per task ({@link TaskDevice}): on the CPU every task of a JVM resolves
 * to {@code cpu} and shares one open; on GPU executors a task assigned another GPU than the open
 * bundle's gets the bundle loaded on its own GPU (one open per JVM and GPU), never a model living
 * on another task's device.
 */
public final class ExecutorBundles {

    /** How many bundles a JVM keeps open. */
    static final int MAX_BUNDLES = 4;

    /** A cached bundle and the tasks holding it. */
    private static final class Entry {
        final Bundle bundle;
        int holders;
        long lastUsed;
        boolean evicted;

        Entry(Bundle bundle) {
            this.bundle = bundle;
        }
    }

    /** A task's hold on a cached bundle; close it when the task ends. */
    public static final class Lease implements AutoCloseable {
        private final String key;
        private final Entry entry;
        private boolean closed;

        private Lease(String key, Entry entry) {
            this.key = key;
            this.entry = entry;
        }

        /**
         * The bundle held.
         *
         * @return the verified bundle
         */
        public Bundle bundle() {
            return entry.bundle;
        }

        /** Releases the hold; an evicted bundle nobody holds any more is closed. */
        @Override
        public void close() {
            boolean closeNow;
            synchronized (ExecutorBundles.class) {
                if (closed) {
                    return;
                }
                closed = true;
                entry.holders--;
                closeNow = entry.evicted && entry.holders == 0;
            }
            if (closeNow) {
                entry.bundle.close();
            }
        }

        @Override
        public String toString() {
            return key;
        }
    }

    private static final Map<String, Entry> BUNDLES = new HashMap<>();
    private static final AtomicInteger OPENS = new AtomicInteger();
    private static long clock;

    private ExecutorBundles() {}

    /**
     * Returns a hold on the bundle of {@code plan} for the calling task's device, opening it on
     * first use in this JVM for that key.
     *
     * @param plan the broadcast plan
     * @param opened called once, when this call opened the bundle, with the {@link
     *     BundleOpen#encode() entry} naming this JVM and the task's device choice
     * @return the lease; close it when the task ends
     */
    public static Lease acquire(ScoringPlan plan, java.util.function.Consumer<String> opened) {
        TaskDevice.Choice device = TaskDevice.forCurrentTask(plan.device(), plan.threadsPerTask());
        String key = key(plan.digest(), device.device(), plan.model(), plan.threadsPerTask());
        Lease lease = hold(key);
        if (lease != null) {
            return lease;
        }
        // Opened outside the lock (seconds: hashing, golden replay); a racing task may open
        // the same key, and the loser's bundle is closed.
        OPENS.incrementAndGet();
        Bundle b =
                Bundle.open(
                        plan.bundleUri(),
                        BundleOptions.defaults()
                                .withHadoopConf(hadoopConf())
                                .withExpectDigest(plan.digest())
                                .withDevice(device.device().toString())
                                .withModel(plan.model())
                                .withThreads(plan.threadsPerTask()));
        Lease mine = put(key, b);
        if (mine.bundle() != b) {
            b.close();
        } else {
            opened.accept(new BundleOpen(jvmId(), device).encode());
        }
        return mine;
    }

    private static synchronized Lease hold(String key) {
        Entry e = BUNDLES.get(key);
        if (e == null) {
            return null;
        }
        e.holders++;
        e.lastUsed = ++clock;
        return new Lease(key, e);
    }

    /** Adds a bundle (or holds the one a racing task added first), evicting beyond the cap. */
    private static Lease put(String key, Bundle b) {
        List<Bundle> toClose = new ArrayList<>();
        Lease lease;
        synchronized (ExecutorBundles.class) {
            Lease existing = hold(key);
            if (existing != null) {
                return existing;
            }
            Entry e = new Entry(b);
            BUNDLES.put(key, e);
            lease = hold(key);
            while (BUNDLES.size() > MAX_BUNDLES) {
                String oldest = null;
                for (Map.Entry<String, Entry> x : BUNDLES.entrySet()) {
                    if (!x.getKey().equals(key)
                            && (oldest == null
                                    || x.getValue().lastUsed < BUNDLES.get(oldest).lastUsed)) {
                        oldest = x.getKey();
                    }
                }
                Entry gone = BUNDLES.remove(oldest);
                gone.evicted = true;
                if (gone.holders == 0) {
                    toClose.add(gone.bundle);
                }
            }
        }
        toClose.forEach(Bundle::close);
        return lease;
    }

    /**
     * Registers a bundle the driver already opened and verified, when the driver is also the
     * executor (local mode), so the JVM opens each bundle once per key.
     *
     * @param bundle the verified bundle, on the device the tasks resolve to
     * @param model the model choice it was opened with
     * @param threads the intra-op threads it was opened with
     * @return true if this JVM had no bundle of that key yet (the cache now owns it)
     */
    public static boolean seed(Bundle bundle, String model, int threads) {
        String key = key(bundle.digest(), bundle.model().device(), model, threads);
        synchronized (ExecutorBundles.class) {
            if (BUNDLES.containsKey(key)) {
                return false;
            }
        }
        OPENS.incrementAndGet();
        Lease l = put(key, bundle);
        l.close();
        return l.bundle() == bundle;
    }

    /**
     * Returns the keys of the bundles open in this JVM (for tests).
     *
     * @return the keys
     */
    static synchronized List<String> openKeys() {
        return new ArrayList<>(BUNDLES.keySet());
    }

    private static String key(String digest, Device device, String model, int threads) {
        return digest + "@" + device + "/model=" + model + "/threads=" + threads;
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
        return hadoopConf(env == null ? null : env.conf());
    }

    /**
     * The Hadoop configuration an executor reads bundles and writes rejects with: its {@code
     * spark.hadoop.*} settings as Spark itself builds them, with the same gs:// defaults the driver
     * applies ({@code HadoopDefaults}), so that an executor reads a bundle exactly as the driver
     * verified it (in local mode the driver's bundle is reused, which hid this).
     *
     * @param sparkConf the executor's Spark settings (null: none)
     * @return the configuration
     */
    public static Configuration hadoopConf(org.apache.spark.SparkConf sparkConf) {
        Configuration conf =
                sparkConf == null
                        ? new Configuration()
                        : SparkHadoopUtil.get().newConfiguration(sparkConf);
        dev.tabscore.bundle.io.HadoopDefaults.apply(conf);
        return conf;
    }
}
