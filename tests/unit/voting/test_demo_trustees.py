"""The demo's encrypted votes tally: their three demo trustees' key files (demo passphrases) are
in the data folder's demo-trustees/, so the open referendum can be closed, decrypted by two of
them (one in the browser's code, one with the offline command) and published; never in production."""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace

from sqlmodel import select

from syros_app.core.settings import get_settings
from syros_app.core.timefmt import utcnow
from syros_app.identity.hashing import taxid_hmac
from syros_app.identity.roles import Actor, Role
from syros_app.identity.stand_in import DEMO_RESIDENTS
from syros_app.voting import actions, demo, encrypted, queries, trustee
from syros_app.voting.crypto import ballot as bl
from syros_app.voting.crypto import record as rec
from syros_app.voting.models import Vote

from .test_trustee_browser import browser


def _resident(key: str) -> Actor:
    r = next(r for r in DEMO_RESIDENTS if r.key == key)
    return Actor(person_id=0, display_name=key, taxid_hmac=taxid_hmac(r.taxid), birth_year=r.birth_year,
                 roles=frozenset({Role.RESIDENT}))


def test_the_open_demo_referendum_can_be_decrypted_by_two_demo_trustees(session, tmp_path):
    demo.load(session)
    session.commit()
    votes = {v.title: v for v in session.exec(select(Vote)).all()}
    vote = votes[demo.ENCRYPTED_REFERENDUM_TITLE]
    folder = get_settings().data_dir / demo.DEMO_TRUSTEE_FOLDER
    readme = (folder / "README.txt").read_text()
    assert all(p in readme for p in demo.DEMO_TRUSTEE_PASSPHRASES.values())
    keys = sorted(folder.glob(f"vote-{vote.id}-trustee-*.key"))
    assert [k.name for k in keys] == [f"vote-{vote.id}-trustee-{i}-{who}.key"
                                      for i, who in enumerate(demo.DEMO_TRUSTEES, start=1)]
    assert len(list(folder.glob(f"vote-{votes[demo.ENCRYPTED_BUDGET_TITLE].id}-trustee-*.key"))) == 3

    now = utcnow()
    election = queries.election_of(vote)
    yes, no = election.option_ids
    for key, choice in (("stella", [1, 0]), ("nikos", [1, 0]), ("eftychia", [0, 1])):
        encrypted.cast_encrypted_ballot(session, actor=_resident(key), vote_id=vote.id, now=now,
                                        ballot=bl.encrypt_ballot(election, choice).ballot)
    actions.close_vote(session, actor=demo.DEMO_STAFF, vote_id=vote.id, reason="Τέλος της επίδειξης", now=now)
    kit = json.loads(json.dumps(queries.trustee_kit(session, vote.id)))
    trustees = demo._trustee_actors(session)
    maria = browser(tmp_path, op="decrypt", key=keys[1].read_text(), passphrase=demo.DEMO_TRUSTEE_PASSPHRASES["maria"],
                    kit=kit)["ok"]["output"]
    encrypted.post_partial_decryption(session, actor=trustees[1], vote_id=vote.id, partials=maria["partials"], now=now)
    eftychia = trustee.decrypt(keys[2], kit, demo.DEMO_TRUSTEE_PASSPHRASES["eftychia"].encode())
    encrypted.post_partial_decryption(session, actor=trustees[2], vote_id=vote.id, partials=eftychia["partials"],
                                      now=now)
    actions.publish_results(session, actor=demo.DEMO_STAFF, vote_id=vote.id, now=now + timedelta(minutes=1))
    _, results = queries.published_results(session, vote.id)
    assert [o["votes"] for o in results["options"]] == [2, 1]
    assert rec.verify(queries.election_record(session, vote.id)).trustees_decrypting == [2, 3]


def test_no_demo_key_file_is_kept_in_production(monkeypatch, tmp_path):
    monkeypatch.setattr(demo, "get_settings", lambda: SimpleNamespace(is_production=True, data_dir=tmp_path))
    with demo.trustee_folder() as folder:
        assert folder.is_dir() and not folder.is_relative_to(tmp_path) and not (folder / "README.txt").exists()
    assert not folder.exists() and not (tmp_path / demo.DEMO_TRUSTEE_FOLDER).exists()
