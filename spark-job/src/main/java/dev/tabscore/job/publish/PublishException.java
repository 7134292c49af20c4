package dev.tabscore.job.publish;

import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.Reason;

/**
 * Publishing a run's output failed ({@link Reason#PUBLISH_FAILED}, retryable). {@link #undone()}
 * says whether every move was undone (the previous output is unchanged now) or the journal was left
 * for the next run to undo.
 */
public final class PublishException extends BundleException {

    private static final long serialVersionUID = 1L;

    private final boolean undone;

    PublishException(String message, Throwable cause, boolean undone) {
        super(Reason.PUBLISH_FAILED, message, cause);
        this.undone = undone;
    }

    /**
     * Whether the previous output is unchanged now.
     *
     * @return false when the next run must undo the publication from its journal
     */
    public boolean undone() {
        return undone;
    }
}
