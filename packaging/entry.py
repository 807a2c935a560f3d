"""PyInstaller entry point for the frozen `annotator` executable (see packaging/annotator.spec)."""

import multiprocessing

from annotator.cli import run

if __name__ == "__main__":
    multiprocessing.freeze_support()  # recommenders train in a spawned child process (issue #14)
    run()
