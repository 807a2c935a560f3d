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
    """The main horizontal splitter: on resize, shrinks or collapses side panels before the article."""

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        fit_article(self)


def fit_article(splitter: QSplitter) -> None:
    sizes = splitter.sizes()
    if len(sizes) != 3:
        return
    total = sum(sizes)
    article = splitter.widget(1)
    want = max(article.minimumSizeHint().width(), article.minimumWidth(), min(ARTICLE_COMFORT, total))
    if sizes[1] >= want:
        return
    need = want - sizes[1]
    # The right panel (labels, spans) is used while annotating: the document list gives way first.
    for index in (0, 2):
        if need <= 0:
            break
        give = min(need, max(0, sizes[index] - SIDE_MIN[index]))
        sizes[index] -= give
        need -= give
    for index in (0, 2):
        if need <= 0:
            break
        if sizes[index] > 0:  # still not enough: collapse this panel altogether
            need -= sizes[index]
            sizes[index] = 0
    sizes[1] = total - sizes[0] - sizes[2]
    splitter.setSizes(sizes)


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
    state = {"geometry": _encode(window.saveGeometry())}
    state.update({name: _encode(s.saveState()) for name, s in splitters.items()})
    settings.set(LAYOUT_KEY, state)


def restore_layout(window: QMainWindow, settings: Settings, splitters: dict[str, QSplitter]) -> bool:
    state = settings.get(LAYOUT_KEY)
    if not isinstance(state, dict):
        return False
    geometry = _decode(state.get("geometry"))
    if geometry is not None:
        window.restoreGeometry(geometry)
    for name, splitter in splitters.items():
        data = _decode(state.get(name))
        if data is not None:
            splitter.restoreState(data)
    return True


def make_main_splitter(documents: QWidget, centre: QWidget, right: QWidget) -> QSplitter:
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
    main.setSizes([290, 720, 370])
    return main
