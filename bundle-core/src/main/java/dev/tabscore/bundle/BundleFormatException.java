package dev.tabscore.bundle;

/**
 * The bundle (or one of its artifacts) is malformed, hostile or unsupported. Global: the bundle
 * must not be used. The message names the artifact and the place inside it (zip entry, JSON path,
 * or the step path in the scikit-learn graph, e.g. {@code transformers_[1] 'cat' > steps[1]
 * 'onehot'}).
 */
public class BundleFormatException extends BundleException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param reason the reason code
     * @param message what is wrong and where
     */
    public BundleFormatException(Reason reason, String message) {
        super(reason, message);
    }

    /**
     * Creates an exception with a cause.
     *
     * @param reason the reason code
     * @param message what is wrong and where
     * @param cause the underlying failure
     */
    public BundleFormatException(Reason reason, String message, Throwable cause) {
        super(reason, message, cause);
    }
}
