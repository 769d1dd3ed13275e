"""The pure rules of surveys: answers checked per question type, the results arithmetic."""

from dataclasses import dataclass
from datetime import datetime, timezone

import pytest

from syros_app.core.errors import InvalidInput
from syros_app.opengov.surveys import rules


@dataclass
class Q:
    id: int
    kind: str
    required: bool = True
    choices: str = "Α\nΒ\nΓ"
    max_choices: int | None = None
    scale_min: int = 1
    scale_max: int = 5


def refused(question, values) -> str:
    with pytest.raises(InvalidInput) as exc:
        rules.check_answer(question, values)
    assert exc.value.params["field"] == f"q{question.id}"
    return exc.value.key


def test_single_choice_takes_one_existing_choice():
    q = Q(1, rules.SINGLE)
    assert rules.check_answer(q, ["2"]) == ["2"]
    assert refused(q, ["3"]) == "surveys.errors.choice"
    assert refused(q, ["0", "1"]) == "surveys.errors.one_value"
    assert refused(q, ["-1"]) == "surveys.errors.choice"
    assert refused(q, ["x"]) == "surveys.errors.choice"
    assert refused(q, []) == "surveys.errors.required"


def test_multiple_choice_respects_its_maximum_and_refuses_repeats():
    q = Q(2, rules.MULTIPLE, max_choices=2)
    assert rules.check_answer(q, ["2", "0"]) == ["0", "2"]
    assert refused(q, ["0", "1", "2"]) == "surveys.errors.too_many"
    assert refused(q, ["1", "1"]) == "surveys.errors.choice"
    assert rules.check_answer(Q(2, rules.MULTIPLE), ["0", "1", "2"]) == ["0", "1", "2"]


def test_scale_takes_one_point_within_its_ends():
    q = Q(3, rules.SCALE, scale_min=0, scale_max=10)
    assert rules.check_answer(q, ["0"]) == ["0"]
    assert rules.check_answer(q, ["10"]) == ["10"]
    assert refused(q, ["11"]) == "surveys.errors.scale"
    assert refused(q, ["3", "4"]) == "surveys.errors.scale"


def test_short_text_is_trimmed_and_limited():
    q = Q(4, rules.TEXT, required=False)
    assert rules.check_answer(q, ["  καλό  "]) == ["καλό"]
    assert rules.check_answer(q, ["   "]) == []
    assert refused(q, ["x" * (rules.MAX_TEXT + 1)]) == "surveys.errors.text_long"


def test_a_sheet_must_answer_something_and_only_its_own_questions():
    questions = [Q(1, rules.SINGLE, required=False), Q(2, rules.TEXT, required=False)]
    with pytest.raises(InvalidInput, match="surveys.errors.empty"):
        rules.check_answers(questions, {})
    with pytest.raises(InvalidInput, match="surveys.errors.unknown_question"):
        rules.check_answers(questions, {99: ["0"]})
    assert rules.check_answers(questions, {1: ["1"]}) == {1: ["1"]}


def test_the_form_fields_become_answers():
    form = {"q1": "2", "q2_0": "on", "q2_3": "on", "q3": "   ", "q4": "Λίγα λόγια", "title": "x", "qx": "1",
            "q5_a": "on", 7: "no"}
    assert rules.answers_from_form(form) == {1: ["2"], 2: ["0", "3"], 4: ["Λίγα λόγια"]}


def test_question_definitions_are_checked():
    rules.check_question(rules.SINGLE, "Ερώτηση", ["Α", "Β"], None, 1, 5)
    for args, key in [((rules.SINGLE, "Ερώτηση", ["Α"], None, 1, 5), "surveys.errors.choices"),
                      ((rules.SINGLE, "Ερώτηση", ["Α", "Α"], None, 1, 5), "surveys.errors.choices"),
                      ((rules.MULTIPLE, "Ερώτηση", ["Α", "Β"], 3, 1, 5), "surveys.errors.max_choices"),
                      ((rules.SCALE, "Ερώτηση", [], None, 1, 1), "surveys.errors.scale_range"),
                      ((rules.SCALE, "Ερώτηση", [], None, 0, 11), "surveys.errors.scale_range"),
                      ((rules.TEXT, "", [], None, 1, 5), "surveys.errors.prompt_required"),
                      (("essay", "Ερώτηση", [], None, 1, 5), "surveys.errors.kind")]:
        with pytest.raises(InvalidInput) as exc:
            rules.check_question(*args)
        assert exc.value.key == key


def test_tally_counts_people_and_shares_of_those_who_answered():
    q = Q(2, rules.MULTIPLE)
    rows = [("a", "0"), ("a", "2"), ("b", "0"), ("c", "1"), ("c", "0"), ("c", "2")]
    result = rules.tally(q, rows)
    assert result.answered == 3
    assert [(r.label, r.count) for r in result.rows] == [("Α", 3), ("Β", 1), ("Γ", 2)]
    assert [round(r.share, 4) for r in result.rows] == [1.0, 0.3333, 0.6667]


def test_tally_of_a_scale_has_every_point_and_the_mean():
    q = Q(3, rules.SCALE, scale_min=1, scale_max=5)
    result = rules.tally(q, [("a", "5"), ("b", "4"), ("c", "4"), ("d", "1")])
    assert [r.count for r in result.rows] == [1, 0, 0, 2, 1]
    assert result.mean == pytest.approx(3.5)
    assert rules.tally(q, []).mean is None and rules.tally(q, []).answered == 0


def test_an_open_survey_past_its_closing_time_is_closed():
    closes = datetime(2026, 6, 30, 21, 0, tzinfo=timezone.utc)
    assert rules.effective_status(rules.OPEN, closes, datetime(2026, 6, 30, 20, 59, tzinfo=timezone.utc)) == rules.OPEN
    assert rules.effective_status(rules.OPEN, closes, closes) == rules.CLOSED
    assert rules.effective_status(rules.PUBLISHED, closes, closes) == rules.PUBLISHED


def test_quarters_are_taken_in_athens_time():
    assert rules.quarter_of(datetime(2026, 3, 31, 22, 30, tzinfo=timezone.utc)) == "2026-Q2"
    assert rules.quarter_of(datetime(2026, 3, 31, 20, 30, tzinfo=timezone.utc)) == "2026-Q1"
