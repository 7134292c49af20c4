package dev.tabscore.bundle.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;

/**
 * One module of a {@code torch.nn.Sequential}, as listed in the bundle's {@code model.layers}:
 * {@code {"type": "Linear", "in_features": 11, "out_features": 64, "bias": true}}, {@code {"type":
 * "ReLU"}}, {@code {"type": "Dropout", "p": 0.1}}, {@code {"type": "BatchNorm1d", "num_features":
 * 64, "eps": 1e-05, "affine": true}} and so on. A layer's position in the list is its Sequential
 * index, which names its state_dict keys ({@code <index>.weight}); layers without parameters occupy
 * an index too. The models run in eval mode, so Dropout is the identity.
 */
public sealed interface LayerSpec {

    /**
     * Returns torch's class name of the layer, e.g. {@code Linear}.
     *
     * @return the type name
     */
    String type();

    /**
     * {@code nn.Linear}: {@code y = x Wᵀ + b} with W of shape [out, in].
     *
     * @param in the input width ({@code in_features})
     * @param out the output width ({@code out_features})
     * @param bias whether the layer has a bias
     */
    record Linear(int in, int out, boolean bias) implements LayerSpec {
        /**
         * Checks the widths.
         *
         * @throws BundleFormatException if a width is not positive
         */
        public Linear {
            if (in <= 0 || out <= 0) {
                throw invalid(
                        "Linear(in_features="
                                + in
                                + ", out_features="
                                + out
                                + ") needs positive widths");
            }
        }

        /** {@inheritDoc} */
        @Override
        public String type() {
            return "Linear";
        }
    }

    /** {@code nn.ReLU}. */
    record ReLU() implements LayerSpec {
        /** {@inheritDoc} */
        @Override
        public String type() {
            return "ReLU";
        }
    }

    /**
     * {@code nn.Dropout}: the identity in eval mode.
     *
     * @param p the drop probability, kept for the record
     */
    record Dropout(double p) implements LayerSpec {
        /**
         * Checks the probability.
         *
         * @throws BundleFormatException if p is outside [0, 1]
         */
        public Dropout {
            if (!(p >= 0 && p <= 1)) {
                throw invalid("Dropout(p=" + p + ") needs 0 <= p <= 1");
            }
        }

        /** {@inheritDoc} */
        @Override
        public String type() {
            return "Dropout";
        }
    }

    /** {@code nn.Sigmoid} inside the network (the output head is separate). */
    record Sigmoid() implements LayerSpec {
        /** {@inheritDoc} */
        @Override
        public String type() {
            return "Sigmoid";
        }
    }

    /** {@code nn.Tanh}. */
    record Tanh() implements LayerSpec {
        /** {@inheritDoc} */
        @Override
        public String type() {
            return "Tanh";
        }
    }

    /**
     * {@code nn.LeakyReLU}.
     *
     * @param slope the negative slope ({@code negative_slope}, torch's default 0.01)
     */
    record LeakyReLU(double slope) implements LayerSpec {
        /**
         * Checks the slope.
         *
         * @throws BundleFormatException if the slope is not finite
         */
        public LeakyReLU {
            if (!Double.isFinite(slope)) {
                throw invalid("LeakyReLU(negative_slope=" + slope + ") needs a finite slope");
            }
        }

        /** {@inheritDoc} */
        @Override
        public String type() {
            return "LeakyReLU";
        }
    }

    /**
     * {@code nn.GELU}.
     *
     * @param tanhApproximation true for {@code approximate='tanh'}, false for the exact erf form
     */
    record GELU(boolean tanhApproximation) implements LayerSpec {
        /** {@inheritDoc} */
        @Override
        public String type() {
            return "GELU";
        }
    }

    /** {@code nn.Identity}. */
    record Identity() implements LayerSpec {
        /** {@inheritDoc} */
        @Override
        public String type() {
            return "Identity";
        }
    }

    /** {@code nn.SiLU}: x · sigmoid(x). */
    record SiLU() implements LayerSpec {
        /** {@inheritDoc} */
        @Override
        public String type() {
            return "SiLU";
        }
    }

    /** {@code nn.Mish}: x · tanh(softplus(x)). */
    record Mish() implements LayerSpec {
        /** {@inheritDoc} */
        @Override
        public String type() {
            return "Mish";
        }
    }

    /**
     * {@code nn.ELU}.
     *
     * @param alpha the negative saturation ({@code alpha}, torch's default 1.0)
     */
    record ELU(double alpha) implements LayerSpec {
        /**
         * Checks alpha.
         *
         * @throws BundleFormatException if alpha is not finite
         */
        public ELU {
            if (!Double.isFinite(alpha)) {
                throw invalid("ELU(alpha=" + alpha + ") needs a finite alpha");
            }
        }

        /** {@inheritDoc} */
        @Override
        public String type() {
            return "ELU";
        }
    }

    /**
     * {@code nn.Softplus}: log(1 + exp(beta x)) / beta, and x where beta x exceeds the threshold.
     *
     * @param beta torch's {@code beta} (default 1)
     * @param threshold torch's {@code threshold} (default 20)
     */
    record Softplus(double beta, double threshold) implements LayerSpec {
        /**
         * Checks the parameters.
         *
         * @throws BundleFormatException if beta is not positive or the threshold not finite
         */
        public Softplus {
            if (!(beta > 0) || !Double.isFinite(beta) || !Double.isFinite(threshold)) {
                throw invalid(
                        "Softplus(beta="
                                + beta
                                + ", threshold="
                                + threshold
                                + ") needs a finite positive beta and a finite threshold");
            }
        }

        /** {@inheritDoc} */
        @Override
        public String type() {
            return "Softplus";
        }
    }

    /**
     * {@code nn.BatchNorm1d} in eval mode: the running statistics, never the batch's. State keys
     * {@code i.running_mean}, {@code i.running_var}, {@code i.num_batches_tracked}, and with {@code
     * affine} {@code i.weight}, {@code i.bias}.
     *
     * @param numFeatures the width it normalises ({@code num_features})
     * @param eps added to the variance
     * @param affine whether it has weight and bias
     */
    record BatchNorm1d(int numFeatures, double eps, boolean affine) implements LayerSpec {
        /**
         * Checks the width and eps.
         *
         * @throws BundleFormatException if the width is not positive or eps not positive
         */
        public BatchNorm1d {
            if (numFeatures <= 0 || !(eps > 0) || !Double.isFinite(eps)) {
                throw invalid(
                        "BatchNorm1d(num_features="
                                + numFeatures
                                + ", eps="
                                + eps
                                + ") needs a positive width and a finite positive eps");
            }
        }

        /** {@inheritDoc} */
        @Override
        public String type() {
            return "BatchNorm1d";
        }
    }

    /**
     * {@code nn.LayerNorm} over the last dimension. State keys {@code i.weight} (with {@code
     * elementwise_affine}) and {@code i.bias} (with {@code bias} too).
     *
     * @param normalizedShape the width it normalises ({@code normalized_shape}, one dimension)
     * @param eps added to the variance
     * @param elementwiseAffine whether it has a weight
     * @param bias whether it has a bias
     */
    record LayerNorm(int normalizedShape, double eps, boolean elementwiseAffine, boolean bias)
            implements LayerSpec {
        /**
         * Checks the width and eps.
         *
         * @throws BundleFormatException if the width is not positive, eps not positive, or a bias
         *     is given without the affine weight
         */
        public LayerNorm {
            if (normalizedShape <= 0 || !(eps > 0) || !Double.isFinite(eps)) {
                throw invalid(
                        "LayerNorm(normalized_shape="
                                + normalizedShape
                                + ", eps="
                                + eps
                                + ") needs a positive width and a finite positive eps");
            }
            if (bias && !elementwiseAffine) {
                throw invalid("LayerNorm has bias=true without elementwise_affine");
            }
        }

        /** {@inheritDoc} */
        @Override
        public String type() {
            return "LayerNorm";
        }
    }

    /**
     * Parses one layer object; torch's attribute names, torch's defaults where one is left out.
     *
     * @param node the layer object
     * @param index its position in {@code layers}, for messages
     * @return the layer
     * @throws BundleFormatException ({@link Reason#MODEL_INVALID}) for an unknown type or a bad
     *     attribute
     */
    static LayerSpec fromJson(JsonNode node, int index) {
        String where = "model.layers[" + index + "]";
        if (node == null || !node.isObject() || !node.path("type").isTextual()) {
            throw invalid(where + " is not an object with a string \"type\"");
        }
        String type = node.get("type").asText();
        try {
            return switch (type) {
                case "Linear" ->
                        new Linear(
                                integer(node, "in_features", where),
                                integer(node, "out_features", where),
                                bool(node, "bias", true, where));
                case "ReLU" -> new ReLU();
                case "Dropout" -> new Dropout(number(node, "p", 0.5, where));
                case "Sigmoid" -> new Sigmoid();
                case "Tanh" -> new Tanh();
                case "LeakyReLU" -> new LeakyReLU(number(node, "negative_slope", 0.01, where));
                case "GELU" ->
                        new GELU(
                                switch (node.path("approximate").asText("none")) {
                                    case "none" -> false;
                                    case "tanh" -> true;
                                    default ->
                                            throw invalid(
                                                    where
                                                            + " GELU approximate '"
                                                            + node.get("approximate").asText()
                                                            + "' is not 'none' or 'tanh'");
                                });
                case "Identity" -> new Identity();
                case "SiLU" -> new SiLU();
                case "Mish" -> new Mish();
                case "ELU" -> new ELU(number(node, "alpha", 1.0, where));
                case "Softplus" ->
                        new Softplus(
                                number(node, "beta", 1.0, where),
                                number(node, "threshold", 20.0, where));
                case "BatchNorm1d" ->
                        new BatchNorm1d(
                                integer(node, "num_features", where),
                                number(node, "eps", 1e-5, where),
                                bool(node, "affine", true, where));
                case "LayerNorm" ->
                        new LayerNorm(
                                integer(node, "normalized_shape", where),
                                number(node, "eps", 1e-5, where),
                                bool(node, "elementwise_affine", true, where),
                                bool(node, "bias", true, where));
                default ->
                        throw invalid(
                                where
                                        + " has type '"
                                        + type
                                        + "', which is not one of "
                                        + "Linear, ReLU, Dropout, Sigmoid, Tanh, LeakyReLU, GELU, Identity, "
                                        + "SiLU, Mish, ELU, Softplus, BatchNorm1d, LayerNorm");
            };
        } catch (BundleFormatException e) {
            if (e.getMessage().startsWith(where)) {
                throw e;
            }
            throw invalid(where + ": " + e.getMessage());
        }
    }

    private static int integer(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
            throw invalid(where + " needs an integer \"" + field + "\"");
        }
        return value.intValue();
    }

    private static boolean bool(JsonNode node, String field, boolean fallback, String where) {
        JsonNode value = node.get(field);
        if (value == null) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw invalid(where + " \"" + field + "\" is not a boolean");
        }
        return value.booleanValue();
    }

    private static double number(JsonNode node, String field, double fallback, String where) {
        JsonNode value = node.get(field);
        if (value == null) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw invalid(where + " \"" + field + "\" is not a number");
        }
        return value.doubleValue();
    }

    private static BundleFormatException invalid(String message) {
        return new BundleFormatException(Reason.MODEL_INVALID, message);
    }
}
