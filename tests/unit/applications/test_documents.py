"""Receipt and answer PDFs: the text read back with pypdf, Greek by default, the answer signed."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timezone

import pytest
from pypdf import PdfReader

from syros_app.applications import documents, signing

SUBMITTED = datetime(2026, 3, 9, 8, 30, tzinfo=timezone.utc)


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def _receipt(**overrides) -> documents.ReceiptData:
    values = dict(reference="A-2026-000123", service="Παραλαβή ογκωδών αντικειμένων", applicant="Στέλλα Βαφειάδη",
                  submitted_at=SUBMITTED, protocol_number="Εισ. 1234/2026", target_date=date(2026, 3, 16),
                  department="Διεύθυνση Καθαριότητας",
                  answers=(("Διεύθυνση παραλαβής", "Ερμού 12, Ερμούπολη"), ("Αντικείμενα", "<b>Ένας καναπές</b>")))
    values.update(overrides)
    return documents.ReceiptData(**values)


def _answer(**overrides) -> documents.AnswerData:
    values = dict(reference="A-2026-000123", service="Άδεια τραπεζοκαθισμάτων", applicant="Στέλλα Βαφειάδη",
                  outgoing_protocol="Εξ. 12/2026", incoming_protocol="Εισ. 1234/2026",
                  decision="Εγκρίνεται η χρήση 8 τ.μ. πεζοδρομίου.", officer="Μαρία Παππά",
                  answered_at=SUBMITTED, department="Διεύθυνση Οικονομικών")
    values.update(overrides)
    return documents.AnswerData(**values)


def test_the_receipt_says_what_was_filed_and_what_happens_next():
    text = _text(documents.render_receipt(_receipt()))
    for expected in ("Απόδειξη υποβολής αίτησης", "A-2026-000123", "Εισ. 1234/2026", "Παραλαβή ογκωδών αντικειμένων",
                     "Διεύθυνση παραλαβής", "Ερμού 12, Ερμούπολη", "<b>Ένας καναπές</b>", "Τι γίνεται στη συνέχεια",
                     "16 Μαρτίου 2026", "9 Μαρ 2026, 10:30"):
        assert expected in text, expected


def test_the_receipt_in_english_and_without_protocol():
    text = _text(documents.render_receipt(_receipt(protocol_number="", target_date=None), "en"))
    assert "Application receipt" in text and "What happens next" in text
    assert "Protocol number" not in text and "You will have an answer" not in text


def test_a_long_receipt_breaks_over_pages():
    answers = tuple((f"Πεδίο {i}", "κείμενο " * 40) for i in range(40))
    reader = PdfReader(io.BytesIO(documents.render_receipt(_receipt(answers=answers))))
    assert len(reader.pages) > 1
    assert "Σελίδα 2 από" in reader.pages[1].extract_text()


def test_the_answer_carries_the_outgoing_protocol_decision_and_officer():
    text = _text(documents.render_answer(_answer()))
    for expected in ("Απάντηση στην αίτησή σας", "Εξ. 12/2026", "Σε απάντηση του: Εισ. 1234/2026",
                     "Εγκρίνεται η χρήση 8 τ.μ. πεζοδρομίου.", "Μαρία Παππά", "9 Μαρτίου 2026"):
        assert expected in text, expected


@pytest.fixture
def demo_seal(tmp_path, monkeypatch):
    from syros_app.core import settings as settings_module

    monkeypatch.setenv("SYROS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SYROS_SIGNING_PKCS12", raising=False)
    settings_module.reset_settings_cache()
    yield
    settings_module.reset_settings_cache()


def test_the_signed_answer_validates_and_still_reads(demo_seal):
    signed = documents.signed_answer(_answer())
    assert signing.validate(signed).ok
    assert "Εξ. 12/2026" in _text(signed)
    sig = PdfReader(io.BytesIO(signed)).get_fields()[signing.FIELD_NAME]
    assert "Εξ. 12/2026" in sig["/V"]["/Reason"]
