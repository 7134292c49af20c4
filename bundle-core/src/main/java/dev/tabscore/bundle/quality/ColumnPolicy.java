package dev.tabscore.bundle.quality;

import java.io.Serializable;
import java.util.Locale;

/**
 * What happens to a row because of one column's value.
 *
 * @param onNull a missing value: {@code preprocess} (as the fitted graph does, the default) or
 *     {@code reject} the row
 * @param onInvalid a value that cannot be read as the column's type, or that the fitted graph
 *     refuses (where scikit-learn would raise): {@code reject} the row (default) or {@code fail}
 *     the job
 * @param onUnknown a category the encoders never saw: {@code preprocess} (as the encoder's {@code
 *     handle_unknown} says, the default), {@code reject} the row, or {@code fail} the run when the
 *     column's unknown rate exceeds {@code maxUnknownRate}
 * @param maxUnknownRate the unknown rate above which {@code onUnknown=fail} fails the run
 */
public record ColumnPolicy(
        OnNull onNull, OnInvalid onInvalid, OnUnknown onUnknown, double maxUnknownRate)
        implements Serializable {

    /** The built-in policy: score as Python would, reject what cannot be read. */
    public static final ColumnPolicy DEFAULT =
            new ColumnPolicy(OnNull.PREPROCESS, OnInvalid.REJECT, OnUnknown.PREPROCESS, 0.0);

    /** A missing value. */
    public enum OnNull {
        /** As the fitted graph does (impute, or pass NaN on). */
        PREPROCESS,
        /** Reject the row. */
        REJECT
    }

    /** A value that cannot be read, or that the graph refuses. */
    public enum OnInvalid {
        /** Reject the row. */
        REJECT,
        /** Fail the job (nothing committed). */
        FAIL
    }

    /** An unknown category. */
    public enum OnUnknown {
        /** As the encoder's handle_unknown says. */
        PREPROCESS,
        /** Reject the row. */
        REJECT,
        /** Score as the encoder does, but fail the run above {@code maxUnknownRate}. */
        FAIL
    }

    /**
     * Checks the rate.
     *
     * @throws IllegalArgumentException if a member is null or the rate is outside [0, 1]
     */
    public ColumnPolicy {
        if (onNull == null || onInvalid == null || onUnknown == null) {
            throw new IllegalArgumentException(
                    "a column policy needs on_null, on_invalid and" + " on_unknown");
        }
        if (!(maxUnknownRate >= 0.0 && maxUnknownRate <= 1.0)) {
            throw new IllegalArgumentException(
                    "max_unknown_rate must be in [0, 1], got " + maxUnknownRate);
        }
    }

    /**
     * Returns this policy with the given members replaced; null members keep this one's.
     *
     * @param where where the values come from, for messages (e.g. {@code quality.columns.age})
     * @param onNull preprocess or reject, or null
     * @param onInvalid reject or fail, or null
     * @param onUnknown preprocess, reject or fail, or null
     * @param maxUnknownRate a rate in [0, 1], or null
     * @return the combined policy
     * @throws IllegalArgumentException naming {@code where} and the member if a value is not
     *     allowed
     */
    public ColumnPolicy with(
            String where,
            String onNull,
            String onInvalid,
            String onUnknown,
            Double maxUnknownRate) {
        OnNull n = onNull == null ? this.onNull : parse(OnNull.class, where, "on_null", onNull);
        OnInvalid i =
                onInvalid == null
                        ? this.onInvalid
                        : parse(OnInvalid.class, where, "on_invalid", onInvalid);
        OnUnknown u =
                onUnknown == null
                        ? this.onUnknown
                        : parse(OnUnknown.class, where, "on_unknown", onUnknown);
        double rate = maxUnknownRate == null ? this.maxUnknownRate : maxUnknownRate;
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException(
                    where + ".max_unknown_rate must be in [0, 1], got " + rate);
        }
        return new ColumnPolicy(n, i, u, rate);
    }

    private static <E extends Enum<E>> E parse(
            Class<E> type, String where, String member, String value) {
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder allowed = new StringBuilder();
            for (E c : type.getEnumConstants()) {
                allowed.append(allowed.length() == 0 ? "" : ", ").append(text(c));
            }
            throw new IllegalArgumentException(
                    where + "." + member + " must be one of " + allowed + ", got '" + value + "'");
        }
    }

    /**
     * Returns the configuration spelling of a policy value.
     *
     * @param value a member value
     * @return e.g. {@code preprocess}
     */
    public static String text(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
