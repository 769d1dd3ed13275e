"""Demo surveys: one published with results (summer ferry timetables) and one open
(beach cleaning). Idempotent: a survey with the same title is not added twice."""

from __future__ import annotations

import random
import secrets
from datetime import timedelta

from sqlmodel import Session, select

from syros_app.core.timefmt import utcnow
from syros_app.demo.seed import demo_loader

from . import rules
from .models import Survey, SurveyAnswer, SurveyParticipation, SurveyQuestion, SurveyResponse

FERRIES = "Θερινά δρομολόγια πλοίων 2026"
BEACHES = "Καθαρισμός παραλιών το καλοκαίρι"

FERRY_QUESTIONS = [
    (rules.SINGLE, "Πόσο συχνά ταξιδεύετε με πλοίο το καλοκαίρι;",
     ["Κάθε εβδομάδα", "Κάθε μήνα", "Λίγες φορές τον χρόνο", "Σχεδόν ποτέ"], [0.2, 0.35, 0.35, 0.1]),
    (rules.MULTIPLE, "Ποιες συνδέσεις σας λείπουν περισσότερο; (έως 2)",
     ["Πρωινό πλοίο για Πειραιά", "Βραδινή επιστροφή από Πειραιά", "Απευθείας Ραφήνα", "Σύνδεση με Τήνο–Μύκονο"],
     [0.55, 0.45, 0.3, 0.25]),
    (rules.SCALE, "Πόσο ικανοποιημένοι είστε από τα φετινά δρομολόγια;", [], [0.1, 0.2, 0.35, 0.25, 0.1]),
    (rules.TEXT, "Κάτι άλλο που θέλετε να μας πείτε;", [], []),
]
TEXTS = ["Να υπάρχει πλοίο νωρίς το πρωί τη Δευτέρα για όσους δουλεύουν στην Αθήνα.",
         "Οι ανακοινώσεις αλλαγών δρομολογίων να βγαίνουν έγκαιρα.",
         "Χρειάζεται στέγαστρο αναμονής στο λιμάνι.", ""]

BEACH_QUESTIONS = [
    (rules.SINGLE, "Ποια παραλία θέλετε να καθαριστεί πρώτη;", ["Γαλησσάς", "Κίνι", "Φοίνικας", "Βάρη"], []),
    (rules.SCALE, "Πόσο καθαρές βρήκατε τις παραλίες πέρυσι;", [], []),
    (rules.SINGLE, "Θα συμμετείχατε σε εθελοντικό καθαρισμό;", ["Ναι", "Ίσως", "Όχι"], []),
]


def _survey(session: Session, title: str, description: str, questions, **fields) -> tuple[Survey, list]:
    survey = Survey(title=title, description=description, **fields)
    session.add(survey)
    session.flush()
    rows = []
    for position, (kind, prompt, choices, _) in enumerate(questions, start=1):
        q = SurveyQuestion(survey_id=survey.id, position=position, kind=kind, prompt=prompt,
                           required=kind != rules.TEXT,
                           choices="\n".join(choices), max_choices=2 if kind == rules.MULTIPLE else None,
                           label_low="Καθόλου" if kind == rules.SCALE else "",
                           label_high="Πάρα πολύ" if kind == rules.SCALE else "")
        session.add(q)
        rows.append(q)
    session.flush()
    return survey, rows


def _answers(session: Session, survey: Survey, questions: list[SurveyQuestion], specs, count: int) -> None:
    rnd = random.Random(17)
    for n in range(count):
        response = SurveyResponse(id=secrets.token_hex(16), survey_id=survey.id)
        session.add(SurveyParticipation(id=secrets.token_hex(16), survey_id=survey.id,
                                        respondent_key=f"demo-{survey.id}-{n:04d}"))
        session.add(response)
        session.flush()  # the sheet before its answers
        for q, (kind, _, choices, weights) in zip(questions, specs):
            if kind == rules.SINGLE or kind == rules.SCALE:
                points = len(choices) if kind == rules.SINGLE else q.scale_max - q.scale_min + 1
                pick = rnd.choices(range(points), weights=weights or None)[0]
                values = [str(pick if kind == rules.SINGLE else q.scale_min + pick)]
            elif kind == rules.MULTIPLE:
                values = sorted({str(i) for i, w in enumerate(weights) if rnd.random() < w})[:2]
            else:
                text = TEXTS[n % len(TEXTS)] if n < 12 else ""
                values = [text] if text else []
            for value in values:
                approved = (None if n >= 8 else n % 3 != 2) if kind == rules.TEXT else None
                session.add(SurveyAnswer(response_id=response.id, question_id=q.id, value=value, approved=approved))


@demo_loader("surveys")
def load(session: Session) -> int:
    titles = set(session.exec(select(Survey.title).where(Survey.title.in_([FERRIES, BEACHES]))))
    now, added = utcnow(), 0
    if FERRIES not in titles:
        opened = now - timedelta(days=75)
        survey, questions = _survey(
            session, FERRIES,
            "Ο Δήμος ετοιμάζει τις προτάσεις του προς το Υπουργείο Ναυτιλίας για τα θερινά δρομολόγια.",
            FERRY_QUESTIONS, status=rules.PUBLISHED, mode=rules.PERSON, publish_text=True,
            created_at=opened - timedelta(days=2), opened_at=opened, closes_at=opened + timedelta(days=30),
            closed_at=opened + timedelta(days=30), published_at=opened + timedelta(days=32))
        _answers(session, survey, questions, FERRY_QUESTIONS, 64)
        added += 1
    if BEACHES not in titles:
        survey, _ = _survey(
            session, BEACHES, "Βοηθήστε μας να προγραμματίσουμε τα συνεργεία καθαρισμού πριν από τον Ιούνιο.",
            BEACH_QUESTIONS, status=rules.OPEN, mode=rules.ANONYMOUS, created_at=now - timedelta(days=3),
            opened_at=now - timedelta(days=2), closes_at=now + timedelta(days=28))
        added += 1
    return added
