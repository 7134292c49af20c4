package dev.tabscore.bundle.model.djl;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.model.ModelPredictor;
import dev.tabscore.bundle.model.ModelSpec;
import dev.tabscore.bundle.model.OutputHead;
import dev.tabscore.bundle.model.Prediction;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The predictor of both runners: a sub-manager of the model's manager for this thread, and a child
 * manager per batch, closed by try-with-resources so the batch's tensors die with the call.
 *
 * <p>The batch is staged in one direct buffer per predictor, reused from batch to batch: on the CPU
 * libtorch's input tensor is a view of that buffer ({@code from_blob}), so a fresh direct buffer
 * per batch (what DJL does for a heap array) cost a zeroed allocation and a later GC clean-up per
 * call. The buffer is only rewritten by the next call, after this call's tensors are closed and its
 * outputs copied out.
 */
final class DjlPredictor implements ModelPredictor {

    private final NDManager manager;
    private final Network network;
    private final ModelSpec spec;
    private final String what;
    private ByteBuffer staging = ByteBuffer.allocateDirect(0);

    DjlPredictor(NDManager modelManager, Network network, ModelSpec spec, String what) {
        this.manager = modelManager.newSubManager();
        this.network = network;
        this.spec = spec;
        this.what = what;
    }

    /** {@inheritDoc} */
    @Override
    public Prediction predict(float[] rowMajor, int rows) {
        int width = spec.inputWidth();
        long cells = (long) rows * width;
        if (rows < 0 || cells > rowMajor.length) {
            throw new IllegalArgumentException(
                    what
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
            return empty();
        }
        try (NDManager batch = manager.newSubManager()) {
            // The whole batch is one tensor on the model's device: one host-to-device copy per
            // batch (the floats go into the staging buffer, libtorch moves that to the
            // device), never one per row. The outputs come back in one copy (Heads).
            NDArray input =
                    batch.create(
                            stage(rowMajor, (int) cells), new Shape(rows, width), DataType.FLOAT32);
            return Heads.predict(network.forward(input), rows, spec, what);
        } catch (EngineException e) {
            throw new BundleException(
                    Reason.SCORING_FAILED,
                    what + " failed on a batch of " + rows + " rows: " + e.getMessage(),
                    e);
        }
    }

    /** Copies the batch into the staging buffer, grown to the largest batch seen. */
    private ByteBuffer stage(float[] rowMajor, int cells) {
        int bytes = Math.multiplyExact(cells, Float.BYTES);
        if (staging.capacity() < bytes) {
            staging = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        staging.clear();
        staging.asFloatBuffer().put(rowMajor, 0, cells);
        staging.limit(bytes);
        return staging;
    }

    private Prediction empty() {
        float[] none = new float[0];
        return new Prediction(
                0,
                spec.outputDim(),
                spec.head(),
                none,
                none,
                spec.head() == OutputHead.SOFTMAX ? new int[0] : null);
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        manager.close();
    }
}
