"""PyInstaller entry point for the frozen `annotator` executable (see packaging/annotator.spec)."""

import sys

from annotator.cli import main

if __name__ == "__main__":
    sys.exit(main())
