"""What surveys hold about a person: *that* they answered a once-per-person survey (a
keyed hash of their ΑΦΜ's hash, per survey), never *what* — the answer sheets carry no
person. Anonymous surveys hold nothing about anyone.

Export: the surveys the person answered (title), found through their per-survey keyed
hash. Deletion: nothing to erase — the participation rows keep the counts right and still
refuse a second answer from the same ΑΦΜ, and without the person's ΑΦΜ nothing leads back.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from syros_app.identity.actions import register_export_section
from syros_app.identity.hashing import scoped_hmac
from syros_app.identity.models import Person

from . import rules
from .models import Survey, SurveyParticipation


def export_section(session: Session, person_id: int) -> dict[str, Any]:
    person = session.get(Person, person_id)
    if person is None or not person.taxid_hmac:
        return {"answered": []}
    surveys = session.exec(select(Survey).where(Survey.mode == rules.PERSON)).all()
    keys = {scoped_hmac(person.taxid_hmac, f"survey:{s.id}"): s for s in surveys}
    rows = session.exec(select(SurveyParticipation).where(
        SurveyParticipation.respondent_key.in_(list(keys) or [""]))).all()
    answered = sorted({keys[r.respondent_key].id: keys[r.respondent_key] for r in rows
                       if keys[r.respondent_key].id == r.survey_id}.values(), key=lambda s: s.id)
    return {"answered": [{"survey_id": s.id, "title": s.title} for s in answered],
            "note": "what you answered is not linked to you"}


register_export_section("surveys", export_section)
