"""Demo projects: the renewal of Ermoupoli's centre (three parts at 60/60/80 % with
equal weights: 66,7 %), the participatory budget's works, and one stale project,
with milestones, updates and links to the demo consultation, vote and decisions.
Idempotent: looked up by title."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from syros_app.consultations.demo import TRAFFIC
from syros_app.consultations.models import Consultation
from syros_app.core.timefmt import utcnow
from syros_app.demo.seed import demo_loader
from syros_app.voting.demo import BUDGET_TITLE, DEMO_STAFF
from syros_app.voting.models import Vote

from . import actions, rules
from .models import Project

ROOT = "Ανάπλαση του ιστορικού κέντρου της Ερμούπολης"
STALE = "Αποκατάσταση των κτιρίων του Νεωρίου"


def _id(session: Session, model, title: str) -> str | None:
    found = session.exec(select(model.id).where(model.title == title)).first()
    return str(found) if found is not None else None


@demo_loader("projects")
def load(session: Session) -> int:
    if session.exec(select(Project.id).where(Project.title == ROOT)).first() is not None:
        return 0
    from syros_app.opengov.decisions import demo as decisions_demo

    decisions_demo.load(session)  # the decisions the projects link to (idempotent)
    now = utcnow()
    today = now.date()
    added = 0

    def project(title: str, department: str, *, parent=None, status=rules.IN_PROGRESS, progress=0, weight=1,
                budget=None, spent=None, start_days=-200, end_days=200, summary="", when=None):
        nonlocal added
        added += 1
        return actions.create_project(
            session, actor=DEMO_STAFF, title=title, department=department, parent_id=parent, status=status,
            progress=progress, weight=weight, budget=budget, spent=spent, summary=summary,
            starts_on=today + timedelta(days=start_days), ends_on=today + timedelta(days=end_days),
            now=when or now - timedelta(days=220))

    def update(p, body: str, days_ago: int) -> None:
        actions.post_update(session, actor=DEMO_STAFF, project_id=p.id, body=body, now=now - timedelta(days=days_ago))

    def milestone(p, title: str, due: int, done: int | None = None) -> None:
        m = actions.add_milestone(session, actor=DEMO_STAFF, project_id=p.id, title=title,
                                  due_on=today + timedelta(days=due), now=now - timedelta(days=210))
        if done is not None:
            actions.complete_milestone(session, actor=DEMO_STAFF, milestone_id=m.id,
                                       done_on=today + timedelta(days=done), now=now - timedelta(days=max(-done, 0)))

    def link(p, kind: str, target: str | None) -> None:
        if target:
            actions.add_link(session, actor=DEMO_STAFF, project_id=p.id, kind=kind, target=target, now=now)

    root = project(ROOT, "technical", budget=1_850_000, spent=920_500, end_days=320,
                   summary="Το πρόγραμμα που προέκυψε από τη διαβούλευση για το κέντρο της πόλης: "
                           "πλατεία, φωτισμός και κυκλοφορία.")
    square = project("Ανάπλαση της πλατείας Μιαούλη", "technical", parent=root.id, progress=60, budget=900_000,
                     spent=540_000)
    lights = project("Νέος οδοφωτισμός LED στο κέντρο", "lighting", parent=root.id, progress=60, budget=350_000,
                     spent=180_500)
    traffic = project("Εφαρμογή του κυκλοφοριακού σχεδίου", "technical", parent=root.id, progress=80,
                      budget=600_000, spent=200_000)
    budget = project("Έργα του συμμετοχικού προϋπολογισμού 2026", "technical", progress=35, budget=400_000,
                     spent=120_000, end_days=150)
    stale = project(STALE, "technical", status=rules.IN_PROGRESS, progress=20, budget=2_400_000, spent=310_000,
                    start_days=-400, end_days=-20)
    update(root, "Ολοκληρώθηκε η μελέτη εφαρμογής· ξεκινούν οι εργασίες στην πλατεία.", 30)
    update(square, "Αντικαταστάθηκαν οι μαρμάρινες πλάκες στη βόρεια πλευρά της πλατείας.", 12)
    update(lights, "Τοποθετήθηκαν 140 από τα 230 νέα φωτιστικά LED.", 8)
    update(traffic, "Η νέα σήμανση μπήκε στις οδούς Ερμού και Πρωίου.", 5)
    update(budget, "Υπογράφηκαν οι συμβάσεις για τα δύο πρώτα έργα που ψήφισαν οι πολίτες.", 20)
    update(stale, "Η μελέτη στατικής επάρκειας στάλθηκε στο Υπουργείο Πολιτισμού.", 130)
    milestone(square, "Μελέτη εφαρμογής", -120, -125)
    milestone(square, "Βόρεια πλευρά πλατείας", -10, -4)
    milestone(square, "Νότια πλευρά πλατείας", 90)
    milestone(lights, "Προμήθεια φωτιστικών", -60, -62)
    milestone(traffic, "Νέα σήμανση", -15, -16)
    milestone(stale, "Έγκριση μελέτης", -60)
    link(root, "consultation", _id(session, Consultation, TRAFFIC))
    link(traffic, "consultation", _id(session, Consultation, TRAFFIC))
    link(traffic, "decision", "ΩΘ73ΩΗΚ-Γ3Δ")
    link(square, "decision", "Ψ4Κ1ΩΗΚ-Α1Β")
    link(lights, "decision", "6ΡΣ2ΩΗΚ-Β2Γ")
    link(budget, "vote", _id(session, Vote, BUDGET_TITLE))
    link(stale, "decision", "9Λ84ΩΗΚ-Δ4Ε")
    return added
