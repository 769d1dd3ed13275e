"""Demo reports: a year of plausible problem reports across categories and municipal
units, with status histories and ratings, so /measurement means something on the
first ``make run``. Idempotent (the demo residents and a ``demo`` source mark them);
inserted in bulk so it loads in a second or two."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, insert
from sqlmodel import Session, select

from syros_app.core.timefmt import utcnow
from syros_app.demo.seed import demo_loader
from syros_app.identity.hashing import taxid_hmac, with_check_digit
from syros_app.identity.models import Person

from . import rules
from .models import Report, ReportUpdate

DEMO_SOURCE = "demo"
COUNT = 1400

NAMES = ["Γιώργος Μ.", "Κατερίνα Φ.", "Μανώλης Β.", "Ειρήνη Δ.", "Αντώνης Ρ.", "Σοφία Χ.", "Νίκος Π.", "Μαρίνα Λ.",
         "Δημήτρης Κ.", "Άννα Σ.", "Φραγκίσκος Ρ.", "Ελένη Θ.", "Παναγιώτης Ζ.", "Βασιλική Α.", "Γιάννης Τ.",
         "Μαρία Ν.", "Στέλιος Γ.", "Χριστίνα Ο.", "Λευτέρης Η.", "Δέσποινα Ι."]

PLACES = {
    "Ερμούπολη": [("Πλατεία Μιαούλη", 37.4448, 24.9427), ("Οδός Ερμού", 37.4432, 24.9433),
                  ("Βαπόρια", 37.4425, 24.9490), ("Άγιος Νικόλαος", 37.4440, 24.9470),
                  ("Παραλία Αστέρια", 37.4410, 24.9505), ("Λιμάνι Ερμούπολης", 37.4405, 24.9410),
                  ("Νεώριο", 37.4360, 24.9380), ("Οδός Πρωίου", 37.4390, 24.9400), ("Μάννα", 37.4300, 24.9300)],
    "Άνω Σύρος": [("Άνω Σύρος, πλατεία", 37.4490, 24.9350), ("Κίνι", 37.4460, 24.9035),
                  ("Σαν Μιχάλης", 37.4950, 24.9180), ("Συρινγκάς", 37.5020, 24.9010),
                  ("Χαλανδριανή", 37.4900, 24.9230)],
    "Ποσειδωνία": [("Ποσειδωνία, παραλία", 37.3880, 24.8830), ("Φοίνικας", 37.3960, 24.8780),
                   ("Γαλησσάς", 37.4220, 24.8800), ("Βάρη", 37.3990, 24.9290), ("Μέγας Γιαλός", 37.3820, 24.8970),
                   ("Αζόλιμνος", 37.4100, 24.9560)],
}
UNIT_WEIGHTS = {"Ερμούπολη": 0.6, "Άνω Σύρος": 0.15, "Ποσειδωνία": 0.25}
CATEGORY_WEIGHTS = {"lighting": 0.2, "roads": 0.2, "cleanliness": 0.22, "water": 0.12, "greenery": 0.1,
                    "animals": 0.08, "other": 0.08}
TEXTS = {
    "lighting": ["Σβηστή λάμπα οδοφωτισμού εδώ και μέρες, το βράδυ είναι σκοτάδι.",
                 "Η κολόνα φωτισμού αναβοσβήνει όλη τη νύχτα.", "Κρέμεται καλώδιο από την κολόνα φωτισμού."],
    "roads": ["Μεγάλη λακκούβα στο οδόστρωμα, κίνδυνος για μηχανάκια.",
              "Σπασμένες πλάκες στο πεζοδρόμιο, σκοντάφτουν οι ηλικιωμένοι.",
              "Χαλασμένα μαρμάρινα σκαλιά στο σοκάκι.", "Λείπει η πινακίδα STOP στη διασταύρωση."],
    "cleanliness": ["Οι κάδοι είναι γεμάτοι και δεν έχουν αδειάσει.", "Εγκαταλελειμμένα ογκώδη (στρώμα, καναπές).",
                    "Σκουπίδια στην άκρη της παραλίας μετά το Σαββατοκύριακο."],
    "water": ["Διαρροή νερού στον δρόμο από σπασμένο σωλήνα.", "Ανοιχτό φρεάτιο αποχέτευσης χωρίς καπάκι.",
              "Έντονη οσμή αποχέτευσης στο σοκάκι."],
    "greenery": ["Κλαδιά πεύκου ακουμπούν τα σύρματα.", "Ξερά χόρτα δίπλα στα σπίτια, κίνδυνος φωτιάς.",
                 "Σπασμένη κούνια στην παιδική χαρά."],
    "animals": ["Τραυματισμένος αδέσποτος σκύλος κοντά στη στάση.", "Αγέλη αδέσποτων σκύλων γαβγίζει τα βράδια.",
                "Γατάκια χωρίς φροντίδα σε εγκαταλελειμμένο οικόπεδο."],
    "other": ["Χαλασμένο παγκάκι στην πλατεία.", "Γκράφιτι σε διατηρητέο κτίριο.",
              "Η βρύση της πλατείας τρέχει συνέχεια."],
}
DEPARTMENT_FOR = {"lighting": "lighting", "roads": "technical", "cleanliness": "cleaning", "water": "water_liaison",
                  "greenery": "greenery", "animals": "animal_welfare", "other": "citizen_service"}
# Typical working days to resolve (mean) per category, for plausible figures.
RESOLVE_MEAN = {"lighting": 6, "roads": 14, "cleanliness": 2.5, "water": 3, "greenery": 9, "animals": 5, "other": 10}
NOTES = {
    rules.ACKNOWLEDGED: "Η αναφορά παραλήφθηκε και διαβιβάστηκε στην αρμόδια υπηρεσία.",
    rules.IN_PROGRESS: "Το συνεργείο έχει προγραμματίσει την επέμβαση.",
    rules.RESOLVED: "Η εργασία ολοκληρώθηκε. Ευχαριστούμε για την αναφορά.",
    rules.REJECTED: "Ο χώρος είναι ιδιωτικός· η αρμοδιότητα ανήκει στον ιδιοκτήτη.",
    rules.FORWARDED: "Το θέμα είναι αρμοδιότητας άλλου φορέα και του διαβιβάστηκε.",
}
COMMENTS = ["Γρήγορη και σωστή δουλειά, ευχαριστώ!", "Έγινε, αλλά άργησε.", "Πολύ καλή εξυπηρέτηση.", "",
            "Επιτέλους!", "Το πρόβλημα επανήλθε μετά από λίγες μέρες."]


def _demo_people(session: Session) -> list[int]:
    ids = []
    now = utcnow()
    for i, name in enumerate(NAMES):
        digest = taxid_hmac(with_check_digit(f"{91000000 + i:08d}"))
        person = session.exec(select(Person).where(Person.taxid_hmac == digest)).first()
        if person is None:
            person = Person(taxid_hmac=digest, display_name=name, birth_year=1950 + (i * 3) % 50,
                            first_login_at=now, last_login_at=now)
            session.add(person)
            session.flush()
        ids.append(person.id)
    return ids


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _moment(rng: random.Random, days_ago: float):
    """A plausible moment to report: mostly 8:00–22:00 Athens time."""
    base = utcnow() - timedelta(days=days_ago)
    local = base.astimezone(rules.ATHENS).replace(hour=rng.choice(range(8, 22)), minute=rng.randrange(60),
                                                  second=0, microsecond=0)
    return local.astimezone(utcnow().tzinfo)


@demo_loader("reports")
def load_reports(session: Session) -> int:
    if session.exec(select(func.count()).select_from(Report).where(Report.source == DEMO_SOURCE)).one():
        return 0
    people = _demo_people(session)
    rng = random.Random(7)
    now = utcnow()
    reports, histories = [], []
    for _ in range(COUNT):
        category = _weighted(rng, CATEGORY_WEIGHTS)
        unit = _weighted(rng, UNIT_WEIGHTS)
        place, plat, plon = rng.choice(PLACES[unit])
        created = _moment(rng, rng.uniform(0.2, 365))
        if created > now:
            created = now - timedelta(hours=1)
        ack_days, resolve_days = rules.DEFAULT_TARGETS[category]
        row = {
            "category": category, "description": rng.choice(TEXTS[category]) + f" ({place})",
            "lat": None, "lon": None, "address": place, "municipal_unit": unit, "status": rules.SUBMITTED,
            "reporter_id": rng.choice(people), "show_name": rng.random() < 0.4, "source": DEMO_SOURCE,
            "department": None, "forwarded_to": None, "merged_into_id": None, "supporters": rng.choice([0, 0, 0, 1, 2, 4]),
            "created_at": created, "created_month": rules.month_of(created), "updated_at": created,
            "acknowledged_at": None, "resolved_at": None,
            "ack_due_at": rules.add_working_days(created, ack_days),
            "resolve_due_at": rules.add_working_days(created, resolve_days),
            "ack_target_days": ack_days, "resolve_target_days": resolve_days, "ack_work_days": None,
            "resolve_work_days": None, "rating_fixed": None, "rating_score": None, "rating_comment": None,
            "rated_at": None, "open311_token": None,
        }
        if rng.random() < 0.8:
            lat, lon = plat + rng.uniform(-0.0015, 0.0015), plon + rng.uniform(-0.0015, 0.0015)
            if rules.unit_for_point(lat, lon) == unit:
                row["lat"], row["lon"] = round(lat, 6), round(lon, 6)
        steps: list[tuple[str, object]] = []
        ack_at = created + timedelta(hours=rng.expovariate(1 / (ack_days * 24 * 0.9)))
        if ack_at < now:
            outcome = rng.random()
            if category == "water" and outcome < 0.25:
                steps.append((rules.FORWARDED, ack_at))
                row["forwarded_to"] = "ΔΕΥΑ Σύρου"
            elif outcome < 0.05:
                steps.append((rules.REJECTED, ack_at))
            else:
                steps.append((rules.ACKNOWLEDGED, ack_at))
                row["department"] = DEPARTMENT_FOR[category]
                work_days = rng.lognormvariate(0, 0.6) * RESOLVE_MEAN[category]
                resolved_at = ack_at + timedelta(days=work_days * 7 / 5)
                if rng.random() < 0.6:
                    steps.append((rules.IN_PROGRESS, ack_at + (resolved_at - ack_at) / 3))
                if resolved_at < now:
                    steps.append((rules.RESOLVED, resolved_at))
        previous = rules.SUBMITTED
        history = [(None, rules.SUBMITTED, "", created, False)]
        for status, when in steps:
            if row["acknowledged_at"] is None:
                row["acknowledged_at"] = when
                row["ack_work_days"] = round(rules.working_days_between(created, when), 4)
            if status == rules.RESOLVED:
                row["resolved_at"] = when
                row["resolve_work_days"] = round(rules.working_days_between(created, when), 4)
            history.append((previous, status, NOTES[status], when, True))
            previous = status
            row["status"], row["updated_at"] = status, when
        if row["status"] == rules.RESOLVED and rng.random() < 0.55:
            fixed = rng.random() < 0.87
            row["rating_fixed"] = fixed
            row["rating_score"] = rng.choices([5, 4, 3, 2, 1], weights=[45, 30, 12, 8, 5])[0] if fixed \
                else rng.choice([1, 1, 2, 2, 3])
            row["rating_comment"] = rng.choice(COMMENTS) or None
            row["rated_at"] = min(row["resolved_at"] + timedelta(days=rng.uniform(0.2, 4)), now)
        reports.append(row)
        histories.append((history, row))
    ids = session.execute(insert(Report).returning(Report.id, sort_by_parameter_order=True), reports).scalars().all()
    updates = []
    for report_id, (history, row) in zip(ids, histories):
        for status_from, status_to, note, when, by_staff in history:
            updates.append({"report_id": report_id, "created_at": when, "status_from": status_from,
                            "status_to": status_to, "note": note, "by_staff": by_staff,
                            "person_id": None if by_staff else row["reporter_id"],
                            "forwarded_to": row["forwarded_to"] if status_to == rules.FORWARDED else None})
    session.execute(insert(ReportUpdate), updates)
    session.flush()
    return len(ids)
