"""When to retrain a recommender: on request, or once every N new accepted spans (issue #14)."""

from __future__ import annotations

DEFAULT_EVERY = 50  # new spans between automatic retrainings; 0 turns automatic retraining off


def should_retrain(
    spans_now: int, spans_at_last_training: int | None, every: int, requested: bool = False
) -> bool:
    """True when asked to, when never trained and there is something to learn from, or when at least
    ``every`` spans were added since the last training (``every`` <= 0: only on request)."""
    if requested:
        return True
    if every <= 0:
        return False
    if spans_at_last_training is None:
        return spans_now > 0
    return spans_now - spans_at_last_training >= every


def parse_every(value: object) -> int:
    """The setting read back: a whole number >= 0, anything else the default."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return DEFAULT_EVERY
    return value
