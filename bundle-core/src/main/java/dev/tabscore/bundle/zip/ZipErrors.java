package dev.tabscore.bundle.zip;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;

/** Builds the exceptions of this package, so every message starts with the artifact. */
final class ZipErrors {

    private ZipErrors() {}

    /** The archive as a whole is broken. */
    static BundleFormatException archive(Reason reason, String artifact, String detail) {
        return new BundleFormatException(reason, artifact + ": " + detail);
    }

    /** One named entry is broken, unsafe or too large. */
    static BundleFormatException entry(
            Reason reason, String artifact, String entryName, String detail) {
        return new BundleFormatException(
                reason, artifact + ": zip entry '" + printable(entryName) + "' " + detail);
    }

    /** Escapes control characters so a hostile name cannot forge log lines. */
    static String printable(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
