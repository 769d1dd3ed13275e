"""Demo data of identity: the stand-in's residents with staff roles, and a demo voter roll.

The administrator and the moderator exist before their first login (keyed by
the HMAC of their ΑΦΜ), so picking them on the stand-in's page logs in staff.
"""

from __future__ import annotations

from sqlalchemy import insert
from sqlmodel import Session, select

from syros_app.core import audit
from syros_app.core.timefmt import utcnow
from syros_app.demo.seed import demo_loader

from .govgr import display_name_for
from .hashing import taxid_hmac
from .models import Person, RoleGrant, VoterRoll, VoterRollEntry
from .stand_in import DEMO_RESIDENTS

DEMO_ROLL_NAME = "Δημότες Σύρου-Ερμούπολης (δοκιμαστικός κατάλογος)"


@demo_loader("identity")
def load(session: Session) -> int:
    added = 0
    now = utcnow()
    for resident in DEMO_RESIDENTS:
        if resident.role is None:
            continue
        digest = taxid_hmac(resident.taxid)
        person = session.exec(select(Person).where(Person.taxid_hmac == digest)).first()
        if person is None:
            person = Person(taxid_hmac=digest, display_name=display_name_for(resident.first_name, resident.last_name),
                            birth_year=resident.birth_year)
            session.add(person)
            session.flush()
            added += 1
        grant = session.exec(select(RoleGrant).where(RoleGrant.person_id == person.id,
                                                     RoleGrant.role == resident.role.value)).first()
        if grant is None:
            session.add(RoleGrant(person_id=person.id, role=resident.role.value, department=resident.department,
                                  granted_at=now))
            session.flush()
            audit.record(session, actor="system", action="identity.grant_role", target=f"person:{person.id}",
                         details={"role": resident.role.value, "via": "demo",
                                  **({"department": resident.department} if resident.department else {})})
            added += 1
    if session.exec(select(VoterRoll).where(VoterRoll.name == DEMO_ROLL_NAME)).first() is None:
        roll = VoterRoll(name=DEMO_ROLL_NAME, created_at=now, entry_count=len(DEMO_RESIDENTS))
        session.add(roll)
        session.flush()
        session.execute(insert(VoterRollEntry), [
            {"roll_id": roll.id, "taxid_hmac": taxid_hmac(r.taxid), "municipal_unit": r.municipal_unit}
            for r in DEMO_RESIDENTS
        ])
        audit.record(session, actor="system", action="identity.import_roll", target=f"roll:{roll.id}",
                     details={"name": DEMO_ROLL_NAME, "entries": len(DEMO_RESIDENTS), "via": "demo"})
        added += 1 + len(DEMO_RESIDENTS)
    return added
