package dev.tabscore.bundle.skops;

/** Builds the node paths of {@link SkopsNode#path()} and makes file text safe for messages. */
final class NodePaths {

    /** The root node's path. */
    static final String ROOT = "/";

    private NodePaths() {}

    /** Segments longer than this are cut in paths (names may be up to a megabyte long). */
    static final int MAX_SEGMENT = 64;

    /** Paths longer than this lose their middle; every node keeps its path. */
    static final int MAX_PATH = 512;

    private static final String ELIDED = "...";

    /**
     * Appends a JSON-pointer segment ({@code ~} and {@code /} escaped as RFC 6901 says). A segment
     * over {@link #MAX_SEGMENT} characters is cut and a path over {@link #MAX_PATH} loses its
     * middle, both marked {@code ...}: paths only name places in messages, and without the bound a
     * megabyte-long key above 100,000 nodes would be copied into each of their paths.
     */
    static String child(String parent, String segment) {
        String escaped = segment.replace("~", "~0").replace("/", "~1");
        if (escaped.length() > MAX_SEGMENT) {
            escaped = escaped.substring(0, MAX_SEGMENT - ELIDED.length()) + ELIDED;
        }
        String path = (parent.equals(ROOT) ? "" : parent) + "/" + printable(escaped);
        if (path.length() > MAX_PATH) {
            int half = (MAX_PATH - ELIDED.length()) / 2;
            path = path.substring(0, half) + ELIDED + path.substring(path.length() - half);
        }
        return path;
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
