"""Demo data: a voter roll, an OPEN referendum on the Neorion waterfront and a
CLOSED participatory budget with published results (ballots cast through the
service, by synthetic voters who exist only on the demo roll)."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlmodel import Session, select

from syros_app.core.timefmt import utcnow
from syros_app.demo.seed import demo_loader
from syros_app.identity.hashing import taxid_hmac, with_check_digit
from syros_app.identity.models import VoterRoll, VoterRollEntry
from syros_app.identity.roles import MUNICIPAL_UNITS, Actor, Role

from . import actions, queries
from .actions import OptionInput
from .models import Vote

ROLL_NAME = "Δημότες Σύρου-Ερμούπολης (κατάλογος επίδειξης)"
# Identity's demo personas log in with these ΑΦΜ; they are on the demo roll.
PERSONA_TAXIDS = [with_check_digit(f"0100000{n}") for n in range(1, 7)]
SYNTHETIC_VOTERS = 360
REFERENDUM_TITLE = "Το μέλλον του παραλιακού μετώπου του Νεωρίου"
BUDGET_TITLE = "Συμμετοχικός προϋπολογισμός 2026"


class _DemoActor(Actor):
    @property
    def audit_name(self) -> str:
        return "system:demo"


DEMO_STAFF = _DemoActor(person_id=0, display_name="demo", taxid_hmac="", roles=frozenset({Role.ADMINISTRATOR}))


def _synthetic_taxids() -> list[str]:
    return [with_check_digit(str(90_000_000 + i)) for i in range(SYNTHETIC_VOTERS)]


def _voter(taxid: str) -> Actor:
    return Actor(person_id=0, display_name="demo voter", taxid_hmac=taxid_hmac(taxid), birth_year=1970,
                 roles=frozenset({Role.RESIDENT}))


def _roll(session: Session) -> tuple[VoterRoll, int]:
    roll = session.exec(select(VoterRoll).where(VoterRoll.name == ROLL_NAME)).first()
    if roll is not None:
        return roll, 0
    roll = VoterRoll(name=ROLL_NAME, created_at=utcnow())
    session.add(roll)
    session.flush()
    taxids = PERSONA_TAXIDS + _synthetic_taxids()
    for n, taxid in enumerate(taxids):
        session.add(VoterRollEntry(roll_id=roll.id, taxid_hmac=taxid_hmac(taxid),
                                   municipal_unit=MUNICIPAL_UNITS[n % len(MUNICIPAL_UNITS)]))
    roll.entry_count = len(taxids)
    session.add(roll)
    session.flush()
    return roll, 1 + len(taxids)


REFERENDUM_TEXT = (
    "Το Νεώριο, το ιστορικό ναυπηγείο της Ερμούπολης, και το παραλιακό μέτωπο δίπλα του αλλάζουν. "
    "Ο Δήμος ζητά τη γνώμη των δημοτών για την αξιοποίηση της ζώνης μεταξύ του ναυπηγείου και της "
    "παραλίας του Αγίου Δημητρίου: να γίνει δημόσιος πεζόδρομος με πράσινο, σκιά και πρόσβαση στη θάλασσα, "
    "χωρίς να θιγεί η ναυπηγοεπισκευαστική δραστηριότητα και οι θέσεις εργασίας του Νεωρίου;\n\n"
    "Η μελέτη προβλέπει πεζόδρομο 600 μέτρων, δεντροφύτευση, καθιστικά, ράμπες για άτομα με αναπηρία και "
    "ενημερωτικές πινακίδες για την ιστορία της ναυπηγικής στη Σύρο. Το αποτέλεσμα θα συζητηθεί στο Δημοτικό "
    "Συμβούλιο πριν από κάθε απόφαση."
)

PROJECTS = [
    ("Ανακαίνιση της παιδικής χαράς στα Βαπόρια", "Νέος ασφαλής εξοπλισμός, δάπεδο ασφαλείας και σκίαστρα.", 45_000),
    ("Ράμπες πρόσβασης στις παραλίες Γαλησσά, Φοίνικα και Βάρη", "Σταθερές ράμπες και διάδρομοι για άτομα με αναπηρία και καροτσάκια.", 38_000),
    ("Φωτοβολταϊκά στα σχολεία της Ποσειδωνίας", "Φωτοβολταϊκά στις στέγες δύο σχολικών κτιρίων· μείωση του λογαριασμού ρεύματος.", 60_000),
    ("Ποδηλατόδρομος Ερμούπολη – Κίνι (α' φάση)", "Μελέτη και κατασκευή του πρώτου τμήματος, ως τη Μάννα.", 120_000),
    ("Ανάδειξη του μονοπατιού Άνω Σύρος – Σαν Μιχάλης", "Καθαρισμός, σήμανση και ξερολιθιές στο ιστορικό μονοπάτι.", 25_000),
    ("Κάδοι κομποστοποίησης στις γειτονιές της Ερμούπολης", "40 κάδοι και ενημέρωση των κατοίκων για την κομποστοποίηση.", 18_000),
    ("Σκίαστρα και βρύσες στην πλατεία της Άνω Σύρου", "Σκιά και πόσιμο νερό για κατοίκους και επισκέπτες.", 22_000),
]
BUDGET_TOTAL = 200_000


def _referendum(session: Session, roll: VoterRoll) -> int:
    if session.exec(select(Vote).where(Vote.title == REFERENDUM_TITLE)).first() is not None:
        return 0
    now = utcnow()
    vote = actions.create_vote(
        session, actor=DEMO_STAFF, title=REFERENDUM_TITLE,
        question="Συμφωνείτε να γίνει το παραλιακό μέτωπο του Νεωρίου δημόσιος πεζόδρομος και χώρος πρασίνου, "
                 "με διατήρηση της ναυπηγοεπισκευαστικής δραστηριότητας;",
        explanation=REFERENDUM_TEXT, kind="yes_no", roll_id=roll.id,
        options=[OptionInput("Ναι", "Υπέρ του πεζόδρομου και του χώρου πρασίνου."),
                 OptionInput("Όχι", "Το μέτωπο μένει όπως είναι σήμερα.")],
        now=now - timedelta(days=3))
    actions.open_vote(session, actor=DEMO_STAFF, vote_id=vote.id, closes_at=now + timedelta(days=21),
                      now=now - timedelta(days=2))
    yes, no = [o.id for o in queries.options_of(session, vote.id)]
    rng = random.Random(7)
    for taxid in _synthetic_taxids()[:48]:
        actions.cast_ballot(session, actor=_voter(taxid), vote_id=vote.id, choice=[yes if rng.random() < 0.62 else no],
                            now=now - timedelta(days=1))
    return 1


def _budget(session: Session, roll: VoterRoll) -> int:
    if session.exec(select(Vote).where(Vote.title == BUDGET_TITLE)).first() is not None:
        return 0
    start = utcnow() - timedelta(days=45)
    vote = actions.create_vote(
        session, actor=DEMO_STAFF, title=BUDGET_TITLE,
        question="Ποια έργα να χρηματοδοτήσει ο Δήμος με 200.000 € το 2026;",
        explanation="Οι δημότες πρότειναν έργα για τη γειτονιά τους· οι υπηρεσίες του Δήμου τα κοστολόγησαν. "
                    "Επιλέξτε όσα έργα θέλετε, χωρίς να ξεπεράσετε τον προϋπολογισμό. Χρηματοδοτούνται τα έργα με "
                    "τις περισσότερες ψήφους, με τη σειρά, όσο επαρκεί ο προϋπολογισμός.",
        kind="budget", roll_id=roll.id, budget_total=BUDGET_TOTAL,
        options=[OptionInput(title, text, cost) for title, text, cost in PROJECTS], now=start)
    actions.open_vote(session, actor=DEMO_STAFF, vote_id=vote.id, closes_at=start + timedelta(days=14), now=start)
    ids = [o.id for o in queries.options_of(session, vote.id)]
    costs = dict(zip(ids, (p[2] for p in PROJECTS)))
    weights = [0.55, 0.5, 0.35, 0.3, 0.45, 0.25, 0.3]
    rng = random.Random(2026)
    for n, taxid in enumerate(_synthetic_taxids()[:310]):
        chosen, left = [], BUDGET_TOTAL
        for option_id, weight in sorted(zip(ids, weights), key=lambda _: rng.random()):
            if rng.random() < weight and costs[option_id] <= left:
                chosen.append(option_id)
                left -= costs[option_id]
        actions.cast_ballot(session, actor=_voter(taxid), vote_id=vote.id, choice=chosen or [ids[n % len(ids)]],
                            now=start + timedelta(days=1 + n % 12))
    actions.close_vote(session, actor=DEMO_STAFF, vote_id=vote.id, now=start + timedelta(days=14, minutes=1))
    actions.publish_results(session, actor=DEMO_STAFF, vote_id=vote.id, now=start + timedelta(days=15))
    return 1


@demo_loader("voting")
def load(session: Session) -> int:
    roll, added = _roll(session)
    return added + _referendum(session, roll) + _budget(session, roll)
