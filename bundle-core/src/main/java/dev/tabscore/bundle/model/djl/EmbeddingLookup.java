package dev.tabscore.bundle.model.djl;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.model.EmbeddingSpec;
import dev.tabscore.bundle.model.ModelRefusalException;
import dev.tabscore.bundle.torch.DType;
import dev.tabscore.bundle.torch.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The embeddings of {@link EmbeddingSpec}: per row, each table's row for its feature's code, then
 * the numeric features, concatenated in plain Java. A lookup and a concatenation copy float32
 * values, so this is exactly what torch's {@code nn.Embedding} and {@code torch.cat} give; the
 * layers after it run on libtorch ({@link StateDictRunner}).
 *
 * <p>A code is the float32 feature truncated toward zero, as torch's {@code .long()} casts it (so
 * -0.5 and 2.9 look up rows 0 and 2, as in torch). Where torch's {@code nn.Embedding} raises {@code
 * IndexError: index out of range in self} for the whole batch, NaN (which torch casts to int64's
 * minimum) or a truncated code outside {@code [0, num_embeddings)} (infinities included), this
 * refuses the row: a {@link ModelRefusalException} ({@link Reason#INPUT_VALUE}) naming the feature,
 * the batch row and the value, which the quality gate turns into a rejected row.
 */
final class EmbeddingLookup {

    private final EmbeddingSpec spec;
    private final float[][] tables;
    private final int[] numeric;
    private final int width;

    private EmbeddingLookup(EmbeddingSpec spec, float[][] tables) {
        this.spec = spec;
        this.tables = tables;
        this.numeric = spec.numericFeatures().stream().mapToInt(Integer::intValue).toArray();
        this.width = spec.width();
    }

    /**
     * Takes the tables out of a state_dict and returns the layers' part of it.
     *
     * @param stateDict every tensor of {@code model_state.pt}
     * @param spec the embeddings
     * @param artifact the artifact name for messages
     * @param layers receives the layers' tensors, keyed without the {@code mlp.} prefix
     * @return the lookup
     * @throws BundleFormatException ({@link Reason#MODEL_INVALID}) for a missing table, a table of
     *     the wrong shape or not float32, or a key that is neither a table nor under {@code mlp.}
     */
    static EmbeddingLookup take(
            Map<String, Tensor> stateDict,
            EmbeddingSpec spec,
            String artifact,
            Map<String, Tensor> layers) {
        Map<String, Tensor> rest = new LinkedHashMap<>(stateDict);
        float[][] tables = new float[spec.tables().size()][];
        for (int j = 0; j < tables.length; j++) {
            EmbeddingSpec.Table t = spec.tables().get(j);
            String key = spec.key(j);
            Tensor tensor = rest.remove(key);
            long[] expected = {t.numEmbeddings(), t.dim()};
            if (tensor == null) {
                throw invalid(
                        artifact,
                        "state_dict key '"
                                + key
                                + "' is missing; model.embeddings "
                                + "needs it with shape "
                                + Arrays.toString(expected)
                                + " (keys present: "
                                + stateDict.keySet()
                                + ")");
            }
            if (!Arrays.equals(tensor.shape(), expected)) {
                throw invalid(
                        artifact,
                        "state_dict key '"
                                + key
                                + "' has shape "
                                + Arrays.toString(tensor.shape())
                                + "; model.embeddings.tables["
                                + j
                                + "] needs "
                                + Arrays.toString(expected));
            }
            if (tensor.dtype() != DType.FLOAT32) {
                throw invalid(
                        artifact,
                        "state_dict key '"
                                + key
                                + "' has dtype "
                                + tensor.dtype()
                                + "; the embeddings path runs float32 weights");
            }
            tables[j] = tensor.toFloats();
        }
        for (Map.Entry<String, Tensor> e : rest.entrySet()) {
            if (!e.getKey().startsWith(EmbeddingSpec.MLP_PREFIX)) {
                throw invalid(
                        artifact,
                        "state_dict key '"
                                + e.getKey()
                                + "' belongs to neither "
                                + "an embedding table ("
                                + tables.length
                                + " tables, 'embeddings.<j or "
                                + "name>.weight') nor the layers ('mlp.<index>.<name>')");
            }
            if (e.getValue().dtype() == DType.FLOAT64) {
                throw invalid(
                        artifact,
                        "state_dict key '"
                                + e.getKey()
                                + "' is float64; the "
                                + "embeddings path runs float32 weights");
            }
            String key = e.getKey().substring(EmbeddingSpec.MLP_PREFIX.length());
            layers.put(key, e.getValue().renamed(key));
        }
        return new EmbeddingLookup(spec, tables);
    }

    /**
     * Returns the width of the rows {@link #expand} gives.
     *
     * @return the embedding dims plus the numeric features
     */
    int width() {
        return width;
    }

    /**
     * Looks up and concatenates a batch.
     *
     * @param rowMajor the features, {@code rows x inputWidth} row-major
     * @param rows the rows
     * @param inputWidth the features per row
     * @return {@code rows x width()} row-major
     * @throws ModelRefusalException for the first row whose code torch cannot look up, naming the
     *     feature, row and value
     */
    float[] expand(float[] rowMajor, int rows, int inputWidth) {
        float[] out = new float[Math.multiplyExact(rows, width)];
        for (int r = 0; r < rows; r++) {
            int from = r * inputWidth;
            int at = r * width;
            for (int j = 0; j < tables.length; j++) {
                EmbeddingSpec.Table t = spec.tables().get(j);
                int code = code(rowMajor[from + t.feature()], t, j, r);
                System.arraycopy(tables[j], code * t.dim(), out, at, t.dim());
                at += t.dim();
            }
            for (int f : numeric) {
                out[at++] = rowMajor[from + f];
            }
        }
        return out;
    }

    private int code(float value, EmbeddingSpec.Table t, int j, int row) {
        // (long) truncates toward zero like torch's cast; Java gives 0 for NaN, torch int64's
        // minimum, hence the explicit check.
        long code = (long) value;
        if (Float.isNaN(value) || code < 0 || code >= t.numEmbeddings()) {
            String feature = spec.featureName(t.feature());
            throw new ModelRefusalException(
                    feature,
                    row,
                    "feature '"
                            + feature
                            + "' is "
                            + value
                            + ", not a code of embedding "
                            + j
                            + " (rows 0 to "
                            + (t.numEmbeddings() - 1)
                            + ", the float truncated toward zero): torch's "
                            + "nn.Embedding raises 'index out of range' on it");
        }
        return (int) code;
    }

    private static BundleFormatException invalid(String artifact, String message) {
        return new BundleFormatException(Reason.MODEL_INVALID, artifact + ": " + message);
    }
}
