package dev.tabscore.bundle.model.djl;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.model.Device;

/**
 * The DJL PyTorch engine as tabscore uses it: started once per JVM, offline (run with {@code
 * -Dai.djl.offline=true}; the natives come from the {@code pytorch-native-cpu} jar, or {@code
 * pytorch-native-cu128} in a {@code -Pcuda} build).
 *
 * <p>Threads: libtorch's intra-op pool (the threads one matrix product uses) is sized by the system
 * property {@value #INTRA_OP_THREADS} ({@code at::set_num_threads}), its inter-op pool by {@value
 * #INTER_OP_THREADS} ({@code at::set_num_interop_threads}); DJL reads both once, when the engine
 * starts. Without them libtorch uses one thread per core (or {@code OMP_NUM_THREADS}). In a Spark
 * executor that already runs one task per core, 1 intra-op thread is usually right. Call {@link
 * #configureThreads} before the first model loads.
 */
public final class DjlEngine {

    /** The DJL engine name. */
    public static final String ENGINE_NAME = "PyTorch";

    /** System property DJL reads for libtorch's intra-op thread count. */
    public static final String INTRA_OP_THREADS = "ai.djl.pytorch.num_threads";

    /** System property DJL reads for libtorch's inter-op thread count. */
    public static final String INTER_OP_THREADS = "ai.djl.pytorch.num_interop_threads";

    private static volatile Engine started;

    private DjlEngine() {}

    /**
     * Sets libtorch's thread counts. Before the engine starts this sets the two system properties;
     * afterwards the intra-op count is changed at once (process-wide), and the inter-op count,
     * which libtorch fixes at start, must be unchanged.
     *
     * @param intraOpThreads threads per operator, 1 or more
     * @param interOpThreads threads running operators in parallel, 1 or more
     * @throws IllegalArgumentException if a count is below 1
     * @throws IllegalStateException if the engine runs with another inter-op count
     */
    public static synchronized void configureThreads(int intraOpThreads, int interOpThreads) {
        if (intraOpThreads < 1 || interOpThreads < 1) {
            throw new IllegalArgumentException(
                    "thread counts must be at least 1: intra-op "
                            + intraOpThreads
                            + ", inter-op "
                            + interOpThreads);
        }
        System.setProperty(INTRA_OP_THREADS, Integer.toString(intraOpThreads));
        System.setProperty(INTER_OP_THREADS, Integer.toString(interOpThreads));
        if (started != null) {
            JniUtils.setNumThreads(intraOpThreads);
            int current = JniUtils.getNumInteropThreads();
            if (current != interOpThreads) {
                throw new IllegalStateException(
                        "the PyTorch engine already runs with "
                                + current
                                + " inter-op threads; it cannot change to "
                                + interOpThreads);
            }
        }
    }

    /**
     * Returns the number of CUDA GPUs the engine sees (0 with the CPU natives).
     *
     * @return the GPU count
     */
    public static int gpuCount() {
        return engine().getGpuCount();
    }

    /**
     * Resolves a configured device: {@code auto} becomes {@code gpu:0} when the engine sees a GPU,
     * else {@code cpu}.
     *
     * @param requested the configured device
     * @return {@code cpu} or {@code gpu:N}
     * @throws BundleException ({@link Reason#MODEL_INVALID}) if a GPU is requested that the engine
     *     does not see
     */
    public static Device resolve(Device requested) {
        return switch (requested.kind()) {
            case CPU -> Device.CPU;
            case AUTO -> gpuCount() > 0 ? Device.gpu(0) : Device.CPU;
            case GPU -> {
                int gpus = gpuCount();
                if (requested.gpuIndex() >= gpus) {
                    throw new BundleException(
                            Reason.MODEL_INVALID,
                            "device "
                                    + requested
                                    + " was requested, but the PyTorch engine sees "
                                    + gpus
                                    + " GPUs");
                }
                yield requested;
            }
        };
    }

    /** Maps a resolved device to DJL's. */
    static ai.djl.Device toDjl(Device resolved) {
        return resolved.kind() == Device.Kind.GPU
                ? ai.djl.Device.gpu(resolved.gpuIndex())
                : ai.djl.Device.cpu();
    }

    /** Starts the engine once, with a message that says what is missing when it cannot. */
    static Engine engine() {
        Engine engine = started;
        if (engine == null) {
            synchronized (DjlEngine.class) {
                if (started == null) {
                    try {
                        started = Engine.getEngine(ENGINE_NAME);
                    } catch (RuntimeException | UnsatisfiedLinkError e) {
                        // The machine's fault (no native jar, a noexec temp dir, a missing
                        // system library), not the bundle's: retryable elsewhere.
                        throw new BundleException(
                                Reason.NATIVE_LIBRARY,
                                "the DJL PyTorch engine "
                                        + "did not start; offline it needs ai.djl.pytorch:pytorch-jni and "
                                        + "pytorch-native-cpu (pytorch-native-cu128 with -Pcuda, which "
                                        + "needs a CUDA host) on the class path: "
                                        + e.getMessage(),
                                e);
                    }
                }
                engine = started;
            }
        }
        return engine;
    }
}
