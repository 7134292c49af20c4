"""Timestamps and the library versions a bundle records."""

from __future__ import annotations

import datetime as _dt
import platform

import numpy as np
import pandas as pd
import pyarrow as pa


def utc_now() -> str:
    """The current time as RFC 3339 UTC with seconds, e.g. 2026-11-22T08:00:00Z."""
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def current_versions(**overrides: str) -> dict[str, str]:
    """Versions of the libraries in this Python process (what ``export_bundle`` records)."""
    import sklearn
    import skops
    import torch

    versions = {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "skops": skops.__version__,
        "torch": torch.__version__,
        "pyarrow": pa.__version__,
    }
    try:
        import scipy

        versions["scipy"] = scipy.__version__
    except ImportError:  # pragma: no cover - scipy comes with scikit-learn
        pass
    versions.update(overrides)
    return versions
