"""PyInstaller entry point for the frozen `annotator` executable (see packaging/annotator.spec)."""

from annotator.cli import run

if __name__ == "__main__":
    run()
