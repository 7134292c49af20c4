package dev.tabscore.bundle.verify;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import java.util.List;

/**
 * The bundle failed verification. Carries every mismatch found (up to a bound), each naming the
 * artifact, or the row and column with expected, got and the error; the bundle must not be used.
 */
public final class VerificationException extends BundleFormatException {

    private static final long serialVersionUID = 1L;

    private final List<String> mismatches;

    /**
     * Creates an exception.
     *
     * @param reason the reason code
     * @param summary the first line of the report
     * @param mismatches every mismatch found
     */
    public VerificationException(Reason reason, String summary, List<String> mismatches) {
        super(
                reason,
                summary + (mismatches.isEmpty() ? "" : ":\n  " + String.join("\n  ", mismatches)));
        this.mismatches = List.copyOf(mismatches);
    }

    /**
     * Returns the mismatches.
     *
     * @return each mismatch as one line
     */
    public List<String> mismatches() {
        return mismatches;
    }
}
