"""The sealed tracker opens only for its voter; the demo data is idempotent and consistent."""

from sqlmodel import select

from syros_app.voting import queries, rules, sealing
from syros_app.voting.models import Vote


def test_sealed_tracker_opens_only_with_that_persons_key():
    tracker = rules.make_tracker()
    sealed = sealing.seal(tracker, vote_id=3, person_taxid_hmac="a" * 64)
    assert tracker not in sealed
    assert sealing.unseal(sealed, vote_id=3, person_taxid_hmac="a" * 64) == tracker
    assert sealing.unseal(sealed, vote_id=3, person_taxid_hmac="b" * 64) is None
    assert sealing.unseal(sealed, vote_id=4, person_taxid_hmac="a" * 64) is None
    assert sealing.unseal(sealed, vote_id=3, person_taxid_hmac="a" * 64, secret="another server secret") is None
    tampered = sealed[:-3] + ("A" if sealed[-3] != "A" else "B") + sealed[-2:]
    assert sealing.unseal(tampered, vote_id=3, person_taxid_hmac="a" * 64) is None
    assert sealing.seal(tracker, vote_id=3, person_taxid_hmac="a" * 64) != sealed  # random nonce


def test_trackers_sealed_by_the_first_format_still_open():
    """Format 1 (HMAC-SHA256 throughout, no prefix), written here from its definition."""
    import base64
    import hmac

    from syros_app.core.settings import get_settings

    tracker, nonce = "7KQ2-MZ9C-0000-ABCD", bytes(range(16))
    key = hmac.digest(get_settings().secret_key.encode(), f"voting-seal:3:{'a' * 64}".encode(), "sha256")
    stream = hmac.digest(key, b"enc" + nonce, "sha256")
    cipher = bytes(p ^ s for p, s in zip(tracker.encode(), stream))
    tag = hmac.digest(key, b"mac" + nonce + cipher, "sha256")[:16]
    sealed_v1 = base64.urlsafe_b64encode(nonce + cipher + tag).decode().rstrip("=")
    assert sealing.unseal(sealed_v1, vote_id=3, person_taxid_hmac="a" * 64) == tracker
    assert sealing.unseal(sealed_v1, vote_id=3, person_taxid_hmac="b" * 64) is None
    assert sealing.seal(tracker, vote_id=3, person_taxid_hmac="a" * 64).startswith("2.")


def test_demo_votes_are_idempotent_open_and_published(session):
    from syros_app.voting import demo

    assert demo.load(session) > 0
    session.commit()
    assert demo.load(session) == 0
    from syros_app.core.timefmt import utcnow

    now = utcnow()
    votes = {v.title: v for v in session.exec(select(Vote)).all()}
    referendum, budget = votes[demo.REFERENDUM_TITLE], votes[demo.BUDGET_TITLE]
    assert queries.status_of(referendum, now) == "open"
    assert budget.status == "published"
    _, published = queries.published_results(session, budget.id)
    assert published["ballots"] == 310 and published["winners"]
    assert published["winners_cost"] <= demo.BUDGET_TOTAL
    assert rules.recount(queries.published_ballots_csv(session, budget.id), published).ok
    assert [item.title for item in queries.open_now(session, now)] == [demo.ENCRYPTED_REFERENDUM_TITLE,
                                                                       demo.REFERENDUM_TITLE]


def test_demo_encrypted_votes_every_stand_in_resident_and_a_verifiable_record(session):
    from syros_app.core.timefmt import utcnow
    from syros_app.identity.stand_in import DEMO_RESIDENTS
    from syros_app.voting import demo
    from syros_app.identity.hashing import taxid_hmac
    from syros_app.identity.roles import Actor, Role
    from syros_app.voting.crypto import record

    demo.load(session)
    session.commit()
    now = utcnow()
    votes = {v.title: v for v in session.exec(select(Vote)).all()}
    referendum, budget = votes[demo.ENCRYPTED_REFERENDUM_TITLE], votes[demo.ENCRYPTED_BUDGET_TITLE]
    assert referendum.encrypted and queries.status_of(referendum, now) == "open"
    reasons = {}
    for resident in DEMO_RESIDENTS:
        actor = Actor(person_id=0, display_name=resident.key, taxid_hmac=taxid_hmac(resident.taxid),
                      birth_year=resident.birth_year, roles=frozenset({Role.RESIDENT}))
        reasons[resident.key] = queries.ineligibility_for(session, actor, referendum, now=now)
    assert reasons == {r.key: ("too_young" if r.key == "irini" else None) for r in DEMO_RESIDENTS}
    assert budget.encrypted and budget.status == "published"
    report = record.verify(queries.election_record(session, budget.id))
    assert report.ballots == demo.ENCRYPTED_BALLOTS and report.spoiled == 1 and report.trustees_decrypting == [1, 3]
