package dev.tabscore.job;

import dev.tabscore.bundle.BundleException;
import java.io.IOException;

/** How the driver reads a failure that Spark wrapped: its reason, its storage cause, its text. */
final class RunFailures {

    private RunFailures() {}

    /** The first {@link BundleException} among a failure's causes, or null. */
    static BundleException findBundleException(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof BundleException be) {
                return be;
            }
        }
        return null;
    }

    /** Whether a failure comes from storage (an IOException anywhere in its causes). */
    static boolean ioFailure(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** The first line of the innermost cause's message (or its class name). */
    static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return m == null ? c.getClass().getName() : m.lines().findFirst().orElse(m);
    }
}
