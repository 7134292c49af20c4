#!/usr/bin/env python3
"""Launcher kept for old commands: ``tabscore-export explain`` (``tabscore_export.explain``, python/, installed by
scripts/install-python-deps.sh)."""

import sys

from tabscore_export import explain

if __name__ == "__main__":
    sys.exit(explain.main())
sys.modules[__name__] = explain  # `import tabscore_explain` yields the package module itself
