#!/usr/bin/env bash
# Installs the Python dependencies of python/ and scripts/ (exporter, sample data, parity set, tests) idempotently,
# then the exporter package (python/) itself.
#
#   scripts/install-python-deps.sh            # into the python3 on PATH (or $PYTHON)
#   PYTHON=.venv/bin/python scripts/install-python-deps.sh
#
# Every package of the closure is pinned in scripts/requirements.txt (and requirements-signing.txt:
# model_signing for scripts/tabscore_sign.py) and installed with --no-deps: the PyPI
# torch wheel is a CUDA build whose declared nvidia-* dependencies weigh about 3 GB and are useless on a CPU.
# scripts/cuda_stubs.py then builds tiny stand-ins for the CUDA libraries torch links against (needs cc and
# readelf), so that `import torch` works on a machine without them. If a torch wheel was already downloaded,
# point TORCH_WHEEL_DIR at its folder (default /tmp/whl) to skip the 527 MB download.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
REQS=(scripts/requirements.txt scripts/requirements-signing.txt)
WHEEL_DIR="${TORCH_WHEEL_DIR:-/tmp/whl}"

"$PY" - <<'PYCHECK'
import sys
if sys.version_info[:2] != (3, 11):
    sys.exit(f"tabscore scripts need Python 3.11 (the pins are for cp311), found {sys.version.split()[0]}")
PYCHECK

if "$PY" - "${REQS[@]}" <<'PYCHECK'
import sys, importlib.metadata as md, re
bad = []
for line in (l for f in sys.argv[1:] for l in open(f)):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    name, version = re.split(r"==", line)
    try:
        have = md.version(name)
    except md.PackageNotFoundError:
        have = None
    if have is None or have.split("+")[0] != version:
        bad.append(f"{name} (want {version}, have {have})")
if bad:
    print("install-python-deps: to install: " + ", ".join(bad))
    sys.exit(1)
PYCHECK
then
  echo "install-python-deps: all pinned packages already installed"
else
  extra=()
  if [ -d "$WHEEL_DIR" ]; then extra=(--find-links "$WHEEL_DIR"); fi
  "$PY" -m pip install --no-deps --disable-pip-version-check "${extra[@]}" -r "${REQS[0]}" -r "${REQS[1]}"
fi

"$PY" scripts/cuda_stubs.py
# The exporter itself, editable (`pip install -e ./python`): the interpreter imports this checkout's python/ (through
# the finder setuptools installs), so the repository's scripts, tests and tools import the package the way users
# do, with no sys.path edits, and run the code of this checkout. Its declared dependencies are all among the pins
# above, so pip fetches only the build backend (setuptools). Re-installed every time: it is cheap, and it points
# the interpreter at this checkout (python/tests/test_install.py tests a regular, non-editable install).
rm -rf python/build
"$PY" -m pip install --disable-pip-version-check -q -e ./python
"$PY" -c "import torch, sklearn, skops, pandas, pyarrow, jsonschema, rfc8785, model_signing, OpenSSL, tabscore_export; \
import pathlib; assert pathlib.Path(tabscore_export.__file__).resolve().parent == pathlib.Path('python/tabscore_export').resolve(), \
f'tabscore_export imports from {tabscore_export.__file__}, not this checkout'; \
m = torch.jit.trace(torch.nn.Linear(2, 1).eval(), torch.zeros(1, 2)); \
print('install-python-deps: ok: torch', torch.__version__, 'cuda', torch.cuda.is_available(), \
'| scikit-learn', sklearn.__version__, '| skops', skops.__version__, '| pandas', pandas.__version__, \
'| model_signing', model_signing.__version__, '| tabscore_export', tabscore_export.__version__)"
