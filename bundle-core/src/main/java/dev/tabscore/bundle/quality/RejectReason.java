package dev.tabscore.bundle.quality;

import java.util.Locale;

/** Why a row went to the rejects output instead of being scored. */
public enum RejectReason {
    /** A missing value in a column whose policy is {@code on_null: reject}. */
    NULL_VALUE,
    /** A value that cannot be read as the column's type (e.g. "abc" in a numeric column). */
    INVALID_VALUE,
    /** A category the encoders never saw, in a column whose policy is {@code on_unknown: reject}. */
    UNKNOWN_CATEGORY,
    /**
     * The fitted graph refuses the value, where scikit-learn would raise (infinity into an
     * imputer or scaler, an unknown category under {@code handle_unknown='error'}, ...).
     */
    REFUSED_BY_PREPROCESSOR;

    /**
     * Returns the code written in the rejects output and the summary.
     *
     * @return e.g. {@code null_value}
     */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
