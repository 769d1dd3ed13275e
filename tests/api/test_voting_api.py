"""Open data of votes over HTTP, and the recount command against it."""

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session
from starlette.testclient import TestClient

from syros_app.api.app import create_api
from syros_app.core.timefmt import utcnow
from syros_app.identity.hashing import with_check_digit
from syros_app.voting import actions
from tests.support import personas
from tests.unit.voting.helpers import create_legacy_plaintext_vote, make_roll, open_legacy_plaintext_vote, option_ids

ROOT = Path(__file__).resolve().parents[2]


def _published_vote(engine, n_voters=6):
    now = utcnow()
    with Session(engine, expire_on_commit=False) as session:
        staff = personas.administrator(session, "moderator")
        taxids = [with_check_digit(str(72_000_000 + i)) for i in range(n_voters)]
        voters = [personas.resident(session, f"r{i}", taxid=t) for i, t in enumerate(taxids)]
        roll = make_roll(session, {t: "Ερμούπολη" for t in taxids})
        vote = open_legacy_plaintext_vote(session, staff, roll, kind="single", options=["Πάρκο", "Πλατεία", "Μουσείο"],
                         now=now - timedelta(hours=1), closes_in=None)
        ids = option_ids(session, vote.id)
        trackers = []
        for i, voter in enumerate(voters):
            trackers.append(actions.cast_ballot(session, actor=voter, vote_id=vote.id, choice=[ids[i % 2]], now=now).tracker)
            session.commit()
        return staff, vote.id, trackers, ids


def _check_open_data(engine):
    staff, vote_id, trackers, ids = _published_vote(engine)
    client = TestClient(create_api())
    listing = client.get("/api/v1/votes").json()["votes"]
    assert [v["id"] for v in listing] == [vote_id] and listing[0]["status"] == "open"
    assert listing[0]["results_url"] is None
    for path in ("results.json", "ballots.csv"):
        response = client.get(f"/api/v1/votes/{vote_id}/{path}")
        assert response.status_code == 403
        assert response.json()["error"] == "voting.errors.not_published"
        assert client.get(f"/api/v1/votes/99999/{path}").status_code == 404
    with Session(engine, expire_on_commit=False) as session:
        actions.close_vote(session, actor=staff, vote_id=vote_id, reason="Τέλος δοκιμής")
        session.commit()
    assert client.get(f"/api/v1/votes/{vote_id}/results.json").status_code == 403  # closed, not yet published
    with Session(engine, expire_on_commit=False) as session:
        actions.publish_results(session, actor=staff, vote_id=vote_id)
        session.commit()
    results = client.get(f"/api/v1/votes/{vote_id}/results.json").json()
    assert results["ballots"] == 6 and [o["votes"] for o in results["options"]] == [3, 3, 0]
    assert results["turnout_percent"] == 100.0
    csv_response = client.get(f"/api/v1/votes/{vote_id}/ballots.csv")
    assert csv_response.status_code == 200 and csv_response.headers["content-type"].startswith("text/csv")
    lines = csv_response.text.removeprefix("\ufeff").splitlines()
    assert lines[0] == f"tracker,choice,option_{ids[0]},option_{ids[1]},option_{ids[2]}"
    assert [line.split(",")[0] for line in lines[1:]] == sorted(trackers)
    assert client.get("/api/v1/votes").json()["votes"][0]["ballots_url"].endswith("ballots.csv")
    return csv_response.text, results


def test_open_data_only_after_publication(engine):
    _check_open_data(engine)


def test_drafts_are_not_listed_and_documents_are_served(engine):
    with Session(engine, expire_on_commit=False) as session:
        staff = personas.administrator(session, "moderator")
        roll = make_roll(session, {})
        vote = create_legacy_plaintext_vote(session, actor=staff, title="Προσχέδιο", question=";", roll_id=roll.id)
        actions.attach_document(session, actor=staff, vote_id=vote.id, filename="meleti.pdf",
                                content_type="application/pdf", data=b"%PDF-1.4 test")
        session.commit()
    client = TestClient(create_api())
    assert client.get("/api/v1/votes").json()["votes"] == []
    assert client.get(f"/api/v1/votes/{vote.id}/document.pdf").status_code == 404  # draft: not public
    with Session(engine, expire_on_commit=False) as session:
        actions.open_vote(session, actor=staff, vote_id=vote.id, closes_at=utcnow() + timedelta(days=7))
        session.commit()
    response = client.get(f"/api/v1/votes/{vote.id}/document.pdf")
    assert response.status_code == 200 and response.content == b"%PDF-1.4 test"
    assert response.headers["content-type"] == "application/pdf"


def test_recount_command_matches_and_detects_tampering(engine, tmp_path):
    csv_text, results = _check_open_data(engine)
    (tmp_path / "ballots.csv").write_text(csv_text, encoding="utf-8")
    (tmp_path / "results.json").write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    run = lambda *a: subprocess.run([sys.executable, "-m", "syros_app", "voting", "recount", *a], cwd=ROOT,
                                    capture_output=True, text=True, timeout=120)
    ok = run("--csv", str(tmp_path / "ballots.csv"), "--results", str(tmp_path / "results.json"))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "RECOUNT MATCHES" in ok.stdout
    results["options"][0]["votes"] += 1
    (tmp_path / "results.json").write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    bad = run("--csv", str(tmp_path / "ballots.csv"), "--results", str(tmp_path / "results.json"))
    assert bad.returncode == 1 and "RECOUNT DIFFERS" in bad.stdout
    import os

    by_id = subprocess.run([sys.executable, "-m", "syros_app", "voting", "recount", "--vote", str(results["vote_id"])],
                           cwd=ROOT, capture_output=True, text=True, timeout=120,
                           env={**os.environ, "SYROS_DATABASE_URL": engine.url.render_as_string(hide_password=False)})
    assert by_id.returncode == 0, by_id.stdout + by_id.stderr


def test_document_upload_is_staff_only_and_checked(engine):
    with Session(engine, expire_on_commit=False) as session:
        staff_person = personas.make_person(session, "moderator", roles=(personas.Role.ADMINISTRATOR,))
        resident_person = personas.make_person(session, "eleni")
        roll = make_roll(session, {})
        vote = create_legacy_plaintext_vote(session, actor=personas.actor(session, staff_person), title="Έγγραφο", question=";",
                                   roll_id=roll.id)
        session.commit()
        staff_cookie = personas.login_cookie(session, staff_person)
        resident_cookie = personas.login_cookie(session, resident_person)
    client = TestClient(create_api())
    url = f"/api/v1/staff/votes/{vote.id}/document"
    pdf = {"document": ("meleti.pdf", b"%PDF-1.7 demo", "application/pdf")}
    assert client.post(url, files=pdf, headers={"cookie": resident_cookie}).status_code == 403
    assert client.post(url, files=pdf).status_code == 403
    bad = client.post(url, files={"document": ("x.pdf", b"MZ not a pdf", "application/pdf")},
                      headers={"cookie": staff_cookie}, follow_redirects=False)
    assert bad.status_code == 303 and bad.headers["location"].endswith("doc=voting.errors.document_not_pdf")
    ok = client.post(url, files=pdf, headers={"cookie": staff_cookie}, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == f"/staff/votes?vote={vote.id}&doc=ok"
    cross = client.post(url, files=pdf, headers={"cookie": staff_cookie, "origin": "https://evil.example"})
    assert cross.status_code == 403
    from syros_app.voting.models import VoteDocument

    with Session(engine) as session:
        assert session.get(VoteDocument, vote.id).data == b"%PDF-1.7 demo"


def _published_encrypted_vote(engine):
    from syros_app.voting import encrypted
    from syros_app.voting.crypto import ballot as bl
    from tests.unit.voting.helpers import encrypted_vote

    now = utcnow()
    with Session(engine, expire_on_commit=False) as session:
        staff = personas.administrator(session, "vote-admin")
        taxids = [with_check_digit(str(73_000_000 + i)) for i in range(4)]
        voters = [personas.resident(session, f"e{i}", taxid=t) for i, t in enumerate(taxids)]
        trustees = [personas.administrator(session), staff, voters[0]]
        roll = make_roll(session, {t: "Ερμούπολη" for t in taxids})
        vote, ceremony = encrypted_vote(session, staff, roll, trustees, now=now - timedelta(hours=1))
        election = encrypted.queries.election_of(vote)
        receipts, spoiled = [], []
        for i, voter in enumerate(voters):
            if i == 0:  # audits first, then casts
                audited = bl.encrypt_ballot(election, [1, 0])
                spoiled.append(encrypted.post_spoiled_ballot(session, actor=voter, vote_id=vote.id,
                                                             audit=audited.audit(), now=now))
            ballot = bl.encrypt_ballot(election, [1, 0] if i < 3 else [0, 1]).ballot
            receipts.append(encrypted.cast_encrypted_ballot(session, actor=voter, vote_id=vote.id, ballot=ballot,
                                                            now=now).tracker)
            session.commit()
        client = TestClient(create_api())
        board = client.get(f"/api/v1/votes/{vote.id}/board.json").json()["ballots"]
        assert sorted(b["receipt"] for b in board) == sorted(receipts)
        assert client.get(f"/api/v1/votes/{vote.id}/record").status_code == 403  # not before publication
        actions.close_vote(session, actor=staff, vote_id=vote.id, reason="Τέλος δοκιμής", now=now)
        for index in (2, 3):
            encrypted.post_partial_decryption(session, actor=trustees[index - 1], vote_id=vote.id,
                                              partials=ceremony.partials(session, vote, index), now=now)
        actions.publish_results(session, actor=staff, vote_id=vote.id, now=now)
        session.commit()
        return vote.id, receipts, spoiled


def _check_encrypted_record(engine, tmp_path):
    import io
    import zipfile

    from syros_app.voting.crypto import ballot as bl
    from syros_app.voting.crypto import group as g

    vote_id, receipts, spoiled = _published_encrypted_vote(engine)
    client = TestClient(create_api())
    results = client.get(f"/api/v1/votes/{vote_id}/results.json").json()
    assert results["ballots"] == 4 and [o["votes"] for o in results["options"]] == [3, 1]
    assert client.get(f"/api/v1/votes/{vote_id}/ballots.csv").status_code == 404  # no choice per ballot
    response = client.get(f"/api/v1/votes/{vote_id}/record")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    good = tmp_path / "record.zip"
    good.write_bytes(response.content)

    # no receipt is ever published next to a plaintext choice
    public = {"results.json": client.get(f"/api/v1/votes/{vote_id}/results.json").text,
              "board.json": client.get(f"/api/v1/votes/{vote_id}/board.json").text,
              "votes": client.get("/api/v1/votes").text}
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        files = {name: json.loads(zf.read(name)) for name in zf.namelist()}
    for entry in files["ballots.json"]:
        assert set(entry) == {"fingerprint", "ballot"} and bl.receipt(entry["fingerprint"]) in receipts
    assert {e["fingerprint"] for e in files["spoiled.json"]} == set(spoiled)
    assert not {bl.receipt(f) for f in spoiled} & set(receipts)
    for text in public.values():
        assert "selection" not in text and "choice" not in text.replace('"kind"', "")

    run = [sys.executable, "-m", "syros_app", "voting", "verify"]
    ok = subprocess.run([*run, str(good)], capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "RECORD VERIFIES" in ok.stdout
    for name, change in (
        ("ciphertext", lambda f: f["ballots.json"][1]["ballot"]["selections"][0].update(beta=g.base(7).hex())),
        ("proof", lambda f: f["ballots.json"][2]["ballot"]["selections"][1]["proof"]["z"].reverse()),
        ("count", lambda f: f["tally.json"]["options"][0].update(votes=2)),
    ):
        altered = json.loads(json.dumps(files))
        change(altered)
        for entry in altered["ballots.json"]:  # the forger even fixes the fingerprints
            entry["fingerprint"] = bl.fingerprint(entry["ballot"])
        bad = tmp_path / f"{name}.zip"
        with zipfile.ZipFile(bad, "w") as zf:
            for file_name, data in altered.items():
                zf.writestr(file_name, json.dumps(data))
        failed = subprocess.run([*run, str(bad)], capture_output=True, text=True, cwd=ROOT)
        assert failed.returncode == 1, (name, failed.stdout)
        assert "RECORD DOES NOT VERIFY" in failed.stdout


def test_encrypted_vote_board_record_and_independent_verification(engine, tmp_path):
    _check_encrypted_record(engine, tmp_path)


def test_trustee_kit_shows_the_complaints_and_the_qualified_set(engine):
    from syros_app.voting import ceremony, encrypted
    from syros_app.voting.crypto import group as g
    from syros_app.voting.crypto import threshold as th

    now = utcnow()
    with Session(engine, expire_on_commit=False) as session:
        staff = personas.administrator(session, "vote-admin")
        trustees = [personas.administrator(session), staff, personas.resident(session, "maria")]
        roll = make_roll(session, {"maria": None})
        vote = actions.create_vote(session, actor=staff, title="Κλειδί", question="Ναι;", roll_id=roll.id, now=now)
        encrypted.set_trustees(session, actor=staff, vote_id=vote.id, threshold=2, now=now, trustees=[
            encrypted.TrusteeInput(f"T{i}", t.person_id) for i, t in enumerate(trustees, start=1)])
        for actor in trustees:
            encrypted.post_transport_key(session, actor=actor, vote_id=vote.id, public_key="ab" * 32, now=now)
        context = encrypted.queries.bare_election(session, vote).context
        polys = {i: th.TrusteePolynomial.create(i, 2) for i in (1, 2)}
        for i, poly in polys.items():
            encrypted.post_commitments(session, actor=trustees[i - 1], vote_id=vote.id, now=now,
                                       commitments=poly.commitments(context).to_json())
        ceremony.file_complaint(session, actor=trustees[2], vote_id=vote.id, dealer=1, now=now)
        session.commit()
        client = TestClient(create_api())
        kit = client.get(f"/api/v1/votes/{vote.id}/trustee-kit.json").json()
        assert kit["complaints"] == [{"dealer": 1, "complainant": 3, "share": None, "status": "pending"}]
        assert kit["qualified"] is None and kit["public_key"] is None and kit["disqualified"] == []
        revealed = g.encode_scalar(polys[1].share_for(3))
        ceremony.answer_complaints(session, actor=trustees[0], vote_id=vote.id, answers={"3": revealed}, now=now)
        ceremony.complete_ceremony(session, actor=staff, vote_id=vote.id, now=now)
        session.commit()
        kit = client.get(f"/api/v1/votes/{vote.id}/trustee-kit.json").json()
        assert kit["complaints"] == [{"dealer": 1, "complainant": 3, "share": revealed, "status": "answered"}]
        assert kit["qualified"] == [1, 2] and kit["public_key"] is not None
        assert [t["commitments"] is None for t in kit["trustees"]] == [False, False, True]
