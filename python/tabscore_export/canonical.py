"""RFC 8785 canonical JSON and the bundle identity digest (must match bundle-core's canonicaliser)."""

from __future__ import annotations

import hashlib
import math
from typing import Any, Mapping

from .errors import BundleError

# ---------------------------------------------------------------------------------------------------------------
# Canonical JSON (RFC 8785) and the identity digest
# ---------------------------------------------------------------------------------------------------------------

MAX_SAFE_INTEGER = 2**53 - 1


def _jcs_numbers(value: Any) -> Any:
    """Return ``value`` with integers outside +-(2**53-1) turned into floats (JCS numbers are IEEE doubles)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value if abs(value) <= MAX_SAFE_INTEGER else float(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise BundleError(f"canonical JSON cannot hold {value!r}: NaN and Infinity are not JSON numbers")
        return value
    if isinstance(value, Mapping):
        for key in value:
            if not isinstance(key, str):
                raise BundleError(f"canonical JSON object keys must be strings, found {key!r}")
        return {k: _jcs_numbers(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jcs_numbers(v) for v in value]
    raise BundleError(f"canonical JSON cannot hold a {type(value).__name__}: {value!r}")


def canonical_json(obj: Any) -> bytes:
    """Serialize ``obj`` to its RFC 8785 (JSON Canonicalization Scheme) form, as UTF-8 bytes.

    Object keys are sorted by their UTF-16 code units, there is no whitespace, strings use the minimal JSON escapes,
    and numbers use the ECMAScript shortest round-trip form (``1e-05`` -> ``0.00001``, ``1e21`` -> ``1e+21``,
    ``100.0`` -> ``100``, ``-0.0`` -> ``0``). NaN and infinities are rejected.
    """
    import rfc8785

    try:
        return rfc8785.dumps(_jcs_numbers(obj))
    except (rfc8785.CanonicalizationError, ValueError) as exc:  # pragma: no cover - defensive
        raise BundleError(f"cannot canonicalize the value: {exc}") from exc


def manifest_digest(manifest: Mapping[str, Any]) -> str:
    """The bundle identity: ``"sha256:" + hex(sha256(canonical_json(manifest)))``."""
    return "sha256:" + hashlib.sha256(canonical_json(manifest)).hexdigest()
