"""Classify one fuzzer case from what Python (CASE/python/) and Java (CASE/java/) made of the fresh rows.

Classes: ``match``; ``refused_by_exporter`` (reason); ``refused_by_verify`` (reason, exit code);
``mismatch`` (what differs: rows refused by one side only, a feature, an output: row, both values);
and, outside the percentages, ``invalid_graph`` (scikit-learn itself refused to fit it or to name its
features) and ``fuzzer_error`` (a bug of the fuzzer, with its trace).

Features must be bit-identical (same float64 bits; any NaN equals any NaN), except features that the
manifest lists as coming from a transcendental ufunc, which may differ by ``UFUNC_ULPS`` ulps (until
the ulp contract of issue 12 item 3 lands in the manifest: a manifest key ending in ``_ulps`` inside
``golden.feature_tolerance`` then wins). Outputs: within the manifest's ``atol + rtol * |python|``;
labels equal.

A fresh row that Java rejects as ``knn_unsettled`` while scikit-learn scored it is within the contract: its
KNNImputer imputation is not one number in scikit-learn either (a neighbour tie broken by numpy's CPU-specific sort
order, or distances within the rounding bound of BLAS), so Java refuses it rather than score it silently
differently. Such rows are counted per case (``rows_refused_unsettled``), not a mismatch; every other row is
compared as before. Likewise a row Java rejects as ``ufunc_unsettled``: sin, cos or tan received an inexact value
(downstream of a step reproduced within a tolerance) whose ulp-contract uncertainty spans more than a quarter period or
an extremum (near 1e19 the result is anything in [-1, 1]); counted apart as ``rows_refused_ufunc_unsettled``.

On scikit-learn 1.2.x, KNNImputer(add_indicator=True) returns a batch without any missing value without its
indicator columns (fixed in 1.3); tabscore always returns them (all zero), as 1.3+ does. cases.py computes
scikit-learn's reference with 1.3's one-line fix applied to 1.2's KNNImputer, and counts the scored rows that 1.2
alone would have given the narrower width (``rows_1_2_indicator_width``, per case and per release): compared like
every other row, and reported so that a reader sees how much of 1.2's reference rests on the fix.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

# Provisional ulp tolerance for features listed in golden.feature_tolerance.ufunc_features, used until the
# manifest carries its own ulp contract (issue 12 item 3; another branch).
UFUNC_ULPS = 4


# Mismatches already diagnosed and owned by a fix in progress: a case whose every difference matches one of
# these is still a ``mismatch`` (counted, listed, in the JSON) but marked ``known`` with the entry's id, and
# ``--ci`` does not fail on it. Remove an entry when its fix lands: the fuzzer then fails on it again.
KNOWN_MISMATCHES: tuple[dict[str, Any], ...] = (
    # 'sparse-negative-zero' (a sparse ColumnTransformer output densified to +0.0 where Java kept -0.0) was fixed in
    # ColumnTransformer (sparse_output_): the fuzzer fails on it again.
)


def known_issue(problems: list[dict[str, Any]]) -> str | None:
    """The id of the known mismatch that explains every difference, else None."""
    for k in KNOWN_MISMATCHES:
        if problems and all(k["match"](d) for d in problems):
            return k["id"]
    return None


def reason_key(text: str) -> str:
    """A reason with its specifics (numbers, quoted names, paths) blanked, so that equal causes group."""
    t = text.splitlines()[0] if text else ""
    t = re.sub(r"<class '(?:numpy\.)?(\w+)'>", r"\1", t)  # keep the dtype a refusal names
    t = re.sub(r"dtype\('([<>|=]?\w+)'\)", r"dtype(\1)", t)
    t = re.sub(r"/[\w./-]+", "<path>", t)
    t = re.sub(r"'[^']*'", "'…'", t)
    t = re.sub(r"\"[^\"]*\"", '"…"', t)
    t = re.sub(r"\[[^\]]*\]", "[…]", t)
    t = re.sub(r"(?<![A-Za-z_\d])-?\d+(\.\d+)?(e[+-]?\d+)?", "N", t)
    return t[:140]


def _read(path: Path) -> Any:
    return pq.read_table(path).to_pandas() if path.is_file() else None


def ulps(a: float, b: float) -> float:
    """Distance in units of the last place between two finite doubles (inf when one side is not finite)."""
    if a == b:
        return 0.0
    if not (np.isfinite(a) and np.isfinite(b)):
        return float("inf")
    ia = np.array(a, dtype=np.float64).view(np.int64).item()
    ib = np.array(b, dtype=np.float64).view(np.int64).item()
    ia = ia if ia >= 0 else -(ia & 0x7FFFFFFFFFFFFFFF)
    ib = ib if ib >= 0 else -(ib & 0x7FFFFFFFFFFFFFFF)
    return float(abs(ia - ib))


def _same_bits(a: float, b: float) -> bool:
    if np.isnan(a) and np.isnan(b):
        return True
    return np.array(a, dtype=np.float64).view(np.int64) == np.array(b, dtype=np.float64).view(np.int64)


def within_approx(python: float, java: float, rel: float | None) -> bool:
    """The stated tolerance of an ``approx_features`` feature (issue 14: libm, summation order, BLAS), as golden
    replay enforces it: ``|java - python| <= rel * max(1, |python|)``; both finite."""
    if rel is None or not (np.isfinite(python) and np.isfinite(java)):
        return False
    return abs(java - python) <= rel * max(1.0, abs(python))


def classify(case: Path) -> dict[str, Any]:
    """The class of one case, with the evidence."""
    py = json.loads((case / "python" / "result.json").read_text())
    out: dict[str, Any] = {
        "case": case.name,
        "sklearn": py.get("sklearn"),
        "task": py.get("task"),
        "network": py.get("network"),
    }
    status = py.get("status")
    if status == "sklearn_refused_fit":
        return {**out, "class": "invalid_graph", "reason": py["reason"], "reason_key": reason_key(py["reason"])}
    if status == "fuzzer_error":
        return {**out, "class": "fuzzer_error", "reason": py["reason"], "trace": py.get("trace")}
    if status == "exporter_refused":
        key = ("internal: " if py.get("internal") else "") + reason_key(py["reason"])
        return {**out, "class": "refused_by_exporter", "reason": py["reason"], "reason_key": key}
    jres_path = case / "java" / "result.json"
    if not jres_path.is_file():
        return {**out, "class": "fuzzer_error", "reason": "Java wrote no result.json (score-cases did not run?)"}
    jres = json.loads(jres_path.read_text())
    if jres["exit_code"] != 0:
        return {
            **out,
            "class": "refused_by_verify",
            "exit_code": jres["exit_code"],
            "reason": jres.get("message"),
            "reason_key": f"exit {jres['exit_code']}: " + reason_key(jres.get("message") or ""),
            **({"stack": jres["stack"][-1500:]} if "stack" in jres else {}),
        }
    problems, unsettled = _differences(case, py)
    width = int(py.get("rows_1_2_indicator_width") or 0)
    counts = {
        "rows_refused_unsettled": unsettled[UNSETTLED],
        "rows_refused_ufunc_unsettled": unsettled[UFUNC_UNSETTLED],
        "rows_1_2_indicator_width": width,
        "rows_outputs_after_contract_features": unsettled[CONTRACT_ROWS],
    }
    if problems:
        return {
            **out,
            "class": "mismatch",
            "first": problems[0],
            "differences": problems[:20],
            "count": len(problems),
            "known": known_issue(problems),
            **counts,
        }
    return {**out, "class": "match", "rows": py.get("rows"), "refused_rows": len(py.get("refused_rows", {})), **counts}


UNSETTLED = "knn_unsettled"
# sin/cos/tan of an inexact value whose uncertainty spans an extremum or a quarter period (module docstring)
UFUNC_UNSETTLED = "ufunc_unsettled"
# rows whose features differ within the contract (ulp envelope, approx tolerance) and whose outputs then differ beyond
# the output tolerance (a ufunc result one ulp off moving a KBinsDiscretizer bin): the network's outputs on features
# the contract allows, counted apart, not a mismatch (golden replay runs its model check on the golden features there)
CONTRACT_ROWS = "outputs_after_contract_features"


def _differences(case: Path, py: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The differences, and how many rows scikit-learn scored that Java rejected as ``knn_unsettled`` and as
    ``ufunc_unsettled``."""
    problems: list[dict[str, Any]] = []
    unsettled = {UNSETTLED: 0, UFUNC_UNSETTLED: 0, CONTRACT_ROWS: 0}
    contract_rows: set[int] = set()
    py_refused = {int(k): v for k, v in py.get("refused_rows", {}).items()}
    rejects = _read(case / "java" / "rejects.parquet")
    java_refused = {} if rejects is None else {int(r): d for r, d in zip(rejects["row"], rejects["reject_detail"])}
    reasons = (
        {}
        if rejects is None or "reject_reason" not in rejects.columns
        else {int(r): str(w) for r, w in zip(rejects["row"], rejects["reject_reason"])}
    )
    for r in sorted(set(py_refused) | set(java_refused)):
        if r not in py_refused and reasons.get(r) in unsettled:
            unsettled[reasons[r]] += 1
            continue
        if (r in py_refused) != (r in java_refused):
            problems.append(
                {
                    "kind": "row_refusal",
                    "row": r,
                    "python": py_refused.get(r, "scored"),
                    "java": java_refused.get(r, "scored"),
                }
            )
    pf, jf = _read(case / "python" / "features.parquet"), _read(case / "java" / "features.parquet")
    ufuncs = set(py.get("ufunc_features") or [])
    tol = py.get("feature_tolerance") or {}
    ulp_limit = next(
        (float(v) for k, v in tol.items() if k.endswith("_ulps") and isinstance(v, (int, float))), UFUNC_ULPS
    )
    approx = {str(k): float(v) for k, v in (tol.get("approx_features") or {}).items()}
    env = _read(case / "python" / "envelope.parquet")
    env_rows = {} if env is None else {int(r): i for i, r in enumerate(env["row"])}
    if pf is not None and jf is not None:
        # by position: features are positional, and both sides name a repeated scikit-learn name <name>__<k> from
        # its second occurrence (tabscore_export.feature_columns), so the names must agree position by position
        pnames, jnames = list(pf.columns[1:]), list(jf.columns[1:])
        if pnames != jnames:
            k = next(
                (k for k in range(min(len(pnames), len(jnames))) if pnames[k] != jnames[k]),
                min(len(pnames), len(jnames)),
            )
            problems.append(
                {
                    "kind": "feature_missing",
                    "feature": pnames[k] if k < len(pnames) else None,
                    "position": k,
                    "java": jnames[k] if k < len(jnames) else None,
                }
            )
            pf = jf = None
    if pf is not None and jf is not None:
        jrows = {int(r): i for i, r in enumerate(jf["row"])}
        for i, r in enumerate(pf["row"]):
            j = jrows.get(int(r))
            if j is None:
                continue
            for k, name in enumerate(pnames, start=1):
                a, b = float(pf.iloc[i, k]), float(jf.iloc[j, k])
                if _same_bits(a, b):
                    continue
                if name in ufuncs and ulps(a, b) <= ulp_limit:
                    contract_rows.add(int(r))
                    continue
                if within_approx(a, b, approx.get(name)):
                    contract_rows.add(int(r))
                    continue
                k = env_rows.get(int(r))
                if name in ufuncs and k is not None and "lo:" + name in env.columns:
                    # the contract: Java's value within the envelope of numpy's results moved k ulps
                    lo, hi = float(env["lo:" + name].iloc[k]), float(env["hi:" + name].iloc[k])
                    # NaN: the nudged graph refused the row, which then has no envelope
                    if not (np.isnan(lo) or np.isnan(hi)) and min(lo, hi, a) <= b <= max(lo, hi, a):
                        contract_rows.add(int(r))
                        continue
                problems.append(
                    {
                        "kind": "feature",
                        "feature": name,
                        "row": int(r),
                        "python": repr(a),
                        "java": repr(b),
                        "ulps": ulps(a, b),
                        "ufunc": name in ufuncs,
                    }
                )
    po, jo = _read(case / "python" / "outputs.parquet"), _read(case / "java" / "output.parquet")
    otol = py.get("output_tolerance") or {"rtol": 1e-5, "atol": 1e-6}
    if po is not None and jo is not None:
        jrows = {int(r): i for i, r in enumerate(jo["row"])}
        for i, r in enumerate(po["row"]):
            j = jrows.get(int(r))
            if j is None:
                continue
            row_problems: list[dict[str, Any]] = []
            for name in py.get("output_columns", []):
                if name not in jo.columns or name not in po.columns:
                    continue
                a, b = po[name].iloc[i], jo[name].iloc[j]
                if name == "label":
                    if str(a) != str(b):
                        row_problems.append(
                            {"kind": "output", "output": name, "row": int(r), "python": str(a), "java": str(b)}
                        )
                    continue
                a, b = float(a), float(b)
                if a == b or (np.isnan(a) and np.isnan(b)) or abs(a - b) <= otol["atol"] + otol["rtol"] * abs(a):
                    continue
                row_problems.append(
                    {"kind": "output", "output": name, "row": int(r), "python": repr(a), "java": repr(b)}
                )
            if row_problems and int(r) in contract_rows:
                unsettled[CONTRACT_ROWS] += 1  # the network on features the contract allows: not a mismatch
            else:
                problems.extend(row_problems)
    return problems, unsettled
