"""Annotator: a desktop tool for annotating text spans and exporting training data."""

from __future__ import annotations

from functools import cache


@cache
def package_version() -> str:
    """The installed version; looked up on demand because importlib.metadata costs ~60 ms at start."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("annotator")
    except PackageNotFoundError:  # running from a source checkout that was never installed
        return "0.0.0+source"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return package_version()
    raise AttributeError(name)
