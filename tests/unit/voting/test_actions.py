"""Voting services: lifecycle with audit and events, eligibility, casting, secrecy, results."""

from datetime import timedelta

import pytest
from sqlalchemy import inspect, text
from sqlmodel import select

from syros_app.core import events
from syros_app.core.audit import AuditEntry
from syros_app.core.errors import AgoraError, InvalidInput, NotFound, PermissionDenied
from syros_app.voting import actions, queries, rules
from syros_app.voting.actions import OptionInput
from syros_app.voting.models import Ballot, Vote, VoteParticipation
from tests.support import personas

from .helpers import NOW, create_legacy_plaintext_vote, make_roll, open_legacy_plaintext_vote, option_ids


@pytest.fixture
def captured():
    seen = []

    def handler(session, payload, now):
        seen.append(payload)

    for name in ("vote.opened", "vote.results_published", "vote.closing_soon"):
        events.subscriber(name)(handler)
    yield seen
    for name in ("vote.opened", "vote.results_published", "vote.closing_soon"):
        events._SUBSCRIBERS[name].remove(handler)


def _audit_actions(session):
    return [e.action for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))]


def test_lifecycle_is_audited_and_announced(session, captured):
    staff = personas.administrator(session, "moderator")
    roll = make_roll(session, {"eleni": "Ερμούπολη"})
    vote = create_legacy_plaintext_vote(session, actor=staff, title="Νεώριο", question="Συμφωνείτε;", kind="yes_no",
                               roll_id=roll.id, now=NOW)
    assert [o.title for o in queries.options_of(session, vote.id)] == ["Ναι", "Όχι"]
    actions.schedule_vote(session, actor=staff, vote_id=vote.id, opens_at=NOW + timedelta(days=1),
                          closes_at=NOW + timedelta(days=8), now=NOW)
    assert vote.status == "scheduled"
    # scheduled → opened by time through the worker tick
    done = actions.advance_schedules(session, now=NOW + timedelta(days=1, minutes=1))
    assert done["opened"] == 1 and vote.status == "open"
    assert captured[-1] == {"vote_id": vote.id, "title": "Νεώριο", "area": None, "url": f"/votes/{vote.id}"}
    with pytest.raises(AgoraError, match="voting.errors.frozen"):
        actions.update_vote(session, actor=staff, vote_id=vote.id, title="x", question="y", roll_id=roll.id,
                            now=NOW + timedelta(days=2))
    done = actions.advance_schedules(session, now=NOW + timedelta(days=7, hours=12))
    assert done["closing_soon"] == 1 and "closes_at" in captured[-1]
    assert actions.advance_schedules(session, now=NOW + timedelta(days=7, hours=13))["closing_soon"] == 0
    with pytest.raises(InvalidInput, match="reason_required"):
        actions.close_vote(session, actor=staff, vote_id=vote.id, now=NOW + timedelta(days=7, hours=13))
    actions.close_vote(session, actor=staff, vote_id=vote.id, reason="Τεχνικό πρόβλημα", now=NOW + timedelta(days=7, hours=13))
    assert vote.status == "closed" and vote.close_reason == "Τεχνικό πρόβλημα"
    actions.publish_results(session, actor=staff, vote_id=vote.id, now=NOW + timedelta(days=8))
    assert vote.status == "published" and captured[-1]["vote_id"] == vote.id
    session.commit()
    assert _audit_actions(session) == ["voting.create", "voting.schedule", "voting.open", "voting.close", "voting.publish"]


def test_residents_cannot_manage_votes(session):
    eleni = personas.resident(session, "eleni")
    roll = make_roll(session, {"eleni": None})
    for call in (
        lambda a: actions.create_vote(session, actor=a, title="x", question="y", roll_id=roll.id),
        lambda a: actions.open_vote(session, actor=a, vote_id=1),
        lambda a: actions.close_vote(session, actor=a, vote_id=1, reason="r"),
        lambda a: actions.publish_results(session, actor=a, vote_id=1),
    ):
        for who in (None, eleni):
            with pytest.raises(PermissionDenied):
                call(who)
    assert session.exec(select(Vote)).all() == []


def test_setup_validation(session):
    staff = personas.administrator(session, "moderator")
    roll = make_roll(session, {})
    with pytest.raises(InvalidInput, match="roll_required"):
        actions.create_vote(session, actor=staff, title="x", question="y", roll_id=999)
    with pytest.raises(InvalidInput, match="bad_budget"):
        actions.create_vote(session, actor=staff, title="x", question="y", kind="budget", roll_id=roll.id, budget_total="0")
    with pytest.raises(InvalidInput, match="bad_min_age"):
        actions.create_vote(session, actor=staff, title="x", question="y", roll_id=roll.id, min_age=121)
    with pytest.raises(InvalidInput, match="errors.invalid_input"):  # not a number: the schema refuses it
        actions.create_vote(session, actor=staff, title="x", question="y", roll_id=roll.id, min_age="seventeen")
    with pytest.raises(InvalidInput, match="option_cost_required"):
        actions.create_vote(session, actor=staff, title="x", question="y", kind="budget", roll_id=roll.id,
                            budget_total=1000, options=[OptionInput("Παιδική χαρά")])
    single = create_legacy_plaintext_vote(session, actor=staff, title="x", question="y", kind="single", roll_id=roll.id,
                                 options=[OptionInput("Μόνο μία")])
    with pytest.raises(InvalidInput, match="two_options"):
        actions.open_vote(session, actor=staff, vote_id=single.id)
    with pytest.raises(InvalidInput, match="bad_schedule"):
        actions.schedule_vote(session, actor=staff, vote_id=single.id, opens_at=NOW - timedelta(days=1),
                              closes_at=NOW, now=NOW)


def test_document_must_be_a_small_pdf(session):
    staff = personas.administrator(session, "moderator")
    roll = make_roll(session, {})
    vote = create_legacy_plaintext_vote(session, actor=staff, title="x", question="y", roll_id=roll.id)
    with pytest.raises(InvalidInput, match="document_not_pdf"):
        actions.attach_document(session, actor=staff, vote_id=vote.id, filename="a.pdf", content_type="application/pdf",
                                data=b"<html>not a pdf</html>")
    with pytest.raises(InvalidInput, match="document_too_large"):
        actions.attach_document(session, actor=staff, vote_id=vote.id, filename="a.pdf", content_type="application/pdf",
                                data=b"%PDF-" + b"0" * actions.MAX_DOCUMENT_BYTES)
    doc = actions.attach_document(session, actor=staff, vote_id=vote.id, filename="Μελέτη Νεωρίου.pdf",
                                  content_type="application/pdf", data=b"%PDF-1.4 demo")
    assert doc.size == 13 and doc.filename.endswith(".pdf")


def test_every_eligibility_reason_is_refused_by_the_service(session):
    staff = personas.administrator(session, "moderator")
    eleni = personas.resident(session, "eleni", birth_year=1980)
    nikos = personas.resident(session, "nikos", birth_year=1975)        # on the roll, other unit
    maria = personas.resident(session, "maria", birth_year=2012)        # too young
    outsider = personas.resident(session, "outsider", birth_year=1970)  # not on the roll
    roll = make_roll(session, {"eleni": "Ερμούπολη", "nikos": "Άνω Σύρος", "maria": "Ερμούπολη"})
    vote = open_legacy_plaintext_vote(session, staff, roll, unit="Ερμούπολη")
    yes = option_ids(session, vote.id)[0]

    def refusal(actor, now=NOW):
        with pytest.raises(AgoraError) as caught:
            actions.cast_ballot(session, actor=actor, vote_id=vote.id, choice=[yes], now=now)
        session.rollback()
        return caught.value.key

    assert refusal(None) == "voting.reason.not_logged_in"
    assert refusal(outsider) == "voting.reason.not_on_roll"
    assert refusal(nikos) == "voting.reason.not_in_unit"
    assert refusal(maria) == "voting.reason.too_young"
    later = create_legacy_plaintext_vote(session, actor=staff, title="Αργότερα", question=";", roll_id=roll.id, now=NOW)
    actions.schedule_vote(session, actor=staff, vote_id=later.id, opens_at=NOW + timedelta(days=1),
                          closes_at=NOW + timedelta(days=2), now=NOW)
    session.commit()
    with pytest.raises(AgoraError, match="voting.reason.not_yet_open"):
        actions.cast_ballot(session, actor=eleni, vote_id=later.id, choice=option_ids(session, later.id)[:1], now=NOW)
    session.rollback()
    assert refusal(eleni, NOW + timedelta(days=8)) == "voting.reason.closed"
    receipt = actions.cast_ballot(session, actor=eleni, vote_id=vote.id, choice=[yes], now=NOW)
    session.commit()
    assert refusal(eleni) == "voting.reason.already_voted"
    # the page shows the same reasons
    assert queries.ineligibility_for(session, eleni, vote, now=NOW) == rules.ALREADY_VOTED
    assert queries.ineligibility_for(session, nikos, vote, now=NOW) == rules.NOT_IN_UNIT
    assert queries.ineligibility_for(session, None, vote, now=NOW) == rules.NOT_LOGGED_IN
    assert rules.normalise_tracker(receipt.tracker) == receipt.tracker
    assert session.exec(select(Ballot)).all()[0].tracker == receipt.tracker


def test_a_remembered_open_vote_is_cast_in_one_statement_with_the_same_stored_values(session, monkeypatch):
    """Once a vote is known open, casting skips the read: the eligibility checks live in
    the INSERT itself; when it inserts nothing the reason comes from ``rules.ineligibility``."""
    staff = personas.administrator(session, "moderator")
    eleni, nikos, maria = (personas.resident(session, key, birth_year=1980) for key in ("eleni", "nikos", "maria"))
    roll = make_roll(session, {"eleni": "Ερμούπολη", "nikos": "Ερμούπολη", "maria": "Άνω Σύρος"})
    vote = open_legacy_plaintext_vote(session, staff, roll, unit="Ερμούπολη")
    yes, no = option_ids(session, vote.id)
    actions._FROZEN.pop(vote.id, None)
    actions.cast_ballot(session, actor=eleni, vote_id=vote.id, choice=[yes], now=NOW)  # read, then write
    session.commit()
    assert vote.id in actions._FROZEN
    statements = []
    real_execute = type(session.connection()).execute

    def no_read(connection, statement, *args, **kwargs):
        statements.append(statement)
        return real_execute(connection, statement, *args, **kwargs)

    monkeypatch.setattr(type(session.connection()), "execute", no_read)
    actions.cast_ballot(session, actor=nikos, vote_id=vote.id, choice=[no], now=NOW + timedelta(days=1))
    assert actions._FACTS not in statements  # the one statement was handed to the driver
    session.commit()
    with pytest.raises(AgoraError, match="voting.reason.not_in_unit"):  # the INSERT added nothing
        actions.cast_ballot(session, actor=maria, vote_id=vote.id, choice=[no], now=NOW)
    session.rollback()
    units = [p.municipal_unit for p in session.exec(select(VoteParticipation))]
    assert units == ["Ερμούπολη", "Ερμούπολη"]
    days = sorted(p.voted_on for p in session.exec(select(VoteParticipation)))
    assert days == [NOW.date(), (NOW + timedelta(days=1)).date()]
    raw_days = sorted(str(r[0]) for r in session.execute(text("SELECT voted_on FROM vote_participation")))
    assert raw_days == [NOW.date().isoformat(), (NOW + timedelta(days=1)).date().isoformat()]
    assert sorted(b.choice for b in session.exec(select(Ballot))) == sorted([str(yes), str(no)])


def test_a_remembered_vote_of_another_database_is_read_again(session):
    """The memory is keyed by id, checked by ``row_token``: a stale entry costs one read, never a wrong ballot."""
    staff = personas.administrator(session, "moderator")
    eleni = personas.resident(session, "eleni", birth_year=1980)
    vote = open_legacy_plaintext_vote(session, staff, make_roll(session, {"eleni": None}))
    yes, _ = option_ids(session, vote.id)
    actions._FROZEN[vote.id] = actions._Frozen("stale", "yes_no", None, None, (rules.OptionRule(yes),))
    assert actions.cast_ballot(session, actor=eleni, vote_id=vote.id, choice=[yes], now=NOW).tracker
    assert actions._FROZEN[vote.id].row_token == vote.row_token


def test_a_vote_opened_by_time_takes_ballots_before_the_worker_records_it(session):
    staff = personas.administrator(session, "moderator")
    eleni = personas.resident(session, "eleni", birth_year=1980)
    roll = make_roll(session, {"eleni": None})
    vote = create_legacy_plaintext_vote(session, actor=staff, title="Σύντομα", question=";", roll_id=roll.id, now=NOW)
    actions.schedule_vote(session, actor=staff, vote_id=vote.id, opens_at=NOW + timedelta(hours=1),
                          closes_at=NOW + timedelta(days=1), now=NOW)
    session.commit()
    yes = option_ids(session, vote.id)[0]
    with pytest.raises(AgoraError, match="voting.reason.not_yet_open"):
        actions.cast_ballot(session, actor=eleni, vote_id=vote.id, choice=[yes], now=NOW)
    session.rollback()
    actions.cast_ballot(session, actor=eleni, vote_id=vote.id, choice=[yes], now=NOW + timedelta(hours=2))
    session.commit()
    assert vote.id not in actions._FROZEN  # recorded as scheduled: nothing remembered
    assert len(session.exec(select(Ballot)).all()) == 1


def test_bad_choices_are_refused_by_the_service(session):
    staff = personas.administrator(session, "moderator")
    eleni = personas.resident(session, "eleni")
    roll = make_roll(session, {"eleni": None})
    multi = open_legacy_plaintext_vote(session, staff, roll, kind="multiple", options=["Α", "Β", "Γ"], max_choices=2)
    budget = open_legacy_plaintext_vote(session, staff, roll, kind="budget", budget_total=100_000,
                       options=[("Πεζόδρομος", "", 60_000), ("Παιδική χαρά", "", 50_000)])
    m, b = option_ids(session, multi.id), option_ids(session, budget.id)
    cases = [
        (multi.id, m, "voting.errors.too_many"),
        (budget.id, b, "voting.errors.over_budget"),
        (multi.id, [b[0]], "voting.errors.unknown_option"),  # an option of another vote
        (multi.id, "1", "errors.invalid_input"),              # not a list: the schema refuses it
        (multi.id, [], "voting.errors.empty_choice"),
    ]
    for vote_id, choice, key in cases:
        with pytest.raises(InvalidInput) as caught:
            actions.cast_ballot(session, actor=eleni, vote_id=vote_id, choice=choice, now=NOW)
        assert caught.value.key == key
        session.rollback()
    assert session.exec(select(VoteParticipation)).all() == []
    actions.cast_ballot(session, actor=eleni, vote_id=budget.id, choice=[b[0]], now=NOW)
    session.commit()
    assert len(session.exec(select(Ballot)).all()) == 1


def test_ballot_table_cannot_be_joined_to_people(session, engine):
    inspector = inspect(engine)
    columns = {c["name"]: c for c in inspector.get_columns("vote_ballot")}
    assert set(columns) == {"id", "vote_id", "tracker", "choice"}
    assert not any("date" in str(c["type"]).lower() or "time" in str(c["type"]).lower() for c in columns.values())
    fks = inspector.get_foreign_keys("vote_ballot")
    assert [fk["referred_table"] for fk in fks] == ["vote"]
    indexed = {col for ix in inspector.get_indexes("vote_ballot") for col in ix["column_names"]}
    indexed |= {col for uc in inspector.get_unique_constraints("vote_ballot") for col in uc["column_names"]}
    assert indexed <= {"id", "vote_id", "tracker"}
    # the participation side holds no choice and no tracker in clear, and no time finer than a day
    part_cols = {c["name"]: str(c["type"]).upper() for c in inspector.get_columns("vote_participation")}
    assert "choice" not in part_cols and "tracker" not in part_cols
    assert part_cols["voted_on"] == "DATE"
    if engine.dialect.name == "sqlite":  # no hidden insertion counter
        with engine.connect() as conn:
            for table in ("vote_ballot", "vote_participation"):
                with pytest.raises(Exception):
                    conn.execute(text(f"SELECT rowid FROM {table}"))


def test_ids_are_random_not_sequential_and_my_votes_shows_that_not_what(session, engine):
    staff = personas.administrator(session, "moderator")
    from syros_app.identity.hashing import with_check_digit

    taxids = [with_check_digit(str(70_000_000 + n)) for n in range(30)]
    voters = [personas.resident(session, f"voter{n}", taxid=t) for n, t in enumerate(taxids)]
    roll = make_roll(session, {t: None for t in taxids})
    vote = open_legacy_plaintext_vote(session, staff, roll)
    yes, no = option_ids(session, vote.id)
    receipts = []
    for n, voter in enumerate(voters):
        receipts.append(actions.cast_ballot(session, actor=voter, vote_id=vote.id, choice=[yes if n % 3 else no], now=NOW))
        session.commit()
    ids = list(session.exec(select(Ballot.id)).all())
    assert all(len(i) == 32 for i in ids) and len(set(ids)) == 30
    insertion_order = [r.tracker for r in receipts]
    by_id = list(session.exec(text("SELECT tracker FROM vote_ballot ORDER BY id")).scalars())
    assert sorted(by_id) == sorted(insertion_order) and by_id != insertion_order  # ids do not follow casting
    mine = queries.my_participations(session, voters[4], now=NOW)
    assert [(p.vote_id, p.tracker) for p in mine] == [(vote.id, receipts[4].tracker)]
    assert queries.my_participations(session, personas.resident(session, "nobody"), now=NOW) == []
    # while open, nothing about counts is public
    with pytest.raises(PermissionDenied):
        queries.published_results(session, vote.id)
    assert queries.turnout(session, vote).participations == 30
    actions.close_vote(session, actor=staff, vote_id=vote.id, reason="Δοκιμή", now=NOW + timedelta(hours=1))
    session.commit()
    physical = list(session.exec(text("SELECT tracker FROM vote_ballot")).scalars())
    assert physical != insertion_order  # SQLite: WITHOUT ROWID; PostgreSQL: re-clustered at close
    if engine.dialect.name == "postgresql":
        assert physical == by_id


def test_results_tally_equals_recount_of_published_csv(session):
    staff = personas.administrator(session, "moderator")
    from syros_app.identity.hashing import with_check_digit

    taxids = [with_check_digit(str(71_000_000 + n)) for n in range(40)]
    units = ["Ερμούπολη", "Άνω Σύρος", "Ποσειδωνία"]
    voters = [personas.resident(session, f"v{n}", taxid=t) for n, t in enumerate(taxids[:25])]
    roll = make_roll(session, {t: units[n % 3] for n, t in enumerate(taxids)})
    vote = open_legacy_plaintext_vote(session, staff, roll, kind="budget", budget_total=100_000,
                     options=[("Α", "", 60_000), ("Β", "", 50_000), ("Γ", "", 30_000)])
    a, b, c = option_ids(session, vote.id)
    choices = [[a], [b, c], [a, c], [b]]
    for n, voter in enumerate(voters):
        actions.cast_ballot(session, actor=voter, vote_id=vote.id, choice=choices[n % 4], now=NOW)
        session.commit()
    actions.close_vote(session, actor=staff, vote_id=vote.id, reason="Τέλος", now=NOW + timedelta(days=1))
    actions.publish_results(session, actor=staff, vote_id=vote.id, now=NOW + timedelta(days=1))
    session.commit()
    _, published = queries.published_results(session, vote.id)
    assert published["ballots"] == published["participations"] == 25
    assert published["roll_size"] == 40
    assert {u["unit"]: u["participations"] for u in published["turnout_by_unit"]} == {"Ερμούπολη": 9, "Άνω Σύρος": 8, "Ποσειδωνία": 8}
    assert [o["votes"] for o in published["options"]] == [13, 12, 12]
    assert published["winners"] == [a, c]  # A (13, 60k), then the tie Β/Γ (12): Γ is cheaper (30k) → 90k; Β no longer fits
    csv_text = queries.published_ballots_csv(session, vote.id)
    assert rules.recount(csv_text, published).ok
    found = queries.find_tracker(session, vote.id, csv_text.splitlines()[1].split(",")[0].lower())
    assert found is not None
    assert queries.find_tracker(session, vote.id, "AAAA-AAAA-AAAA-AAAA") is None


def test_unknown_vote_is_not_found(session):
    eleni = personas.resident(session, "eleni")
    with pytest.raises(NotFound):
        actions.cast_ballot(session, actor=eleni, vote_id="abc", choice=[1])
    with pytest.raises(NotFound):
        actions.cast_ballot(session, actor=eleni, vote_id=2**70, choice=[1])
    with pytest.raises(NotFound):
        actions.cast_ballot(session, actor=eleni, vote_id=12345, choice=[1])


def test_a_vote_never_opens_without_an_end_date(session):
    """The staff page asks for one, and so does the action: any websocket client can call it."""
    staff = personas.administrator(session, "vote-admin")
    roll = make_roll(session, {"eleni": None})
    vote = create_legacy_plaintext_vote(session, actor=staff, title="Ωράριο λαϊκής", question="Σάββατο πρωί;",
                               roll_id=roll.id, now=NOW)
    session.commit()
    with pytest.raises(InvalidInput, match="end_date_required"):
        actions.open_vote(session, actor=staff, vote_id=vote.id, now=NOW)
    session.rollback()
    opened = actions.open_vote(session, actor=staff, vote_id=vote.id, closes_at=NOW + timedelta(days=3), now=NOW)
    assert opened.status == "open" and opened.closes_at is not None
