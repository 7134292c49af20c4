#!/usr/bin/env python3
"""Launcher kept for old commands: ``tabscore-export explain`` (``tabscore_export.explain``, python/)."""
import sys
from pathlib import Path

_PYTHON = str(Path(__file__).resolve().parent.parent / "python")
if sys.path[:1] != [_PYTHON]:  # first, also ahead of scripts/ (which holds launchers of the same names)
    sys.path.insert(0, _PYTHON)
from tabscore_export import explain  # noqa: E402

if __name__ == "__main__":
    sys.exit(explain.main())
sys.modules[__name__] = explain  # `import tabscore_explain` yields the package module itself
