"""pytest setup for the scripts/ tests: import the exporter package and the scripts as modules, keep torch on one
thread."""
from __future__ import annotations

import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))
if str(SCRIPTS / "parity") not in sys.path:
    sys.path.insert(0, str(SCRIPTS / "parity"))
# the exporter package of this checkout (python/), ahead of any installed copy and of scripts/' launchers
PYTHON = SCRIPTS.parent / "python"
if str(PYTHON) not in sys.path:
    sys.path.insert(0, str(PYTHON))

import torch  # noqa: E402

torch.set_num_threads(1)
if torch.get_num_interop_threads() != 1:  # settable once per process: both test folders' conftests run in one
    torch.set_num_interop_threads(1)


def pytest_configure(config) -> None:
    """TorchScript is deprecated upstream but it is the format the Java side (DJL) runs: hide that warning."""
    config.addinivalue_line("filterwarnings", "ignore:`torch.jit:DeprecationWarning")
