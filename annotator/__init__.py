"""Annotator: a desktop tool for annotating text spans and exporting training data."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("annotator")
except PackageNotFoundError:  # running from a source checkout that was never installed
    __version__ = "0.0.0+source"
