package dev.tabscore.bundle.manifest;

/** Which relative artifact paths a manifest may name: no escape from the bundle directory. */
public final class ArtifactPaths {

    private ArtifactPaths() {}

    /**
     * Returns whether {@code path} is a plain relative path inside the bundle.
     *
     * @param path a path from the manifest
     * @return true if it has no empty, {@code .} or {@code ..} segment, no backslash, no colon, and
     *     does not start with {@code /}
     */
    public static boolean isSafe(String path) {
        if (path == null
                || path.isEmpty()
                || path.startsWith("/")
                || path.contains("\\")
                || path.contains(":")) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
