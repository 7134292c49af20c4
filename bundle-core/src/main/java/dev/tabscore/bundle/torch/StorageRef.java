package dev.tabscore.bundle.torch;

/**
 * A storage named by a persistent id {@code ('storage', <T>Storage, key, location, numel)}; its
 * bytes are zip entry {@code <prefix>/data/<key>} and are read only after the pickle is done.
 *
 * @param key the storage key, e.g. {@code "0"}
 * @param dtype the element type from the storage class
 * @param numel the element count (elements, not bytes)
 * @param location where torch kept it, e.g. {@code cpu}; informative only
 */
record StorageRef(String key, DType dtype, long numel, String location) {}
