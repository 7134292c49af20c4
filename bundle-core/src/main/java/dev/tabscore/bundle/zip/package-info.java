/**
 * A zip reader for untrusted archives held in memory: it parses the central directory itself,
 * checks every entry (names, bounds, overlaps, sizes, CRC-32) and caps what it inflates. Used for
 * {@code .skops} and torch {@code .pt} files; nothing is ever written to disk.
 */
package dev.tabscore.bundle.zip;
