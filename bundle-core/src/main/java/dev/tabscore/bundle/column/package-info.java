/** Column batches: the typed, columnar input that crosses every boundary inside an executor. */
package dev.tabscore.bundle.column;
