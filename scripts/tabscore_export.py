#!/usr/bin/env python3
"""Launcher kept for old commands and imports. The exporter is the ``tabscore_export`` package in python/,
installed by scripts/install-python-deps.sh (``pip install -e ./python``: editable, so the checkout's code runs;
command ``tabscore-export``). This file hands over to the installed package.

This file has the package's name, so when scripts/ is on the import path (always, when a script in scripts/ runs)
``import tabscore_export`` finds it first; it then loads the installed package with the import system's own
finders, looking past this folder, and puts the package in its place in ``sys.modules``. The import path itself
is left as it is."""

import importlib.machinery
import importlib.util
import sys
from pathlib import Path

_NAME = "tabscore_export"
_HERE = Path(__file__).resolve().parent


def _not_here(entry: str) -> bool:
    try:
        return Path(entry or ".").resolve() != _HERE
    except OSError:
        return True


def _load_package():
    """The installed package (a module with ``__path__``), loaded under its own name."""
    loaded = sys.modules.get(_NAME)
    if loaded is not None and hasattr(loaded, "__path__"):
        return loaded
    elsewhere = [entry for entry in sys.path if _not_here(entry)]
    for finder in sys.meta_path:
        find_spec = getattr(finder, "find_spec", None)
        if find_spec is None:
            continue
        path = elsewhere if finder is importlib.machinery.PathFinder else None
        spec = find_spec(_NAME, path)
        if spec is not None and spec.submodule_search_locations is not None:
            break
    else:
        raise ImportError(
            "the tabscore_export package is not installed in this Python "
            f"({sys.executable}): run scripts/install-python-deps.sh (pip install -e ./python)",
            name=_NAME,
        )
    package = importlib.util.module_from_spec(spec)
    sys.modules[_NAME] = package  # before it runs: its modules import the package by name
    try:
        spec.loader.exec_module(package)
    except BaseException:
        del sys.modules[_NAME]
        raise
    return package


if __name__ == "__main__":
    sys.exit(_load_package().main(prog="tabscore_export.py"))
else:  # imported under the package's name: `import tabscore_export` yields the package itself
    _load_package()
