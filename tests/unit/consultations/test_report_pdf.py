"""The report PDF holds what the report page holds, read back with pypdf."""

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from syros_app.consultations import actions, queries, report_pdf
from syros_app.consultations.api import report_data
from tests.support import personas

from .helpers import NOW, make_consultation


@pytest.fixture
def published(session):
    mod = personas.administrator(session, "moderator")
    eleni = personas.resident(session, "eleni", display_name="Ελένη Π.")
    nikos = personas.resident(session, "nikos", display_name="Νίκος Κ.")
    c = make_consultation(session, mod)
    s1, _s2 = queries.sections_of(session, c.id)
    kept = actions.post_comment(session, actor=eleni, consultation_id=c.id, section_id=s1.id,
                                body="Χρειαζόμαστε σκιά στις παραλίες **τώρα** <b>{nb}</b>",
                                now=NOW - timedelta(hours=5))
    reply = actions.post_comment(session, actor=nikos, consultation_id=c.id, parent_id=kept.id,
                                 body="Συμφωνώ με την Ελένη", now=NOW - timedelta(hours=4))
    rude = actions.post_comment(session, actor=nikos, consultation_id=c.id, body="Κρυφή προσβολή προς όλους",
                                now=NOW - timedelta(hours=3))
    actions.hide_comment(session, actor=mod, comment_id=rude.id, reason="Προσβλητική γλώσσα", now=NOW - timedelta(hours=2))
    actions.close_consultation(session, actor=mod, consultation_id=c.id, now=NOW, reason="Κλείνει νωρίτερα για τη δοκιμή.")
    actions.record_response(session, actor=mod, consultation_id=c.id, comment_ids=[kept.id], outcome="partly",
                            reason="Θα μπουν ομπρέλες σε δύο παραλίες", now=NOW)
    actions.edit_section(session, actor=mod, section_id=s1.id, title=s1.title,
                         body="Κείμενο του άρθρου 1.\nΣκίαστρα στη Γαλησσά και στον Φοίνικα.", note="Μετά τη διαβούλευση",
                         now=NOW)
    actions.set_change_summary(session, actor=mod, section_id=s1.id, summary="Προστέθηκαν σκίαστρα", now=NOW)
    actions.publish_report(session, actor=mod, consultation_id=c.id, summary="Ευχαριστούμε τους 2 συμμετέχοντες.",
                           now=NOW + timedelta(hours=1))
    session.commit()
    return c, {"kept": kept.id, "reply": reply.id, "rude": rude.id}


def _read(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_greek_pdf_has_the_report_and_not_the_hidden_text(session, published):
    c, _ids = published
    pdf = report_pdf.render_report_pdf(report_data(session, c, "el"))
    assert pdf.startswith(b"%PDF-")
    reader, text = _read(pdf)
    assert "Δήμος Σύρου-Ερμούπολης" in text and "Κανονισμός παραλιών" in text
    assert "Ευχαριστούμε τους 2 συμμετέχοντες." in text
    assert "Ελένη Π." in text and "Νίκος Κ." in text and "Συμφωνώ με την Ελένη" in text
    # residents' text goes in as text: no markdown, no HTML, no page-count alias
    assert "Χρειαζόμαστε σκιά στις παραλίες **τώρα** <b>{nb}</b>" in text
    assert "Απάντηση του Δήμου: Έγινε εν μέρει δεκτό" in text and "Θα μπουν ομπρέλες σε δύο παραλίες" in text
    assert "Τι άλλαξε" in text and "Προστέθηκαν σκίαστρα" in text
    assert "Προστέθηκε: Σκίαστρα στη Γαλησσά και στον Φοίνικα." in text
    assert "Κρύφτηκε από τον συντονιστή: Προσβλητική γλώσσα" in text
    assert "Κρυφή προσβολή" not in text
    assert f"Σελίδα 1 από {len(reader.pages)}" in text
    assert reader.metadata.title == "Κανονισμός παραλιών"
    assert reader.trailer["/Root"]["/Lang"] == "el"


def test_english_labels_and_the_same_user_text(session, published):
    c, _ids = published
    reader, text = _read(report_pdf.render_report_pdf(report_data(session, c, "en"), "en"))
    assert "Municipality of Syros-Ermoupoli" in text and "What changed" in text
    assert "The municipality's answer: Partly accepted" in text and "Θα μπουν ομπρέλες σε δύο παραλίες" in text
    assert "Hidden by a moderator: Προσβλητική γλώσσα" in text and "Κρυφή προσβολή" not in text
    assert "Απάντηση του Δήμου" not in text and f"Page 1 of {len(reader.pages)}" in text
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_fonts_ship_inside_the_package():
    from syros_app import consultations

    package = report_pdf.FONTS_DIR.parent
    assert package == report_pdf.Path(consultations.__file__).parent
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE-DejaVu.txt"):
        assert (report_pdf.FONTS_DIR / name).stat().st_size > 0
