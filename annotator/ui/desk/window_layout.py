"""The desk's panels: documents | article | labels, spans and guidelines, in splitters whose sizes
are remembered. In a small window the side panels give way first, so the article keeps a
readable width."""

from __future__ import annotations

import base64

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from annotator.services.settings import Settings

SIDE_MIN = {0: 190, 2: 230}  # below this a side panel collapses instead of crushing its contents
ARTICLE_COMFORT = 460  # px the article gets before side panels are allowed to keep their width
LAYOUT_KEY = "desk_layout"


def titled(title: str, widget: QWidget) -> tuple[QWidget, QLabel]:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(4, 6, 4, 0)
    heading = QLabel(f"<b>{title}</b>")
    layout.addWidget(heading)
    layout.addWidget(widget, 1)
    return box, heading


class DeskSplitter(QSplitter):
    """The main horizontal splitter. The side panels have preferred widths (the last the person
    chose); on every resize the article gets a readable width first, then the side panels their
    preferred widths as far as room allows: the document list shrinks, then the right panel,
    then the document list folds away, then the right panel. Enlarging gives the room back."""

    def __init__(self, orientation: Qt.Orientation) -> None:
        super().__init__(orientation)
        self.preferred = [290, 370]  # document list, right panel
        self.splitterMoved.connect(self._remember)

    def _remember(self, _pos: int = 0, _index: int = 0) -> None:
        sizes = self.sizes()
        self.preferred = [sizes[0], sizes[2]]

    def set_sizes(self, sizes: list[int]) -> None:
        """Sizes chosen by the person (a menu toggle, remembered state): kept as preferred."""
        self.setSizes(sizes)
        self.preferred = [sizes[0], sizes[2]]  # the splitter may not be laid out yet

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        sizes = self.sizes()
        if len(sizes) != 3:
            return
        total = sum(sizes)
        article = self.widget(1)
        want = max(article.minimumSizeHint().width(), article.minimumWidth(), min(ARTICLE_COMFORT, total))
        left, right = self.preferred
        over = left + right - (total - want)
        for index in (0, 2):  # shrink towards the minimum, the document list first
            if over <= 0:
                break
            width = left if index == 0 else right
            give = min(over, max(0, width - SIDE_MIN[index]))
            over -= give
            if index == 0:
                left -= give
            else:
                right -= give
        if over > 0 and left > 0:  # still too narrow: fold the document list away
            over -= left
            left = 0
        if over > 0:
            right = 0
        self.setSizes([left, max(0, total - left - right), right])


def _encode(data: QByteArray) -> str:
    return base64.b64encode(bytes(data.data())).decode("ascii")


def _decode(text: object) -> QByteArray | None:
    if not isinstance(text, str):
        return None
    try:
        return QByteArray(base64.b64decode(text.encode("ascii"), validate=True))
    except ValueError:
        return None


def save_layout(window: QMainWindow, settings: Settings, splitters: dict[str, QSplitter]) -> None:
    state: dict[str, object] = {"geometry": _encode(window.saveGeometry())}
    for name, splitter in splitters.items():
        sizes = splitter.sizes()
        if isinstance(splitter, DeskSplitter):  # what the person chose, not what a small window left
            sizes = [splitter.preferred[0], sizes[1], splitter.preferred[1]]
        state[name] = sizes
    settings.set(LAYOUT_KEY, state)


def restore_layout(window: QMainWindow, settings: Settings, splitters: dict[str, QSplitter]) -> bool:
    state = settings.get(LAYOUT_KEY)
    if not isinstance(state, dict):
        return False
    geometry = _decode(state.get("geometry"))
    if geometry is not None:
        window.restoreGeometry(geometry)
    for name, splitter in splitters.items():
        sizes = state.get(name)
        if not (isinstance(sizes, list) and len(sizes) == splitter.count()):
            continue
        if not all(isinstance(x, int) and x >= 0 for x in sizes):
            continue
        if isinstance(splitter, DeskSplitter):
            splitter.set_sizes(sizes)
        else:
            splitter.setSizes(sizes)
    return True


def make_main_splitter(documents: QWidget, centre: QWidget, right: QWidget) -> DeskSplitter:
    main = DeskSplitter(Qt.Orientation.Horizontal)
    main.setObjectName("mainSplitter")
    for widget in (documents, centre, right):
        main.addWidget(widget)
    main.setCollapsible(0, True)
    main.setCollapsible(1, False)
    main.setCollapsible(2, True)
    main.setStretchFactor(0, 0)
    main.setStretchFactor(1, 1)
    main.setStretchFactor(2, 0)
    # The document list as wide as it asks (its Title column keeps room for a readable title).
    main.set_sizes([max(290, documents.sizeHint().width()), 720, 370])
    return main
