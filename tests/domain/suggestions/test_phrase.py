"""The phrase recommender: what it learns, where it proposes, and that offsets are exact code points."""

import pytest

from annotator.domain.suggestions.model import Rejection, TrainingDocument, TrainingSpan
from annotator.domain.suggestions.phrase import PhraseRecommender

LABELS = ["strategic messaging", "economic outcome", "leverage", "framing"]


def doc(text: str, *spans: tuple[str, str]) -> TrainingDocument:
    """A training document with a span on the first occurrence of each phrase."""
    out = []
    for phrase, label in spans:
        start = text.index(phrase)
        out.append(TrainingSpan(start, start + len(phrase), label))
    return TrainingDocument(text, tuple(out))


def trained(*docs: TrainingDocument, rejections=()) -> PhraseRecommender:
    r = PhraseRecommender()
    r.train(docs, rejections)
    return r


def found(r: PhraseRecommender, text: str, labels=LABELS) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in r.suggest(text, labels)]


def test_proposes_learned_phrases_case_and_inflection_tolerant():
    r = trained(
        doc(
            "Beijing leveraged its export tariffs.",
            ("leveraged", "leverage"),
            ("export tariffs", "economic outcome"),
        )
    )
    text = "LEVERAGING power. Export Tariff rises; leverages; export\ntariffs again."
    assert found(r, text) == [
        ("LEVERAGING", "leverage"),
        ("Export Tariff", "economic outcome"),
        ("leverages", "leverage"),
        ("export\ntariffs", "economic outcome"),
    ]


def test_whole_words_only():
    r = trained(doc("The tariff hit.", ("tariff", "economic outcome")))
    assert found(r, "tariffication, subtariff, tariff_x, tariff2 but a tariff.") == [
        ("tariff", "economic outcome")
    ]


def test_only_requested_labels_and_empty_model():
    r = trained(doc("The tariff hit.", ("tariff", "economic outcome")))
    assert found(r, "a tariff", labels=["framing"]) == []
    assert PhraseRecommender().suggest("a tariff", LABELS) == []
    assert PhraseRecommender().version == "empty"


def test_score_is_smoothed_accept_rate_counting_unmarked_occurrences():
    once = trained(doc("The tariff hit.", ("tariff", "economic outcome")))
    assert once.suggest("tariff", LABELS)[0].score == pytest.approx(2 / 3)
    # Marked once, left unmarked twice in the training texts: (1 + 1) / (1 + 2 + 2).
    missed = trained(doc("The tariff hit. Another tariff, and tariffs.", ("tariff", "economic outcome")))
    assert missed.suggest("tariff", LABELS)[0].score == pytest.approx(2 / 5)
    many = trained(*[doc(f"Doc {i}: the tariff.", ("tariff", "economic outcome")) for i in range(8)])
    assert many.suggest("tariff", LABELS)[0].score == pytest.approx(9 / 10)


def test_rejection_removes_phrase_for_that_label_only():
    d = doc("The tariff hit, the tariff war.", ("tariff", "economic outcome"), ("tariff war", "framing"))
    r = trained(d, rejections=[Rejection("Tariffs", "economic outcome")])
    assert found(r, "a tariff and a tariff war") == [("tariff war", "framing")]


def test_overlaps_longest_then_highest_score():
    d1 = doc(
        "Interest rates rose. Rates fell.", ("Interest rates", "economic outcome"), ("Rates", "leverage")
    )
    r = trained(d1)
    assert found(r, "interest rates and rates") == [
        ("interest rates", "economic outcome"),
        ("rates", "leverage"),
    ]
    # Same phrase, two labels: the one accepted more often wins.
    docs = [doc("Tariffs bite.", ("Tariffs", "leverage")), doc("Tariffs bite.", ("Tariffs", "leverage"))]
    docs.append(doc("Tariffs hurt.", ("Tariffs", "framing")))
    r2 = trained(*docs)
    assert found(r2, "new tariffs") == [("tariffs", "leverage")]
    assert found(r2, "new tariffs", labels=["framing"]) == [("tariffs", "framing")]


def test_version_changes_with_what_was_learned():
    a = trained(doc("The tariff hit.", ("tariff", "economic outcome")))
    b = trained(doc("The tariff hit.", ("tariff", "framing")))
    c = trained(doc("The tariff hit.", ("tariff", "economic outcome")))
    assert a.version != b.version
    assert a.version == c.version


def test_progress_and_cancel_keep_the_previous_model():
    d = doc("The tariff hit.", ("tariff", "economic outcome"))
    seen = []
    r = PhraseRecommender()
    r.train([d, d], progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (4, 4)
    before = r.version
    r.train([doc("A quota.", ("quota", "leverage"))], cancelled=lambda: True)
    assert r.version == before
    assert found(r, "quota tariff") == [("tariff", "economic outcome")]


# Offsets: code points into the very text given, whatever it holds around the phrase.
UNICODE_TEXTS = [
    "\ufeffTariffs rose.\r\nTariffs fell.\r\n",  # BOM and CRLF
    "👩‍💻 tariffs 👨‍👩‍👧‍👦 tariffs 🏳️‍🌈tariffs",  # ZWJ sequences, emoji right before the word
    "cafe\u0301 tariffs; tariffs\u0301 is not a word end",  # combining marks
    "東京の tariffs と tariffs。関税tariffs",  # CJK: no spaces around words
    "מכסים tariffs שלום tariffs ‏العربية tariffs",  # RTL text and a right-to-left mark
    "𝐀𝐁 tariffs 𝐂 tariffs",  # astral letters (two UTF-16 units each)
]


@pytest.mark.parametrize("text", UNICODE_TEXTS)
def test_offsets_are_code_points_in_unicode_texts(text):
    r = trained(doc("The tariffs hit.", ("tariffs", "economic outcome")))
    got = r.suggest(text, LABELS)
    expected = text.lower().count("tariffs") - text.count("tariffs\u0301")
    assert len(got) == expected, [(s.start, s.end) for s in got]
    for s in got:
        assert text[s.start : s.end].lower() == "tariffs"


def test_combining_marks_and_joiners_belong_to_the_word():
    r = trained(doc("A cafe and tariffs here.", ("cafe", "framing"), ("tariffs", "framing")))
    text = "cafe\u0301 tariffs\u200d👩 👩\u200dtariffs cafe 👩🏽tariffs"
    assert found(r, text) == [("cafe", "framing"), ("tariffs", "framing")]
    assert [s.start for s in r.suggest(text, LABELS)] == [text.index(" cafe ") + 1, len(text) - 7]


def test_phrases_without_word_characters_are_not_learned():
    r = trained(doc("A 👩 and -- here.", ("👩", "framing"), ("--", "framing")))
    assert r.phrases() == {}
    assert r.suggest("👩 -- 👩", LABELS) == []


def test_punctuation_at_the_edges_of_a_phrase_must_be_there():
    r = trained(doc("The U.S. and (China) met.", ("U.S.", "framing"), ("(China)", "leverage")))
    assert found(r, "u.s. talks, U.S, (china) and China") == [("u.s.", "framing"), ("(china)", "leverage")]


def test_cjk_phrase_learned_and_found_inside_running_text():
    r = trained(doc("日本は関税を上げた。", ("関税", "economic outcome")))
    text = "米国の関税政策と関税。"
    assert [(s.start, s.end) for s in r.suggest(text, LABELS)] == [(3, 5), (8, 10)]


def test_learns_from_crlf_and_astral_training_texts():
    text = "😀😀 Line one.\r\nThe trade war\r\nended."
    start = text.index("trade war")
    r = trained(TrainingDocument(text, (TrainingSpan(start, start + 9, "framing"),)))
    other = "\ufeff🇩🇪 Trade Wars\r\n"
    [s] = r.suggest(other, LABELS)
    assert other[s.start : s.end] == "Trade Wars"


def test_spans_with_surrounding_whitespace_are_learned_by_their_words():
    text = "The  trade war  began."
    r = trained(TrainingDocument(text, (TrainingSpan(4, 15, "framing"),)))
    assert r.phrases() == {"trade war": {"framing": pytest.approx(2 / 3)}}
