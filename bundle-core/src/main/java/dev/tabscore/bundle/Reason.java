package dev.tabscore.bundle;

/**
 * Why a bundle or a value was refused. Each code belongs to one {@link Reason.Kind} and has its own
 * process exit code, the one mapping the CLI and the job use ({@link ExitCodes}).
 */
public enum Reason {
    /** The zip container is broken: truncated, bad CRC, sizes that do not add up. */
    ZIP_MALFORMED(Kind.BUNDLE, 10),
    /** A zip entry name is absolute, contains {@code ..}, or is otherwise unsafe. */
    ZIP_UNSAFE_ENTRY(Kind.BUNDLE, 11),
    /** Two zip entries share a name. */
    ZIP_DUPLICATE_ENTRY(Kind.BUNDLE, 12),
    /** A size, count, depth or length limit was exceeded. */
    LIMIT_EXCEEDED(Kind.BUNDLE, 13),
    /** The skops protocol number is outside the supported range. */
    PROTOCOL_UNSUPPORTED(Kind.BUNDLE, 14),
    /** schema.json is not valid JSON or does not follow the node grammar. */
    SCHEMA_INVALID(Kind.BUNDLE, 15),
    /** The graph names classes, functions or node types that are not on the allow-list. */
    UNTRUSTED_TYPE(Kind.BUNDLE, 16),
    /** A .npy entry is malformed or missing. */
    NPY_INVALID(Kind.BUNDLE, 17),
    /** A .npy entry has a dtype or layout we do not read. */
    NPY_UNSUPPORTED(Kind.BUNDLE, 18),
    /** A known class uses an option or attribute value we do not reproduce. */
    UNSUPPORTED_OPTION(Kind.BUNDLE, 19),
    /** A fitted attribute is missing or has the wrong form. */
    ATTRIBUTE_INVALID(Kind.BUNDLE, 20),
    /** A pickle (state_dict) is malformed or names a global outside the allow-list. */
    PICKLE_REFUSED(Kind.BUNDLE, 21),
    /** The manifest is missing, malformed, or fails its schema. */
    MANIFEST_INVALID(Kind.BUNDLE, 22),
    /** An artifact's size or sha256 differs from the manifest. */
    ARTIFACT_MISMATCH(Kind.BUNDLE, 23),
    /** Feature names or widths disagree between manifest, preprocessor and model. */
    CONTRACT_MISMATCH(Kind.BUNDLE, 24),
    /** The golden batch did not replay to the stored features or outputs. */
    GOLDEN_MISMATCH(Kind.BUNDLE, 25),
    /** The bundle's digest differs from the one the caller expected. */
    DIGEST_MISMATCH(Kind.BUNDLE, 26),
    /** The model could not be loaded or run. */
    MODEL_INVALID(Kind.BUNDLE, 27),
    /** {@code model.onnx} is not a readable ONNX ModelProto (truncated, not protobuf, no graph). */
    ONNX_MALFORMED(Kind.BUNDLE, 28),
    /**
     * {@code model.onnx} holds something outside the ONNX allow-list: a custom domain or operator,
     * a local function, a subgraph, external data. A security event, like an untrusted type.
     */
    ONNX_REFUSED(Kind.BUNDLE, 29),
    /** An input column is missing or has a type the contract does not allow. */
    INPUT_SCHEMA(Kind.INPUT, 30),
    /** A value cannot be transformed (unknown category under handle_unknown='error', bad type). */
    INPUT_VALUE(Kind.INPUT, 31),
    /** The input does not exist (a snapshot that has not landed): not retried by default. */
    INPUT_MISSING(Kind.INPUT, 32),
    /** Scoring failed for a reason that is not the bundle's or the input's fault. */
    SCORING_FAILED(Kind.SCORING, 40),
    /** A data-quality gate failed (rates, drift or rejects above their configured maximum). */
    QUALITY_GATE(Kind.QUALITY, 50),
    /**
     * Reading or writing storage failed (an object store's 5xx, throttling, a timeout, a lost
     * connection): the bundle, input and config are fine; retry.
     */
    IO_ERROR(Kind.ENVIRONMENT, 60),
    /**
     * A native library (libtorch, its JNI) could not be loaded on this machine; retry elsewhere.
     */
    NATIVE_LIBRARY(Kind.ENVIRONMENT, 61),
    /**
     * Publishing the run's output failed; everything was undone and the previous output is
     * unchanged; retry.
     */
    PUBLISH_FAILED(Kind.ENVIRONMENT, 62),
    /**
     * The cluster's classpath carries a library at a version tabscore does not support (Jackson,
     * which the job takes from Spark, or a Spark the job was not tested with): the deployment must
     * change, so a retry on the same cluster fails the same way (not retryable, unlike the rest of
     * 60-69).
     */
    UNSUPPORTED_CLASSPATH(Kind.ENVIRONMENT, 63),
    /*
     * The bundle's signature (OpenSSF model_signing, dev.tabscore.bundle.signing): bundle
     * refusals like 10-29, in their own range 70-79 because 10-29 is full.
     */
    /** A signature is required (--require-signature) but the bundle has none (no model.sig). */
    SIGNATURE_MISSING(Kind.BUNDLE, 70),
    /**
     * The signature file is malformed or truncated, its format is not one we verify, or its
     * signature does not verify with the key it names.
     */
    SIGNATURE_INVALID(Kind.BUNDLE, 71),
    /**
     * The signature is made by a key or certificate that the trust configuration does not trust (or
     * is keyless, which cannot be verified offline).
     */
    SIGNER_UNTRUSTED(Kind.BUNDLE, 72),
    /**
     * The files of the bundle differ from the signed file list: one changed, missing or added, or
     * an artifact of the manifest left out of the signature.
     */
    SIGNED_FILES_MISMATCH(Kind.BUNDLE, 73);

    /** The fault class of a reason, which decides the exit code. */
    public enum Kind {
        /** The bundle is bad or unsupported: stop using it. */
        BUNDLE,
        /** The input is bad: the bundle is fine. */
        INPUT,
        /** Something failed while scoring. */
        SCORING,
        /** The data scored is not what the model was trained on, beyond a configured gate. */
        QUALITY,
        /** The environment failed (storage, network, native libraries): transient, retry. */
        ENVIRONMENT
    }

    private final Kind kind;
    private final int exitCode;

    Reason(Kind kind, int exitCode) {
        this.kind = kind;
        this.exitCode = exitCode;
    }

    /**
     * Returns the process exit code for this reason: 10-29 the bundle was refused (70-79: its
     * signature was refused), 30-39 the input was refused, 40 scoring failed, 50 a quality gate
     * failed, 60-69 the environment failed (retryable; see {@link ExitCodes}).
     *
     * @return the exit code
     */
    public int exitCode() {
        return exitCode;
    }

    /**
     * Whether a run that failed for this reason may succeed when retried unchanged: transient
     * environment faults (60-69, except 63) and a scoring stage that failed after Spark's own task
     * retries (40: an executor lost, out of memory). Bundle, input, config and quality-gate
     * failures are not retryable: a rerun fails the same way.
     *
     * @return true if an orchestrator should retry (with a bound)
     */
    public boolean retryable() {
        return kind == Kind.ENVIRONMENT && this != UNSUPPORTED_CLASSPATH || this == SCORING_FAILED;
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
