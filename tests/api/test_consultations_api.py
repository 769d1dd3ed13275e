"""Open data of consultations over HTTP: list, one, comments (JSON/CSV), report, attachments."""

import csv
import io
from datetime import timedelta

from pypdf import PdfReader
from starlette.testclient import TestClient

from syros_app.api.app import create_api
from syros_app.consultations import actions, queries
from syros_app.core.db import session_scope
from syros_app.core.timefmt import utcnow
from tests.support import personas


def _setup(engine):
    now = utcnow()
    with session_scope() as session:
        mod = personas.administrator(session, "moderator")
        eleni = personas.resident(session, "eleni", display_name="Ελένη Π.")
        nikos = personas.resident(session, "nikos", display_name="Νίκος Κ.")
        staff_cookie = personas.login_cookie(session, session.get(personas.Person, mod.person_id))
        c = actions.create_consultation(session, actor=mod, title="Κυκλοφοριακό Ερμούπολης", summary="Σχέδιο",
                                        category="transport", area="Ερμούπολη", opens_at=now - timedelta(days=2),
                                        closes_at=now + timedelta(days=5),
                                        sections=[("Πεζόδρομοι", "Κείμενο 1"), ("Στάθμευση", "Κείμενο 2")],
                                        now=now - timedelta(days=3))
        actions.open_consultation(session, actor=mod, consultation_id=c.id, now=now - timedelta(days=2))
        draft = actions.create_consultation(session, actor=mod, title="Μυστικό πρόχειρο", summary="", category="other",
                                            opens_at=now, closes_at=now + timedelta(days=1))
        s1, s2 = queries.sections_of(session, c.id)
        a = actions.post_comment(session, actor=eleni, consultation_id=c.id, section_id=s1.id,
                                 body='=HYPERLINK("http://evil") και "εισαγωγικά", κόμμα', now=now - timedelta(hours=3))
        b = actions.post_comment(session, actor=nikos, consultation_id=c.id, parent_id=a.id, body="Απάντηση του Νίκου",
                                 now=now - timedelta(hours=2))
        h = actions.post_comment(session, actor=nikos, consultation_id=c.id, body="Κάτι προσβλητικό",
                                 now=now - timedelta(hours=1))
        actions.support_comment(session, actor=nikos, comment_id=a.id, value="agree", now=now)
        actions.hide_comment(session, actor=mod, comment_id=h.id, reason="Προσβλητική γλώσσα", now=now)
        ids = {"c": c.id, "draft": draft.id, "s1": s1.id, "s2": s2.id, "a": a.id, "b": b.id, "h": h.id}
    return ids, staff_cookie, mod


def test_list_and_one_with_sections_and_no_drafts(engine):
    ids, _, _ = _setup(engine)
    client = TestClient(create_api())
    data = client.get("/api/v1/consultations").json()
    assert [c["title"] for c in data["consultations"]] == ["Κυκλοφοριακό Ερμούπολης"]
    assert data["consultations"][0]["status"] == "open" and data["consultations"][0]["comment_count"] == 2
    assert client.get("/api/v1/consultations?phase=closed").json()["count"] == 0
    assert client.get("/api/v1/consultations?category=environment").json()["count"] == 0
    one = client.get(f"/api/v1/consultations/{ids['c']}").json()
    assert [(s["title"], s["comment_count"]) for s in one["sections"]] == [("Πεζόδρομοι", 2), ("Στάθμευση", 0)]
    assert one["whole_text_comment_count"] == 0 and one["supports"] == {"agree": 1, "disagree": 0}
    assert one["sections"][0]["versions"][0]["text"] == "Κείμενο 1"
    missing = client.get(f"/api/v1/consultations/{ids['draft']}")
    assert missing.status_code == 404 and missing.json()["error"] == "consultations.errors.not_found"
    assert client.get("/api/v1/consultations/999999").status_code == 404


def test_comments_csv_shows_public_names_and_moderator_reasons(engine):
    ids, _, _ = _setup(engine)
    response = TestClient(create_api()).get(f"/api/v1/consultations/{ids['c']}/comments.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert [r["comment_id"] for r in rows] == [str(ids["a"]), str(ids["b"]), str(ids["h"])]
    first, reply, hidden = rows
    assert first["author"] == "Ελένη Π." and first["section"] == "Πεζόδρομοι" and first["agree"] == "1"
    assert first["text"] == '\'=HYPERLINK("http://evil") και "εισαγωγικά", κόμμα'  # formula neutralised
    assert reply["parent_id"] == str(ids["a"]) and reply["author"] == "Νίκος Κ."
    assert hidden["status"] == "hidden"
    assert hidden["text"] == "Κρύφτηκε από τον συντονιστή: Προσβλητική γλώσσα"
    assert "προσβλητικό" not in response.text
    assert "taxid" not in response.text.lower()
    english = TestClient(create_api()).get(f"/api/v1/consultations/{ids['c']}/comments.csv?lang=en").text
    assert "Hidden by a moderator: Προσβλητική γλώσσα" in english
    data = TestClient(create_api()).get(f"/api/v1/consultations/{ids['c']}/comments.json").json()
    assert [c["id"] for c in data["comments"]] == [ids["a"], ids["b"], ids["h"]]


def _answer_and_publish(ids, mod, *, publish=True):
    with session_scope() as session:
        actions.close_consultation(session, actor=mod, consultation_id=ids["c"], reason="Κλείνει νωρίτερα για τη δοκιμή.")
        actions.record_response(session, actor=mod, consultation_id=ids["c"], comment_ids=[ids["a"], ids["b"]],
                                outcome="accepted", reason="Ο πεζόδρομος επεκτείνεται")
        actions.edit_section(session, actor=mod, section_id=ids["s1"], title="Πεζόδρομοι", body="Κείμενο 1\nΝέα γραμμή",
                             note="Μετά τη διαβούλευση")
        actions.set_change_summary(session, actor=mod, section_id=ids["s1"], summary="Επέκταση πεζόδρομου")
        if publish:
            actions.publish_report(session, actor=mod, consultation_id=ids["c"], summary="Συμμετείχαν πολλοί κάτοικοι.")


def test_report_json_only_once_published(engine):
    ids, _, mod = _setup(engine)
    client = TestClient(create_api())
    assert client.get(f"/api/v1/consultations/{ids['c']}/report.json").status_code == 404
    _answer_and_publish(ids, mod)
    report = client.get(f"/api/v1/consultations/{ids['c']}/report.json").json()
    assert report["summary"] == "Συμμετείχαν πολλοί κάτοικοι."
    assert report["outcomes"] == {"accepted": 2, "partly": 0, "not_accepted": 0, "out_of_scope": 0}
    assert report["responses"][0]["comment_ids"] == [ids["a"], ids["b"]]
    whole, s1, s2 = report["sections"]
    assert whole["section_id"] is None and [c["id"] for c in whole["comments"]] == [ids["h"]]
    assert s1["what_changed"] == "Επέκταση πεζόδρομου"
    assert s1["diff"] == [{"kind": "added", "text": "Νέα γραμμή"}]
    assert s1["comments"][0]["response"] == {"outcome": "accepted", "reason": "Ο πεζόδρομος επεκτείνεται"}
    assert s2["comments"] == []


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_report_pdf_only_once_published_in_both_languages(engine):
    ids, staff_cookie, mod = _setup(engine)
    client = TestClient(create_api())
    url = f"/api/v1/consultations/{ids['c']}/report.pdf"
    open_one = client.get(url)
    assert open_one.status_code == 404 and open_one.json()["error"] == "consultations.errors.report_not_published"
    # a draft is not found even for staff, as with report.json
    assert client.get(f"/api/v1/consultations/{ids['draft']}/report.pdf", headers={"cookie": staff_cookie}).status_code == 404
    assert client.get("/api/v1/consultations/999999/report.pdf").status_code == 404
    _answer_and_publish(ids, mod, publish=False)
    assert client.get(url).status_code == 404  # closed and answered, not yet published
    with session_scope() as session:
        actions.publish_report(session, actor=mod, consultation_id=ids["c"], summary="Συμμετείχαν πολλοί κάτοικοι.")

    greek = client.get(url)
    assert greek.status_code == 200 and greek.headers["content-type"] == "application/pdf"
    assert greek.headers["content-disposition"] == f'attachment; filename="consultation-{ids["c"]}-report.pdf"'
    assert greek.content.startswith(b"%PDF-")
    text = _pdf_text(greek.content)
    assert "Κυκλοφοριακό Ερμούπολης" in text and "Απάντηση του Δήμου: Έγινε δεκτό" in text
    assert "Ο πεζόδρομος επεκτείνεται" in text and "Επέκταση πεζόδρομου" in text
    assert "Κρύφτηκε από τον συντονιστή: Προσβλητική γλώσσα" in text and "Κάτι προσβλητικό" not in text

    english = client.get(url + "?lang=en")
    assert english.status_code == 200 and english.content.startswith(b"%PDF-")
    text = _pdf_text(english.content)
    assert "The municipality's answer: Accepted" in text and "What changed" in text
    assert "Απάντηση του Δήμου" not in text and "Κυκλοφοριακό Ερμούπολης" in text


def test_attachment_upload_is_staff_only_and_served_back(engine):
    ids, staff_cookie, _ = _setup(engine)
    client = TestClient(create_api())
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    refused = client.post(f"/api/v1/consultations/{ids['c']}/attachments", files={"file": ("map.png", png, "image/png")})
    assert refused.status_code == 403
    with session_scope() as session:
        resident_cookie = personas.login_cookie(session, personas.make_person(session, "maria"))
    refused = client.post(f"/api/v1/consultations/{ids['c']}/attachments", files={"file": ("map.png", png, "image/png")},
                          headers={"cookie": resident_cookie})
    assert refused.status_code == 403
    bad = client.post(f"/api/v1/consultations/{ids['c']}/attachments",
                      files={"file": ("x.pdf", b"<script>alert(1)</script>", "application/pdf")},
                      headers={"cookie": staff_cookie})
    assert bad.status_code == 400 and bad.json()["error"] == "consultations.errors.attachment_type"
    ok = client.post(f"/api/v1/consultations/{ids['c']}/attachments", files={"file": ("Χάρτης.png", png, "image/png")},
                     headers={"cookie": staff_cookie})
    assert ok.status_code == 201, ok.text
    got = client.get(f"/api/v1/consultations/attachments/{ok.json()['id']}")
    assert got.status_code == 200 and got.content == png
    assert got.headers["content-type"] == "image/png" and got.headers["x-content-type-options"] == "nosniff"
    one = client.get(f"/api/v1/consultations/{ids['c']}").json()
    assert [a["filename"] for a in one["attachments"]] == ["Χάρτης.png"]
