package dev.tabscore.bundle.model.djl;

import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.model.Device;

/**
 * DJL's ONNX Runtime engine, started only when an ONNX model loads (DJL itself instantiates an
 * engine only when it is asked for by name or as the default, and tabscore always names one), so a
 * bundle scored through libtorch never loads {@code libonnxruntime}, and (see {@link
 * #DISABLE_ALTERNATIVE}) an ONNX model never loads libtorch. The CPU runtime comes from {@code
 * com.microsoft.onnxruntime:onnxruntime}; a {@code -Pcuda} build ships {@code onnxruntime_gpu},
 * whose CUDA execution provider a GPU device uses.
 */
public final class OnnxEngine {

    /** DJL's engine name. */
    public static final String ENGINE_NAME = "OnnxRuntime";

    /**
     * DJL's switch for the ONNX engine's "alternative engine": unless set, every ONNX Runtime
     * NDManager starts the PyTorch engine for the tensor operations ONNX Runtime lacks. tabscore
     * needs none of them (inputs in, outputs out, heads in Java), so it is set to {@code true}
     * unless the JVM already sets it, and an ONNX-only run never loads libtorch.
     */
    public static final String DISABLE_ALTERNATIVE = "ai.djl.onnx.disable_alternative";

    private static volatile Engine started;

    private OnnxEngine() {}

    /** Starts the engine once; a failure is the machine's (no native library), retryable. */
    static Engine engine() {
        Engine engine = started;
        if (engine == null) {
            synchronized (OnnxEngine.class) {
                if (started == null) {
                    if (System.getProperty(DISABLE_ALTERNATIVE) == null) {
                        System.setProperty(DISABLE_ALTERNATIVE, "true");
                    }
                    try {
                        started = Engine.getEngine(ENGINE_NAME);
                    } catch (RuntimeException | UnsatisfiedLinkError e) {
                        throw new BundleException(
                                Reason.NATIVE_LIBRARY,
                                "the DJL ONNX Runtime "
                                        + "engine did not start; it needs ai.djl.onnxruntime:"
                                        + "onnxruntime-engine and com.microsoft.onnxruntime:onnxruntime "
                                        + "(onnxruntime_gpu with -Pcuda) on the class path: "
                                        + e.getMessage(),
                                e);
                    }
                }
                engine = started;
            }
        }
        return engine;
    }

    /**
     * Resolves a device for ONNX Runtime: {@code auto} is GPU 0 when the runtime has the CUDA
     * execution provider (an onnxruntime_gpu build), else the CPU.
     *
     * @param requested the configured device
     * @return {@code cpu} or {@code gpu:N}
     * @throws BundleException ({@link Reason#MODEL_INVALID}) if a GPU is requested and the runtime
     *     has no CUDA execution provider
     */
    static Device resolve(Device requested) {
        engine();
        boolean cuda = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        return switch (requested.kind()) {
            case CPU -> Device.CPU;
            case AUTO -> cuda ? Device.gpu(0) : Device.CPU;
            case GPU -> {
                if (!cuda) {
                    throw new BundleException(
                            Reason.MODEL_INVALID,
                            "device "
                                    + requested
                                    + " was requested, but this ONNX Runtime has no CUDA execution "
                                    + "provider (build with -Pcuda for onnxruntime_gpu)");
                }
                yield requested;
            }
        };
    }
}
