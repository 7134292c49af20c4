package dev.tabscore.bundle.quality;

import java.util.Locale;

/** Why a row went to the rejects output instead of being scored. */
public enum RejectReason {
    /** A missing value in a column whose policy is {@code on_null: reject}. */
    NULL_VALUE,
    /** A value that cannot be read as the column's type (e.g. "abc" in a numeric column). */
    INVALID_VALUE,
    /**
     * A category the encoders never saw, in a column whose policy is {@code on_unknown: reject}.
     */
    UNKNOWN_CATEGORY,
    /**
     * The fitted graph refuses the value, where scikit-learn would raise (infinity into an imputer
     * or scaler, an unknown category under {@code handle_unknown='error'}, ...).
     */
    REFUSED_BY_PREPROCESSOR,
    /**
     * The network refuses the row, where torch would raise for the whole batch: an embedding code
     * that is NaN or outside its table (e.g. an OrdinalEncoder's {@code unknown_value=-1}).
     */
    REFUSED_BY_MODEL,
    /**
     * A KNNImputer imputation of the row is unsettled, so scikit-learn's own value is not one
     * number: its nearest donors tie at the {@code n_neighbors}-th distance holding different
     * values, and numpy's argpartition breaks the tie by a CPU-specific sort order (x86-simd-sort
     * on AVX2/AVX-512 under numpy 2), or the distances lie within the rounding bound of BLAS's.
     */
    KNN_UNSETTLED,
    /**
     * A periodic numpy ufunc (sin, cos, tan) of the row receives an inexact value (downstream of
     * PowerTransformer, QuantileTransformer's normal output, Normalizer, PCA, TruncatedSVD,
     * KNNImputer or an inexact ufunc) whose ulp-contract uncertainty spans more than a quarter
     * period (|x| &gt;= 2^51), a pole of tan, or (for |x| &gt;= 2^25) an extremum of sin / cos:
     * scikit-learn's own value is not one number (for a value near 1e19 any number in [-1, 1]).
     */
    UFUNC_UNSETTLED;

    /**
     * Returns the code written in the rejects output and the summary.
     *
     * @return e.g. {@code null_value}
     */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
