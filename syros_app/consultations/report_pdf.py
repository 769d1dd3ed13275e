"""The published "you said, we did" report as a PDF.

It is drawn from the same data as ``report.json`` and the report page
(``api.report_data``), so the three never disagree: hidden comments carry the
moderator's reason only, authors are public display names. Residents' text goes
in as plain text (fpdf2's markdown is off), never as markup. The DejaVu fonts
ship inside the package (Greek needs a Unicode font; machines may have none).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fpdf import FPDF, ViewerPreferences
from fpdf.enums import Align, XPos, YPos

from syros_app.core.i18n import normalise_language, translate
from syros_app.core.timefmt import format_local

from . import rules

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
INDENT_MM = 6.0
GREY = (90, 90, 90)
BLACK = (0, 0, 0)
PAGES_ALIAS = "{nb}"


def report_filename(consultation_id: int) -> str:
    return f"consultation-{consultation_id}-report.pdf"


class _ReportPDF(FPDF):
    """A4 with the municipality on top of every page and "page n of m" below."""

    def __init__(self, lang: str) -> None:
        super().__init__(format="A4", unit="mm")
        self.lang = lang
        self.add_font(FAMILY, "", str(FONTS_DIR / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=18)
        self.alias_nb_pages(None)  # only the footer substitutes the page count, never residents' text

    def header(self) -> None:
        self.set_font(FAMILY, "B", 9)
        self.set_text_color(*GREY)
        left = f"{translate('app.municipality', self.lang)} · {translate('app.name', self.lang)}"
        self.cell(0, 5, left, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(5)
        self.set_text_color(*BLACK)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*GREY)
        before = self.str_alias_nb_pages
        self.alias_nb_pages(PAGES_ALIAS, align=Align.C)
        self.cell(0, 5, translate("consultations.pdf_page", self.lang, page=self.page_no(), pages=PAGES_ALIAS),
                  align=Align.C)
        if before is None:
            self.alias_nb_pages(None)

    def output(self, *args, **kwargs):
        # the count is written in at output time, and only where the footer asked for it
        self.alias_nb_pages(PAGES_ALIAS, align=Align.C)
        return super().output(*args, **kwargs)
        self.set_text_color(*BLACK)


def _when(iso: str | None, lang: str) -> str:
    return format_local(datetime.fromisoformat(iso), lang) if iso else ""


def _depths(comments: list[dict]) -> dict[int, int]:
    """Reply depth of each comment (the JSON has parents, the page indents by depth)."""
    parents = {c["id"]: c["parent_id"] for c in comments}
    depths: dict[int, int] = {}
    for cid in parents:
        depth, parent = 0, parents[cid]
        while parent in parents and depth < rules.MAX_DEPTH:
            depth, parent = depth + 1, parents[parent]
        depths[cid] = depth
    return depths


class _Writer:
    """Small drawing vocabulary over fpdf2 so the layout below reads like the page."""

    def __init__(self, pdf: _ReportPDF) -> None:
        self.pdf = pdf

    def text(self, value: str, *, size: float = 10, bold: bool = False, indent: float = 0.0, grey: bool = False,
             gap: float = 1.5) -> None:
        pdf = self.pdf
        pdf.set_font(FAMILY, "B" if bold else "", size)
        pdf.set_text_color(*(GREY if grey else BLACK))
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(pdf.epw - indent, size * 0.5, value, align=Align.L, markdown=False,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*BLACK)
        pdf.ln(gap)

    def heading(self, value: str, level: int) -> None:
        pdf = self.pdf
        if pdf.will_page_break(20):
            pdf.add_page()
        pdf.ln(2)
        pdf.start_section(value, level=level)
        self.text(value, size=15 if level == 0 else 12.5 if level == 1 else 11, bold=True, gap=2)


def render_report_pdf(report: dict, lang: str = "el") -> bytes:
    """The PDF of a published report, from ``api.report_data(session, c, lang)``."""
    lang = normalise_language(lang)

    def tr(key: str, **params: object) -> str:
        return translate(key, lang, **params)

    consultation = report["consultation"]
    pdf = _ReportPDF(lang)
    pdf.set_title(consultation["title"])
    pdf.set_subject(tr("consultations.report_kicker"))
    pdf.set_author(tr("app.municipality"))
    pdf.set_creator(tr("app.name"))
    pdf.set_lang(lang)
    if report.get("published_at"):  # the same report gives the same bytes (and ETag), not one per request
        pdf.set_creation_date(datetime.fromisoformat(report["published_at"]))
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.add_page()
    w = _Writer(pdf)

    w.text(tr("consultations.report_kicker"), size=10, grey=True, gap=1)
    pdf.start_section(consultation["title"], level=0)
    w.text(consultation["title"], size=18, bold=True, gap=2)
    w.text(" · ".join([
        f"{tr('consultations.report_published_at')} {_when(report['published_at'], lang)}",
        f"{tr('consultations.closed_at')} {_when(consultation['closes_at'], lang)}",
        f"{tr('consultations.comments')}: {consultation['comment_count']}",
    ]), size=9.5, grey=True, gap=3)

    w.heading(tr("consultations.report_summary"), 1)
    w.text(report["summary"] or "", gap=3)

    w.text(tr("consultations.outcomes_caption"), bold=True, gap=1)
    pdf.set_font(FAMILY, "", 10)
    with pdf.table(col_widths=(3, 1), text_align=("LEFT", "RIGHT"), markdown=False, width=pdf.epw * 0.7,
                   align="LEFT", line_height=6) as table:
        table.row([tr("consultations.outcome_col"), tr("consultations.count_col")])
        for outcome in rules.OUTCOMES:
            table.row([tr(f"consultations.outcome.{outcome}"), str(report["outcomes"].get(outcome, 0))])
    pdf.ln(3)

    for block in report["sections"]:
        whole = block["section_id"] is None
        if whole and not block["comments"]:
            continue  # the page shows the whole-text block only when someone commented on it
        w.heading(block["title"], 1)
        if not whole:
            w.heading(tr("consultations.what_changed"), 2)
            if block.get("what_changed"):
                w.text(block["what_changed"])
            else:
                w.text(tr("consultations.no_change"), grey=True)
            for line in block.get("diff", []):
                label = tr("consultations.diff_added" if line["kind"] == "added" else "consultations.diff_removed")
                w.text(f"{label} {line['text']}", size=9.5, indent=INDENT_MM, gap=0.5)
            w.heading(tr("consultations.final_text"), 2)
            w.text(block.get("final_text") or "", gap=2)
        w.heading(tr("consultations.comments_and_responses"), 2)
        if not block["comments"]:
            w.text(tr("consultations.no_comments"), grey=True)
        depths = _depths(block["comments"])
        for comment in block["comments"]:
            _comment(w, comment, depths.get(comment["id"], 0) * INDENT_MM, tr, lang)
    return bytes(pdf.output())


def _comment(w: _Writer, comment: dict, indent: float, tr, lang: str) -> None:
    hidden = comment["status"] in ("hidden", "withdrawn")
    w.text(f"{comment['author']} · {_when(comment['created_at'], lang)}", size=9.5, bold=True, indent=indent, gap=0.5)
    w.text(comment["text"], indent=indent, grey=hidden, gap=0.5)
    w.text(f"{tr('consultations.agree')}: {comment['agree']} · {tr('consultations.disagree')}: {comment['disagree']}",
           size=8.5, grey=True, indent=indent, gap=1)
    response = comment.get("response")
    if response:
        outcome = tr(f"consultations.outcome.{response['outcome']}")
        w.text(f"{tr('consultations.response_label')} {outcome}", size=9.5, bold=True, indent=indent + INDENT_MM,
               gap=0.5)
        w.text(response["reason"], size=9.5, indent=indent + INDENT_MM, gap=1)
    w.pdf.ln(2)
