package dev.tabscore.bundle.model.djl;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.model.Device;
import dev.tabscore.bundle.model.ModelPredictor;
import dev.tabscore.bundle.model.ModelSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs {@code model.torchscript.pt} (a {@code torch.jit.trace} of the Sequential in eval mode) on
 * libtorch through DJL.
 *
 * <pre>{@code
 * ModelSpec spec = ModelSpec.fromJson(metadata.get("model"));
 * try (ModelRunner runner = TorchScriptRunner.load(bytes, "model.torchscript.pt", spec, Device.AUTO);
 *         ModelPredictor predictor = runner.newPredictor()) {
 *     Prediction p = predictor.predict(features, rows);
 * }
 * }</pre>
 *
 * <p>The bytes are loaded from memory ({@code PtModel.load(InputStream)}, libtorch's stream
 * reader), so the model never lands in a file; DJL's empty scratch directory for that call is
 * removed at once. Tensors are mapped onto the chosen device. The load runs one row of the spec's
 * input width through the model and fails with {@link Reason#MODEL_INVALID} if the model expects
 * another width or returns another output shape. Thread-safe; one {@link ModelPredictor} per
 * thread.
 *
 * <p>Unless {@value #GRAPH_OPTIMIZER} is set, each forward pass turns libtorch's graph-executor
 * optimisation off for the calling thread (a thread-local flag): its profiling runs re-specialise
 * the graph for new batch shapes and made batch-1 calls three times slower here, while the traced
 * MLP (linear and relu kernels) gains nothing from it. Outputs are the same either way.
 */
public final class TorchScriptRunner extends LoadedRunner {

    /** DJL's system property for libtorch's graph-executor optimisation; set, it wins. */
    public static final String GRAPH_OPTIMIZER = "ai.djl.pytorch.graph_optimizer";

    private final boolean optimizerLeftToDjl = System.getProperty(GRAPH_OPTIMIZER) != null;
    private final Model model;
    private final Block block;

    private TorchScriptRunner(Model model, ModelSpec spec, Device device, String artifact) {
        super(spec, device, artifact);
        this.model = model;
        this.block = model.getBlock();
    }

    /**
     * Loads a TorchScript model and checks it against the spec.
     *
     * @param torchscript the whole {@code .pt} file (read, not kept)
     * @param artifact the artifact name for messages
     * @param spec the expected input width, output dim and head (layers are not needed)
     * @param device where to run; {@code auto} picks GPU 0 when the engine sees one
     * @return the runner
     * @throws BundleFormatException ({@link Reason#MODEL_INVALID}) if libtorch cannot load the
     *     file, or the model does not take the spec's width or give its output dim
     */
    public static TorchScriptRunner load(
            byte[] torchscript, String artifact, ModelSpec spec, Device device) {
        Device resolved = DjlEngine.resolve(device);
        DjlEngine.engine();
        Model model = Model.newInstance(artifact, DjlEngine.toDjl(resolved), DjlEngine.ENGINE_NAME);
        try {
            model.load(new ByteArrayInputStream(torchscript), Map.of("mapLocation", "true"));
            removeScratchDirectory(model.getModelPath());
            TorchScriptRunner runner = new TorchScriptRunner(model, spec, resolved, artifact);
            LoadCheck.run(model.getNDManager(), runner::forward, spec, artifact);
            return runner;
        } catch (IOException | MalformedModelException | EngineException e) {
            model.close();
            throw new BundleFormatException(
                    Reason.MODEL_INVALID,
                    artifact + " is not a TorchScript model libtorch can load: " + e.getMessage(),
                    e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** PtModel.load(InputStream) makes an empty temp directory it never uses. */
    private static void removeScratchDirectory(Path directory) {
        try {
            if (directory != null
                    && Files.isDirectory(directory)
                    && directory.getFileName().toString().startsWith("pt-model")) {
                try (var entries = Files.list(directory)) {
                    if (entries.findAny().isEmpty()) {
                        Files.delete(directory);
                    }
                }
            }
        } catch (IOException e) {
            // Only an empty scratch directory is left behind; DJL deletes it at exit.
        }
    }

    private NDArray forward(NDArray input) {
        if (!optimizerLeftToDjl) {
            JniUtils.setGraphExecutorOptimize(false);
        }
        NDManager manager = input.getManager();
        NDList out = block.forward(new ParameterStore(manager, false), new NDList(input), false);
        if (out.size() != 1) {
            throw new BundleException(
                    Reason.MODEL_INVALID,
                    artifact
                            + " returned "
                            + out.size()
                            + " tensors; a single [rows x outputDim] tensor is expected");
        }
        return out.singletonOrThrow();
    }

    /** {@inheritDoc} */
    @Override
    protected ModelPredictor openPredictor() {
        return new DjlPredictor(
                model.getNDManager(), this::forward, spec, "TorchScript " + artifact);
    }

    /** {@inheritDoc} */
    @Override
    protected void release() {
        model.close();
    }

    /**
     * Returns the artifact and device, for logs.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return "TorchScriptRunner[" + artifact + " on " + device + "]";
    }
}
