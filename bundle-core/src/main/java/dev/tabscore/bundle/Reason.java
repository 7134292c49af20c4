package dev.tabscore.bundle;

/**
 * Why a bundle or a value was refused. Each code belongs to one {@link Reason.Kind}, and the kind
 * decides the exit code of the CLI and the job.
 */
public enum Reason {
    /** The zip container is broken: truncated, bad CRC, sizes that do not add up. */
    ZIP_MALFORMED(Kind.BUNDLE),
    /** A zip entry name is absolute, contains {@code ..}, or is otherwise unsafe. */
    ZIP_UNSAFE_ENTRY(Kind.BUNDLE),
    /** Two zip entries share a name. */
    ZIP_DUPLICATE_ENTRY(Kind.BUNDLE),
    /** A size, count, depth or length limit was exceeded. */
    LIMIT_EXCEEDED(Kind.BUNDLE),
    /** The skops protocol number is outside the supported range. */
    PROTOCOL_UNSUPPORTED(Kind.BUNDLE),
    /** schema.json is not valid JSON or does not follow the node grammar. */
    SCHEMA_INVALID(Kind.BUNDLE),
    /** The graph names classes, functions or node types that are not on the allow-list. */
    UNTRUSTED_TYPE(Kind.BUNDLE),
    /** A .npy entry is malformed or missing. */
    NPY_INVALID(Kind.BUNDLE),
    /** A .npy entry has a dtype or layout we do not read. */
    NPY_UNSUPPORTED(Kind.BUNDLE),
    /** A known class uses an option or attribute value we do not reproduce. */
    UNSUPPORTED_OPTION(Kind.BUNDLE),
    /** A fitted attribute is missing or has the wrong form. */
    ATTRIBUTE_INVALID(Kind.BUNDLE),
    /** A pickle (state_dict) is malformed or names a global outside the allow-list. */
    PICKLE_REFUSED(Kind.BUNDLE),
    /** The manifest is missing, malformed, or fails its schema. */
    MANIFEST_INVALID(Kind.BUNDLE),
    /** An artifact's size or sha256 differs from the manifest. */
    ARTIFACT_MISMATCH(Kind.BUNDLE),
    /** Feature names or widths disagree between manifest, preprocessor and model. */
    CONTRACT_MISMATCH(Kind.BUNDLE),
    /** The golden batch did not replay to the stored features or outputs. */
    GOLDEN_MISMATCH(Kind.BUNDLE),
    /** The bundle's digest differs from the one the caller expected. */
    DIGEST_MISMATCH(Kind.BUNDLE),
    /** The model could not be loaded or run. */
    MODEL_INVALID(Kind.BUNDLE),
    /** An input column is missing or has a type the contract does not allow. */
    INPUT_SCHEMA(Kind.INPUT),
    /** A value cannot be transformed (unknown category under handle_unknown='error', bad type). */
    INPUT_VALUE(Kind.INPUT),
    /** Scoring failed for a reason that is not the bundle's or the input's fault. */
    SCORING_FAILED(Kind.SCORING);

    /** The fault class of a reason, which decides the exit code. */
    public enum Kind {
        /** The bundle is bad or unsupported: stop using it. */
        BUNDLE,
        /** The input is bad: the bundle is fine. */
        INPUT,
        /** Something failed while scoring. */
        SCORING
    }

    private final Kind kind;

    Reason(Kind kind) {
        this.kind = kind;
    }

    /**
     * Returns the fault class of this reason.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }
}
