"""Demo data: a voter roll, an OPEN referendum on the Neorion waterfront and a
CLOSED participatory budget with published results (ballots cast through the
service, by synthetic voters who exist only on the demo roll) — both standing for
data from before encrypted ballots, kept as legacy plaintext votes — and the
encrypted ones (issue 12):

* an OPEN encrypted referendum on the gov.gr stand-in's roll, so every demo resident
  of the stand-in (except the one too young) can vote, encrypting in the browser;
* a PUBLISHED encrypted participatory budget with three demo trustees (k = 2), its
  ballots cast encrypted through the service, one audited, decrypted by trustees 1
  and 3, so its election record verifies (``voting verify``).

Both encrypted votes have the same three demo trustees (k = 2), who went through the key
ceremony with the trustees' own tool; their key files and (demo only!) passphrases are in
``<data folder>/demo-trustees/`` (not in production), so the open referendum can be closed,
decrypted by two of them — in the browser on their trustee page, or with the command — and
published.
"""

from __future__ import annotations

import json
import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, select

from syros_app.core.settings import get_settings
from syros_app.core.timefmt import utcnow
from syros_app.demo.seed import demo_loader
from syros_app.identity.hashing import taxid_hmac, with_check_digit
from syros_app.identity.models import Person, VoterRoll, VoterRollEntry
from syros_app.identity.roles import MUNICIPAL_UNITS, Actor, Role
from syros_app.identity.stand_in import DEMO_RESIDENTS

from . import actions, encrypted, queries, trustee
from .actions import OptionInput
from .crypto import ballot as crypto_ballot
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


ENCRYPTED_BUDGET_TITLE = "Συμμετοχικός προϋπολογισμός 2027 (κρυπτογραφημένη ψηφοφορία)"
BUDGET_TEXTS = {  # title: (question, explanation)
    BUDGET_TITLE: (
        "Ποια έργα να χρηματοδοτήσει ο Δήμος με 200.000 € το 2026;",
        "Οι δημότες πρότειναν έργα για τη γειτονιά τους· οι υπηρεσίες του Δήμου τα κοστολόγησαν. "
        "Επιλέξτε όσα έργα θέλετε, χωρίς να ξεπεράσετε τον προϋπολογισμό. Χρηματοδοτούνται τα έργα με "
        "τις περισσότερες ψήφους, με τη σειρά, όσο επαρκεί ο προϋπολογισμός."),
    ENCRYPTED_BUDGET_TITLE: (
        "Ποια έργα να χρηματοδοτήσει ο Δήμος με 200.000 € το 2027;",
        "Ψηφοφορία με κρυπτογραφημένα ψηφοδέλτια και τρεις θεματοφύλακες (αρκούν δύο για την "
        "καταμέτρηση). Το αρχείο της εκλογής επιτρέπει σε οποιονδήποτε να ελέγξει κάθε απόδειξη."),
}


def _once(session: Session, title: str, make, *args) -> int:
    """Make the demo vote titled ``title`` unless an earlier run did (the loader is idempotent): 1 if made."""
    if session.exec(select(Vote).where(Vote.title == title)).first() is not None:
        return 0
    make(session, *args)
    return 1


def _budget_vote(session: Session, roll: VoterRoll, title: str, start) -> Vote:
    """A participatory budget of the demo's PROJECTS sharing BUDGET_TOTAL (not yet open)."""
    question, explanation = BUDGET_TEXTS[title]
    return actions.create_vote(
        session, actor=DEMO_STAFF, title=title, question=question, explanation=explanation, kind="budget",
        roll_id=roll.id, budget_total=BUDGET_TOTAL, now=start,
        options=[OptionInput(name, text, cost) for name, text, cost in PROJECTS])


def _legacy_plaintext(session: Session, vote: Vote) -> Vote:
    """The demo's two plaintext votes stand for data from before encrypted ballots (such votes
    stay readable): their rows are made as those votes were. Only the demo does this; every
    vote staff create is encrypted (``actions.create_vote``)."""
    vote.encrypted = False
    session.add(vote)
    session.flush()
    return vote


def _referendum(session: Session, roll: VoterRoll) -> None:
    now = utcnow()
    vote = _legacy_plaintext(session, actions.create_vote(
        session, actor=DEMO_STAFF, title=REFERENDUM_TITLE,
        question="Συμφωνείτε να γίνει το παραλιακό μέτωπο του Νεωρίου δημόσιος πεζόδρομος και χώρος πρασίνου, "
                 "με διατήρηση της ναυπηγοεπισκευαστικής δραστηριότητας;",
        explanation=REFERENDUM_TEXT, kind="yes_no", roll_id=roll.id,
        options=[OptionInput("Ναι", "Υπέρ του πεζόδρομου και του χώρου πρασίνου."),
                 OptionInput("Όχι", "Το μέτωπο μένει όπως είναι σήμερα.")],
        now=now - timedelta(days=3)))
    actions.open_vote(session, actor=DEMO_STAFF, vote_id=vote.id, closes_at=now + timedelta(days=21),
                      now=now - timedelta(days=2))
    yes, no = [o.id for o in queries.options_of(session, vote.id)]
    rng = random.Random(7)
    for taxid in _synthetic_taxids()[:48]:
        actions.cast_ballot(session, actor=_voter(taxid), vote_id=vote.id, choice=[yes if rng.random() < 0.62 else no],
                            now=now - timedelta(days=1))


def _budget(session: Session, roll: VoterRoll) -> None:
    start = utcnow() - timedelta(days=45)
    vote = _legacy_plaintext(session, _budget_vote(session, roll, BUDGET_TITLE, start))
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


ENCRYPTED_REFERENDUM_TITLE = "Πεζοδρόμηση της οδού Πρωτοπαπαδάκη τα Σαββατοκύριακα"
STAND_IN_ROLL_NAME = "Δημότες Σύρου-Ερμούπολης (δοκιμαστικός κατάλογος)"  # identity's demo roll of the stand-in
# The demo trustees: stand-in residents (the administrator, the moderator, and one resident).
DEMO_TRUSTEES = ("giorgos", "maria", "eftychia")
# Demo only: the passphrases of their key files, written beside them (never do this for real keys).
DEMO_TRUSTEE_PASSPHRASES = {"giorgos": "demo-trustee-giorgos", "maria": "demo-trustee-maria",
                            "eftychia": "demo-trustee-eftychia"}
DEMO_TRUSTEE_FOLDER = "demo-trustees"
_FOLDER_README = (
    "Syros Agora, DEMO ONLY: the key files of the demo votes' trustees (vote-<id>-trustee-<i>-<who>.key).\n"
    "A real trustee's key file is made on their own device and its passphrase is never written down.\n"
    "Sign in on the gov.gr stand-in as the trustee, open /votes/<id>/trustee once the vote is closed,\n"
    "choose the key file and type its passphrase (or: python -m syros_app voting trustee decrypt ...).\n"
    "Passphrases:\n")
ENCRYPTED_BALLOTS = 60


def _stand_in_roll(session: Session) -> VoterRoll:
    """The stand-in's residents' roll (identity's demo makes it; made here if identity's demo did not run)."""
    roll = session.exec(select(VoterRoll).where(VoterRoll.name == STAND_IN_ROLL_NAME)).first()
    if roll is None:
        roll = VoterRoll(name=STAND_IN_ROLL_NAME, created_at=utcnow(), entry_count=len(DEMO_RESIDENTS))
        session.add(roll)
        session.flush()
        for resident in DEMO_RESIDENTS:
            session.add(VoterRollEntry(roll_id=roll.id, taxid_hmac=taxid_hmac(resident.taxid),
                                       municipal_unit=resident.municipal_unit))
        session.flush()
    return roll


def _trustee_actors(session: Session) -> list[Actor]:
    actors = []
    for key in DEMO_TRUSTEES:
        resident = next(r for r in DEMO_RESIDENTS if r.key == key)
        digest = taxid_hmac(resident.taxid)
        person = session.exec(select(Person).where(Person.taxid_hmac == digest)).first()
        if person is None:
            person = Person(taxid_hmac=digest, display_name=f"{resident.first_name.title()} {resident.last_name[0]}.",
                            birth_year=resident.birth_year)
            session.add(person)
            session.flush()
        actors.append(Actor(person_id=person.id, display_name=person.display_name, taxid_hmac=digest,
                            birth_year=resident.birth_year, roles=frozenset({Role.RESIDENT})))
    return actors


@contextmanager
def trustee_folder() -> Iterator[Path]:
    """Where the demo trustees' key files are written: ``<data folder>/demo-trustees`` — never in
    production, where they go to a scratch folder removed at once (the demo votes' shares are then
    kept nowhere, as a real trustee's never are on the server)."""
    settings = get_settings()
    if settings.is_production:
        with tempfile.TemporaryDirectory(prefix="syros-demo-trustees-") as scratch:
            yield Path(scratch)
        return
    folder = settings.data_dir / DEMO_TRUSTEE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "README.txt").write_text(_FOLDER_README + "".join(
        f"  {key}: {passphrase}\n" for key, passphrase in DEMO_TRUSTEE_PASSPHRASES.items()), encoding="utf-8")
    yield folder


def _key_ceremony(session: Session, vote: Vote, now, folder: Path) -> list[Path]:
    """Three trustees, k = 2, through the trustees' own tool (voting/trustee.py): each key file,
    under its demo passphrase, holds what that trustee needs to decrypt (``trustee decrypt`` or
    the trustee page in the browser). Returns the key files, trustee 1 first."""
    trustees = _trustee_actors(session)
    encrypted.set_trustees(session, actor=DEMO_STAFF, vote_id=vote.id, threshold=2, now=now, trustees=[
        encrypted.TrusteeInput(t.display_name, t.person_id) for t in trustees])
    keys = [folder / f"vote-{vote.id}-trustee-{i}-{key}.key" for i, key in enumerate(DEMO_TRUSTEES, start=1)]
    for actor, path, key in zip(trustees, keys, DEMO_TRUSTEES):
        path.unlink(missing_ok=True)  # a database made afresh numbers its votes afresh
        out = trustee.init(path, DEMO_TRUSTEE_PASSPHRASES[key].encode())
        encrypted.post_transport_key(session, actor=actor, vote_id=vote.id, public_key=out["public_key"], now=now)
    kit = json.loads(json.dumps(queries.trustee_kit(session, vote.id)))
    for actor, path, key in zip(trustees, keys, DEMO_TRUSTEES):
        out = trustee.deal(path, kit, DEMO_TRUSTEE_PASSPHRASES[key].encode())
        encrypted.post_commitments(session, actor=actor, vote_id=vote.id, now=now, commitments=out["commitments"],
                                   sealed_shares=out["sealed_shares"])
    return keys


def _encrypted_referendum(session: Session) -> None:
    now = utcnow()
    vote = actions.create_vote(
        session, actor=DEMO_STAFF, title=ENCRYPTED_REFERENDUM_TITLE,
        question="Συμφωνείτε να πεζοδρομείται η οδός Πρωτοπαπαδάκη κάθε Σάββατο και Κυριακή, 10:00–22:00;",
        explanation="Η πρώτη ψηφοφορία με κρυπτογραφημένα ψηφοδέλτια: η επιλογή σας κρυπτογραφείται στη συσκευή "
                    "σας και μόνο το άθροισμα αποκρυπτογραφείται, από δύο τουλάχιστον από τους τρεις θεματοφύλακες.",
        kind="yes_no", roll_id=_stand_in_roll(session).id,
        options=[OptionInput("Ναι", "Πεζόδρομος τα Σαββατοκύριακα."), OptionInput("Όχι", "Η κυκλοφορία μένει ως έχει.")],
        now=now - timedelta(days=2))
    with trustee_folder() as folder:
        _key_ceremony(session, vote, now - timedelta(days=2), folder)
    actions.open_vote(session, actor=DEMO_STAFF, vote_id=vote.id, closes_at=now + timedelta(days=28),
                      now=now - timedelta(days=1))


def _encrypted_budget(session: Session, roll: VoterRoll) -> None:
    start = utcnow() - timedelta(days=30)
    vote = _budget_vote(session, roll, ENCRYPTED_BUDGET_TITLE, start)
    with trustee_folder() as folder:
        _decrypted_budget(session, vote, start, _key_ceremony(session, vote, start, folder))


def _decrypted_budget(session: Session, vote: Vote, start, keys: list[Path]) -> None:
    actions.open_vote(session, actor=DEMO_STAFF, vote_id=vote.id, closes_at=start + timedelta(days=14), now=start)
    election = queries.election_of(vote)
    costs = [p[2] for p in PROJECTS]
    rng = random.Random(2027)
    for n, taxid in enumerate(_synthetic_taxids()[:ENCRYPTED_BALLOTS]):
        chosen, left = [0] * len(PROJECTS), BUDGET_TOTAL
        for i in sorted(range(len(PROJECTS)), key=lambda _: rng.random()):
            if rng.random() < 0.45 and costs[i] <= left:
                chosen[i], left = 1, left - costs[i]
        if not any(chosen):
            chosen[n % len(PROJECTS)] = 1
        voter = _voter(taxid)
        if n == 0:  # one voter audits a ballot first (Benaloh), then casts afresh
            encrypted.post_spoiled_ballot(session, actor=voter, vote_id=vote.id, now=start + timedelta(days=1),
                                          audit=crypto_ballot.encrypt_ballot(election, chosen).audit())
        encrypted.cast_encrypted_ballot(session, actor=voter, vote_id=vote.id, now=start + timedelta(days=1 + n % 12),
                                        ballot=crypto_ballot.encrypt_ballot(election, chosen).ballot)
    actions.close_vote(session, actor=DEMO_STAFF, vote_id=vote.id, now=start + timedelta(days=14, minutes=1))
    kit = json.loads(json.dumps(queries.trustee_kit(session, vote.id)))
    trustees = _trustee_actors(session)
    for index in (1, 3):
        out = trustee.decrypt(keys[index - 1], kit, DEMO_TRUSTEE_PASSPHRASES[DEMO_TRUSTEES[index - 1]].encode())
        encrypted.post_partial_decryption(session, actor=trustees[index - 1], vote_id=vote.id,
                                          partials=out["partials"], now=start + timedelta(days=14, hours=2))
    actions.publish_results(session, actor=DEMO_STAFF, vote_id=vote.id, now=start + timedelta(days=15))


@demo_loader("voting")
def load(session: Session) -> int:
    roll, added = _roll(session)
    return (added + _once(session, REFERENDUM_TITLE, _referendum, roll) + _once(session, BUDGET_TITLE, _budget, roll)
            + _once(session, ENCRYPTED_REFERENDUM_TITLE, _encrypted_referendum)
            + _once(session, ENCRYPTED_BUDGET_TITLE, _encrypted_budget, roll))
