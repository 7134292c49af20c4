package dev.tabscore.bundle.skops;

/** Builds the node paths of {@link SkopsNode#path()} and makes file text safe for messages. */
final class NodePaths {

    /** The root node's path. */
    static final String ROOT = "/";

    private NodePaths() {}

    /** Appends a JSON-pointer segment ({@code ~} and {@code /} escaped as RFC 6901 says). */
    static String child(String parent, String segment) {
        String escaped = segment.replace("~", "~0").replace("/", "~1");
        return (parent.equals(ROOT) ? "" : parent) + "/" + printable(escaped);
    }

    /** Escapes control characters so names from the file cannot forge log lines. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
