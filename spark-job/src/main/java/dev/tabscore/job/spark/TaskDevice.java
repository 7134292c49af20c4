package dev.tabscore.job.spark;

import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.model.Device;
import dev.tabscore.bundle.model.djl.DjlEngine;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a task scores: the configured device ({@code scoring.device}) resolved against the GPUs
 * Spark assigned to the task ({@code spark.task.resource.gpu.amount}) and the ones the PyTorch
 * engine sees. {@link #decide} is the whole rule, with no Spark or engine in it; {@link
 * #forCurrentTask} only looks the two inputs up.
 *
 * <ul>
 *   <li>{@code cpu}: the CPU.
 *   <li>{@code auto} and the task holds {@code gpu} addresses: {@code gpu:<first address>}, so
 *       tasks sharing an executor use the GPUs Spark gave them, not all GPU 0.
 *   <li>{@code auto} and no task GPUs: GPU 0 when the engine sees one, else the CPU.
 *   <li>{@code gpu:N}: GPU N, whatever the task holds.
 * </ul>
 *
 * A GPU chosen that the engine cannot use (the jar carries the CPU natives, no CUDA device, or an
 * index past the engine's count) falls back to the CPU: the job still scores, a warning says why
 * once per JVM, and the run summary's {@code devices} records it.
 */
public final class TaskDevice {

    private static final Logger LOG = LoggerFactory.getLogger(TaskDevice.class);

    /** Spark's resource name for GPUs. */
    public static final String GPU = "gpu";

    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static volatile int engineGpus = -1;

    private TaskDevice() {}

    /**
     * One resolution.
     *
     * @param taskGpus the task's {@code gpu} addresses (empty when it holds none)
     * @param chosen the device the rule picked before the engine was asked: {@code cpu} or {@code
     *     gpu:N}
     * @param device the device the model runs on: {@code chosen}, or {@code cpu} after a fallback
     * @param fallback why {@code chosen} could not be used (null when it is used)
     */
    public record Choice(List<String> taskGpus, Device chosen, Device device, String fallback) {

        /** Copies the addresses. */
        public Choice {
            taskGpus = List.copyOf(taskGpus);
        }
    }

    /**
     * The rule, as a pure function.
     *
     * @param requested the configured device
     * @param taskGpus the task's {@code gpu} addresses, in Spark's order (empty: none)
     * @param engineGpus the CUDA GPUs the PyTorch engine sees (0 with the CPU natives)
     * @return the choice
     * @throws BundleException ({@link Reason#SCORING_FAILED}) if a GPU must be taken from the
     *     task's addresses and the first is not a CUDA device index
     */
    public static Choice decide(Device requested, List<String> taskGpus, int engineGpus) {
        Device chosen;
        String from;
        switch (requested.kind()) {
            case CPU -> {
                return new Choice(taskGpus, Device.CPU, Device.CPU, null);
            }
            case GPU -> {
                chosen = requested;
                from = "configured";
            }
            default -> {
                if (taskGpus.isEmpty()) {
                    Device d = engineGpus > 0 ? Device.gpu(0) : Device.CPU;
                    return new Choice(taskGpus, d, d, null);
                }
                chosen = Device.gpu(index(taskGpus.get(0), taskGpus));
                from = "auto, from the task's Spark GPU " + taskGpus;
            }
        }
        if (chosen.gpuIndex() < engineGpus) {
            return new Choice(taskGpus, chosen, chosen, null);
        }
        String why =
                engineGpus == 0
                        ? "the PyTorch engine sees no CUDA GPU (a jar with the CPU natives, built without "
                                + "-Pcuda, or no CUDA device on this host)"
                        : "the PyTorch engine sees only "
                                + engineGpus
                                + " GPU(s) (CUDA_VISIBLE_DEVICES "
                                + "may renumber them)";
        return new Choice(
                taskGpus,
                chosen,
                Device.CPU,
                "device " + chosen + " (" + from + ") was chosen but " + why);
    }

    /** Spark GPU addresses are strings; CUDA wants an index. */
    private static int index(String address, List<String> all) {
        try {
            int i = Integer.parseInt(address.strip());
            if (i >= 0) {
                return i;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new BundleException(
                Reason.SCORING_FAILED,
                "the task's Spark GPU address '"
                        + address
                        + "' (of "
                        + all
                        + ") is not a CUDA device index: the GPU discovery "
                        + "script must print indices, e.g. {\"name\":\"gpu\",\"addresses\":[\"0\",\"1\"]}");
    }

    /**
     * Resolves {@code requested} for the calling thread from a Spark task's {@code gpu} addresses
     * (none on the driver) and the engine's GPU count (asked once per JVM). A fallback is printed
     * to stderr once per JVM.
     *
     * @param requested auto, cpu or gpu:N
     * @param threadsPerTask the engine's intra-op threads (0: its default), set before asking for
     *     the GPU count starts the engine, as {@code Bundle.open} would set them
     * @return the choice
     */
    public static Choice forCurrentTask(String requested, int threadsPerTask) {
        Device want = Device.parse(requested);
        int gpus = 0;
        if (want.kind() != Device.Kind.CPU) {
            if (threadsPerTask > 0) {
                DjlEngine.configureThreads(threadsPerTask, 1); // libtorch fixes inter-op at start
            }
            gpus = engineGpus();
        }
        Choice c = decide(want, taskGpus(), gpus);
        if (c.fallback() != null && WARNED.compareAndSet(false, true)) {
            LOG.warn(
                    "scoring on the CPU: "
                            + c.fallback()
                            + " (said once per JVM; the run summary's \"devices\" lists each open's "
                            + "device)");
        }
        return c;
    }

    /** The task's {@code gpu} addresses; empty outside a task or without GPU scheduling. */
    static List<String> taskGpus() {
        TaskContext ctx = TaskContext.get();
        ResourceInformation gpu = ctx == null ? null : ctx.resourcesJMap().get(GPU);
        return gpu == null ? List.of() : List.of(gpu.addresses());
    }

    private static int engineGpus() {
        int n = engineGpus;
        if (n < 0) {
            n = DjlEngine.gpuCount(); // the device count does not change while the JVM runs
            engineGpus = n;
        }
        return n;
    }
}
