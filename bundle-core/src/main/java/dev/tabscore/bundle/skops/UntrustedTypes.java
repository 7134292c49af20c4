package dev.tabscore.bundle.skops;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every untrusted loader, class, function and type found in a graph, so that one {@link
 * Reason#UNTRUSTED_TYPE} error can list them all with their paths.
 */
final class UntrustedTypes {

    /** The message lists this many; a hostile file could name millions. */
    private static final int MAX_LISTED = 50;

    private final String artifact;
    private final List<String> found = new ArrayList<>();

    UntrustedTypes(String artifact) {
        this.artifact = artifact;
    }

    /** Records one untrusted node, e.g. {@code ObjectNode class builtins.eval} at a path. */
    void add(String what, String path) {
        found.add(NodePaths.printable(what) + " at " + path);
    }

    /** Throws one error naming every untrusted node recorded, if there is any. */
    void throwIfAny() {
        if (found.isEmpty()) {
            return;
        }
        List<String> listed = found.subList(0, Math.min(found.size(), MAX_LISTED));
        String more =
                found.size() > listed.size()
                        ? "; and " + (found.size() - listed.size()) + " more"
                        : "";
        throw new BundleFormatException(
                Reason.UNTRUSTED_TYPE,
                artifact
                        + ": schema.json names "
                        + found.size()
                        + " untrusted type"
                        + (found.size() == 1 ? "" : "s")
                        + " (nothing was loaded): "
                        + String.join("; ", listed)
                        + more);
    }
}
