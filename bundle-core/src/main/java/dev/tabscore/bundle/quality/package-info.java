/**
 * Scoring-time data quality: per-column row policies (null, invalid value, unknown category), the
 * rejects a batch produces, mergeable statistics gathered in the scoring pass (missing, invalid,
 * unknown, out-of-training-range, PSI against the training distribution, the score distribution),
 * gates over them and the report. Knows nothing of Spark.
 */
package dev.tabscore.bundle.quality;
