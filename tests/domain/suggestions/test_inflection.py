import pytest

from annotator.domain.suggestions.inflection import stem, variants


@pytest.mark.parametrize(
    ("forms"),
    [
        ("leverage", "leveraged", "leveraging", "leverages", "Leverage"),
        ("tariff", "tariffs", "TARIFFS"),
        ("policy", "policies"),
        ("raise", "raised", "raises", "raising"),
        ("tax", "taxes"),
    ],
)
def test_inflections_share_a_stem(forms):
    assert len({stem(f) for f in forms}) == 1, {f: stem(f) for f in forms}


@pytest.mark.parametrize(
    ("a", "b"), [("tariff", "traffic"), ("press", "pres"), ("us", "use"), ("bank", "banker's")]
)
def test_different_words_keep_different_stems(a, b):
    assert stem(a) != stem(b)


def test_short_words_digits_and_other_scripts_are_left_alone():
    assert stem("its") == "its"
    assert stem("G20s") == "g20s"
    assert stem("Zölle") == "zölle"
    assert variants("東京") == ("東京",)


def test_variants_are_forms_of_the_same_stem():
    forms = variants("leveraged")
    assert {"leverage", "leveraged", "leveraging", "leverages"} <= set(forms)
    assert all(stem(f) == stem("leveraged") for f in forms)
    assert "policies" in variants("policy")
