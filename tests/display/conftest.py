"""The real-display suite: a real X server (Xvfb), a window manager (openbox) and real input
(xdotool), the app as its own process on the `xcb` platform. Offscreen tests cannot see thread
and window-manager failures; these can.

On CI (CI set) missing tools fail the suite, since .ci/run installs them; elsewhere they skip it."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.display.xsession import XSession, missing_tools


@pytest.fixture(scope="session")
def x_session() -> Iterator[XSession]:
    missing = missing_tools()
    if missing:
        message = f"the real-display tests need {', '.join(missing)} (apt-get install xvfb openbox xdotool)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    session = XSession.start()
    yield session
    session.stop()
