"""The exporter's one exception type."""

from __future__ import annotations


class BundleError(Exception):
    """A bundle (or the inputs to build one) is not valid; the message says what and where."""
