"""Demo events: three upcoming (a council meeting, a workshop that is full with a
waitlist, an open day without a seat limit) and one past council meeting with its
minutes. Idempotent: events are found by title."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from syros_app.core.timefmt import ATHENS, as_utc, utcnow
from syros_app.demo.seed import demo_loader
from syros_app.identity.hashing import taxid_hmac, with_check_digit
from syros_app.identity.models import Person

from . import rules
from .models import Event, EventRegistration

PEOPLE = ["Μαρκέλλα Β.", "Στάθης Κ.", "Ρένα Π.", "Θοδωρής Α.", "Λίνα Μ."]
MINUTES = (
    "Παρόντες 21 από τους 27 δημοτικούς συμβούλους.\n"
    "Θέμα 1ο: Εγκρίθηκε ομόφωνα η τροποποίηση του προϋπολογισμού για την ύδρευση της Ποσειδωνίας.\n"
    "Θέμα 2ο: Εγκρίθηκε κατά πλειοψηφία (17 υπέρ, 4 κατά) το πρόγραμμα καθαριότητας των παραλιών.\n"
    "Θέμα 3ο: Αναβλήθηκε η συζήτηση για τη στάθμευση στο κέντρο της Ερμούπολης."
)


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Ermoupoli ``days`` from today, as aware UTC."""
    day = utcnow().astimezone(ATHENS).date() + timedelta(days=days)
    return as_utc(datetime(day.year, day.month, day.day, hour, minute, tzinfo=ATHENS))


EVENTS = [
    dict(kind="council", title="Τακτική συνεδρίαση Δημοτικού Συμβουλίου", place="Δημαρχείο Ερμούπολης, αίθουσα συνεδριάσεων",
         lat=37.4446, lon=24.9416, start=(12, 19), hours=3, capacity=60,
         description="Ημερήσια διάταξη: προϋπολογισμός 2027, συντήρηση δημοτικού οδικού δικτύου, "
                     "αιτήματα πολιτών. Η συνεδρίαση είναι δημόσια και μεταδίδεται ζωντανά."),
    dict(kind="workshop", title="Εργαστήριο: σχεδιάζουμε μαζί την πλατεία Μιαούλη", place="Πλατεία Μιαούλη, Ερμούπολη",
         lat=37.4449, lon=24.9430, start=(5, 18), hours=2, capacity=4,
         description="Εργαστήριο συμμετοχικού σχεδιασμού με αρχιτέκτονες του Δήμου: πράσινο, σκιά, "
                     "προσβασιμότητα και εκδηλώσεις στην πλατεία. Περιορισμένες θέσεις."),
    dict(kind="open_day", title="Ημέρα ανοιχτών θυρών στο Δημοτικό Θέατρο Απόλλων", place="Θέατρο Απόλλων, Ερμούπολη",
         lat=37.4441, lon=24.9452, start=(20, 11), hours=5, capacity=None,
         description="Ξενάγηση στο ιστορικό θέατρο, στα παρασκήνια και στη σκηνή, από το προσωπικό του Δήμου."),
]
PAST = dict(kind="council", title="Έκτακτη συνεδρίαση Δημοτικού Συμβουλίου για την ύδρευση",
            place="Δημαρχείο Ερμούπολης, αίθουσα συνεδριάσεων", lat=37.4446, lon=24.9416, start=(-30, 19), hours=2,
            capacity=None, description="Μοναδικό θέμα: η ύδρευση της Ποσειδωνίας και του Φοίνικα το καλοκαίρι.")


def _people(session: Session) -> list[int]:
    ids, now = [], utcnow()
    for i, name in enumerate(PEOPLE):
        digest = taxid_hmac(with_check_digit(f"{94000000 + i:08d}"))
        person = session.exec(select(Person).where(Person.taxid_hmac == digest)).first()
        if person is None:
            person = Person(taxid_hmac=digest, display_name=name, birth_year=1960 + i * 7, first_login_at=now,
                            last_login_at=now)
            session.add(person)
            session.flush()
        ids.append(person.id)
    return ids


def _event(spec: dict, now: datetime) -> Event:
    starts = _at(*spec["start"])
    return Event(kind=spec["kind"], title=spec["title"], description=spec["description"], place=spec["place"],
                 lat=spec["lat"], lon=spec["lon"], starts_at=starts, ends_at=starts + timedelta(hours=spec["hours"]),
                 capacity=spec["capacity"], registration_open=True, created_at=now, updated_at=now)


@demo_loader("events")
def load_events(session: Session) -> int:
    existing = set(session.exec(select(Event.title)))
    now, added = utcnow(), 0
    people = _people(session)
    for spec in [*EVENTS, PAST]:
        if spec["title"] in existing:
            continue
        event = _event(spec, now)
        if spec is PAST:
            event.minutes, event.minutes_published_at = MINUTES, event.ends_at + timedelta(days=2)
            event.attendance = 34  # the councillors, three registered residents and walk-ins
        session.add(event)
        session.flush()
        added += 1
        # the workshop: every seat taken and a waitlist of one; the past meeting: who came
        seated = people[:spec["capacity"]] if spec["capacity"] == 4 else people[:3] if spec is PAST else []
        waiting = people[4:] if spec["capacity"] == 4 else []
        for order, person_id in enumerate([*seated, *waiting]):
            status = rules.REGISTERED if person_id in seated else rules.WAITLISTED
            queued = min(now, event.starts_at) - timedelta(days=3, minutes=-order)
            # at the past meeting two of the three came (marked at the door), one did not
            came = (order < 2) if spec is PAST else None
            session.add(EventRegistration(event_id=event.id, person_id=person_id, status=status, queued_at=queued,
                                          registered_at=queued if status == rules.REGISTERED else None,
                                          attended=came, attendance_marked_at=event.starts_at if spec is PAST else None))
    session.flush()
    return added
