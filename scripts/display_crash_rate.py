"""How often the everyday GUI session (import and export through the real dialogs) crashes under a
real X server: `python scripts/display_crash_rate.py [TRIES]` prints tries, crashes and why.

Needs Xvfb, openbox and xdotool (see README, "Real-display tests")."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.display.scenario import everyday_session
from tests.display.xsession import XSession


def main() -> int:
    tries = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    crashes = 0
    session = XSession.start()
    try:
        for n in range(tries):
            with tempfile.TemporaryDirectory(prefix="annotator-crash-rate-") as tmp:
                outcome = everyday_session(session, Path(tmp) / "home", python=sys.executable)
            status = "CRASH" if outcome.crashed else "ok"
            crashes += outcome.crashed
            print(
                f"try {n + 1}: {status} (exit {outcome.returncode}, imports {outcome.imports_done}, "
                f"exports {outcome.exports_done}) {'; '.join(outcome.problems)[:300]}",
                flush=True,
            )
    finally:
        session.stop()
    print(f"{tries} tries, {crashes} crashes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
