package dev.tabscore.bundle.quality;

import java.io.Serializable;

/**
 * A column policy as written (manifest or job config): every member may be absent (null), in which
 * case the policy below it applies.
 *
 * @param onNull preprocess or reject
 * @param onInvalid reject or fail
 * @param onUnknown preprocess, reject or fail
 * @param maxUnknownRate the unknown rate above which on_unknown=fail fails the run
 */
public record PolicySpec(String onNull, String onInvalid, String onUnknown, Double maxUnknownRate)
        implements Serializable {

    /**
     * Applies this spec over a policy.
     *
     * @param base the policy below
     * @param where where the spec comes from, for messages
     * @return the combined policy
     */
    public ColumnPolicy over(ColumnPolicy base, String where) {
        return base.with(where, onNull, onInvalid, onUnknown, maxUnknownRate);
    }
}
