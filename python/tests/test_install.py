"""`pip install ./python` into a fresh virtualenv: the package installs with its declared dependencies, `pip check`
finds nothing missing for it, the `tabscore-export` command runs, and README.md's training-side example, run
outside the checkout with no sys.path edits, exports a bundle that the installed `tabscore-export validate`
accepts; and every module the package's code imports is the standard library's or a declared dependency's.

The virtualenv is made with --system-site-packages: a fresh torch install (a 527 MB wheel, ~3 GB of CUDA wheels,
or the CUDA stand-ins of scripts/cuda_stubs.py) is too heavy for a test, so the dependencies are those of the
interpreter running the tests. pip must find every declared one there (it installs nothing else but the package;
its build backend comes through pip's build isolation, from PyPI or pip's cache, as for any user); that the
package needs nothing undeclared is checked on its imports instead, mapped to the distributions holding them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Run in the virtualenv: the README example, then every module the installed package's code imports (at the top
# or inside a function), mapped to its distribution, less the distributions the package declares (extras included).
UNDECLARED = r"""
import ast, importlib.metadata as md, json, pathlib, re, runpy, sys
runpy.run_path(sys.argv[1], run_name="__main__")
import tabscore_export
from packaging.requirements import Requirement
key = lambda name: re.sub(r"[-_.]+", "-", name).lower()
imported = set()
for path in pathlib.Path(tabscore_export.__file__).parent.glob("*.py"):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.add(node.module.split(".")[0])
imported -= set(sys.stdlib_module_names) | {"tabscore_export"}
owners = md.packages_distributions()
used = {key(d) for m in imported for d in owners.get(m, [m])}
declared = {key(Requirement(r).name) for r in md.requires("tabscore-export")}
print(json.dumps({"undeclared": sorted(used - declared), "used": sorted(used), "package": tabscore_export.__file__}))
"""


def readme_example() -> str:
    """The README's training-side example: its python block that imports tabscore_export."""
    blocks = re.findall(r"```python\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.S)
    return next(b for b in blocks if "import tabscore_export" in b)


def run(*cmd: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True)
    assert out.returncode == 0, f"{cmd} failed ({out.returncode}):\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out


def test_pip_install_into_a_fresh_virtualenv(tmp_path):
    # a copy of python/ (links resolved: the schema link becomes the file), so the build leaves the checkout alone
    src = tmp_path / "src"
    shutil.copytree(
        REPO / "python",
        src,
        symlinks=False,
        ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", "tests"),
    )
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--system-site-packages", venv, cwd=tmp_path)
    py, cli = venv / "bin" / "python", venv / "bin" / "tabscore-export"
    run(py, "-m", "pip", "install", "--disable-pip-version-check", "-q", src, cwd=tmp_path)

    check = subprocess.run([py, "-m", "pip", "check"], capture_output=True, text=True, cwd=tmp_path)
    # the base interpreter's torch lacks its CUDA wheels by design (scripts/README.python.md): only that is allowed
    assert [line for line in check.stdout.splitlines() if line.lower().startswith("tabscore-export")] == []

    help_text = run(cli, "--help", cwd=tmp_path).stdout
    for command in ("export-demo", "seal", "digest", "validate", "explain", "sign"):
        assert command in help_text

    work = tmp_path / "work"
    work.mkdir()
    (work / "example.py").write_text(readme_example(), encoding="utf-8")
    (work / "undeclared.py").write_text(UNDECLARED, encoding="utf-8")
    result = run(py, "undeclared.py", "example.py", cwd=work)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["package"].startswith(str(venv)), report
    assert report["undeclared"] == [], report
    assert {"scikit-learn", "torch", "skops", "pandas", "pyarrow", "numpy"} <= set(report["used"]), report
    digest = result.stdout.strip().splitlines()[-2]

    bundle = work / "bundles" / "churn-1.0.0"
    validated = run(cli, "validate", bundle, cwd=work).stdout
    assert validated.startswith(f"OK {bundle}  {digest}")
    assert run(cli, "digest", bundle, cwd=work).stdout.strip() == digest
