"""The real-display suite: a real X server (Xvfb), a window manager (openbox) and real input
(xdotool), the app as its own process on the `xcb` platform. Offscreen tests cannot see thread
and window-manager failures; these can. The `x_session` fixture lives in tests/conftest.py (the
installed-wheel test uses it too)."""
