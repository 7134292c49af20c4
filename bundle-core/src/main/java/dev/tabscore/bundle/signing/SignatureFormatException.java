package dev.tabscore.bundle.signing;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;

/**
 * A signature was refused: its {@link Reason} says whether missing, invalid, untrusted or not
 * matching the files; the message names the file, key id or certificate subject.
 */
public final class SignatureFormatException extends BundleFormatException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param reason one of the signature reasons (70-73)
     * @param message the cause, named
     */
    public SignatureFormatException(Reason reason, String message) {
        super(reason, message);
    }

    /**
     * Creates an exception with a cause.
     *
     * @param reason one of the signature reasons (70-73)
     * @param message the cause, named
     * @param cause the underlying failure
     */
    public SignatureFormatException(Reason reason, String message, Throwable cause) {
        super(reason, message, cause);
    }
}
