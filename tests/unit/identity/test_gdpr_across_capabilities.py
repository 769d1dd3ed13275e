""""My data" across capabilities: the export holds every capability's rows about the
person (and nothing of anyone else), and deleting the account leaves public
contributions as "deleted user" with nothing left that names the person."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from sqlmodel import SQLModel, select
from starlette.testclient import TestClient

from syros_app.api.app import create_api
from syros_app.consultations import actions as consultations
from syros_app.consultations import queries as consultation_queries
from syros_app.consultations.models import Comment, CommentFlag, CommentSupport, ModerationBlock
from syros_app.core.db import session_scope
from syros_app.identity import actions as identity
from syros_app.identity.models import Person
from syros_app.notices import actions as notices
from syros_app.notices.models import Delivery, OutboundMessage, Subscription
from syros_app.reports import actions as reports
from syros_app.reports import queries as report_queries
from syros_app.reports.models import Report
from tests.support import personas
from tests.unit.consultations.helpers import NOW, make_consultation
from tests.unit.notices.fakes import BrowserSubscription

NAME, NICKNAME = "Ευτέρπη Ζαχαράκη", "ΒαπόριΤηςΣύρου"
OTHER_NAME = "Νικηφόρος Λαδάς"
EMAIL, OTHER_EMAIL = "efterpi.z@example.gr", "nikiforos@example.gr"
RATING_COMMENT = "Ευχαριστώ τον κ. Ζαχαράκη της ΔΕΥΑΕΡ"
ENDPOINT, OTHER_ENDPOINT, ANON_ENDPOINT = ("https://push.example/efterpi", "https://push.example/nikiforos",
                                           "https://push.example/anonymous")


def _push(session, endpoint, actor):
    sub = BrowserSubscription(endpoint)
    return notices.save_push_subscription(session, actor=actor, endpoint=endpoint, p256dh=sub.p256dh, auth=sub.auth,
                                          categories=["water"], now=NOW)


def _world(session) -> dict:
    """Efterpi and Nikiforos take part in one consultation and subscribe to notices."""
    mod = personas.administrator(session, "moderator")
    efterpi = personas.resident(session, "eleni", display_name=NAME, birth_year=1961)
    identity.update_nickname(session, actor=efterpi, nickname=NICKNAME)
    nikos = personas.resident(session, "nikos", display_name=OTHER_NAME)
    c = make_consultation(session, mod)
    s1, _s2 = consultation_queries.sections_of(session, c.id)
    ids = {"consultation": c.id}
    ids["mine"] = consultations.post_comment(session, actor=efterpi, consultation_id=c.id, section_id=s1.id,
                                             body="Να μείνει ελεύθερη η Αγκαθωπή", now=NOW - timedelta(hours=5)).id
    ids["theirs"] = consultations.post_comment(session, actor=nikos, consultation_id=c.id,
                                               body="Ξαπλώστρες μόνο στο μισό της Κίνι", now=NOW - timedelta(hours=4)).id
    ids["my_reply"] = consultations.post_comment(session, actor=efterpi, consultation_id=c.id, parent_id=ids["theirs"],
                                                 body="Συμφωνώ για την Κίνι", now=NOW - timedelta(hours=3)).id
    ids["their_reply"] = consultations.post_comment(session, actor=nikos, consultation_id=c.id, parent_id=ids["mine"],
                                                    body="Και η Βάρη επίσης", now=NOW - timedelta(hours=2, minutes=30)).id
    ids["hidden"] = consultations.post_comment(session, actor=efterpi, consultation_id=c.id,
                                               body="Κάτι θυμωμένο", now=NOW - timedelta(hours=2)).id
    consultations.hide_comment(session, actor=mod, comment_id=ids["hidden"], reason="Προσβλητική γλώσσα", now=NOW)
    ids["withdrawn"] = consultations.post_comment(session, actor=efterpi, consultation_id=c.id,
                                                  body="Το ξανασκέφτηκα", now=NOW - timedelta(minutes=10)).id
    consultations.withdraw_comment(session, actor=efterpi, comment_id=ids["withdrawn"], now=NOW - timedelta(minutes=5))
    consultations.support_comment(session, actor=efterpi, comment_id=ids["theirs"], value="agree", now=NOW)
    consultations.support_comment(session, actor=nikos, comment_id=ids["mine"], value="disagree", now=NOW)
    consultations.flag_comment(session, actor=efterpi, comment_id=ids["their_reply"], reason="Εκτός θέματος", now=NOW)
    consultations.flag_comment(session, actor=nikos, comment_id=ids["mine"], reason="Διαφήμιση", now=NOW)
    consultations.block_person(session, actor=mod, person_id=efterpi.person_id, days=3,
                               reason="Επαναλαμβανόμενες προσβολές", now=NOW)
    # notices: her own e-mail (waiting for confirmation) and phone push, his, and an anonymous device
    notices.subscribe_email(session, actor=efterpi, email=EMAIL, categories=["water"], now=NOW)
    _push(session, ENDPOINT, efterpi)
    notices.subscribe_email(session, actor=nikos, email=OTHER_EMAIL, categories=["water"], now=NOW)
    _push(session, OTHER_ENDPOINT, nikos)
    _push(session, ANON_ENDPOINT, None)
    # a reply to her after she subscribed: a personal automatic message to her phone
    ids["late_reply"] = consultations.post_comment(session, actor=nikos, consultation_id=c.id, parent_id=ids["mine"],
                                                   body="Θα το δούμε στο δημοτικό συμβούλιο", now=NOW).id
    consultations.block_person(session, actor=mod, person_id=nikos.person_id, days=1, reason="Spam", now=NOW)
    # reports: she files one with her name shown, it is resolved and she rates it with a comment
    ids["report"] = reports.create_report(session, actor=efterpi, category="water", show_name=True,
                                          description="Διαρροή νερού στην οδό Ερμού", lat=37.4448, lon=24.9427,
                                          now=NOW - timedelta(days=3)).id
    reports.change_status(session, actor=mod, report_id=ids["report"], status="resolved", note="Επισκευάστηκε",
                          now=NOW - timedelta(days=1))
    reports.rate_report(session, actor=efterpi, report_id=ids["report"], fixed=True, score=5,
                        comment=RATING_COMMENT, now=NOW - timedelta(hours=6))
    session.commit()
    return {"mod": mod, "efterpi": efterpi, "nikos": nikos, "ids": ids}


def test_export_holds_each_capability_rows_of_the_person_and_nothing_of_others(session):
    w = _world(session)
    ids = w["ids"]
    data = identity.export_my_data(session, actor=w["efterpi"])
    json.dumps(data)  # JSON-able as a whole
    assert data["person"]["display_name"] == NAME and data["person"]["nickname"] == NICKNAME

    mine = data["consultations"]
    assert [(c["id"], c["status"]) for c in mine["comments"]] == [
        (ids["mine"], "visible"), (ids["hidden"], "hidden"), (ids["withdrawn"], "withdrawn")]
    hidden = mine["comments"][1]
    assert hidden["text"] == "Κάτι θυμωμένο" and hidden["moderator_reason"] == "Προσβλητική γλώσσα"
    assert hidden["moderated_at"] is not None
    assert mine["comments"][2]["withdrawn_at"] is not None and mine["comments"][2]["text"] == ""
    assert mine["comments"][0]["consultation"] == "Κανονισμός παραλιών" and mine["comments"][0]["disagree"] == 1
    assert [(r["id"], r["in_reply_to"], r["text"]) for r in mine["replies"]] == [
        (ids["my_reply"], ids["theirs"], "Συμφωνώ για την Κίνι")]
    assert [(s["comment_id"], s["value"]) for s in mine["supports"]] == [(ids["theirs"], "agree")]
    assert [(f["comment_id"], f["reason"]) for f in mine["flags"]] == [(ids["their_reply"], "Εκτός θέματος")]
    assert [(b["reason"], b["lifted_at"]) for b in mine["moderation_blocks"]] == [("Επαναλαμβανόμενες προσβολές", None)]
    assert "as_staff" not in mine

    subs = data["notices"]["subscriptions"]
    assert sorted((s["channel"], s["address"]) for s in subs) == [("email", EMAIL), ("push", ENDPOINT)]
    email = next(s for s in subs if s["channel"] == "email")
    assert email["confirmed_at"] is None and email["categories"] == ["water"]
    kinds = sorted((d["kind"], d["status"]) for d in data["notices"]["deliveries"])
    # confirmation + the reply to her + "your report was resolved"
    assert kinds == [("confirm_email", "pending"), ("message", "pending"), ("message", "pending")]

    filed = data["reports"]["reports"]
    assert [(r["id"], r["description"], r["status"], r["show_name"]) for r in filed] == [
        (ids["report"], "Διαρροή νερού στην οδό Ερμού", "resolved", True)]
    assert (filed[0]["rating"]["score"], filed[0]["rating"]["comment"]) == (5, RATING_COMMENT)
    assert [h["status_to"] for h in filed[0]["history"]] == ["submitted", "resolved"]

    text = json.dumps(data, ensure_ascii=False)
    for foreign in (OTHER_NAME, OTHER_EMAIL, OTHER_ENDPOINT, ANON_ENDPOINT, "Ξαπλώστρες", "Και η Βάρη", "Διαφήμιση",
                    "Spam", "Θα το δούμε"):
        assert foreign not in text, foreign


def test_export_of_staff_lists_what_they_authored_and_moderated(session):
    w = _world(session)
    staff = identity.export_my_data(session, actor=w["mod"])["consultations"]
    assert staff["comments"] == [] and staff["supports"] == []
    work = staff["as_staff"]
    assert [c["title"] for c in work["consultations_created"]] == ["Κανονισμός παραλιών"]
    assert [m["comment_id"] for m in work["comments_moderated"]] == [w["ids"]["hidden"]]
    assert len(work["blocks_imposed"]) == 2
    assert "Επαναλαμβανόμενες" not in json.dumps(staff, ensure_ascii=False)  # the blocked person's matter


def test_export_over_http_has_the_capability_sections(engine):
    with session_scope() as session:
        w = _world(session)
        cookie = personas.login_cookie(session, session.get(Person, w["efterpi"].person_id))
    response = TestClient(create_api()).get("/api/v1/me/export", headers={"cookie": cookie})
    assert response.status_code == 200
    data = response.json()
    assert len(data["consultations"]["comments"]) == 3 and len(data["notices"]["subscriptions"]) == 2


def _dump(session) -> str:
    parts = []
    for table in SQLModel.metadata.sorted_tables:
        for row in session.execute(table.select()).all():
            parts.append(f"{table.name}: {tuple(row)!r}")
    return "\n".join(parts)


def test_after_deletion_open_data_says_deleted_user_and_nothing_names_the_person(engine):
    with session_scope() as session:
        w = _world(session)
        efterpi_id, taxid_hash = w["efterpi"].person_id, w["efterpi"].taxid_hmac
        before = _dump(session)
        assert NAME in before and NICKNAME in before and EMAIL in before and ENDPOINT in before
        assert RATING_COMMENT in before
        assert report_queries.report_detail(session, w["ids"]["report"]).reporter == NICKNAME
    with session_scope() as session:
        identity.delete_account(session, actor=w["efterpi"], now=NOW)

    ids = w["ids"]
    client = TestClient(create_api())
    for lang, deleted in (("el", "Διαγραμμένος χρήστης"), ("en", "Deleted user")):
        url = f"/api/v1/consultations/{ids['consultation']}/comments"
        data = client.get(f"{url}.json?lang={lang}").json()
        authors = {c["id"]: c["author"] for c in data["comments"]}
        assert authors[ids["mine"]] == authors[ids["my_reply"]] == authors[ids["hidden"]] == deleted
        assert authors[ids["theirs"]] == authors[ids["late_reply"]] == OTHER_NAME
        assert {c["id"]: c["text"] for c in data["comments"]}[ids["mine"]] == "Να μείνει ελεύθερη η Αγκαθωπή"
        raw_csv = client.get(f"{url}.csv?lang={lang}").text
        rows = {r["comment_id"]: r for r in csv.DictReader(io.StringIO(raw_csv.lstrip("\ufeff")))}
        assert rows[str(ids["mine"])]["author"] == rows[str(ids["my_reply"])]["author"] == deleted
        for text in (json.dumps(data, ensure_ascii=False), raw_csv):
            assert NAME not in text and NICKNAME not in text

    with session_scope() as session:
        page = consultation_queries.comment_page(session, ids["consultation"])
        views = [v for v in page.items if v.person_id == efterpi_id]
        assert {v.id for v in views} >= {ids["mine"], ids["my_reply"]}
        assert all(v.author_deleted and v.author == "" for v in views)
        # public contributions stay, supports and flags only as anonymous counts
        assert session.get(Comment, ids["mine"]).body == "Να μείνει ελεύθερη η Αγκαθωπή"
        assert session.get(Comment, ids["theirs"]).agree_count == 1
        assert session.get(Comment, ids["mine"]).disagree_count == 1
        assert len(session.exec(select(CommentSupport).where(CommentSupport.person_id == efterpi_id)).all()) == 1
        assert len(session.exec(select(CommentFlag).where(CommentFlag.person_id == efterpi_id)).all()) == 1
        # her moderation block is gone, his stays
        blocks = session.exec(select(ModerationBlock.person_id)).all()
        assert blocks == [w["nikos"].person_id]
        # her subscriptions and every delivery to them are gone, the others stay
        subs = session.exec(select(Subscription.address).order_by(Subscription.address)).all()
        assert subs == sorted([OTHER_EMAIL, OTHER_ENDPOINT, ANON_ENDPOINT])
        addresses = set(session.exec(select(Delivery.address)).all())
        assert EMAIL not in addresses and ENDPOINT not in addresses and OTHER_EMAIL in addresses
        # the personal "someone replied to you" message went with its only delivery
        sources = session.exec(select(OutboundMessage.source)).all()
        assert f"comment.replied:{ids['late_reply']}" not in sources

        # her report stays public as "deleted user"; the rating keeps its numbers, not its comment
        report = session.get(Report, ids["report"])
        assert (report.description, report.show_name, report.rating_fixed, report.rating_score) == (
            "Διαρροή νερού στην οδό Ερμού", False, True, 5)
        detail = report_queries.report_detail(session, ids["report"])
        assert detail.reporter is None and detail.reporter_deleted

        after = _dump(session)
    open311 = client.get(f"/open311/v2/requests/{ids['report']}.json").text
    assert "Διαρροή νερού" in open311 and NAME not in open311 and NICKNAME not in open311
    for secret in (NAME, NICKNAME, EMAIL, ENDPOINT, taxid_hash, RATING_COMMENT):
        assert secret not in after, secret
    # the person row is an empty shell
    with session_scope() as session:
        person = session.get(Person, efterpi_id)
        assert (person.display_name, person.nickname, person.birth_year, person.taxid_hmac) == ("", None, None, None)


def test_deletion_of_a_person_with_nothing_elsewhere_is_clean(session):
    alone = personas.resident(session, "maria")
    identity.delete_account(session, actor=alone, now=NOW)
    session.commit()
    assert session.get(Person, alone.person_id).deleted_at is not None
