"""Public routes of service reports (Open311 GeoReport v2, service levels, photos), for OpenAPI."""

from __future__ import annotations

from pydantic import RootModel

from syros_app.api.operation import Answer, Operation, Param

from .datasets import ServiceLevelRow

FMT = Param("fmt", "path", enum=("json", "xml"), description="Answer format")
XML = ("text/xml",)


class Open311Endpoint(Answer):
    specification: str
    url: str
    changeset: str
    type: str
    formats: list[str]


class Open311Discovery(Answer):
    changeset: str
    contact: str
    key_service: str
    endpoints: list[Open311Endpoint]


class Open311Service(Answer):
    service_code: str
    service_name: str
    description: str
    metadata: bool
    type: str
    keywords: str
    group: str


class Open311Services(RootModel[list[Open311Service]]):
    pass


class Open311ServiceDefinition(Answer):
    service_code: str
    attributes: list[dict]


class Open311Request(Answer):
    service_request_id: str
    status: str
    status_notes: str | None
    service_name: str
    service_code: str
    description: str
    agency_responsible: str
    service_notice: str | None
    requested_datetime: str
    updated_datetime: str | None
    expected_datetime: str | None
    address: str | None
    address_id: str | None
    zipcode: str | None
    lat: float | None
    long: float | None
    media_url: str | None


class Open311Requests(RootModel[list[Open311Request]]):
    pass


class Open311Created(Answer):
    service_request_id: str
    token: str | None = None
    service_notice: str | None = None
    account_id: str | None = None


class Open311CreatedList(RootModel[list[Open311Created]]):
    pass


class Open311Error(Answer):
    code: int
    description: str


class Open311Errors(RootModel[list[Open311Error]]):
    pass


class CategoryTarget(Answer):
    acknowledge_days: int
    resolve_days: int


class ServiceLevelFigure(ServiceLevelRow, Answer):
    pass


class ApplicationFigures(Answer):
    """One e-application service's figures (``service`` empty: all of them together)."""

    service: str
    title_el: str
    title_en: str
    target_days: int | None
    paper_pages: int | None
    online: int
    counter: int
    started: int  # drafts begun
    completed: int  # drafts that became submissions
    answered: int
    within_target: int
    median_decision_days: float | None  # working days
    ratings: int
    satisfied: int
    mean_rating: float | None
    paper_saved: int  # pages
    submitted: int
    online_share: float | None
    completion_rate: float | None
    share_within_target: float | None


class ApplicationLevels(Answer):
    from_month: str
    to_month: str
    time_unit: str
    paper_saved_formula: str
    satisfied_means: str
    total: ApplicationFigures
    services: list[ApplicationFigures]


class ServiceLevels(Answer):
    generated_at: str | None
    from_month: str
    to_month: str
    grouped_by: list[str]
    time_unit: str
    targets: dict[str, CategoryTarget]
    rows: list[ServiceLevelFigure]
    applications: ApplicationLevels | None = None  # e-applications, when that capability is installed


def _open311(method: str, path: str, key: str, model, errors=(400, 404), params=()) -> Operation:
    return Operation(method, path, key, "open311", model, params=(FMT, *params), errors=errors,
                     error_model=Open311Errors, also=XML)


OPERATIONS = [
    _open311("GET", "/open311/discovery.{fmt}", "api.op.open311_discovery", Open311Discovery, errors=()),
    _open311("GET", "/open311/v2/services.{fmt}", "api.op.open311_services", Open311Services, errors=(),
             params=(Param("locale", description="el or en"),)),
    _open311("GET", "/open311/v2/services/{code}.{fmt}", "api.op.open311_service", Open311ServiceDefinition,
             errors=(404,)),
    _open311("GET", "/open311/v2/requests.{fmt}", "api.op.open311_requests", Open311Requests, params=(
        Param("service_request_id", description="Comma-separated ids (overrides the other filters)"),
        Param("service_code", description="Comma-separated categories"),
        Param("status", description="open, closed or both"),
        Param("start_date", description="ISO 8601; at most 90 days before end_date"),
        Param("end_date", description="ISO 8601"))),
    _open311("POST", "/open311/v2/requests.{fmt}", "api.op.open311_create", Open311CreatedList,
             errors=(400, 403, 404)),
    _open311("GET", "/open311/v2/requests/{request_id}.{fmt}", "api.op.open311_request", Open311Requests,
             errors=(404,)),
    _open311("GET", "/open311/v2/tokens/{token}.{fmt}", "api.op.open311_token", Open311CreatedList, errors=(404,)),
    Operation("GET", "/api/v1/service-levels", "api.op.service_levels", "reports", ServiceLevels, also=("text/csv",),
              params=(Param("months", "query", "integer", "How many months back, 1 to 36 (default 12)"), Param("category"),
                      Param("unit", description="Municipal unit"),
                      Param("by", description="Comma-separated: category, unit, month"),
                      Param("format", enum=("json", "csv")))),
    Operation("GET", "/api/v1/reports/photos/{name}", "api.op.report_photo", "reports", None, media_type="image/jpeg",
              params=(Param("name", "path", description="The photo's file name, as in media_url"),), errors=(404,)),
]
