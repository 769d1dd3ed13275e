"""Build surveys for tests through the real actions."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from syros_app.core.timefmt import utcnow
from syros_app.opengov.surveys import actions, rules
from tests.support import personas

QUESTIONS = [
    dict(kind=rules.SINGLE, prompt="Πόσο συχνά ταξιδεύετε;", choices="Συχνά\nΣπάνια\nΠοτέ"),
    dict(kind=rules.MULTIPLE, prompt="Ποιες συνδέσεις λείπουν;", choices="Πειραιάς\nΡαφήνα\nΤήνος", max_choices=2),
    dict(kind=rules.SCALE, prompt="Πόσο ικανοποιημένοι είστε;", scale_min=1, scale_max=5, label_low="Καθόλου",
         label_high="Πολύ"),
    dict(kind=rules.TEXT, prompt="Κάτι άλλο;", required=False),
]


def build_survey(session: Session, admin, *, mode: str = rules.PERSON, publish_text: bool = False,
                 open_it: bool = True, now=None) -> tuple[int, list[int]]:
    """A survey with the four kinds of question; opened (for a week) unless ``open_it`` is False."""
    now = now or utcnow()
    survey_id = actions.create_survey(session, actor=admin, now=now, title="Θερινά δρομολόγια", mode=mode,
                                      publish_text=publish_text)
    ids = [actions.add_question(session, actor=admin, now=now, survey_id=survey_id, **q) for q in QUESTIONS]
    if open_it:
        day = (now + timedelta(days=7)).date().isoformat()
        actions.open_survey(session, actor=admin, now=now, survey_id=survey_id, closes_on=day)
    session.commit()
    return survey_id, ids


def sheet(ids: list[int], single="0", multiple=("0", "2"), scale="4", text="") -> dict[int, list[str]]:
    answers = {ids[0]: [single], ids[1]: list(multiple), ids[2]: [scale]}
    if text:
        answers[ids[3]] = [text]
    return answers


def residents(session: Session, n: int, start: int = 0):
    from syros_app.identity.hashing import with_check_digit

    return [personas.resident(session, f"r{i}", taxid=with_check_digit(str(71_000_000 + i)))
            for i in range(start, start + n)]
