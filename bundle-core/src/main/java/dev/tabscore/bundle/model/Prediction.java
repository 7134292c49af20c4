package dev.tabscore.bundle.model;

/**
 * The outputs of one batch, row-major: {@code raw} holds the network's outputs (logits, or the
 * regression value), {@code head} the same after the {@link OutputHead} (probabilities; for
 * identity the very same array as {@code raw}), both {@code rows x outputDim} float32. For a
 * softmax head, {@code argmax} holds each row's class index (the first maximal probability, as
 * {@code torch.argmax}).
 *
 * <p>Each call to {@link ModelPredictor#predict} returns a new Prediction whose arrays belong to
 * it; they are handed out without copying, so the caller owns them and may keep them.
 */
public final class Prediction {

    private final int rows;
    private final int outputDim;
    private final OutputHead outputHead;
    private final float[] raw;
    private final float[] head;
    private final int[] argmax;

    /**
     * Creates a prediction; the arrays are taken, not copied.
     *
     * @param rows the number of rows
     * @param outputDim the outputs per row
     * @param outputHead the head that produced {@code head}
     * @param raw the raw outputs, {@code rows * outputDim}
     * @param head the head outputs, {@code rows * outputDim}
     * @param argmax one class index per row for {@link OutputHead#SOFTMAX}, else null
     * @throws IllegalArgumentException if a length does not match
     */
    public Prediction(
            int rows,
            int outputDim,
            OutputHead outputHead,
            float[] raw,
            float[] head,
            int[] argmax) {
        long cells = (long) rows * outputDim;
        if (rows < 0
                || outputDim <= 0
                || raw.length != cells
                || head.length != cells
                || (outputHead == OutputHead.SOFTMAX) != (argmax != null)
                || (argmax != null && argmax.length != rows)) {
            throw new IllegalArgumentException(
                    "prediction of "
                            + rows
                            + " x "
                            + outputDim
                            + " ("
                            + outputHead
                            + ") got raw "
                            + raw.length
                            + ", head "
                            + head.length
                            + ", argmax "
                            + (argmax == null ? "none" : argmax.length));
        }
        this.rows = rows;
        this.outputDim = outputDim;
        this.outputHead = outputHead;
        this.raw = raw;
        this.head = head;
        this.argmax = argmax;
    }

    /**
     * Returns the number of rows.
     *
     * @return the row count
     */
    public int rows() {
        return rows;
    }

    /**
     * Returns the number of outputs per row.
     *
     * @return the output dimension
     */
    public int outputDim() {
        return outputDim;
    }

    /**
     * Returns the head that produced {@link #head()}.
     *
     * @return the output head
     */
    public OutputHead outputHead() {
        return outputHead;
    }

    /**
     * Returns the raw outputs (logits), row-major; not a copy.
     *
     * @return {@code rows * outputDim} values
     */
    public float[] raw() {
        return raw;
    }

    /**
     * Returns the head outputs (probabilities, or the raw values for identity), row-major; not a
     * copy.
     *
     * @return {@code rows * outputDim} values
     */
    public float[] head() {
        return head;
    }

    /**
     * Returns each row's class index for a softmax head; not a copy.
     *
     * @return {@code rows} indices, or null unless the head is {@link OutputHead#SOFTMAX}
     */
    public int[] argmax() {
        return argmax;
    }

    /**
     * Returns one raw output.
     *
     * @param row the 0-based row
     * @param output the 0-based output
     * @return the raw value
     */
    public float raw(int row, int output) {
        return raw[row * outputDim + output];
    }

    /**
     * Returns one head output.
     *
     * @param row the 0-based row
     * @param output the 0-based output
     * @return the head value
     */
    public float head(int row, int output) {
        return head[row * outputDim + output];
    }
}
