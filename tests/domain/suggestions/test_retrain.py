import pytest

from annotator.domain.suggestions.retrain import DEFAULT_EVERY, parse_every, should_retrain


@pytest.mark.parametrize(
    ("now", "last", "every", "requested", "expected"),
    [
        (0, None, 50, False, False),  # nothing to learn from yet
        (1, None, 50, False, True),  # never trained: train at once
        (49, 0, 50, False, False),
        (50, 0, 50, False, True),
        (120, 100, 50, False, False),
        (150, 100, 50, False, True),
        (10, 10, 50, True, True),  # on request, always
        (500, 0, 0, False, False),  # 0: only on request
        (500, 0, 0, True, True),
        (40, 100, 50, False, False),  # spans deleted since: no retraining by itself
    ],
)
def test_should_retrain(now, last, every, requested, expected):
    assert should_retrain(now, last, every, requested) is expected


def test_parse_every():
    assert parse_every(10) == 10
    assert parse_every(0) == 0
    for bad in (None, -3, "10", 1.5, True):
        assert parse_every(bad) == DEFAULT_EVERY
