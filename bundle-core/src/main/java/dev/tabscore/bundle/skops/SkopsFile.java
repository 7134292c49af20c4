package dev.tabscore.bundle.skops;

/**
 * A {@code .skops} file read by {@link SkopsReader}: the checked, typed graph and the version
 * information stored beside it.
 *
 * @param protocol the skops protocol number (1 or 2)
 * @param skopsVersion the {@code _skops_version} string, e.g. {@code 0.14.0}
 * @param root the root object, e.g. a {@code ColumnTransformer}; its path is {@code /}
 */
public record SkopsFile(int protocol, String skopsVersion, SkopsNode.ObjectNode root) {}
