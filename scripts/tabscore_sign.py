#!/usr/bin/env python3
"""Launcher kept for old commands: ``tabscore-export sign`` (``tabscore_export.signing``, python/, installed by
scripts/install-python-deps.sh)."""

import sys

from tabscore_export import signing

if __name__ == "__main__":
    sys.exit(signing.main())
sys.modules[__name__] = signing  # `import tabscore_sign` yields the package module itself
