"""Qt's own command-line options (`annotator -platform xcb`, `-style Fusion`, `-reverse`...), taken
out of the arguments before argparse sees them and handed to QApplication, as every Qt program
accepts them. No Qt import here: the headless commands must not load it."""

from __future__ import annotations

from collections.abc import Sequence

# From the QGuiApplication and QApplication documentation (X11 ones included); each may also be
# written with two dashes or as -option=value.
WITH_VALUE = {
    "platform", "platformpluginpath", "platformtheme", "plugin", "qmljsdebugger",
    "qwindowgeometry", "geometry", "qwindowicon", "icon", "qwindowtitle", "title",
    "style", "stylesheet", "display", "name", "session", "fn", "font", "bg", "background",
    "fg", "foreground", "btn", "button", "visual", "ncols", "cmap",
}  # fmt: skip
FLAGS = {"reverse", "widgetcount", "nograb", "dograb", "sync"}


def split_qt_options(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """(our arguments, Qt's arguments) in their original order."""
    ours: list[str] = []
    qt: list[str] = []
    items = list(argv)
    i = 0
    while i < len(items):
        arg = items[i]
        name = arg.lstrip("-").split("=", 1)[0] if arg.startswith("-") and arg not in ("-", "--") else ""
        if name in FLAGS and "=" not in arg:
            qt.append(arg)
        elif name in WITH_VALUE:
            qt.append(arg)
            if "=" not in arg and i + 1 < len(items):
                qt.append(items[i + 1])
                i += 1
        else:
            ours.append(arg)
        i += 1
    return ours, qt
