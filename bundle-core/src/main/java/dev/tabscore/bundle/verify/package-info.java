/** Verification: artifact hashes and sizes, and the golden-batch replay. */
package dev.tabscore.bundle.verify;
