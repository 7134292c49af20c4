"""The package's shape: modules by concern without import cycles, the names existing callers use, the schema as
package data, and the launchers kept in scripts/ resolving to the package."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import tabscore_export as tx
from tabscore_export import schema

PACKAGE = Path(tx.__file__).resolve().parent
REPO = Path(__file__).resolve().parents[2]
# Every tx.<name> used by the repository's callers (scripts/, tests, bundle-core's fixture generators, benchmarks)
# when the package was made; they must stay importable from the package root.
CALLER_NAMES = [
    "APPROX_REL",
    "ARROW_TYPES",
    "BundleError",
    "GOLDEN_INPUT",
    "GOLDEN_OUTPUT",
    "HEADS",
    "MANIFEST",
    "OTHER_KEY",
    "PREPROCESSOR",
    "QUANTILES",
    "STATE_DICT",
    "TORCHSCRIPT",
    "UFUNC_ULPS",
    "_torchscript_quiet",
    "_typed_frame",
    "arrow_column",
    "build_sequential",
    "canonical_json",
    "check_consistency",
    "column_dtype",
    "column_statistics",
    "export_bundle",
    "forward_float32",
    "golden_input_table",
    "golden_model_column_names",
    "infer_layers",
    "input_contract",
    "main",
    "manifest_digest",
    "model_columns",
    "output_columns",
    "output_statistics",
    "read_golden_input",
    "read_manifest",
    "read_seed_csv",
    "seal",
    "sklearn_frame",
    "transform_features",
    "transform_rows",
    "ufunc_envelope",
    "validate_bundle",
    "validate_manifest",
    "write_manifest",
    "write_parquet",
]
# Modules that import the package root: the root must not import them (it would import itself half-initialised).
IMPORTERS_OF_THE_ROOT = {"explain", "recipes", "signing"}


def _module_imports() -> dict[str, set[str]]:
    """module -> the package modules it imports at its top level (``from .x import ...`` / ``import tabscore_export``)."""
    graph = {}
    for path in PACKAGE.glob("*.py"):
        deps = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                deps.update([node.module] if node.module else [a.name for a in node.names])
            elif isinstance(node, ast.Import) and any(a.name == "tabscore_export" for a in node.names):
                deps.add("__init__")
        graph[path.stem] = deps
    return graph


def test_modules_import_each_other_without_a_cycle():
    graph = _module_imports()
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        if state.get(module) == "done":
            return
        assert state.get(module) != "open", f"import cycle: {' -> '.join(path + [module])}"
        state[module] = "open"
        for dep in sorted(graph.get(module, ())):
            visit(dep, path + [module])
        state[module] = "done"

    for module in sorted(graph):
        visit(module, [])
    assert not graph["__init__"] & IMPORTERS_OF_THE_ROOT
    assert {"canonical", "contract", "export", "seal", "validate", "cli"} <= set(graph)


def test_the_names_callers_use_are_at_the_package_root():
    assert [n for n in CALLER_NAMES if not hasattr(tx, n)] == []
    assert [n for n in tx.__all__ if not hasattr(tx, n)] == []
    assert (PACKAGE / "py.typed").is_file()


def test_the_schema_ships_as_package_data_and_is_bundle_core_s():
    shipped = (PACKAGE / schema.SCHEMA_RESOURCE).read_bytes()
    assert shipped == (REPO / "bundle-core/src/main/resources/tabscore/manifest.schema.json").read_bytes()
    assert schema.load_schema()["$schema"].startswith("https://json-schema.org/draft/2020-12")


def test_the_launchers_in_scripts_run_the_package():
    bundle = REPO / "sample-data" / "bundle"
    old_command = subprocess.run(
        [sys.executable, str(REPO / "scripts/tabscore_export.py"), "digest", str(bundle)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert old_command.stdout.strip() == tx.manifest_digest(tx.read_manifest(bundle))
    # an old import (scripts/ on the import path, ahead of the installed package) gets the installed package, with
    # one BundleError class
    code = (
        "import tabscore_export, tabscore_recipes, tabscore_explain, tabscore_sign; "
        "from tabscore_export import errors; "
        "print(tabscore_export.__file__, tabscore_recipes.__name__, tabscore_explain.__name__, "
        "tabscore_sign.__name__, tabscore_export.BundleError is errors.BundleError)"
    )
    old_import = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO.parent,
        env={**os.environ, "PYTHONPATH": str(REPO / "scripts")},
    )
    assert old_import.stdout.split() == [
        str(PACKAGE / "__init__.py"),
        "tabscore_export.recipes",
        "tabscore_export.explain",
        "tabscore_export.signing",
        "True",
    ]


def test_the_command_line_holds_explain_and_sign(capsys):
    bundle = REPO / "sample-data" / "bundle"
    assert tx.main(["explain", str(bundle), "--input", str(bundle / tx.GOLDEN_INPUT), "--row-index", "0"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("bundle ") and "features" in lines and "model" in lines
    assert tx.main(["sign", "keyless"]) == 2
    assert "keyless Sigstore signing is not supported" in capsys.readouterr().err
