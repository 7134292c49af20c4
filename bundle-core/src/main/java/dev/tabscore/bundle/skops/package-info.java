/**
 * The safe skops reader: a zip read in memory, schema.json parsed into typed {@link
 * dev.tabscore.bundle.skops.SkopsNode}s, .npy arrays, an allow-list of node types and classes, and
 * limits on sizes and depth. Nothing is executed while loading.
 */
package dev.tabscore.bundle.skops;
