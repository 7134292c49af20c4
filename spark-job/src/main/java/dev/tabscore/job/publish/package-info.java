/**
 * The transactional publication of a run: Spark commits into a staging directory, then the data,
 * rejects, summary and report become visible together ({@link
 * dev.tabscore.job.publish.Publication}), or the previous output stays as it was.
 */
package dev.tabscore.job.publish;
