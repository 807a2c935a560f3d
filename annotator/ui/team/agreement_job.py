"""Agreement on the sample, computed in a pool thread for the Team view and the review's sample
panel. The job never touches a widget: it reports through a relay, a QObject made in the GUI
thread whose signals reach the caller's slots queued (as in ui/background.py)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Signal

from annotator.services.team.sample_agreement import SampleAgreement
from annotator.ui import thread_guard


class AgreementRelay(QObject):
    done = Signal(object)  # a SampleAgreement
    failed = Signal(str)


class AgreementJob(QRunnable):
    """Runs ``compute`` in a pool thread and reports its result or its error through ``relay``."""

    def __init__(self, compute: Callable[[], SampleAgreement], relay: AgreementRelay) -> None:
        super().__init__()
        self.compute = compute
        self.relay = relay  # kept alive by the job, even if its window is deleted meanwhile

    def run(self) -> None:
        thread_guard.watch_this_thread()
        try:
            try:
                result = self.compute()
            except Exception as exc:  # a worker must report, not die silently
                self.relay.failed.emit(str(exc))
            else:
                self.relay.done.emit(result)
        except RuntimeError:  # the application is closing: nobody is left to tell
            pass
        finally:
            thread_guard.stop_watching()
