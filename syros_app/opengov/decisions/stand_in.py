"""A local stand-in for Diavgeia's open data search, for tests and the demo (no network).

Answers ``GET /search`` (and ``/search.json``) in the real API's shape from a list of
decisions, honours ``org``, ``from_issue_date``, ``to_issue_date`` (refusing spans over
180 days, as our client never asks for), ``page`` and ``size``; ``fail_once`` names
pages (``(from_issue_date, page)``) that answer 503 the first time, to prove retries.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from . import rules

DEMO_ORG = "syros-demo"  # the stand-in's organisation (the real one is set by SYROS_DIAVGEIA_ORG)
# (ΑΔΑ, subject, issue date, decision type): plausible decisions of the municipality.
DEMO = [
    ("Ψ4Κ1ΩΗΚ-Α1Β", "Έγκριση μελέτης ανάπλασης της πλατείας Μιαούλη", "2026-02-12", "Β.1.3"),
    ("6ΡΣ2ΩΗΚ-Β2Γ", "Ανάθεση προμήθειας φωτιστικών LED οδοφωτισμού Ερμούπολης", "2026-03-20", "Δ.1"),
    ("ΩΘ73ΩΗΚ-Γ3Δ", "Έγκριση κυκλοφοριακού σχεδίου του κέντρου της Ερμούπολης", "2026-05-08", "2.4.7.1"),
    ("9Λ84ΩΗΚ-Δ4Ε", "Ανάληψη υποχρέωσης για τις εργασίες αποκατάστασης του Νεωρίου", "2026-06-15", "Β.2.1"),
    ("ΨΜ95ΩΗΚ-Ε5Ζ", "Οριστική παραλαβή έργου ηλεκτροφωτισμού Ποσειδωνίας", "2026-07-02", "2.4.7.1"),
    ("Ω1Ν6ΩΗΚ-Ζ6Η", "Πρόγραμμα συμμετοχικού προϋπολογισμού 2026: κατανομή ποσών", "2026-08-27", "Β.1.3"),
    ("6Ξ27ΩΗΚ-Η7Θ", "Κατακύρωση διαγωνισμού για την ανακατασκευή πεζοδρομίων Άνω Σύρου", "2026-09-30", "Δ.2.2"),
    ("Ψ8Ο8ΩΗΚ-Θ8Ι", "Έγκριση κανονισμού χρήσης των δημοτικών παραλιών", "2026-10-19", "2.4.7.1"),
    ("ΩΠ99ΩΗΚ-Ι9Κ", "Πληρωμή πρώτου λογαριασμού έργου ανάπλασης πλατείας Μιαούλη", "2026-11-10", "Β.2.2"),
    ("7Ρ10ΩΗΚ-Κ0Λ", "Σύσταση επιτροπής παρακολούθησης έργων του Δήμου", "2025-11-25", "Α.2"),
]


def _ms(day: str) -> int:
    return int(datetime.combine(date.fromisoformat(day), time(10), tzinfo=timezone.utc).timestamp() * 1000)


def demo_items(org: str = DEMO_ORG) -> list[dict]:
    """The demo decisions as Diavgeia's search answers them."""
    return [{"ada": ada, "subject": subject, "issueDate": _ms(day), "decisionTypeId": kind,
             "organizationId": org, "status": "PUBLISHED", "protocolNumber": f"{n + 1}/{day[:4]}",
             "url": f"https://diavgeia.gov.gr/luminapi/api/decisions/{ada}",
             "documentUrl": f"https://diavgeia.gov.gr/doc/{ada}", "publishTimestamp": _ms(day)}
            for n, (ada, subject, day, kind) in enumerate(DEMO)]


def app(items: list[dict] | None = None, *, org: str = DEMO_ORG,
        fail_once: set[tuple[str, int]] | None = None) -> Starlette:
    items = demo_items(org) if items is None else items
    pending_failures = set(fail_once or ())
    seen: list[dict] = []

    async def search(request: Request) -> JSONResponse:
        q = request.query_params
        seen.append(dict(q))
        try:
            start, end = date.fromisoformat(q["from_issue_date"]), date.fromisoformat(q["to_issue_date"])
            page, size = int(q.get("page", "0")), min(int(q.get("size", "10")), 500)
        except (KeyError, ValueError):
            return JSONResponse({"errors": [{"message": "bad parameters"}]}, status_code=400)
        if (end - start).days + 1 > rules.MAX_WINDOW_DAYS:
            return JSONResponse({"errors": [{"message": "date span too long"}]}, status_code=400)
        if (q["from_issue_date"], page) in pending_failures:
            pending_failures.discard((q["from_issue_date"], page))
            return JSONResponse({"errors": [{"message": "temporarily unavailable"}]}, status_code=503)
        matching = [d for d in items if d.get("organizationId") == q.get("org")
                    and start <= rules.record(d).issue_date <= end]
        chunk = matching[page * size:(page + 1) * size]
        return JSONResponse({"info": {"query": str(q), "page": page, "size": size, "actualSize": len(chunk),
                                      "total": len(matching), "order": "issueDate asc"},
                             "decisions": chunk})

    application = Starlette(routes=[Route("/search", search), Route("/search.json", search)])
    application.state.seen = seen
    return application
