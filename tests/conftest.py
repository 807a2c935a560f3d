"""Test set-up shared by every test module."""

import os

# pytest-qt aborts without a display unless this is set before Qt loads (DESIGN.md section 9).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
