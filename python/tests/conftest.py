"""pytest setup for the package's tests: test this checkout's python/ source, keep torch on one thread."""
from __future__ import annotations

import sys
from pathlib import Path

# The source next to these tests, not whatever copy `pip install ./python` last put into a shared interpreter
# (test_install.py tests the installed package itself, in a fresh virtualenv).
PYTHON = Path(__file__).resolve().parent.parent
if str(PYTHON) not in sys.path:
    sys.path.insert(0, str(PYTHON))

import torch  # noqa: E402

torch.set_num_threads(1)
if torch.get_num_interop_threads() != 1:  # settable once per process: both test folders' conftests run in one
    torch.set_num_interop_threads(1)


def pytest_configure(config) -> None:
    """TorchScript is deprecated upstream but it is the format the Java side (DJL) runs: hide that warning."""
    config.addinivalue_line("filterwarnings", "ignore:`torch.jit:DeprecationWarning")
