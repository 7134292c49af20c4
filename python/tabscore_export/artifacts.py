"""The files of a bundle and their sha256 (the manifest's ``artifacts``)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from .constants import MANIFEST

# ---------------------------------------------------------------------------------------------------------------
# Files, hashes, the schema
# ---------------------------------------------------------------------------------------------------------------


def file_sha256(path: str | os.PathLike[str]) -> str:
    """Lower-case hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def bundle_files(bundle_dir: Path) -> list[str]:
    """Every regular file under ``bundle_dir`` except manifest.json, as sorted '/'-separated relative paths."""
    files = []
    for path in sorted(bundle_dir.rglob("*")):
        if path.is_file():
            rel = path.relative_to(bundle_dir).as_posix()
            if rel != MANIFEST:
                files.append(rel)
    return files


def artifact_entries(bundle_dir: Path) -> dict[str, dict[str, Any]]:
    """``{path: {"bytes", "sha256"}}`` for every file of the bundle except manifest.json."""
    return {
        rel: {"bytes": (bundle_dir / rel).stat().st_size, "sha256": file_sha256(bundle_dir / rel)}
        for rel in bundle_files(bundle_dir)
    }
