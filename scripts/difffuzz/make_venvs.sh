#!/usr/bin/env bash
# One virtualenv per scikit-learn release for the differential fuzzer (difffuzz.py --releases ...):
#   scripts/difffuzz/make_venvs.sh [RELEASE ...]      default: 1.2.2 1.4.2 1.6.1 1.8.0
# under $TABSCORE_SK_VENVS (default ~/.cache/tabscore/sk-venvs: outside the repository), as sk-RELEASE.
# An existing one is reused (and given the two things below if it lacks them). Each pins a numpy / scipy /
# pandas / pyarrow / skops that install on Python 3.11 with that release. torch is not installed: a .pth file
# (tabscore-system-site.pth) names the system site-packages (the pinned training stack's torch), read after the
# venv's own, so the venv's numpy/pandas/scikit-learn win. The exporter is installed editable from this checkout
# with `pip install -e ./python --no-deps` (its declared dependencies are the venv's pins, older than the
# package's own pins allow for torch), so cases.py runs the checkout's exporter.
set -euo pipefail
root="$(realpath -m "${TABSCORE_SK_VENVS:-$HOME/.cache/tabscore/sk-venvs}")"
cd "$(dirname "$0")/../.."
py="${PYTHON:-python3}"
torch_site="$("$py" -c 'import pathlib, torch; print(pathlib.Path(torch.__file__).resolve().parent.parent)')"
checkout="$(pwd)/python"
finish() {  # the system torch and this checkout's exporter, into venv $1
  local dir="$1" site
  site="$("$dir/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  echo "$torch_site" > "$site/tabscore-system-site.pth"
  if [ "$("$dir/bin/python" -c 'import pathlib, tabscore_export as t; print(pathlib.Path(t.__file__).parent.parent)' \
        2>/dev/null)" != "$checkout" ]; then
    "$dir/bin/pip" install -q --disable-pip-version-check --no-deps -e ./python
  fi
  "$dir/bin/python" -c "import torch, tabscore_export"
}
pins() {
  case "$1" in
    1.2.*) echo "numpy==1.26.4 scipy==1.11.4 pandas==2.1.4 pyarrow==16.1.0 skops==0.9.0" ;;
    1.3.*) echo "numpy==1.26.4 scipy==1.11.4 pandas==2.1.4 pyarrow==16.1.0 skops==0.9.0" ;;
    1.4.*) echo "numpy==1.26.4 scipy==1.13.1 pandas==2.2.3 pyarrow==17.0.0 skops==0.10.0" ;;
    1.5.*) echo "numpy==1.26.4 scipy==1.13.1 pandas==2.2.3 pyarrow==17.0.0 skops==0.10.0" ;;
    1.6.*) echo "numpy==2.2.6 scipy==1.15.3 pandas==2.2.3 pyarrow==19.0.1 skops==0.11.0" ;;
    1.7.*) echo "numpy==2.2.6 scipy==1.15.3 pandas==2.2.3 pyarrow==19.0.1 skops==0.12.0" ;;
    1.8.*) echo "numpy==2.3.5 scipy==1.16.3 pandas==2.3.3 pyarrow==21.0.0 skops==0.13.0" ;;
    1.9.*) echo "numpy==2.4.0 scipy==1.16.3 pandas==2.3.3 pyarrow==21.0.0 skops==0.14.0" ;;
    *) echo "make_venvs.sh: no pins for scikit-learn $1" >&2; return 1 ;;
  esac
}
releases=("$@")
[ ${#releases[@]} -gt 0 ] || releases=(1.2.2 1.4.2 1.6.1 1.8.0)
mkdir -p "$root"
for v in "${releases[@]}"; do
  dir="$root/sk-$v"
  if [ -x "$dir/bin/python" ] && "$dir/bin/python" -c "import sklearn, pyarrow, skops" 2>/dev/null; then
    echo "sk-$v: reusing $dir"
    finish "$dir"
    continue
  fi
  echo "sk-$v: creating $dir"
  "$py" -m venv "$dir"
  # shellcheck disable=SC2046
  "$dir/bin/pip" install -q --disable-pip-version-check --only-binary=:all: "scikit-learn==$v" $(pins "$v") \
    jsonschema
  "$dir/bin/python" -c "import sklearn, numpy, pandas, pyarrow, skops; print('sk-$v:', sklearn.__version__, \
'numpy', numpy.__version__, 'pandas', pandas.__version__, 'pyarrow', pyarrow.__version__, 'skops', skops.__version__)"
  finish "$dir"
done
