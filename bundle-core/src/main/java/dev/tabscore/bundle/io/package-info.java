/** Storage: bundle files through Hadoop FileSystem, and small Parquet files as column batches. */
package dev.tabscore.bundle.io;
