package dev.tabscore.bundle.quality;

/**
 * One rejected row of a batch.
 *
 * @param row the row's index in the raw batch
 * @param reason why
 * @param column the input column at fault
 * @param detail what was wrong, with the value (Python repr, truncated when long)
 */
public record Reject(int row, RejectReason reason, String column, String detail) {}
