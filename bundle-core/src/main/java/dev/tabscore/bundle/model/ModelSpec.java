package dev.tabscore.bundle.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * What a model takes and returns, and (optionally) its layers.
 *
 * <pre>{@code
 * ModelSpec spec = ModelSpec.fromJson(metadata.get("model"));   // seed metadata or manifest
 * spec.inputWidth();   // 11
 * spec.head();         // SIGMOID
 * }</pre>
 *
 * <p>The layers, when present, are checked as a chain: the first Linear takes {@code inputWidth},
 * each Linear takes the previous Linear's output, a BatchNorm1d or LayerNorm normalises the width
 * it sits at, and the last Linear gives {@code outputDim}. With {@link EmbeddingSpec embeddings}
 * the chain starts at their concatenated width instead, and every feature index they read must be
 * below {@code inputWidth}.
 *
 * @param inputWidth the number of float32 features per row
 * @param outputDim the number of raw outputs per row
 * @param head the activation after the network
 * @param layers the {@code nn.Sequential} layers in order (unmodifiable), or null when only a
 *     TorchScript file describes the network
 * @param embeddings the embeddings before the layers, or null for a plain {@code nn.Sequential}
 */
public record ModelSpec(
        int inputWidth,
        int outputDim,
        OutputHead head,
        List<LayerSpec> layers,
        EmbeddingSpec embeddings) {

    /**
     * A spec without embeddings.
     *
     * @param inputWidth the number of float32 features per row
     * @param outputDim the number of raw outputs per row
     * @param head the activation after the network
     * @param layers the layers, or null
     */
    public ModelSpec(int inputWidth, int outputDim, OutputHead head, List<LayerSpec> layers) {
        this(inputWidth, outputDim, head, layers, null);
    }

    /**
     * Checks the widths, the head and the layer chain, and copies the layers.
     *
     * @throws BundleFormatException ({@link Reason#MODEL_INVALID}) naming what does not fit
     */
    public ModelSpec {
        if (inputWidth <= 0 || outputDim <= 0) {
            throw invalid(
                    "input width "
                            + inputWidth
                            + " and output dim "
                            + outputDim
                            + " must be positive");
        }
        if (head == null) {
            throw invalid("the output head is missing");
        }
        if (embeddings != null) {
            if (layers == null) {
                throw invalid("model.embeddings needs model.layers (the network after them)");
            }
            embeddings.checkFeatures(inputWidth);
        }
        if (layers != null) {
            layers = List.copyOf(layers);
            checkChain(
                    embeddings == null ? inputWidth : embeddings.width(),
                    outputDim,
                    layers,
                    embeddings == null
                            ? "the input width"
                            : "the embedding dims plus the numeric features");
        }
    }

    /**
     * Returns the spec of the layers alone: they take the embeddings' concatenated width.
     *
     * @return this spec when there are no embeddings, else the layers' spec
     */
    public ModelSpec layersSpec() {
        return embeddings == null
                ? this
                : new ModelSpec(embeddings.width(), outputDim, head, layers, null);
    }

    /**
     * Returns this spec with the feature names its embeddings name in messages.
     *
     * @param featureNames {@code features.names}
     * @return the spec
     */
    public ModelSpec withFeatureNames(List<String> featureNames) {
        return embeddings == null
                ? this
                : new ModelSpec(
                        inputWidth,
                        outputDim,
                        head,
                        layers,
                        embeddings.withFeatureNames(featureNames));
    }

    private static void checkChain(
            int inputWidth, int outputDim, List<LayerSpec> layers, String from) {
        int width = inputWidth;
        boolean anyLinear = false;
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof LayerSpec.Linear linear) {
                if (linear.in() != width) {
                    throw invalid(
                            "model.layers["
                                    + i
                                    + "] Linear has in_features "
                                    + linear.in()
                                    + ", but "
                                    + from
                                    + " is "
                                    + width);
                }
                width = linear.out();
                from = "model.layers[" + i + "] gives " + width + " and the width";
                anyLinear = true;
            } else if (normWidth(layers.get(i)) > 0 && normWidth(layers.get(i)) != width) {
                throw invalid(
                        "model.layers["
                                + i
                                + "] "
                                + layers.get(i).type()
                                + " normalises "
                                + normWidth(layers.get(i))
                                + " features, but "
                                + from
                                + " is "
                                + width);
            }
        }
        if (!anyLinear) {
            throw invalid("model.layers has no Linear layer");
        }
        if (width != outputDim) {
            throw invalid(
                    "the last Linear layer gives "
                            + width
                            + " outputs, but output_dim is "
                            + outputDim);
        }
    }

    /** The width a normalisation layer takes, or 0 for other layers. */
    private static int normWidth(LayerSpec layer) {
        if (layer instanceof LayerSpec.BatchNorm1d bn) {
            return bn.numFeatures();
        }
        if (layer instanceof LayerSpec.LayerNorm ln) {
            return ln.normalizedShape();
        }
        return 0;
    }

    /**
     * Parses a {@code model} object in either of its two forms.
     *
     * <ul>
     *   <li>Seed metadata: {@code layers}, {@code output_dim}, {@code output_activation} ({@code
     *       sigmoid | softmax(dim=1) | identity}); the input width is the first Linear's {@code
     *       in_features} (or {@code input_dim} if present).
     *   <li>Manifest: {@code input_width}, {@code output_dim}, {@code output_head} ({@code sigmoid
     *       | softmax | identity}), {@code layers} (may be absent or null), {@code embeddings}
     *       (optional, {@link EmbeddingSpec}).
     * </ul>
     *
     * Other fields are ignored. Where both head fields are present they must agree.
     *
     * @param model the {@code model} object
     * @return the spec
     * @throws BundleFormatException ({@link Reason#MODEL_INVALID}) naming the field that is missing
     *     or wrong
     */
    public static ModelSpec fromJson(JsonNode model) {
        if (model == null || !model.isObject()) {
            throw invalid("\"model\" is not a JSON object");
        }
        List<LayerSpec> layers = layers(model.get("layers"));
        OutputHead head = head(model);
        int outputDim = positiveInt(model, "output_dim");
        int inputWidth;
        if (model.hasNonNull("input_width")) {
            inputWidth = positiveInt(model, "input_width");
        } else if (model.hasNonNull("input_dim")) {
            inputWidth = positiveInt(model, "input_dim");
        } else if (layers != null
                && !model.hasNonNull("embeddings")
                && layers.stream().anyMatch(l -> l instanceof LayerSpec.Linear)) {
            inputWidth =
                    layers.stream()
                            .filter(l -> l instanceof LayerSpec.Linear)
                            .map(l -> ((LayerSpec.Linear) l).in())
                            .findFirst()
                            .orElseThrow();
        } else {
            throw invalid(
                    "\"model\" has neither \"input_width\" nor a Linear layer to take it from");
        }
        return new ModelSpec(
                inputWidth,
                outputDim,
                head,
                layers,
                EmbeddingSpec.fromJson(model.get("embeddings")));
    }

    private static List<LayerSpec> layers(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw invalid("model.layers is not an array");
        }
        List<LayerSpec> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(LayerSpec.fromJson(node.get(i), i));
        }
        return out;
    }

    private static OutputHead head(JsonNode model) {
        OutputHead fromManifest =
                model.hasNonNull("output_head")
                        ? OutputHead.parse(text(model, "output_head"))
                        : null;
        OutputHead fromSeed =
                model.hasNonNull("output_activation")
                        ? OutputHead.parse(text(model, "output_activation"))
                        : null;
        if (fromManifest != null && fromSeed != null && fromManifest != fromSeed) {
            throw invalid(
                    "model.output_head '"
                            + model.get("output_head").asText()
                            + "' disagrees with model.output_activation '"
                            + model.get("output_activation").asText()
                            + "'");
        }
        if (fromManifest == null && fromSeed == null) {
            throw invalid("\"model\" has neither \"output_head\" nor \"output_activation\"");
        }
        return fromManifest != null ? fromManifest : fromSeed;
    }

    private static String text(JsonNode model, String field) {
        if (!model.get(field).isTextual()) {
            throw invalid("model." + field + " is not a string");
        }
        return model.get(field).asText();
    }

    private static int positiveInt(JsonNode model, String field) {
        JsonNode value = model.get(field);
        if (value == null
                || !value.isIntegralNumber()
                || !value.canConvertToInt()
                || value.intValue() <= 0) {
            throw invalid("model." + field + " is missing or not a positive integer");
        }
        return value.intValue();
    }

    private static BundleFormatException invalid(String message) {
        return new BundleFormatException(Reason.MODEL_INVALID, "model spec: " + message);
    }
}
