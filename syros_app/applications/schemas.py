"""Routes of e-applications, for the OpenAPI document: the catalogue (open data) and a
person's own applications (with their session cookie)."""

from __future__ import annotations

from syros_app.api.operation import Answer, Operation


class Texts(Answer):
    el: str
    en: str


class TextLists(Answer):
    el: list[str]
    en: list[str]


class ServiceEntry(Answer):
    slug: str
    title: Texts
    purpose: Texts
    eligibility: Texts
    documents: TextLists
    fee: Texts
    target_working_days: int | None
    department: str | None
    mitos_id: str | None  # the national registry of procedures (ΜΙΤΟΣ); empty for a local procedure
    local: bool
    govgr_url: str | None  # national services are a link to gov.gr, not filed here
    online: bool
    paper_pages: int | None  # pages a paper filing takes (for "paper saved")
    url: str


class ServiceCatalogue(Answer):
    services: list[ServiceEntry]


class MyApplication(Answer):
    reference: str
    service: str
    title: Texts
    status: str
    channel: str  # online | counter
    incoming_protocol: str | None
    outgoing_protocol: str | None
    submitted_at: str | None
    due_at: str | None
    answered_at: str | None
    closed_at: str | None
    receipt_pdf: str
    answer_pdf: str | None  # the digitally signed answer (PAdES), once answered


class MyApplications(Answer):
    applications: list[MyApplication]


OPERATIONS = [
    Operation("GET", "/api/v1/applications/services", "api.op.application_services", "applications",
              ServiceCatalogue),
    Operation("GET", "/api/v1/me/applications", "api.op.my_applications", "applications", MyApplications,
              errors=(401,)),
]
