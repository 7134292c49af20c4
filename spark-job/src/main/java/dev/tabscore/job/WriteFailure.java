package dev.tabscore.job;

import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.io.BundleFiles;

/**
 * What a failed gated write (Spark's commit protocol into the run's staging directory) means for
 * the run. Kept apart from {@link ScoringRun} so that the run reads as its steps while the mapping
 * of Spark's exceptions onto the job's reasons and exit codes sits in one place.
 */
final class WriteFailure {

    private WriteFailure() {}

    /**
     * Returns the quality gate's refusal of the commit, or throws what the failure means.
     *
     * @param e what the write threw (Spark throws checked exceptions, such as SparkException and
     *     AnalysisException, undeclared, so any exception)
     * @param outputUri the run's output, named in the message
     * @return the gate's refusal (reason QUALITY_GATE): the run reports it in its summary
     * @throws IllegalStateException as it was thrown (a bug or a guard, not a scoring failure)
     * @throws BundleException a task's own reason and exit code, IO_ERROR for a failure of the
     *     storage (retryable), else SCORING_FAILED (40)
     */
    static BundleException gateRefusalOrThrow(Exception e, String outputUri) {
        if (e instanceof IllegalStateException) {
            throw (IllegalStateException) e;
        }
        BundleException cause = RunFailures.findBundleException(e);
        if (cause != null && cause.reason() == Reason.QUALITY_GATE) {
            return cause;
        }
        // A task's own BundleException (deserialized on the driver, which it is whenever
        // the driver can load the class) keeps its reason and exit code; an I/O failure
        // of the storage is retryable; anything else is SCORING_FAILED (40).
        Reason reason =
                cause != null
                        ? cause.reason()
                        : RunFailures.ioFailure(e) ? Reason.IO_ERROR : Reason.SCORING_FAILED;
        String why = cause == null ? RunFailures.rootMessage(e) : cause.getMessage();
        throw new BundleException(
                reason,
                "scoring failed; nothing was published to "
                        + BundleFiles.redact(outputUri)
                        + ": "
                        + why,
                e);
    }
}
