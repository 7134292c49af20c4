/** Test utilities shared by the bundle-core tests: reading fixtures the way Python did. */
package dev.tabscore.bundle.testing;
