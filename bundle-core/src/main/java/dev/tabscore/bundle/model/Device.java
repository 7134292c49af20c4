package dev.tabscore.bundle.model;

/**
 * Where a model runs, as configured: {@code auto} (a GPU when the engine sees one, else the CPU),
 * {@code cpu}, or {@code gpu:N}. A runner reports the device it resolved to, never {@code auto}.
 *
 * @param kind auto, cpu or gpu
 * @param gpuIndex the GPU index for {@link Kind#GPU}, else -1
 */
public record Device(Kind kind, int gpuIndex) {

    /** Let the engine choose: GPU 0 when it sees a GPU, else the CPU. */
    public static final Device AUTO = new Device(Kind.AUTO, -1);

    /** The CPU. */
    public static final Device CPU = new Device(Kind.CPU, -1);

    /** The kind of device. */
    public enum Kind {
        /** Resolved when the model loads. */
        AUTO,
        /** The CPU. */
        CPU,
        /** A CUDA GPU. */
        GPU
    }

    /**
     * Checks the index.
     *
     * @throws IllegalArgumentException if a GPU has a negative index, or another kind an index
     */
    public Device {
        if (kind == null || (kind == Kind.GPU ? gpuIndex < 0 : gpuIndex != -1)) {
            throw new IllegalArgumentException("bad device: " + kind + " index " + gpuIndex);
        }
    }

    /**
     * Returns GPU {@code index}.
     *
     * @param index the CUDA device index, 0 or more
     * @return the device
     */
    public static Device gpu(int index) {
        return new Device(Kind.GPU, index);
    }

    /**
     * Parses {@code auto}, {@code cpu}, {@code gpu} (GPU 0) or {@code gpu:N}, in any case.
     *
     * @param text the text
     * @return the device
     * @throws IllegalArgumentException naming the text if it is none of these
     */
    public static Device parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT);
        if (value.equals("auto")) {
            return AUTO;
        }
        if (value.equals("cpu")) {
            return CPU;
        }
        if (value.equals("gpu")) {
            return gpu(0);
        }
        if (value.matches("gpu:[0-9]{1,4}")) {
            return gpu(Integer.parseInt(value.substring(4)));
        }
        throw new IllegalArgumentException(
                "device '" + text + "' is not one of auto, cpu, gpu, gpu:N");
    }

    /**
     * Returns the form {@link #parse} reads: {@code auto}, {@code cpu} or {@code gpu:N}.
     *
     * @return the text
     */
    @Override
    public String toString() {
        return kind == Kind.GPU
                ? "gpu:" + gpuIndex
                : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
