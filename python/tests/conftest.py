"""pytest setup for the package's tests: keep torch on one thread.

The package under test is the installed one: scripts/install-python-deps.sh installs python/ editable
(`pip install -e ./python`), so an edit of the checkout is tested without reinstalling; test_install.py tests a
regular install in a fresh virtualenv."""

from __future__ import annotations

import torch

torch.set_num_threads(1)
if torch.get_num_interop_threads() != 1:  # settable once per process: both test folders' conftests run in one
    torch.set_num_interop_threads(1)


def pytest_configure(config) -> None:
    """TorchScript is deprecated upstream but it is the format the Java side (DJL) runs: hide that warning."""
    config.addinivalue_line("filterwarnings", "ignore:`torch.jit:DeprecationWarning")
