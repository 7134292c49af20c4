package dev.tabscore.job.spark;

/**
 * The check a scoring run makes after every task has finished and before Spark commits its output:
 * counts reconcile and quality gates pass, or nothing is published. A run arms it on the thread
 * that writes ({@link #arm}); {@link GatedCommitProtocol#commitJob} runs it on that same thread,
 * the one that called the write (Spark commits a file write on the caller's thread). The run then
 * asks {@link Armed#ran()} to make sure it did.
 */
public final class PreCommit {

    private static final ThreadLocal<Armed> CURRENT = new ThreadLocal<>();

    private PreCommit() {}

    /** The check; throwing from it aborts the job, so nothing is committed. */
    @FunctionalInterface
    public interface Check {
        /** Runs before the output is committed. */
        void beforeCommit();
    }

    /** An armed check. */
    public static final class Armed implements AutoCloseable {
        private final Check check;
        private volatile boolean ran;

        private Armed(Check check) {
            this.check = check;
        }

        /**
         * Returns whether the check ran before a commit.
         *
         * @return true once it has run
         */
        public boolean ran() {
            return ran;
        }

        void run() {
            ran = true;
            check.beforeCommit();
        }

        /** Disarms the check on this thread. */
        @Override
        public void close() {
            if (CURRENT.get() == this) {
                CURRENT.remove();
            }
        }
    }

    /**
     * Arms a check for the next commit on this thread.
     *
     * @param check the check
     * @return the handle; close it after the write
     */
    public static Armed arm(Check check) {
        Armed a = new Armed(check);
        CURRENT.set(a);
        return a;
    }

    /** Runs and disarms the check armed on this thread, if any. */
    static void runArmed() {
        Armed a = CURRENT.get();
        if (a != null) {
            CURRENT.remove();
            a.run();
        }
    }
}
