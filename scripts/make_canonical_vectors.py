#!/usr/bin/env python3
"""Write the RFC 8785 (JCS) test vectors shared by the Python exporter and the Java manifest reader.

Output: ``bundle-core/src/test/resources/canonical/vectors.json``, a JSON list of
``{"input": <json value>, "canonical": "<canonical text>", "sha256": "<hex of sha256(UTF-8 canonical)>"}``.
The file is written with ASCII escapes, so the non-ASCII characters of the inputs survive any editor; the
``canonical`` string, once parsed, is the exact canonical text whose UTF-8 bytes are hashed.
Usage: ``python scripts/make_canonical_vectors.py [--check]`` (``--check``: fail if the file is out of date).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import tabscore_export as tx

REPO_ROOT = Path(__file__).resolve().parent.parent
VECTORS_PATH = REPO_ROOT / "bundle-core" / "src" / "test" / "resources" / "canonical" / "vectors.json"

INPUTS: list[Any] = [
    # numbers: ECMAScript shortest round-trip form
    0,
    -1,
    42,
    9007199254740991,
    -9007199254740991,
    0.1,
    1.5,
    100.0,
    -0.0,
    1e-7,
    -1e-7,
    1e-6,
    1e-05,
    5e-324,
    2.2250738585072014e-308,
    1.7976931348623157e308,
    1e20,
    1e21,
    1e23,
    9007199254740992.0,
    1.2345678901234568e20,
    123456789012345680000,
    0.30000000000000004,
    333333333.3333333,
    4.35,
    123.456,
    -1.5e-10,
    1e-27,
    1e30,
    # literals and strings
    True,
    False,
    None,
    "",
    "hello",
    "\u00e9",
    "\u20ac",
    "\U0001f600",
    "\u2028\u2029",
    "\u0000\u0001\u001f\u007f",
    '"\\/',
    "\b\f\n\r\t",
    "line1\nline2",
    # containers
    [],
    {},
    [1, [2, [3, []]]],
    {"b": 1, "a": 2, "A": 3, "10": 4, "1": 5, "_": 6, "aa": 7, "a\u0000": 8},
    {
        "\u20ac": "euro",
        "\r": "cr",
        "\ufb33": "hebrew",
        "1": "one",
        "\U0001f600": "emoji",
        "\u0080": "ctl",
        "\u00f6": "o-umlaut",
    },
    {
        "numbers": [333333333.3333333, 1e30, 4.5, 2e-3, 1e-27],
        "string": '\u20ac$\u000f\nA\'B"\\\\"/',
        "literals": [None, True, False],
    },
    {
        "name": "seed-binary",
        "version": "1.0.0",
        "classes": ["bronze", "silver", "gold"],
        "golden": {
            "output_tolerance": {"rtol": 1e-05, "atol": 1e-06},
            "feature_tolerance": {"default_abs": 0.0, "ufunc_abs": 1e-14, "ufunc_features": ["log__sqft"]},
        },
        "training": {
            "metrics": {"train_auc": 0.7288693592454295, "epochs": 25},
            "rows": 5000,
            "statistics": {
                "r\u00e9gion": {
                    "frequencies": {"north": 0.31, "\u00e9st": 0.2, "__other__": 0.49},
                    "missing_rate": 0.02,
                    "count": 5000,
                }
            },
        },
        "artifacts": {
            "preprocessor.skops": {
                "bytes": 126006,
                "sha256": "7f0cd88c27247dcd04b72fab71f9e170709f9e34" "84ffb4b45d9aa7ed0ee78b82",
            }
        },
    },
]


def vectors() -> list[dict[str, Any]]:
    """Every input with its canonical text and the sha256 of that text's UTF-8 bytes."""
    out = []
    for value in INPUTS:
        canonical = tx.canonical_json(value)
        out.append(
            {"input": value, "canonical": canonical.decode("utf-8"), "sha256": hashlib.sha256(canonical).hexdigest()}
        )
    return out


def render() -> str:
    """The vectors file text."""
    return json.dumps(vectors(), indent=1, ensure_ascii=True, allow_nan=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) the vectors file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs from what would be written")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = VECTORS_PATH.read_text(encoding="utf-8") if VECTORS_PATH.is_file() else ""
        if current != text:
            print(f"{VECTORS_PATH} is out of date; run scripts/make_canonical_vectors.py", file=sys.stderr)
            return 1
        print(f"{VECTORS_PATH}: up to date ({len(INPUTS)} vectors)")
        return 0
    VECTORS_PATH.parent.mkdir(parents=True, exist_ok=True)
    VECTORS_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {len(INPUTS)} vectors to {VECTORS_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
