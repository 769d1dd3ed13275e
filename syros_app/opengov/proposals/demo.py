"""Demo proposals, made through the actions: one past its threshold and answered by opening
the demo consultation (the beaches' regulation), one still collecting support.
Idempotent: looked up by title. Supporters are voters of the voting demo's roll."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from syros_app.core.timefmt import utcnow
from syros_app.demo.seed import demo_loader
from syros_app.identity.govgr import display_name_for
from syros_app.identity.hashing import taxid_hmac, with_check_digit
from syros_app.identity.models import Person, RoleGrant
from syros_app.identity.roles import Actor, Role
from syros_app.identity.sessions import actor_for
from syros_app.identity.stand_in import DEMO_RESIDENTS

from . import actions, queries
from .models import Proposal

ANSWERED_TITLE = "Ράμπες και διάδρομοι πρόσβασης σε όλες τις δημοτικές παραλίες"
ANSWERED_BODY = (
    "Προτείνω ο Δήμος να τοποθετήσει σταθερές ράμπες και διαδρόμους ως τη θάλασσα σε κάθε οργανωμένη παραλία, "
    "όχι μόνο στον Γαλησσά και τον Βάρη, ώστε άτομα με αναπηρία, ηλικιωμένοι και γονείς με καροτσάκια να "
    "μπαίνουν στη θάλασσα χωρίς βοήθεια.")
ANSWER = (
    "Ευχαριστούμε για την πρόταση. Ο Δήμος την ενσωμάτωσε στο άρθρο «Προσβασιμότητα» του νέου κανονισμού "
    "χρήσης των παραλιών, που βρίσκεται σε δημόσια διαβούλευση: σχολιάστε εκεί τη διατύπωση.")
COLLECTING_TITLE = "Σκιά και βρύσες πόσιμου νερού στις στάσεις του λεωφορείου στην Ποσειδωνία"
COLLECTING_BODY = (
    "Το καλοκαίρι οι στάσεις του λεωφορείου στην Ποσειδωνία, τη Φοίνικα και τον Αγκαθωπές δεν έχουν καμία σκιά. "
    "Προτείνω στέγαστρα και μία βρύση πόσιμου νερού στις τρεις πιο πολυσύχναστες στάσεις.")
BEACHES = "Κανονισμός χρήσης των δημοτικών παραλιών"  # consultations' demo
SUPPORTER_BASE = 90_000_000  # the voting demo's synthetic voters (on its roll)


def _person(session: Session, taxid: str, name: str, birth_year: int) -> Actor:
    """The demo person with this ΑΦΜ (made on first use), as an actor."""
    digest = taxid_hmac(taxid)
    person = session.exec(select(Person).where(Person.taxid_hmac == digest)).first() or Person(
        taxid_hmac=digest, display_name=name, birth_year=birth_year)
    if person.id is None:
        session.add(person)
        session.flush()
    return actor_for(session, person)


def _resident(session: Session, key: str) -> Actor:
    found = next(r for r in DEMO_RESIDENTS if r.key == key)
    return _person(session, found.taxid, display_name_for(found.first_name, found.last_name), found.birth_year)


def _supporters(session: Session, count: int, offset: int, area: str = "") -> list[Actor]:
    """``count`` synthetic voters from the ``offset``-th on, of ``area``'s roll when one is given
    (a unit's proposal is supported by that unit's residents)."""
    found: list[Actor] = []
    for i in range(offset, offset + 20 * count + 100):
        if len(found) == count:
            break
        taxid = with_check_digit(str(SUPPORTER_BASE + i))
        on_roll, unit = queries.roll_unit(session, taxid_hmac(taxid))
        if on_roll and (not area or unit == area):
            found.append(_person(session, taxid, f"Δημότης {i + 1}", 1950 + (i * 7) % 55))
    return found


def _staff(session: Session) -> Actor | None:
    person = session.exec(select(Person).join(RoleGrant, RoleGrant.person_id == Person.id)
                          .where(RoleGrant.role == Role.ADMINISTRATOR.value).order_by(Person.id)).first()
    return actor_for(session, person) if person is not None else None


def _exists(session: Session, title: str) -> bool:
    return session.exec(select(Proposal.id).where(Proposal.title == title)).first() is not None


@demo_loader("proposals")
def load(session: Session) -> int:
    added, now = 0, utcnow()
    if not _exists(session, ANSWERED_TITLE):
        added += _answered(session, now)
    if not _exists(session, COLLECTING_TITLE):
        start = now - timedelta(days=5)
        proposal = actions.create_proposal(session, actor=_resident(session, "katerina"), title=COLLECTING_TITLE,
                                           body=COLLECTING_BODY, area="Ποσειδωνία", now=start)
        for n, supporter in enumerate(_supporters(session, max(proposal.threshold - 1, 0), 40, proposal.area)):
            actions.support_proposal(session, actor=supporter, proposal_id=proposal.id,
                                     now=start + timedelta(hours=6 * (n + 1)))
        added += 1
    return added


def _answered(session: Session, now) -> int:
    from syros_app.consultations.models import Consultation

    start = now - timedelta(days=40)
    proposal = actions.create_proposal(session, actor=_resident(session, "stella"), title=ANSWERED_TITLE,
                                       body=ANSWERED_BODY, area="", now=start)
    for n, supporter in enumerate(_supporters(session, proposal.threshold + 2, 0)):
        actions.support_proposal(session, actor=supporter, proposal_id=proposal.id,
                                 now=start + timedelta(days=1, hours=8 * n))
    staff = _staff(session)
    consultation = session.exec(select(Consultation.id).where(Consultation.title == BEACHES)).first()
    if staff is not None:
        actions.answer_proposal(session, actor=staff, proposal_id=proposal.id, answer=ANSWER,
                                link_kind="consultation" if consultation else "", link_id=consultation,
                                now=start + timedelta(days=12))
    return 1
