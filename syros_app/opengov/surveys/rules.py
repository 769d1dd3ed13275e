"""The pure rules of surveys: question kinds, the life of a survey, checking one
person's answers against the questions, and the results arithmetic.

No database and no Reflex here: the actions and the open data call these, and the
unit tests check them directly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from syros_app.core.errors import InvalidInput
from syros_app.core.timefmt import as_utc, to_athens

DRAFT, OPEN, CLOSED, PUBLISHED = "draft", "open", "closed", "published"
STATUSES = (DRAFT, OPEN, CLOSED, PUBLISHED)
PERSON, ANONYMOUS = "person", "anonymous"
MODES = (PERSON, ANONYMOUS)
SINGLE, MULTIPLE, SCALE, TEXT = "single", "multiple", "scale", "text"
KINDS = (SINGLE, MULTIPLE, SCALE, TEXT)

MAX_TITLE, MAX_DESCRIPTION, MAX_PROMPT, MAX_CHOICE, MAX_LABEL = 200, 2000, 300, 120, 60
MAX_CHOICES, MAX_QUESTIONS, MAX_TEXT = 12, 30, 500
MIN_SCALE_POINTS, MAX_SCALE_POINTS = 2, 11


class QuestionLike(Protocol):
    id: int | None
    kind: str
    required: bool
    choices: str
    max_choices: int | None
    scale_min: int
    scale_max: int


def choice_list(text: str) -> list[str]:
    """The choices of a question, stored one per line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def effective_status(status: str, closes_at: datetime | None, now: datetime) -> str:
    """An open survey whose closing time has passed takes no more answers: it is closed."""
    if status == OPEN and closes_at is not None and as_utc(closes_at) <= as_utc(now):
        return CLOSED
    return status


def quarter_of(moment: datetime) -> str:
    """``2026-Q3``: the calendar quarter in Athens time."""
    local = to_athens(moment)
    return f"{local.year}-Q{(local.month - 1) // 3 + 1}"


# --- building questions ---------------------------------------------------------------------------

def check_question(kind: str, prompt: str, choices: Sequence[str], max_choices: int | None,
                   scale_min: int, scale_max: int) -> None:
    """A question staff may add: a prompt; 2–12 distinct choices for choice questions; a
    sensible maximum; a scale of 2–11 points."""
    if kind not in KINDS:
        raise InvalidInput("surveys.errors.kind", field="kind")
    if not prompt:
        raise InvalidInput("surveys.errors.prompt_required", field="prompt")
    if kind in (SINGLE, MULTIPLE):
        if not 2 <= len(choices) <= MAX_CHOICES or len(set(choices)) != len(choices):
            raise InvalidInput("surveys.errors.choices", field="choices", n=MAX_CHOICES)
        if any(len(c) > MAX_CHOICE for c in choices):
            raise InvalidInput("surveys.errors.choice_long", field="choices", n=MAX_CHOICE)
    if kind == MULTIPLE and max_choices is not None and not 1 <= max_choices <= len(choices):
        raise InvalidInput("surveys.errors.max_choices", field="max_choices", n=len(choices))
    if kind == SCALE and not MIN_SCALE_POINTS <= scale_max - scale_min + 1 <= MAX_SCALE_POINTS:
        raise InvalidInput("surveys.errors.scale_range", field="scale_max", n=MAX_SCALE_POINTS)


# --- answering ------------------------------------------------------------------------------------

def answers_from_form(form: Mapping[str, object]) -> dict[int, list[str]]:
    """The answer form's fields → {question id: values}. ``q<id>`` carries a radio's or a
    text's value, ``q<id>_<n>`` a ticked checkbox of choice ``n``."""
    answers: dict[int, list[str]] = {}
    for name, value in form.items():
        if not isinstance(name, str) or not name.startswith("q") or not isinstance(value, str):
            continue
        head, _, choice = name[1:].partition("_")
        if not head.isdigit() or (choice and not choice.isdigit()):
            continue
        if choice:
            if value in ("on", "true", choice):
                answers.setdefault(int(head), []).append(choice)
        elif value.strip():
            answers.setdefault(int(head), []).append(value)
    return answers


def _error(key: str, question_id: int | None, **params: object) -> InvalidInput:
    return InvalidInput(key, field=f"q{question_id}", **params)


def check_answer(question: QuestionLike, values: Sequence[str]) -> list[str]:
    """The values to store for one question, or a refusal naming that question."""
    values = [v.strip() if isinstance(v, str) else "" for v in values]
    values = [v for v in values if v]
    if not values:
        if question.required:
            raise _error("surveys.errors.required", question.id)
        return []
    if question.kind == TEXT:
        if len(values) != 1:
            raise _error("surveys.errors.one_value", question.id)
        if len(values[0]) > MAX_TEXT:
            raise _error("surveys.errors.text_long", question.id, n=MAX_TEXT)
        return values
    if not all(v.isdigit() for v in values):
        raise _error("surveys.errors.choice", question.id)
    numbers = sorted({int(v) for v in values})
    if question.kind == SCALE:
        if len(values) != 1 or not question.scale_min <= numbers[0] <= question.scale_max:
            raise _error("surveys.errors.scale", question.id)
        return [str(numbers[0])]
    count = len(choice_list(question.choices))
    if any(n >= count for n in numbers) or len(numbers) != len(values):
        raise _error("surveys.errors.choice", question.id)
    if question.kind == SINGLE and len(numbers) != 1:
        raise _error("surveys.errors.one_value", question.id)
    if question.kind == MULTIPLE and question.max_choices and len(numbers) > question.max_choices:
        raise _error("surveys.errors.too_many", question.id, n=question.max_choices)
    return [str(n) for n in numbers]


def check_answers(questions: Sequence[QuestionLike], answers: Mapping[int, Sequence[str]]) -> dict[int, list[str]]:
    """Every question's stored values; a value for a question not in the survey is refused,
    and a sheet with nothing answered at all too."""
    known = {q.id for q in questions}
    if any(qid not in known for qid in answers):
        raise InvalidInput("surveys.errors.unknown_question", field="answers")
    checked = {q.id: check_answer(q, list(answers.get(q.id, []))) for q in questions}
    if not any(checked.values()):
        raise InvalidInput("surveys.errors.empty", field="answers")
    return {qid: values for qid, values in checked.items() if values}


# --- results --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ResultRow:
    label: str
    count: int
    share: float  # of the people who answered this question (multiple choice: sums past 1)


@dataclass(frozen=True)
class QuestionResult:
    question_id: int
    kind: str
    answered: int
    rows: list[ResultRow] = field(default_factory=list)
    mean: float | None = None
    texts: list[str] = field(default_factory=list)


def tally(question: QuestionLike, answers: Iterable[tuple[str, str]],
          published_texts: Sequence[str] = ()) -> QuestionResult:
    """One question's results from its ``(response id, value)`` rows: how many people
    answered it, each choice's (or scale point's) count and share of them, and the
    scale's mean."""
    rows = list(answers)
    answered = len({response for response, _ in rows})
    counts = Counter(value for _, value in rows)

    def share(n: int) -> float:
        return n / answered if answered else 0.0

    if question.kind == TEXT:
        return QuestionResult(question.id or 0, TEXT, answered, texts=list(published_texts))
    if question.kind == SCALE:
        points = range(question.scale_min, question.scale_max + 1)
        result_rows = [ResultRow(str(p), counts[str(p)], share(counts[str(p)])) for p in points]
        total = sum(p * counts[str(p)] for p in points)
        return QuestionResult(question.id or 0, SCALE, answered, result_rows,
                              mean=total / answered if answered else None)
    result_rows = [ResultRow(label, counts[str(i)], share(counts[str(i)]))
                   for i, label in enumerate(choice_list(question.choices))]
    return QuestionResult(question.id or 0, question.kind, answered, result_rows)
