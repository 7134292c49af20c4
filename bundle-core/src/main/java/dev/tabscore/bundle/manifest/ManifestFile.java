package dev.tabscore.bundle.manifest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A manifest as read: the typed record, the JSON tree it came from, and its identity digest.
 *
 * @param manifest the typed manifest
 * @param json the validated JSON tree
 * @param digest {@code sha256:<hex>} of the tree's canonical form ({@link CanonicalJson})
 */
public record ManifestFile(Manifest manifest, JsonNode json, String digest) {}
