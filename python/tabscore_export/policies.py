"""Data-quality policies of input columns (``input.columns[].policy``)."""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

import numpy as np

from .errors import BundleError

# Data-quality policies of input columns (input.columns[].policy; columnPolicy in the schema)
POLICY_VALUES = {
    "on_null": ("preprocess", "reject"),
    "on_invalid": ("reject", "fail"),
    "on_unknown": ("preprocess", "reject", "fail"),
}
MAX_UNKNOWN_RATE = "max_unknown_rate"


def check_policy(column: str, kind: str, policy: Mapping[str, Any]) -> dict[str, Any]:
    """Validate one column's policy (see columnPolicy in the schema) and return it as a plain dict.

    Every member is optional: on_null (preprocess | reject), on_invalid (reject | fail), on_unknown (preprocess |
    reject | fail; other than preprocess only on a categorical column) and max_unknown_rate (a number in [0, 1], only
    with on_unknown fail).
    """
    if not isinstance(policy, Mapping):
        raise BundleError(f"policy of column {column!r} must be a mapping, got {type(policy).__name__}")
    unknown = sorted(str(k) for k in policy if k not in POLICY_VALUES and k != MAX_UNKNOWN_RATE)
    if unknown:
        raise BundleError(
            f"policy of column {column!r}: unknown members {unknown} (allowed: "
            f"{sorted([*POLICY_VALUES, MAX_UNKNOWN_RATE])})"
        )
    out: dict[str, Any] = {}
    for key, allowed in POLICY_VALUES.items():
        if key in policy:
            value = policy[key]
            if not isinstance(value, str) or value not in allowed:
                raise BundleError(f"policy of column {column!r}: {key} must be one of {list(allowed)}, got {value!r}")
            out[key] = value
    if out.get("on_unknown", "preprocess") != "preprocess" and kind != "categorical":
        raise BundleError(
            f"policy of column {column!r}: on_unknown={out['on_unknown']!r} needs a categorical column, "
            f"but {column!r} is {kind} (unknown categories exist only in categorical columns)"
        )
    if MAX_UNKNOWN_RATE in policy:
        rate = policy[MAX_UNKNOWN_RATE]
        if out.get("on_unknown") != "fail":
            raise BundleError(
                f"policy of column {column!r}: {MAX_UNKNOWN_RATE} is allowed only with "
                f"on_unknown='fail' (got on_unknown={out.get('on_unknown')!r})"
            )
        if (
            isinstance(rate, (bool, np.bool_))
            or not isinstance(rate, (int, float, np.integer, np.floating))
            or not math.isfinite(float(rate))
            or not 0.0 <= float(rate) <= 1.0
        ):
            raise BundleError(
                f"policy of column {column!r}: {MAX_UNKNOWN_RATE} must be a number in [0, 1], " f"got {rate!r}"
            )
        out[MAX_UNKNOWN_RATE] = rate.item() if isinstance(rate, np.generic) else rate
    return out


def apply_policies(
    contract: Sequence[Mapping[str, Any]], policies: Mapping[str, Mapping[str, Any]] | None
) -> list[dict[str, Any]]:
    """The contract with each validated policy written into its column's entry (``policy``, after ``nullable``).

    Keys of ``policies`` must be contract column names; an unknown name is refused.
    """
    out = [dict(c) for c in contract]
    if policies is None:
        return out
    if not isinstance(policies, Mapping):
        raise BundleError(f"policies must be a mapping of column name -> policy, got {type(policies).__name__}")
    by_name = {c["name"]: c for c in out}
    unknown = [str(k) for k in policies if k not in by_name]
    if unknown:
        raise BundleError(
            f"policies name columns that are not inputs of the preprocessor: {sorted(unknown)} "
            f"(inputs: {list(by_name)})"
        )
    for name, policy in policies.items():
        by_name[name]["policy"] = check_policy(name, by_name[name]["kind"], policy)
    return out
