package dev.tabscore.bundle;

/**
 * Base of every failure tabscore reports about a bundle or about the data scored with it.
 *
 * <p>Unchecked, like DJL's and JPMML's exceptions. Every instance carries a {@link Reason}, which
 * the CLI and the Spark job map to an exit code in one place, and a message that names what is
 * wrong (artifact, path in the graph, column, row, value).
 */
public class BundleException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Reason reason;

    /**
     * Creates an exception.
     *
     * @param reason the reason code
     * @param message what is wrong, naming the artifact, column, row or feature
     */
    public BundleException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * Creates an exception with a cause.
     *
     * @param reason the reason code
     * @param message what is wrong
     * @param cause the underlying failure
     */
    public BundleException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /**
     * Returns the reason code.
     *
     * @return the reason code
     */
    public Reason reason() {
        return reason;
    }
}
