package dev.tabscore.bundle.model.djl;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.model.Device;
import dev.tabscore.bundle.model.HeadFunctions;
import dev.tabscore.bundle.model.ModelPredictor;
import dev.tabscore.bundle.model.ModelSpec;
import dev.tabscore.bundle.model.OutputHead;
import dev.tabscore.bundle.model.Prediction;
import dev.tabscore.bundle.onnx.OnnxGraph;
import dev.tabscore.bundle.onnx.OnnxGraphCheck;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs {@code model.onnx} on ONNX Runtime through DJL's OnnxRuntime engine, after {@link
 * OnnxGraphCheck} has allowed the graph (standard operators only, no external data, the manifest's
 * shapes).
 *
 * <pre>{@code
 * try (ModelRunner runner = OnnxRunner.load(bytes, "model.onnx", spec, Device.CPU)) { ... }
 * }</pre>
 *
 * <p>The bytes go to ONNX Runtime from memory ({@code OrtModel.load(InputStream)}); DJL's empty
 * scratch directory for that call is removed at once. No session option that loads code is ever
 * passed (no {@code customOpLibrary}). The intra-op thread count follows {@link
 * DjlEngine#INTRA_OP_THREADS} when set. The heads are computed in Java ({@link HeadFunctions}), so
 * this path never starts libtorch. The load runs one row of zeros and checks the output shape.
 * Thread-safe (an ONNX Runtime session is); one {@link ModelPredictor} per thread.
 */
public final class OnnxRunner extends LoadedRunner {

    private final Model model;
    private final Block block;
    private final OnnxGraph graph;

    private OnnxRunner(
            Model model, OnnxGraph graph, ModelSpec spec, Device device, String artifact) {
        super(spec, device, artifact);
        this.model = model;
        this.block = model.getBlock();
        this.graph = graph;
    }

    /**
     * Checks the graph against the allow-list, then loads it.
     *
     * @param onnx the whole {@code .onnx} file (read, not kept)
     * @param artifact the artifact name for messages
     * @param spec the expected input width, output dim and head
     * @param device where to run; {@code auto} picks GPU 0 when the runtime has CUDA
     * @return the runner
     * @throws BundleFormatException ({@link Reason#ONNX_MALFORMED}, {@link Reason#ONNX_REFUSED},
     *     {@link Reason#MODEL_INVALID}) naming what is wrong
     */
    public static OnnxRunner load(byte[] onnx, String artifact, ModelSpec spec, Device device) {
        OnnxGraph graph = OnnxGraphCheck.check(onnx, artifact, spec);
        Device resolved = OnnxEngine.resolve(device);
        Model model =
                Model.newInstance(artifact, DjlEngine.toDjl(resolved), OnnxEngine.ENGINE_NAME);
        try {
            model.load(new ByteArrayInputStream(onnx), sessionOptions());
            removeScratchDirectory(model.getModelPath());
            OnnxRunner runner = new OnnxRunner(model, graph, spec, resolved, artifact);
            runner.loadCheck();
            return runner;
        } catch (IOException | MalformedModelException | EngineException e) {
            model.close();
            throw new BundleFormatException(
                    Reason.MODEL_INVALID,
                    artifact + " is not an ONNX model ONNX Runtime can load: " + e.getMessage(),
                    e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static Map<String, String> sessionOptions() {
        Map<String, String> options = new HashMap<>();
        String threads = System.getProperty(DjlEngine.INTRA_OP_THREADS);
        if (threads != null) {
            options.put("intraOpNumThreads", threads);
            options.put("interOpNumThreads", "1");
        }
        return options;
    }

    private void loadCheck() {
        try (ModelPredictor predictor = newPredictor()) {
            predictor.predict(new float[spec.inputWidth()], 1);
        } catch (BundleException e) {
            throw new BundleFormatException(
                    Reason.MODEL_INVALID,
                    artifact
                            + " failed on one row "
                            + "of zeros of width "
                            + spec.inputWidth()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** OrtModel.load(InputStream) makes a temp directory it never uses. */
    private static void removeScratchDirectory(Path directory) {
        try {
            if (directory != null && Files.isDirectory(directory)) {
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

    /**
     * Returns what the allow-list found in the graph.
     *
     * @return the graph summary
     */
    public OnnxGraph graph() {
        return graph;
    }

    /** {@inheritDoc} */
    @Override
    protected ModelPredictor openPredictor() {
        return new Predictor(model.getNDManager().newSubManager());
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
        return "OnnxRunner[" + artifact + " on " + device + "]";
    }

    /** One thread's predictor: a child manager per batch, so its tensors die with the call. */
    private final class Predictor implements ModelPredictor {
        private final NDManager manager;

        Predictor(NDManager manager) {
            this.manager = manager;
        }

        @Override
        public Prediction predict(float[] rowMajor, int rows) {
            int width = spec.inputWidth();
            int dim = spec.outputDim();
            long cells = (long) rows * width;
            if (rows < 0 || cells > rowMajor.length) {
                throw new IllegalArgumentException(
                        artifact
                                + ": a batch of "
                                + rows
                                + " rows x "
                                + width
                                + " features needs "
                                + cells
                                + " values, got "
                                + rowMajor.length);
            }
            if (rows == 0) {
                return new Prediction(
                        0,
                        dim,
                        spec.head(),
                        new float[0],
                        new float[0],
                        spec.head() == OutputHead.SOFTMAX ? new int[0] : null);
            }
            float[] raw;
            try (NDManager batch = manager.newSubManager()) {
                NDArray input =
                        batch.create(
                                FloatBuffer.wrap(rowMajor, 0, (int) cells), new Shape(rows, width));
                input.setName(graph.input());
                NDList out =
                        block.forward(new ParameterStore(batch, false), new NDList(input), false);
                NDArray logits = out.get(0);
                if (out.size() != 1 || !logits.getShape().equals(new Shape(rows, dim))) {
                    throw new BundleException(
                            Reason.MODEL_INVALID,
                            "ONNX "
                                    + artifact
                                    + " returned "
                                    + out.size()
                                    + " tensors, the first of shape "
                                    + logits.getShape()
                                    + " for "
                                    + rows
                                    + " rows; the spec expects ("
                                    + rows
                                    + ", "
                                    + dim
                                    + ")");
                }
                raw = logits.toFloatArray();
            } catch (EngineException e) {
                throw new BundleException(
                        Reason.SCORING_FAILED,
                        "ONNX "
                                + artifact
                                + " failed on a batch of "
                                + rows
                                + " rows: "
                                + e.getMessage(),
                        e);
            }
            float[] head = HeadFunctions.apply(spec.head(), raw, rows, dim);
            return new Prediction(
                    rows,
                    dim,
                    spec.head(),
                    raw,
                    head,
                    spec.head() == OutputHead.SOFTMAX ? Heads.argmax(head, rows, dim) : null);
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
