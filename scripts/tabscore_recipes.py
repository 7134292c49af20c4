"""Launcher kept for old imports: the recipes are ``tabscore_export.recipes`` (python/, installed by
scripts/install-python-deps.sh)."""

import sys

from tabscore_export import recipes

sys.modules[__name__] = recipes  # `import tabscore_recipes` yields the package module itself
