package dev.tabscore.bundle;

/**
 * The process exit codes of {@code tabscore bundle ...} and the Spark job, in one place, for
 * Airflow / Dagster tasks to branch on. Bundle and input refusals carry their {@link Reason}'s own
 * code, so a range check tells the fault class and the exact code tells the reason.
 *
 * <table>
 *   <caption>Exit codes</caption>
 *   <tr><th>code</th><th>meaning</th></tr>
 *   <tr><td>0</td><td>success</td></tr>
 *   <tr><td>1</td><td>unexpected internal error (a bug: report it)</td></tr>
 *   <tr><td>2</td><td>bad command line or configuration</td></tr>
 *   <tr><td>10-29</td><td>bundle refused; {@link Reason#exitCode()} says why</td></tr>
 *   <tr><td>30-39</td><td>input refused (schema or value)</td></tr>
 *   <tr><td>40</td><td>scoring failed (a task failed; nothing was committed)</td></tr>
 *   <tr><td>50</td><td>a data-quality gate failed</td></tr>
 *   <tr><td>60-69</td><td>the environment failed (retryable)</td></tr>
 *   <tr><td>70-79</td><td>bundle refused for its signature (missing, invalid, untrusted signer,
 *       files differ from the signed list)</td></tr>
 * </table>
 */
public final class ExitCodes {

    /** Success. */
    public static final int OK = 0;

    /** An unexpected internal error. */
    public static final int INTERNAL = 1;

    /** A bad command line or configuration. */
    public static final int BAD_CONFIG = 2;

    /** Scoring failed. */
    public static final int SCORING_FAILED = 40;

    /** A data-quality gate failed. */
    public static final int QUALITY_GATE = 50;

    private ExitCodes() {}

    /**
     * Maps a failure to its exit code.
     *
     * @param failure anything thrown by a command
     * @return the exit code
     */
    public static int of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BundleException be) {
                return be.reason().exitCode();
            }
        }
        return INTERNAL;
    }
}
