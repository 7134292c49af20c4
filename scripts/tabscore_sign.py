#!/usr/bin/env python3
"""Launcher kept for old commands: ``tabscore-export sign`` (``tabscore_export.signing``, python/)."""
import sys
from pathlib import Path

_PYTHON = str(Path(__file__).resolve().parent.parent / "python")
if sys.path[:1] != [_PYTHON]:  # first, also ahead of scripts/ (which holds launchers of the same names)
    sys.path.insert(0, _PYTHON)
from tabscore_export import signing  # noqa: E402

if __name__ == "__main__":
    sys.exit(signing.main())
sys.modules[__name__] = signing  # `import tabscore_sign` yields the package module itself
