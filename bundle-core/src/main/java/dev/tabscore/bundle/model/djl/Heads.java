package dev.tabscore.bundle.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.model.ModelSpec;
import dev.tabscore.bundle.model.OutputHead;
import dev.tabscore.bundle.model.Prediction;
import java.util.Arrays;

/**
 * Applies the output head with libtorch's own kernels ({@code torch.sigmoid}, {@code
 * torch.softmax(dim=1)}), so probabilities round as PyTorch's do, on the model's device, and copies
 * the results out in one transfer per batch.
 */
final class Heads {

    private Heads() {}

    /**
     * Checks the raw output's shape, applies the head and returns the prediction.
     *
     * @param raw the network output, expected [rows x outputDim]
     * @param rows the batch rows
     * @param spec the model spec
     * @param what the runner, for messages
     */
    static Prediction predict(NDArray raw, int rows, ModelSpec spec, String what) {
        Shape expected = new Shape(rows, spec.outputDim());
        if (!raw.getShape().equals(expected)) {
            throw new BundleException(
                    Reason.MODEL_INVALID,
                    what
                            + " returned shape "
                            + raw.getShape()
                            + " for "
                            + rows
                            + " rows; the spec expects "
                            + expected);
        }
        NDArray logits =
                raw.getDataType() == DataType.FLOAT32 ? raw : raw.toType(DataType.FLOAT32, false);
        int cells = rows * spec.outputDim();
        return switch (spec.head()) {
            case SIGMOID -> {
                float[][] out = copyOut(logits, Activation.sigmoid(logits), cells);
                yield new Prediction(
                        rows, spec.outputDim(), OutputHead.SIGMOID, out[0], out[1], null);
            }
            case SOFTMAX -> {
                float[][] out = copyOut(logits, logits.softmax(1), cells);
                yield new Prediction(
                        rows,
                        spec.outputDim(),
                        OutputHead.SOFTMAX,
                        out[0],
                        out[1],
                        argmax(out[1], rows, spec.outputDim()));
            }
            case IDENTITY -> {
                float[] out = logits.toFloatArray();
                yield new Prediction(rows, spec.outputDim(), OutputHead.IDENTITY, out, out, null);
            }
        };
    }

    /**
     * The raw and head outputs in one device-to-host copy: each {@code toFloatArray} is a copy (a
     * synchronous one from a GPU), so the two [rows x dim] tensors are stacked on the model's
     * device and split here. Same floats as two copies.
     */
    private static float[][] copyOut(NDArray raw, NDArray head, int cells) {
        float[] both = raw.concat(head, 0).toFloatArray();
        return new float[][] {
            Arrays.copyOfRange(both, 0, cells), Arrays.copyOfRange(both, cells, 2 * cells)
        };
    }

    /** The first maximal value per row, NaN counting as maximal, as {@code torch.argmax}. */
    static int[] argmax(float[] values, int rows, int columns) {
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            int base = r * columns;
            int best = 0;
            for (int c = 1; c < columns && !Float.isNaN(values[base + best]); c++) {
                float v = values[base + c];
                if (Float.isNaN(v) || v > values[base + best]) {
                    best = c;
                }
            }
            out[r] = best;
        }
        return out;
    }
}
