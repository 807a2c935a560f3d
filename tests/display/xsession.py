"""A real X display for tests: Xvfb with a window manager, driven by xdotool (real input events).

The app runs as a separate process on the `xcb` platform, exactly as a person starts it. Windows
are found by title with `xdotool search --sync`, so a step waits for the window it needs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

TOOLS = ("Xvfb", "openbox", "xdotool")
SCREEN = "1400x900x24"


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


class XError(AssertionError):
    """A step of the scripted session did not happen (a window never appeared, a tool failed)."""


@dataclass
class XSession:
    display: str
    processes: list[subprocess.Popen] = field(default_factory=list)

    @classmethod
    def start(cls, screen: str = SCREEN) -> XSession:
        read_fd, write_fd = os.pipe()
        xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", screen, "-nolisten", "tcp", "-noreset"],
            pass_fds=(write_fd,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write_fd)
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            xvfb.kill()
            raise XError("Xvfb did not start")
        session = cls(display=f":{number}", processes=[xvfb])
        config = Path(tempfile.mkdtemp(prefix="annotator-openbox-"))
        session.processes.append(
            subprocess.Popen(
                ["openbox", "--sm-disable", "--config-file", str(_openbox_config(config))],
                env=session.env(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        session._wait_for_window_manager()
        return session

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "WAYLAND_DISPLAY"}
        env.update({"DISPLAY": self.display, "QT_QPA_PLATFORM": "xcb", **extra})
        return env

    def _wait_for_window_manager(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            # The window manager publishes the number of desktops once it manages the screen.
            probe = subprocess.run(
                ["xdotool", "get_num_desktops"], env=self.env(), capture_output=True, text=True
            )
            if probe.returncode == 0 and probe.stdout.strip() not in ("", "0"):
                return
            time.sleep(0.1)
        raise XError("the window manager did not start")

    def screenshot(self, path: Path) -> bool:
        """The whole screen as a PNG (needs ImageMagick's `import`); for diagnosing a failed step."""
        if shutil.which("import") is None:
            return False
        done = subprocess.run(["import", "-window", "root", str(path)], env=self.env(), capture_output=True)
        return done.returncode == 0

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()


def _openbox_config(folder: Path) -> Path:
    """Openbox with no decorations' surprises: new windows take the focus (as on a desktop)."""
    path = folder / "rc.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<openbox_config xmlns="http://openbox.org/3.4/rc">'
        "<focus><focusNew>yes</focusNew><followMouse>no</followMouse></focus>"
        "<placement><policy>Smart</policy></placement></openbox_config>\n"
    )
    return path


class Xdo:
    """Real keyboard and mouse input through xdotool, on the session's display."""

    def __init__(self, session: XSession, pid: int | None = None) -> None:
        self.session = session
        self.pid = pid

    def run(self, *args: str, timeout: float = 30.0) -> str:
        try:
            done = subprocess.run(
                ["xdotool", *args], env=self.session.env(), capture_output=True, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired:
            raise XError(f"xdotool {' '.join(args)} did not finish in {timeout:.0f} s") from None
        if done.returncode != 0:
            raise XError(f"xdotool {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def find(self, title: str) -> list[str]:
        """Visible windows of the app whose title matches the regular expression ``title``."""
        args = ["search", "--all", "--onlyvisible"]
        if self.pid is not None:
            args += ["--pid", str(self.pid)]
        try:
            return self.run(*args, "--name", title, timeout=5).split()
        except XError:
            return []  # xdotool exits 1 when nothing matches

    def wait_window(self, title: str, timeout: float = 30.0, alive: subprocess.Popen | None = None) -> str:
        """Wait until a window titled ``title`` is shown, then give it the keyboard focus."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.find(title)
            if found:
                window = found[-1]
                self.focus(window)
                return window
            if alive is not None and alive.poll() is not None:
                raise XError(f"the app exited with {alive.returncode} while waiting for '{title}'")
            time.sleep(0.1)
        raise XError(f"no window titled '{title}' appeared within {timeout:.0f} s")

    def wait_gone(self, title: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.find(title):
                return
            time.sleep(0.1)
        raise XError(f"the window titled '{title}' did not close within {timeout:.0f} s")

    def dismiss(self, title: str, key: str = "Return", attempts: int = 3) -> None:
        """Answer the window titled ``title`` with ``key`` and wait until it closes. A key that
        arrives while the toolkit is still mapping the window can be lost (a person would press it
        again), so it is pressed again; a window that never closes fails the step."""
        for _ in range(attempts):
            found = self.find(title)
            if not found:
                return
            self.focus(found[-1])
            self.key(key)
            try:
                self.wait_gone(title, timeout=5)
                return
            except XError:
                continue
        raise XError(
            f"the window titled '{title}' did not close after {attempts} presses of {key} "
            f"(windows: {self.describe()})"
        )

    def describe(self) -> str:
        """The app's visible windows and which has the focus, for failure messages."""
        names = []
        for window in self.find("."):
            try:
                names.append(f"{window} {self.run('getwindowname', window, timeout=5).strip()!r}")
            except XError:
                continue
        try:
            focused = self.run("getwindowfocus", timeout=5).strip()
        except XError:
            focused = "?"
        return f"{'; '.join(names)}; focus {focused}"

    def focus(self, window: str) -> None:
        self.run("windowactivate", "--sync", window, timeout=10)
        self.run("windowfocus", "--sync", window, timeout=10)
        time.sleep(0.15)  # let the toolkit take the focus-in event before keys arrive

    def key(self, *keys: str) -> None:
        self.run("key", "--clearmodifiers", "--delay", "40", *keys)

    def type(self, text: str) -> None:
        self.run("type", "--clearmodifiers", "--delay", "15", text)

    def geometry(self, window: str) -> tuple[int, int, int, int]:
        """x, y, width, height of a window on the screen."""
        values = dict(
            line.split("=", 1)
            for line in self.run("getwindowgeometry", "--shell", window).split()
            if "=" in line
        )
        return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])

    def drag(self, x1: int, y1: int, x2: int, y2: int) -> None:
        self.run("mousemove", "--sync", str(x1), str(y1))
        self.run("mousedown", "1")
        for step in range(1, 6):
            self.run("mousemove", "--sync", str(x1 + (x2 - x1) * step // 5), str(y1 + (y2 - y1) * step // 5))
        self.run("mouseup", "1")

    def click(self, x: int, y: int, repeat: int = 1) -> None:
        self.run("mousemove", "--sync", str(x), str(y))
        self.run("click", "--repeat", str(repeat), "--delay", "80", "1")


def start_app(
    session: XSession,
    args: Sequence[str],
    home: Path,
    python: str | None = None,
    extra_env: dict | None = None,
) -> subprocess.Popen:
    """The app as a person starts it: its own process, the xcb platform, a home folder of its own."""
    env = session.env(
        HOME=str(home),
        ANNOTATOR_DATA_DIR=str(home / "data"),
        ANNOTATOR_CHECK_THREADS="1",
        **(extra_env or {}),
    )
    env.pop("ANNOTATOR_DB", None)
    command = [python, "-m", "annotator", *args] if python else ["annotator", *args]
    return subprocess.Popen(
        command,
        env=env,
        cwd=home,
        stdin=subprocess.DEVNULL,
        stdout=(home / "stdout.txt").open("wb"),
        stderr=(home / "stderr.txt").open("wb"),
    )
