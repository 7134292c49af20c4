"""tabscore's exit codes for orchestrators: one place that says what a code means and whether
running the job again can help.

The job (`spark-submit --class dev.tabscore.job.ScoringJob`, `scripts/submit.sh`) and the
`tabscore` CLI exit with the codes of bundle-core's ExitCodes.java / Reason.java (README.md,
"Exit codes"). Both orchestration examples import this module; it has no dependency beyond the
standard library, so copy it next to your DAGs or into your Dagster code location.

    >>> classify(23)
    'bundle_refused'
    >>> should_retry(23), should_retry(40)
    (False, True)

Retry policy (RETRYABLE): a *verdict* is never retried, because running the same job on the same
bundle and input gives the same verdict: bad config (2; and 63, a Jackson on the cluster that tabscore does not support), bundle refused (10-29, including 19: a
scikit-learn class or option tabscore does not implement; and 70-79: the bundle's signature is
missing, invalid, untrusted or does not match its files), input refused (30, 31), quality gate (50). A
*failure while running* may be transient and is retried, with the orchestrator's bound (Airflow
`retries`, Dagster `max_retries`): scoring failed (40: a task failed after Spark's own retries,
nothing was published), environment faults (60: storage I/O such as an object store's 503 or a
timeout; 61: a native library did not load on that machine; 62: the publication failed and was
undone) and internal (1, and every code the job does not define itself: spark-submit could not
reach the cluster, the driver JVM was killed by a signal, ...). Take "internal" out of `retry_on`
if you would rather page someone at once. A failed run never touches the previous output, so a
retry is always safe.

A missing input (32: the snapshot has not landed) is its own category, not retried by default:
wait for the input with a sensor (Airflow) or an upstream asset (Dagster); add INPUT_MISSING to
`retry_on` to poll with the retry bound instead.

The run summary (written on every exit path, see README "Exit codes") carries the same facts:
`exit_code`, `reason`, `retryable` and `message`.
"""

from __future__ import annotations

import re

OK = "ok"
CONFIG = "config"
BUNDLE_REFUSED = "bundle_refused"
INPUT_REFUSED = "input_refused"
INPUT_MISSING = "input_missing"
SCORING_FAILED = "scoring_failed"
QUALITY_GATE = "quality_gate"
ENVIRONMENT = "environment"
INTERNAL = "internal"

CATEGORIES = (
    OK,
    CONFIG,
    BUNDLE_REFUSED,
    INPUT_REFUSED,
    INPUT_MISSING,
    SCORING_FAILED,
    QUALITY_GATE,
    ENVIRONMENT,
    INTERNAL,
)

# What may be retried (see the module docstring). Everything else fails at once.
RETRYABLE = frozenset({SCORING_FAILED, ENVIRONMENT, INTERNAL})

# The exact meaning of each code the job defines (README.md, "Exit codes").
REASONS = {
    0: "ok",
    1: "internal error (a bug)",
    2: "bad command line or configuration",
    10: "zip malformed (truncated, bad CRC)",
    11: "unsafe zip entry name",
    12: "duplicate zip entry",
    13: "a size, count or depth limit exceeded",
    14: "skops protocol not supported",
    15: "skops schema.json invalid",
    16: "untrusted type in the skops graph",
    17: "npy array malformed or missing",
    18: "npy dtype or layout not supported",
    19: "sklearn class, option or attribute value not supported",
    20: "fitted attribute missing or malformed",
    21: "pickle refused (a global outside the allow-list)",
    22: "manifest invalid (schema, format version)",
    23: "artifact size or sha256 differs from the manifest, or missing",
    24: "contract mismatch (input columns or feature names differ)",
    25: "golden batch mismatch",
    26: "digest differs from --expect-digest",
    27: "model invalid (does not load, wrong width; ONNX input/output shapes differ from the manifest)",
    28: "model.onnx is not a complete ONNX ModelProto (truncated, foreign bytes, no graph)",
    29: "model.onnx outside the allow-list (custom domain or operator, local function, subgraph, external data)",
    30: "input schema refused (missing column, type not allowed)",
    31: "input value refused",
    32: "input missing (the path does not exist: a snapshot that has not landed)",
    40: "scoring failed; nothing published",
    50: "data-quality gate failed",
    60: "storage I/O failed (object store error, throttling, timeout); nothing published",
    61: "a native library (libtorch) did not load on this machine",
    62: "publishing failed and was undone; the previous output is unchanged",
    63: "the cluster's classpath carries an unsupported library version (Jackson); fix the deployment",
    70: "bundle not signed, and a signature is required",
    71: "bundle signature malformed, truncated or not verifying",
    72: "bundle signer not trusted (unknown key, foreign root, keyless)",
    73: "bundle files differ from the signed list (changed, missing or added)",
}


def classify(code: int) -> str:
    """The category of a process exit code, one of CATEGORIES.

    Codes 70-79 are bundle refusals for the bundle's signature (docs/signing.md). Codes the job
    does not define (3-9, 41-49, 51-59, 80+, a JVM killed by a signal: 128+N from a
    shell, -N from Python's subprocess) are "internal": something other than the job's own
    verdict ended the process.
    """
    if isinstance(code, bool) or not isinstance(code, int):
        raise TypeError(f"exit code must be an int, got {code!r}")
    if code == 0:
        return OK
    if code == 2 or code == 63:
        # 63: an unsupported Jackson on the cluster's classpath is a deployment error, like a
        # bad config: rerunning on the same cluster fails the same way.
        return CONFIG
    if 10 <= code <= 29 or 70 <= code <= 79:
        return BUNDLE_REFUSED
    if code == 32:
        return INPUT_MISSING
    if 30 <= code <= 39:
        return INPUT_REFUSED
    if code == 40:
        return SCORING_FAILED
    if code == 50:
        return QUALITY_GATE
    if 60 <= code <= 69:
        return ENVIRONMENT
    return INTERNAL


def should_retry(code: int, retry_on: frozenset[str] | set[str] = RETRYABLE) -> bool:
    """Whether a run that exited with `code` is worth running again (never for 0)."""
    category = classify(code)
    return category != OK and category in retry_on


def describe(code: int) -> str:
    """One line for logs and alerts, e.g. 'exit 23 (bundle_refused: artifact size or ...)'."""
    category = classify(code)
    reason = REASONS.get(code)
    if reason is None:
        if code < 0:
            reason = f"killed by signal {-code}"
        elif code > 128:
            reason = f"killed by signal {code - 128}?"
        else:
            reason = "not a tabscore exit code"
    return f"exit {code} ({category}: {reason})"


# How the orchestrators report a command's exit status: they raise with the code in the message.
# These are the message formats of the pinned versions (examples/requirements-orchestration.txt)
# and are tested there; a provider that rewords them makes exit_code_from_message return None,
# and the callers then fall back to the orchestrator's default (retry).
_MESSAGE_PATTERNS = (
    # apache-airflow-providers-apache-spark SparkSubmitHook.submit:
    #   "Cannot execute: spark-submit ... Error code is: 23."
    re.compile(r"Error code is: (-?\d+)"),
    # apache-airflow-providers-standard BashOperator:
    #   "Bash command failed. The command returned a non-zero exit code 23."
    re.compile(r"non-zero exit code (-?\d+)"),
)


def exit_code_from_message(message: str) -> int | None:
    """The exit code inside an orchestrator's error message, or None."""
    for pattern in _MESSAGE_PATTERNS:
        match = pattern.search(message)
        if match:
            return int(match.group(1))
    return None
