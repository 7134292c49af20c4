package dev.tabscore.bundle.model;

/**
 * The output heads in plain Java, for runners whose engine has no tensor operations of its own
 * (ONNX Runtime runs the graph only; libtorch would have to start just for a sigmoid). Computed in
 * double and rounded to float32 once; they agree with torch's float32 kernels within a few ulps
 * ({@code HeadFunctionsTest}), far inside the golden output tolerance.
 */
public final class HeadFunctions {

    private HeadFunctions() {}

    /**
     * Applies a head to row-major raw outputs.
     *
     * @param head the head
     * @param raw rows x outputDim raw outputs
     * @param rows the rows
     * @param outputDim the outputs per row
     * @return the head outputs (the same array for {@link OutputHead#IDENTITY})
     */
    public static float[] apply(OutputHead head, float[] raw, int rows, int outputDim) {
        return switch (head) {
            case IDENTITY -> raw;
            case SIGMOID -> sigmoid(raw);
            case SOFTMAX -> softmax(raw, rows, outputDim);
        };
    }

    private static float[] sigmoid(float[] raw) {
        float[] out = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = (float) (1.0 / (1.0 + Math.exp(-(double) raw[i])));
        }
        return out;
    }

    /** Softmax over each row, shifted by the row's maximum as torch does. */
    private static float[] softmax(float[] raw, int rows, int columns) {
        float[] out = new float[raw.length];
        for (int r = 0; r < rows; r++) {
            int base = r * columns;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < columns; c++) {
                max = Math.max(max, raw[base + c]);
            }
            double sum = 0;
            double[] e = new double[columns];
            for (int c = 0; c < columns; c++) {
                e[c] = Math.exp(raw[base + c] - max);
                sum += e[c];
            }
            for (int c = 0; c < columns; c++) {
                out[base + c] = (float) (e[c] / sum);
            }
        }
        return out;
    }
}
