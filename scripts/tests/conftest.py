"""pytest setup for the scripts/ tests: keep torch on one thread.

The exporter is the installed package (scripts/install-python-deps.sh: `pip install -e ./python`); the tools
they import as modules (scripts/difffuzz, scripts/dirty, scripts/parity) are on the import path through
pytest.ini's `pythonpath`."""

from __future__ import annotations

import torch

torch.set_num_threads(1)
if torch.get_num_interop_threads() != 1:  # settable once per process: both test folders' conftests run in one
    torch.set_num_interop_threads(1)


def pytest_configure(config) -> None:
    """TorchScript is deprecated upstream but it is the format the Java side (DJL) runs: hide that warning."""
    config.addinivalue_line("filterwarnings", "ignore:`torch.jit:DeprecationWarning")
