"""Proposals' open data over HTTP, and every figure of the /measurement section recomputed
from it (the JSON and CSV routes), not from the database."""

import csv
import io
from datetime import timedelta

from sqlmodel import Session
from starlette.testclient import TestClient

from syros_app.api.app import create_api
from syros_app.core import formatting
from syros_app.core.timefmt import utcnow
from syros_app.opengov.proposals import actions, rules, views
from syros_app.opengov.proposals.models import Proposal
from tests.support import personas
from tests.unit.proposals.helpers import roll

BODY = "Πεζοδρόμηση του δρόμου μπροστά στο δημοτικό σχολείο τις ώρες προσέλευσης των παιδιών."
YEAR = utcnow().year


def _world(engine, monkeypatch) -> dict:
    """Five residents of three units and ages; proposals answered on time, late, overdue,
    not yet due, and one still collecting."""
    monkeypatch.setenv("SYROS_PROPOSAL_SUPPORT_SHARE", "0.2")  # 5 residents + 5 others: threshold 2
    monkeypatch.setenv("SYROS_PROPOSAL_ANSWER_WORKING_DAYS", "5")
    monkeypatch.setenv("SYROS_PROPOSAL_COLLECT_DAYS", "90")
    now = utcnow()
    with Session(engine, expire_on_commit=False) as session:
        people = {
            "eleni": personas.resident(session, "eleni", birth_year=YEAR - 20),
            "nikos": personas.resident(session, "nikos", birth_year=YEAR - 30),
            "maria": personas.resident(session, "maria", birth_year=YEAR - 50),
            "petros": personas.resident(session, "petros", birth_year=YEAR - 70),
            "anna": personas.resident(session, "anna", birth_year=YEAR - 45),
        }
        staff = personas.moderator(session)
        roll(session, {"Ποσειδωνία": 5}, people=[(people["eleni"], "Ερμούπολη"), (people["nikos"], "Ερμούπολη"),
                                                  (people["maria"], "Άνω Σύρος"), (people["petros"], "Ποσειδωνία"),
                                                  (people["anna"], "Άνω Σύρος")])

        def proposal(author, days_ago, supporters, *, answer_after=None, title):
            start = now - timedelta(days=days_ago)
            p = actions.create_proposal(session, actor=people[author], title=title, body=BODY, now=start)
            for n, who in enumerate(supporters):
                actions.support_proposal(session, actor=people[who], proposal_id=p.id,
                                         now=start + timedelta(hours=n + 1))
            if answer_after is not None:
                actions.answer_proposal(session, actor=staff, proposal_id=p.id, now=start + answer_after,
                                        answer="Ο Δήμος θα το εξετάσει στο επόμενο δημοτικό συμβούλιο.")
            session.commit()
            return p

        proposal("eleni", 40, ["nikos", "maria"], answer_after=timedelta(days=2), title="Απαντημένη εγκαίρως")
        proposal("nikos", 40, ["eleni", "petros"], answer_after=timedelta(days=30), title="Απαντημένη αργά")
        proposal("maria", 40, ["eleni", "nikos"], title="Εκπρόθεσμη χωρίς απάντηση")
        proposal("eleni", 0, ["nikos", "maria"], title="Μόλις έφτασε το όριο")
        proposal("nikos", 0, ["eleni"], title="Συλλέγει ακόμη")
        hidden = proposal("petros", 1, [], title="Κρυμμένη από τη διαχείριση")
        actions.hide_proposal(session, actor=staff, proposal_id=hidden.id, reason="Εκτός θέματος")
        session.commit()
    return people


def test_open_data_and_the_figures_recomputed_from_it(engine, monkeypatch):
    _world(engine, monkeypatch)
    client = TestClient(create_api())
    data = client.get("/api/v1/proposals").json()
    items = data["proposals"]
    assert [i["title"] for i in items] == ["Απαντημένη εγκαίρως", "Απαντημένη αργά", "Εκπρόθεσμη χωρίς απάντηση",
                                           "Μόλις έφτασε το όριο", "Συλλέγει ακόμη"]  # the hidden one is not there
    by_title = {i["title"]: i for i in items}
    assert by_title["Εκπρόθεσμη χωρίς απάντηση"]["overdue"] is True
    assert by_title["Εκπρόθεσμη χωρίς απάντηση"]["status"] == "reached"
    assert by_title["Συλλέγει ακόμη"]["status"] == "collecting"
    assert {i["threshold"] for i in items} == {2} and all(i["residents"] == 10 for i in items)
    assert by_title["Απαντημένη εγκαίρως"]["author"] == "Eleni"
    assert not {"author_id", "taxid_hmac", "answered_by", "hidden_reason"} & set(items[0])

    csv_rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/proposals?format=csv").text.lstrip("\ufeff"))))
    assert [r["id"] for r in csv_rows] == [str(i["id"]) for i in items]
    assert [r["supports"] for r in csv_rows] == [str(i["supports"]) for i in items]

    # Answers within the deadline, recomputed from the open data alone.
    reached = [i for i in items if i["reached_at"]]
    due = [i for i in reached if i["answered_at"] or i["overdue"]]
    on_time = [i for i in due if i["answered_at"] and i["answered_at"] <= i["answer_due_at"]]
    assert (len(reached), len(due), len(on_time)) == (4, 3, 1)
    with Session(engine) as session:
        shown = views.figures(session, now=utcnow())
    values = [row.value.el for row in shown["summary"]]
    assert values == [formatting.number(len(reached)), formatting.number(len(due)), formatting.number(len(on_time)),
                      formatting.percent(len(on_time) / len(due))]

    # Participation by unit and age band, recomputed from the CSV and checked against who took part.
    text = client.get("/api/v1/proposals/participation?format=csv").text.lstrip("\ufeff")
    part = list(csv.DictReader(io.StringIO(text)))
    counts = {(r["municipal_unit"], r["age_band"]): int(r["participants"]) for r in part}
    assert counts == {**{(u, b): 0 for u in rules.MUNICIPAL_UNITS for b in rules.AGE_BANDS},
                      ("Ερμούπολη", "17–24"): 1, ("Ερμούπολη", "25–39"): 1, ("Άνω Σύρος", "40–64"): 1,
                      ("Ποσειδωνία", "65+"): 1}  # Anna took no part; Petros's hidden proposal does count him
    assert client.get("/api/v1/proposals/participation").json()["rows"][0] == {
        "municipal_unit": "Ερμούπολη", "age_band": "17–24", "participants": 1}
    for row in shown["participation"]:
        unit_counts = [counts.get((row.unit.el, b), 0) for b in rules.AGE_BANDS]
        assert [c.el for c in row.cells] == [formatting.number(n) for n in [*unit_counts, sum(unit_counts)]]


def test_photo_route_serves_only_visible_proposals(engine, monkeypatch):
    from syros_app.opengov.proposals.models import ProposalPhoto

    _world(engine, monkeypatch)
    client = TestClient(create_api())
    with Session(engine) as session:
        first, hidden = session.get(Proposal, 1), session.get(Proposal, 6)
        for p in (first, hidden):
            session.add(ProposalPhoto(token=f"t{p.id}", owner_id=p.author_id, proposal_id=p.id,
                                      data=b"\xff\xd8\xff fake", width=1, height=1, created_at=utcnow()))
        session.commit()
    ok = client.get("/api/v1/proposals/1/photo")
    assert ok.status_code == 200 and ok.headers["content-type"] == "image/jpeg"
    assert client.get("/api/v1/proposals/6/photo").status_code == 404
    assert client.get("/api/v1/proposals/99/photo").status_code == 404
    assert client.get("/api/v1/proposals/abc/photo").status_code == 404


def test_csv_has_the_platform_shape_and_neutralises_formulas(engine, monkeypatch):
    with Session(engine, expire_on_commit=False) as session:
        eleni = personas.resident(session, "eleni")
        roll(session, {}, people=[eleni])
        actions.create_proposal(session, actor=eleni, title="=HYPERLINK(\"http://x\") παγκάκια", body=BODY)
        session.commit()
    text = TestClient(create_api()).get("/api/v1/proposals?format=csv").text
    assert text.startswith("\ufeff") and "\r\n" in text
    row = next(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert row["title"].startswith("'=") and row["area"] == "*" and row["status"] == "collecting"
