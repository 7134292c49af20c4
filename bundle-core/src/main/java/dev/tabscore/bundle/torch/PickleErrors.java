package dev.tabscore.bundle.torch;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;

/** Builds the exceptions of the pickle reader, so every message names where and at which byte. */
final class PickleErrors {

    private PickleErrors() {}

    /** The pickle is malformed or asks for something outside the allow-list. */
    static BundleFormatException refused(String where, int offset, String what) {
        return new BundleFormatException(
                Reason.PICKLE_REFUSED, where + " refused at byte " + offset + ": " + what);
    }

    /** The pickle exceeds one of the {@link TorchLimits}. */
    static BundleFormatException limit(String where, int offset, String what) {
        return new BundleFormatException(
                Reason.LIMIT_EXCEEDED, where + " refused at byte " + offset + ": " + what);
    }
}
