"""Launcher kept for old imports: the recipes are ``tabscore_export.recipes`` (python/, ``pip install ./python``)."""
import sys
from pathlib import Path

_PYTHON = str(Path(__file__).resolve().parent.parent / "python")
if sys.path[:1] != [_PYTHON]:  # first, also ahead of scripts/ (which holds launchers of the same names)
    sys.path.insert(0, _PYTHON)
from tabscore_export import recipes  # noqa: E402

sys.modules[__name__] = recipes  # `import tabscore_recipes` yields the package module itself
