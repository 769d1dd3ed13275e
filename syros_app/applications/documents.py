"""The receipt and the answer of an application, as PDF.

Both are drawn from plain dataclasses (no database), Greek by default, every label
from the ``applications_desk`` catalogue; residents' answers go in as plain text.
The page frame and the DejaVu fonts are the consultations report's (one copy of
the fonts in the package). The answer is signed by ``signing.sign_pdf``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from fpdf import ViewerPreferences

from syros_app.consultations.report_pdf import _ReportPDF as PagePDF
from syros_app.consultations.report_pdf import _Writer as Writer
from syros_app.core.formatting import date_text, datetime_text
from syros_app.core.i18n import normalise_language, translate

from . import signing

NS = "applications_desk"


@dataclass(frozen=True)
class ReceiptData:
    reference: str
    service: str
    applicant: str
    submitted_at: datetime
    answers: tuple[tuple[str, str], ...] = ()  # (field label, value as typed)
    protocol_number: str = ""  # "Εισ. 1234/2026"; empty when the department protocols later
    target_date: date | None = None
    department: str = ""


@dataclass(frozen=True)
class AnswerData:
    reference: str
    service: str
    applicant: str
    outgoing_protocol: str  # "Εξ. 12/2026"
    decision: str
    officer: str
    answered_at: datetime
    incoming_protocol: str = ""
    department: str = ""


def receipt_filename(reference: str) -> str:
    return f"receipt-{reference}.pdf"


def answer_filename(reference: str) -> str:
    return f"answer-{reference}.pdf"


class _Tr:
    """This module's catalogue entries in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = normalise_language(lang)

    def __call__(self, key: str, **params: object) -> str:
        return translate(f"{NS}.{key}", self.lang, **params)


def _document(tr: _Tr, title_key: str, facts: list[tuple[str, str]]) -> tuple[PagePDF, Writer]:
    """A4 with the title and the label: value lines (catalogue keys; empty values skipped)."""
    title = tr(title_key)
    pdf = PagePDF(tr.lang)
    pdf.set_title(title)
    pdf.set_author(translate("app.municipality", tr.lang))
    pdf.set_creator(translate("app.name", tr.lang))
    pdf.set_lang(tr.lang)
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.add_page()
    w = Writer(pdf)
    w.text(title, size=17, bold=True, gap=3)
    for key, value in facts:
        if value:
            w.text(f"{tr(key)}: {value}", size=10.5, gap=1)
    pdf.ln(2)
    return pdf, w


def render_receipt(data: ReceiptData, lang: str = "el") -> bytes:
    tr = _Tr(lang)
    pdf, w = _document(tr, "pdf.receipt_title", [
        ("pdf.reference", data.reference), ("pdf.protocol", data.protocol_number), ("pdf.service", data.service),
        ("pdf.department", data.department), ("pdf.applicant", data.applicant),
        ("pdf.submitted_at", datetime_text(data.submitted_at, tr.lang))])
    w.heading(tr("pdf.answers"), 1)
    for label, value in data.answers:
        w.text(label, size=9.5, bold=True, gap=0.5)
        w.text(value or "–", gap=1.5)
    w.heading(tr("pdf.next_title"), 1)
    w.text(tr("pdf.next_body"), gap=1.5)
    if data.target_date is not None:
        w.text(tr("pdf.target", date=date_text(data.target_date, tr.lang)), bold=True)
    return bytes(pdf.output())


def render_answer(data: AnswerData, lang: str = "el") -> bytes:
    tr = _Tr(lang)
    pdf, w = _document(tr, "pdf.answer_title", [
        ("pdf.outgoing", data.outgoing_protocol), ("pdf.in_reply_to", data.incoming_protocol),
        ("pdf.reference", data.reference), ("pdf.service", data.service), ("pdf.applicant", data.applicant),
        ("pdf.answered_at", date_text(data.answered_at, tr.lang))])
    w.heading(tr("pdf.decision"), 1)
    w.text(data.decision, gap=4)
    w.text(data.officer, bold=True, gap=0.5)
    w.text(data.department or translate("app.municipality", tr.lang), grey=True, gap=3)
    w.text(tr("pdf.signed_note"), size=8.5, grey=True)
    return bytes(pdf.output())


def signed_answer(data: AnswerData, lang: str = "el") -> bytes:
    """The answer PDF with the municipality's PAdES signature."""
    reason = translate(f"{NS}.pdf.sign_reason", lang, protocol=data.outgoing_protocol)
    return signing.sign_pdf(render_answer(data, lang), reason=reason)
