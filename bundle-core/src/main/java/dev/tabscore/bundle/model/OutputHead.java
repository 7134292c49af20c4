package dev.tabscore.bundle.model;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;

/** The activation applied after the network, turning raw outputs (logits) into head outputs. */
public enum OutputHead {
    /** {@code torch.sigmoid}, element-wise: binary (or multi-label) probabilities. */
    SIGMOID,
    /** {@code torch.softmax(dim=1)}: class probabilities; the prediction also gets an argmax. */
    SOFTMAX,
    /** No activation: regression outputs. */
    IDENTITY;

    /**
     * Parses a head as bundles write it: {@code sigmoid}, {@code softmax}, {@code softmax(dim=1)}
     * (the seed metadata's {@code output_activation}) or {@code identity}, in any case.
     *
     * @param text the text
     * @return the head
     * @throws BundleFormatException ({@link Reason#MODEL_INVALID}) for anything else, e.g. a
     *     softmax over another dimension
     */
    public static OutputHead parse(String text) {
        String normalized =
                text == null
                        ? ""
                        : text.strip().toLowerCase(java.util.Locale.ROOT).replace(" ", "");
        return switch (normalized) {
            case "sigmoid" -> SIGMOID;
            case "softmax", "softmax(dim=1)", "softmax(dim=-1)" -> SOFTMAX;
            case "identity" -> IDENTITY;
            default ->
                    throw new BundleFormatException(
                            Reason.MODEL_INVALID,
                            "output head '"
                                    + text
                                    + "' is not one of sigmoid, softmax, softmax(dim=1), identity");
        };
    }

    /**
     * Returns the lower-case name used in manifests.
     *
     * @return {@code sigmoid}, {@code softmax} or {@code identity}
     */
    public String manifestName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
