package dev.tabscore.bundle.signing;

/**
 * A trust file (a public key or a root certificate) cannot be read or parsed: a configuration error
 * of the caller (exit code 2), not a fault of the bundle.
 */
public final class TrustConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message which file and what is wrong
     * @param cause the underlying failure, or null
     */
    public TrustConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
