package dev.tabscore.bundle.zip;

import dev.tabscore.bundle.Reason;

/**
 * Refuses entry names that could escape a directory or be read differently on another system:
 * empty, absolute, drive letters, backslashes, control characters, {@code .} / {@code ..} or empty
 * segments. A trailing {@code /} (a directory entry) is allowed.
 */
final class EntryNames {

    private EntryNames() {}

    static void check(String name, String artifact) {
        if (name.isEmpty()) {
            throw ZipErrors.entry(Reason.ZIP_UNSAFE_ENTRY, artifact, name, "has an empty name");
        }
        if (name.charAt(0) == '/') {
            throw unsafe(artifact, name, "is an absolute path");
        }
        if (name.length() >= 2 && name.charAt(1) == ':' && isAsciiLetter(name.charAt(0))) {
            throw unsafe(artifact, name, "starts with a drive letter");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\\') {
                throw unsafe(artifact, name, "contains a backslash");
            }
            if (c < 0x20 || c == 0x7f) {
                throw unsafe(artifact, name, "contains a control character");
            }
        }
        String body = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        for (String segment : body.split("/", -1)) {
            if (segment.equals("..")) {
                throw unsafe(artifact, name, "contains a '..' segment");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                throw unsafe(artifact, name, "contains an empty or '.' path segment");
            }
        }
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static RuntimeException unsafe(String artifact, String name, String detail) {
        return ZipErrors.entry(
                Reason.ZIP_UNSAFE_ENTRY,
                artifact,
                name,
                detail + "; refused as an unsafe entry name");
    }
}
