"""Light and dark: follow the system colour scheme (Qt 6.5+ ``QStyleHints.colorScheme``) or a
choice kept in the settings (View > Theme). Only the palette changes; widgets that draw their own
colours ask ``is_dark()``."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark")


def dark_palette() -> QPalette:
    """A calm dark palette (Fusion-style roles) with enough contrast for long reading."""
    p = QPalette()
    roles = QPalette.ColorRole
    colours = {
        roles.Window: "#2b2d30",
        roles.WindowText: "#e6e6e6",
        roles.Base: "#1f2023",
        roles.AlternateBase: "#2a2c30",
        roles.ToolTipBase: "#3a3d42",
        roles.ToolTipText: "#f0f0f0",
        roles.PlaceholderText: "#a0a4ab",
        roles.Text: "#e8e8e8",
        roles.Button: "#33363a",
        roles.ButtonText: "#e6e6e6",
        roles.BrightText: "#ff6b6b",
        roles.Light: "#4a4d52",
        roles.Midlight: "#3d4045",
        roles.Mid: "#7a7e85",
        roles.Dark: "#18191b",
        roles.Shadow: "#000000",
        roles.Highlight: "#3d6fb4",
        roles.HighlightedText: "#ffffff",
        roles.Link: "#7fb0ff",
        roles.LinkVisited: "#c39bff",
    }
    for role, name in colours.items():
        p.setColor(role, QColor(name))
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7d8086"))
    return p


def is_dark(palette: QPalette | None = None) -> bool:
    pal = palette or QGuiApplication.palette()
    return pal.color(QPalette.ColorRole.Base).lightness() < 128


def system_is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


class ThemeManager(QObject):
    """Applies the chosen theme to the application and follows the system when asked to."""

    changed = Signal(bool)  # True when the result is dark

    def __init__(self, app: QApplication, choice: str = "system") -> None:
        super().__init__(app)
        self._app = app
        self._light = QPalette(app.palette())  # what the style gave us: the light default
        if is_dark(self._light):
            self._light = app.style().standardPalette()
        self.choice = choice if choice in THEMES else "system"
        self.system_dark = system_is_dark()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_changed)

    def set_choice(self, choice: str) -> None:
        self.choice = choice if choice in THEMES else "system"
        self.apply()

    def wants_dark(self) -> bool:
        return self.choice == "dark" or (self.choice == "system" and self.system_dark)

    def apply(self) -> None:
        dark = self.wants_dark()
        if dark:
            self._app.setStyle("Fusion")  # draws every control from the palette
        self._app.setPalette(dark_palette() if dark else self._light)
        self.changed.emit(dark)

    def _system_changed(self, scheme: Qt.ColorScheme) -> None:
        self.system_dark = scheme == Qt.ColorScheme.Dark
        if self.choice == "system":
            self.apply()


def theme_manager(choice: str = "system") -> ThemeManager:
    """The application's one ThemeManager (created, with ``choice``, on first use)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    # Kept on the application object, not looked up with findChild: findChild wraps every child of
    # the application for its type check, which cost ~50 ms of the first window.
    existing = getattr(app, "_annotator_theme_manager", None)
    if isinstance(existing, ThemeManager):
        return existing
    manager = ThemeManager(app, choice)
    manager.setObjectName("themeManager")
    app._annotator_theme_manager = manager  # type: ignore[attr-defined]
    if manager.choice != "system" or manager.wants_dark():
        manager.apply()
    return manager
