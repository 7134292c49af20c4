#!/usr/bin/env python3
"""Launcher kept for old commands and imports. The exporter is the ``tabscore_export`` package in python/
(``pip install ./python``, command ``tabscore-export``); this file runs this checkout's copy of it, and
``import tabscore_export`` with scripts/ on sys.path gets that package, not this file."""
import sys
from pathlib import Path

_PYTHON = str(Path(__file__).resolve().parent.parent / "python")
if sys.path[:1] != [_PYTHON]:  # first, also ahead of scripts/ (which holds launchers of the same names)
    sys.path.insert(0, _PYTHON)
if __name__ != "__main__":
    del sys.modules[__name__]  # imported under the package's name: make way for the package itself
import tabscore_export  # noqa: E402  (python/tabscore_export: python/ now comes before scripts/)

if __name__ == "__main__":
    sys.exit(tabscore_export.main(prog="tabscore_export.py"))
