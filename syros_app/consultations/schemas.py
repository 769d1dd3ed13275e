"""Public routes of consultations, for the OpenAPI document."""

from __future__ import annotations

from syros_app.api.operation import PDF, Answer, Operation, Param

LANG = Param("lang", enum=("el", "en"), description="Language of labels (default: the cookie, else Greek)")


class ConsultationSummary(Answer):
    id: int
    title: str
    summary: str
    category: str
    area: str | None
    opens_at: str
    closes_at: str
    moderation_mode: str
    status: str
    comment_count: int
    url: str
    report_published_at: str | None


class ConsultationList(Answer):
    consultations: list[ConsultationSummary]
    count: int


class SectionVersion(Answer):
    version: int
    title: str
    text: str
    note: str
    created_at: str | None


class SectionDetail(Answer):
    id: int
    position: int
    title: str
    text: str
    version: int
    comment_count: int
    versions: list[SectionVersion]


class SupportTotals(Answer):
    agree: int
    disagree: int


class AttachmentInfo(Answer):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    url: str


class ConsultationDetail(ConsultationSummary):
    whole_text_comment_count: int
    supports: SupportTotals
    sections: list[SectionDetail]
    attachments: list[AttachmentInfo]


class CommentResponse(Answer):
    outcome: str
    reason: str


class PublicComment(Answer):
    id: int
    parent_id: int | None
    section_id: int | None
    author: str
    created_at: str
    edited_at: str | None
    status: str
    text: str
    agree: int
    disagree: int
    response: CommentResponse | None


class CommentList(Answer):
    consultation_id: int
    comments: list[PublicComment]


class DiffLine(Answer):
    kind: str
    text: str


class ReportSection(Answer):
    section_id: int | None
    title: str
    comments: list[PublicComment]
    final_text: str | None = None
    version: int | None = None
    what_changed: str | None = None
    diff: list[DiffLine] | None = None


class ReportResponse(Answer):
    id: int
    outcome: str
    reason: str
    comment_ids: list[int]


class ConsultationReport(Answer):
    consultation: ConsultationSummary
    summary: str
    published_at: str | None
    outcomes: dict[str, int]
    responses: list[ReportResponse]
    sections: list[ReportSection]


OPERATIONS = [
    Operation("GET", "/api/v1/consultations", "api.op.consultations", "consultations", ConsultationList,
              params=(Param("phase", enum=("upcoming", "open", "closed", "report_published")), Param("category"),
                      Param("area", description="A municipal unit (its consultations and the island-wide ones), "
                                                "or 'all' for island-wide only"))),
    Operation("GET", "/api/v1/consultations/{consultation_id}", "api.op.consultation", "consultations",
              ConsultationDetail, params=(LANG,), errors=(404,)),
    Operation("GET", "/api/v1/consultations/{consultation_id}/comments.json", "api.op.consultation_comments",
              "consultations", CommentList, params=(LANG,), errors=(404,)),
    Operation("GET", "/api/v1/consultations/{consultation_id}/comments.csv", "api.op.consultation_comments_csv",
              "consultations", None, media_type="text/csv", params=(LANG,), errors=(404,)),
    Operation("GET", "/api/v1/consultations/{consultation_id}/report.json", "api.op.consultation_report",
              "consultations", ConsultationReport, params=(LANG,), errors=(403, 404)),
    Operation("GET", "/api/v1/consultations/{consultation_id}/report.pdf", "api.op.consultation_report_pdf",
              "consultations", None, media_type=PDF, params=(LANG,), errors=(403, 404)),
    Operation("GET", "/api/v1/consultations/attachments/{attachment_id}", "api.op.consultation_attachment",
              "consultations", None, media_type="application/octet-stream", errors=(404,)),
]
