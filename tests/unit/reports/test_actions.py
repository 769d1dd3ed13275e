"""Report services on SQLite and PostgreSQL: data, audit rows and events."""

import io
import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlmodel import select

from syros_app.core import events
from syros_app.core.actors import Role
from syros_app.core.audit import AuditEntry
from syros_app.core.errors import AgoraError, InvalidInput, NotFound, PermissionDenied
from syros_app.reports import actions, queries, rules
from syros_app.reports.models import Open311Key, ReportPhoto, ReportSupport
from syros_app.reports.permissions import MATRIX
from syros_app.reports.photos import photo_bytes, process_photo, stash_photo
from tests.support import personas

ATHENS = ZoneInfo("Europe/Athens")
SQUARE = (37.4448, 24.9427)


def athens(*args) -> datetime:
    return datetime(*args, tzinfo=ATHENS).astimezone(timezone.utc)


@pytest.fixture
def people(session):
    return {
        "eleni": personas.resident(session, "eleni"),
        "nikos": personas.resident(session, "nikos"),
        "staff": personas.moderator(session),
        "admin": personas.administrator(session),
    }


@pytest.fixture
def published(monkeypatch):
    seen = []
    monkeypatch.setattr(events, "publish", lambda session, name, payload, now=None: seen.append((name, payload)))
    return seen


def report(session, actor, *, category="lighting", now=None, point=SQUARE, **kwargs):
    lat, lon = point if point else (None, None)
    r = actions.create_report(session, actor=actor, category=category, description="Σβηστή λάμπα στην πλατεία Μιαούλη",
                              lat=lat, lon=lon, now=now, **kwargs)
    session.commit()
    return r


def audit_actions(session):
    return [(e.action, e.target, json.loads(e.details)) for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))]


def test_resident_reports_with_point_and_unit_is_derived(session, people):
    r = report(session, people["eleni"], show_name=True, now=athens(2026, 11, 23, 9))
    assert (r.status, r.municipal_unit, r.reporter_id, r.created_month) == ("submitted", "Ερμούπολη", people["eleni"].person_id, "2026-11")
    # lighting: acknowledge in 2 working days, resolve in 10
    assert (r.ack_target_days, r.resolve_target_days) == (2, 10)
    assert r.ack_due_at == athens(2026, 11, 25, 9)
    assert r.resolve_due_at == athens(2026, 12, 7, 9)
    assert queries.report_detail(session, r.id).reporter == "Eleni"


def test_location_rules(session, people):
    with pytest.raises(PermissionDenied):
        actions.create_report(session, actor=None, category="roads", description="Λακκούβα στην οδό Ερμού", address="Ερμού 5",
                              municipal_unit="Ερμούπολη")
    with pytest.raises(InvalidInput, match="location_required"):
        actions.create_report(session, actor=people["eleni"], category="roads", description="Λακκούβα στην οδό Ερμού")
    with pytest.raises(InvalidInput, match="point_outside"):
        actions.create_report(session, actor=people["eleni"], category="roads", description="Λακκούβα στην οδό Ερμού",
                              lat=37.9, lon=23.7)
    with pytest.raises(InvalidInput, match="unit_required"):
        actions.create_report(session, actor=people["eleni"], category="roads", description="Λακκούβα στην οδό Ερμού",
                              address="Ερμού 5")
    with pytest.raises(InvalidInput, match="category"):
        actions.create_report(session, actor=people["eleni"], category="ufo", description="Λακκούβα στην οδό Ερμού",
                              address="Ερμού 5", municipal_unit="Ερμούπολη")
    r = actions.create_report(session, actor=people["eleni"], category="roads", description="Λακκούβα στην είσοδο του χωριού",
                              address="Είσοδος Βάρης", municipal_unit="Ποσειδωνία")
    assert (r.lat, r.municipal_unit, r.show_name) == (None, "Ποσειδωνία", False)
    assert queries.report_detail(session, r.id).reporter is None


def test_status_machine_through_the_service(session, people, published):
    r = report(session, people["eleni"], now=athens(2026, 11, 23, 9))
    with pytest.raises(PermissionDenied):
        actions.change_status(session, actor=people["nikos"], report_id=r.id, status="acknowledged", note="ok")
    with pytest.raises(InvalidInput, match="illegal_transition"):
        actions.change_status(session, actor=people["staff"], report_id=r.id, status="merged", note="x")
    with pytest.raises(InvalidInput, match="note_required"):
        actions.change_status(session, actor=people["staff"], report_id=r.id, status="acknowledged", note="")
    actions.change_status(session, actor=people["staff"], report_id=r.id, status="acknowledged",
                          note="Το συνεργείο ενημερώθηκε", now=athens(2026, 11, 23, 21))
    actions.change_status(session, actor=people["staff"], report_id=r.id, status="resolved",
                          note="Η λάμπα αντικαταστάθηκε", now=athens(2026, 11, 25, 9))
    session.commit()
    with pytest.raises(InvalidInput, match="illegal_transition"):
        actions.change_status(session, actor=people["staff"], report_id=r.id, status="acknowledged", note="x")
    session.refresh(r)
    assert r.status == "resolved"
    assert r.ack_work_days == pytest.approx(0.5)
    assert r.resolve_work_days == pytest.approx(2.0)
    updates = queries.report_detail(session, r.id).updates
    assert [(u.status_from, u.status_to, u.note) for u in updates] == [
        (None, "submitted", ""), ("submitted", "acknowledged", "Το συνεργείο ενημερώθηκε"),
        ("acknowledged", "resolved", "Η λάμπα αντικαταστάθηκε")]
    assert [a[:2] for a in audit_actions(session)] == [("reports.change_status", f"report:{r.id}")] * 2
    assert audit_actions(session)[1][2]["to"] == "resolved"
    assert [(n, p["status"], p["person_id"], p["url"]) for n, p in published] == [
        ("report.status_changed", "acknowledged", people["eleni"].person_id, f"/reports/{r.id}"),
        ("report.status_changed", "resolved", people["eleni"].person_id, f"/reports/{r.id}")]


def test_forwarding_is_public_and_named(session, people):
    r = report(session, people["eleni"], category="water")
    with pytest.raises(InvalidInput, match="forward_body_required"):
        actions.change_status(session, actor=people["staff"], report_id=r.id, status="forwarded", note="Αρμοδιότητα")
    actions.change_status(session, actor=people["staff"], report_id=r.id, status="forwarded",
                          note="Αρμοδιότητα της ΔΕΥΑ", forwarded_to="ΔΕΥΑ Σύρου")
    session.commit()
    assert (r.status, r.forwarded_to) == ("forwarded", "ΔΕΥΑ Σύρου")
    assert queries.report_detail(session, r.id).updates[-1].forwarded_to == "ΔΕΥΑ Σύρου"


def test_rating_and_not_fixed_reopens(session, people):
    r = report(session, people["eleni"])
    with pytest.raises(AgoraError, match="rate_not_resolved"):
        actions.rate_report(session, actor=people["eleni"], report_id=r.id, fixed=True, score=5)
    actions.change_status(session, actor=people["staff"], report_id=r.id, status="resolved", note="Έγινε")
    session.commit()
    with pytest.raises(AgoraError, match="rate_not_yours"):
        actions.rate_report(session, actor=people["nikos"], report_id=r.id, fixed=True, score=5)
    with pytest.raises(InvalidInput, match="score"):
        actions.rate_report(session, actor=people["eleni"], report_id=r.id, fixed=True, score=6)
    actions.rate_report(session, actor=people["eleni"], report_id=r.id, fixed=False, score=2, comment="Ακόμα σβηστή")
    session.commit()
    session.refresh(r)
    assert (r.status, r.rating_fixed, r.rating_score, r.resolved_at) == ("in_progress", False, 2, None)
    assert queries.report_detail(session, r.id).updates[-1].note == "Ακόμα σβηστή"
    # resolved again: a fresh rating is asked for
    actions.change_status(session, actor=people["staff"], report_id=r.id, status="resolved", note="Νέα λάμπα")
    session.commit()
    assert r.rated_at is None
    actions.rate_report(session, actor=people["eleni"], report_id=r.id, fixed=True, score=4)
    session.commit()
    assert (r.status, r.rating_fixed, r.rating_score) == ("resolved", True, 4)
    with pytest.raises(AgoraError, match="rate_not_resolved"):
        actions.rate_report(session, actor=people["eleni"], report_id=r.id, fixed=True, score=5)


def test_me_too_and_nearby(session, people):
    r = report(session, people["eleni"])
    near = queries.nearby_open(session, category="lighting", lat=37.4450, lon=24.9429)
    assert [x.id for x, _ in near] == [r.id]
    assert queries.nearby_open(session, category="roads", lat=37.4450, lon=24.9429) == []
    assert queries.nearby_open(session, category="lighting", lat=37.4400, lon=24.9429) == []  # ~540 m away
    with pytest.raises(AgoraError, match="support_own"):
        actions.add_support(session, actor=people["eleni"], report_id=r.id)
    actions.add_support(session, actor=people["nikos"], report_id=r.id)
    session.commit()
    with pytest.raises(AgoraError, match="support_twice"):
        actions.add_support(session, actor=people["nikos"], report_id=r.id)
    assert r.supporters == 1


def test_merging_duplicates_keeps_every_supporter(session, people, published):
    original = report(session, people["eleni"])
    duplicate = report(session, people["nikos"])
    maria = personas.resident(session, "maria")
    actions.add_support(session, actor=maria, report_id=duplicate.id)
    actions.add_support(session, actor=maria, report_id=original.id)
    session.commit()
    with pytest.raises(PermissionDenied):
        actions.merge_reports(session, actor=people["nikos"], duplicate_id=duplicate.id, into_id=original.id)
    with pytest.raises(InvalidInput, match="merge_self"):
        actions.merge_reports(session, actor=people["staff"], duplicate_id=original.id, into_id=original.id)
    actions.merge_reports(session, actor=people["staff"], duplicate_id=duplicate.id, into_id=original.id,
                          note="Ίδιο πρόβλημα με την αναφορά " + str(original.id))
    session.commit()
    session.refresh(duplicate)
    session.refresh(original)
    assert (duplicate.status, duplicate.merged_into_id) == ("merged", original.id)
    supporters = {s.person_id for s in session.exec(select(ReportSupport).where(ReportSupport.report_id == original.id))}
    assert supporters == {people["nikos"].person_id, maria.person_id}
    assert original.supporters == 2
    assert audit_actions(session)[-1][:2] == ("reports.merge", f"report:{duplicate.id}")
    assert audit_actions(session)[-1][2]["supporters_added"] == 1
    assert published[-1][1]["person_id"] == people["nikos"].person_id
    with pytest.raises(InvalidInput, match="merge_closed"):
        actions.merge_reports(session, actor=people["staff"], duplicate_id=duplicate.id, into_id=original.id)
    # merged duplicates are counted once, in the report they joined
    assert len(queries.report_facts(session)) == 1


def test_department_targets_and_keys(session, people):
    r = report(session, people["eleni"])
    with pytest.raises(InvalidInput):
        actions.assign_department(session, actor=people["staff"], report_id=r.id, department="nasa")
    actions.assign_department(session, actor=people["staff"], report_id=r.id, department="lighting")
    with pytest.raises(PermissionDenied):
        actions.set_target(session, actor=people["staff"], category="lighting", ack_days=1, resolve_days=5)
    with pytest.raises(InvalidInput):
        actions.set_target(session, actor=people["admin"], category="lighting", ack_days=6, resolve_days=5)
    actions.set_target(session, actor=people["admin"], category="lighting", ack_days=1, resolve_days=5)
    session.commit()
    assert queries.targets(session)["lighting"] == (1, 5)
    assert report(session, people["eleni"]).resolve_target_days == 5
    for who in ("eleni", "staff"):  # Open311 keys are the administrators'
        with pytest.raises(PermissionDenied):
            actions.issue_api_key(session, actor=people[who], name="FixMyStreet")
    row, plain = actions.issue_api_key(session, actor=people["admin"], name="Εφαρμογή Περιφέρειας")
    session.commit()
    stored = session.exec(select(Open311Key)).one()
    assert plain not in (stored.key_hash, stored.prefix + "x") and stored.key_hash == queries.hash_key(plain)
    assert queries.key_for(session, plain).id == row.id
    with pytest.raises(PermissionDenied):
        actions.revoke_api_key(session, actor=people["staff"], key_id=row.id)
    actions.revoke_api_key(session, actor=people["admin"], key_id=row.id)
    session.commit()
    assert queries.key_for(session, plain) is None
    assert [a[0] for a in audit_actions(session)] == ["reports.assign", "reports.set_target", "reports.issue_api_key",
                                                      "reports.revoke_api_key"]


def _jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (3000, 2000), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:11:27 10:00:00"  # DateTime
    gps = {1: "N", 2: (37.0, 26.0, 41.28), 3: "E", 4: (24.0, 56.0, 33.72)}
    exif[0x8825] = gps
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif.tobytes())
    data = out.getvalue()
    with Image.open(io.BytesIO(data)) as check:  # the test photo really carries GPS
        assert check.getexif().get_ifd(0x8825)[2] == (37.0, 26.0, 41.28)
    return data


def test_photo_exif_and_gps_are_stripped_and_resized(session, people):
    photo = process_photo(_jpeg_with_gps())
    r = report(session, people["eleni"], photos=[stash_photo(photo)])
    stored = session.exec(select(ReportPhoto).where(ReportPhoto.report_id == r.id)).one()
    data = photo_bytes(session, stored.filename)
    assert b"Exif" not in data and b"PhoneMaker" not in data
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "JPEG" and max(img.size) == 1600 and (stored.width, stored.height) == img.size
        exif = img.getexif()
        assert len(exif) == 0 and not exif.get_ifd(0x8825)
        assert "exif" not in img.info and "icc_profile" not in img.info


def test_photo_type_is_checked_by_its_bytes():
    with pytest.raises(InvalidInput, match="photo_type"):
        process_photo(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>")
    with pytest.raises(InvalidInput, match="photo_type"):
        process_photo(b"GIF89a" + b"\x00" * 100)
    with pytest.raises(InvalidInput, match="photo_unreadable"):
        process_photo(b"\xff\xd8\xff" + b"\x00" * 100)
    with pytest.raises(InvalidInput, match="photo_too_large"):
        process_photo(b"\xff\xd8\xff" + b"\x00" * (11 * 1024 * 1024))
    png = io.BytesIO()
    Image.new("RGBA", (10, 10)).save(png, format="PNG")
    assert process_photo(png.getvalue()).width == 10


def test_service_level_figures_by_hand_through_the_services(session, people):
    """Lighting targets 2/10 working days; November 2026 in Ermoupoli."""
    staff = people["staff"]
    # A: Mon 23 Nov 09:00, acknowledged Mon 21:00 (0.5), resolved Wed 25 Nov 09:00 (2.0), rated fixed 5
    a = report(session, people["eleni"], now=athens(2026, 11, 23, 9))
    actions.change_status(session, actor=staff, report_id=a.id, status="acknowledged", note="ok", now=athens(2026, 11, 23, 21))
    actions.change_status(session, actor=staff, report_id=a.id, status="resolved", note="ok", now=athens(2026, 11, 25, 9))
    actions.rate_report(session, actor=people["eleni"], report_id=a.id, fixed=True, score=5, now=athens(2026, 11, 26, 9))
    # B: Fri 20 Nov 15:00, acknowledged Mon 23 Nov 09:00 (0.375 + 0.375 = 0.75),
    #    resolved Mon 7 Dec 15:00: 0.375 + 10 full days (23 Nov–4 Dec) + 0.625 = 11.0 > 10 → late
    b = report(session, people["nikos"], now=athens(2026, 11, 20, 15))
    actions.change_status(session, actor=staff, report_id=b.id, status="in_progress", note="ok", now=athens(2026, 11, 23, 9))
    actions.change_status(session, actor=staff, report_id=b.id, status="resolved", note="ok", now=athens(2026, 12, 7, 15))
    actions.rate_report(session, actor=people["nikos"], report_id=b.id, fixed=False, score=1, now=athens(2026, 12, 8, 9))
    # C: Tue 3 Nov 12:00, never answered → by 27 Nov both targets passed → overdue
    report(session, people["eleni"], now=athens(2026, 11, 3, 12))
    # D: in Ποσειδωνία, a different group
    report(session, people["eleni"], now=athens(2026, 11, 26, 12), point=(37.3880, 24.8830))
    session.commit()

    rows = {(r.category, r.unit, r.month): r for r in queries.figures(session, months=2, now=athens(2026, 12, 9, 12))}
    herm = rows[("lighting", "Ερμούπολη", "2026-11")]
    assert herm.received == 3
    assert herm.median_ack_days == pytest.approx(0.625)  # of 0.5 and 0.75
    # B was reopened by "not fixed", so only A counts as resolved
    assert (herm.resolved, herm.median_resolve_days, herm.resolved_within_target) == (1, 2.0, 1)
    assert herm.overdue == 2  # C, and B (in progress again, past its 10-day target)
    assert (herm.rated, herm.fixed_rate, herm.average_satisfaction) == (2, 0.5, 3.0)
    pos = rows[("lighting", "Ποσειδωνία", "2026-11")]
    assert (pos.received, pos.overdue, pos.median_ack_days) == (1, 1, None)  # 26 Nov + 2 wd = 30 Nov < 9 Dec

    # B resolved again within the next day: 11.0 + 0.x > 10 → resolved, but not within target
    actions.change_status(session, actor=staff, report_id=b.id, status="resolved", note="ok", now=athens(2026, 12, 9, 9))
    session.commit()
    herm = {(r.category, r.unit, r.month): r for r in queries.figures(session, months=2, now=athens(2026, 12, 9, 12))}[
        ("lighting", "Ερμούπολη", "2026-11")]
    assert (herm.resolved, herm.resolved_within_target, herm.share_within_target) == (2, 1, 0.5)
    # B: Fri 0.375 + 10 (two full weeks) + Mon 7 + Tue 8 Dec + Wed 9 Dec 09:00 (0.375) = 12.75
    assert herm.median_resolve_days == pytest.approx((2.0 + 12.75) / 2)
    assert herm.overdue == 1
    # the database's aggregation and the pure per-report computation agree exactly
    first, last = queries.month_range(2, athens(2026, 12, 9, 12))
    now = athens(2026, 12, 9, 12)
    groupings = [(), ("category",), ("unit",), ("month",), ("category", "unit", "month")]
    from_sql = rules.figures_from_groups(queries.figure_groups(session, from_month=first, to_month=last, now=now),
                                         groupings)
    from_facts = rules.compute_figures_many(queries.report_facts(session, from_month=first, to_month=last, now=now),
                                            groupings)
    assert from_sql == from_facts and from_sql[()][0].received == 4
    # a month outside the window is left out
    assert queries.figures(session, months=1, now=athens(2026, 12, 9, 12)) == []


def test_staff_queue_overdue_flags_and_summary(session, people):
    old = report(session, people["eleni"], now=athens(2026, 11, 2, 10))  # lighting: ack by 4 Nov, resolve by 16 Nov
    fresh = report(session, people["eleni"], category="water", now=athens(2026, 11, 26, 10),
                   point=(37.3880, 24.8830))
    now = athens(2026, 11, 27, 9)  # the water report must be acknowledged by 27 Nov 10:00: not yet late
    assert [r.id for r in queries.staff_queue(session, now=now)] == [old.id, fresh.id]  # earliest due first
    assert [r.id for r in queries.staff_queue(session, now=now, overdue_only=True)] == [old.id]
    assert [r.id for r in queries.staff_queue(session, now=now, unit="Ποσειδωνία")] == [fresh.id]
    assert queries.queue_summary(session, now=now) == {("lighting", "Ερμούπολη"): (1, 1), ("water", "Ποσειδωνία"): (1, 0)}
    later = athens(2026, 11, 27, 11)
    assert {r.id for r in queries.staff_queue(session, now=later, overdue_only=True)} == {old.id, fresh.id}
    actions.change_status(session, actor=people["staff"], report_id=old.id, status="resolved", note="Έγινε")
    session.commit()
    assert [r.id for r in queries.staff_queue(session, now=later, overdue_only=True)] == [fresh.id]


def test_public_list_filters_and_mine(session, people):
    a = report(session, people["eleni"])
    b = report(session, people["nikos"], category="roads")
    actions.change_status(session, actor=people["staff"], report_id=b.id, status="rejected", note="Ιδιωτικός δρόμος")
    session.commit()
    assert [r.id for r in queries.list_reports(session, state="open")[0]] == [a.id]
    assert [r.id for r in queries.list_reports(session, state="closed")[0]] == [b.id]
    assert queries.list_reports(session, state="all")[1] == 2
    assert [r.id for r in queries.list_reports(session, state="all", reporter_id=people["nikos"].person_id)[0]] == [b.id]
    assert [r.id for r in queries.list_reports(session, state="all", category="roads")[0]] == [b.id]


# --- the one shape of every write: the matrix first, then typed input ---------------------------

def _writes(session, people) -> dict[str, tuple]:
    """Every action of the capability with valid input (for someone allowed)."""
    r = report(session, people["eleni"])
    other = report(session, people["nikos"])
    key, _ = actions.issue_api_key(session, actor=people["admin"], name="Δοκιμή")
    return {
        "create_report": (actions.create_report, dict(category="roads", description="Λακκούβα στην οδό Ερμού",
                                                      address="Ερμού 5", municipal_unit="Ερμούπολη")),
        "add_support": (actions.add_support, dict(report_id=r.id)),
        "rate_report": (actions.rate_report, dict(report_id=r.id, fixed=True, score=5)),
        "change_status": (actions.change_status, dict(report_id=r.id, status="acknowledged", note="ok")),
        "assign_department": (actions.assign_department, dict(report_id=r.id, department="lighting")),
        "merge_reports": (actions.merge_reports, dict(duplicate_id=r.id, into_id=other.id)),
        "add_internal_note": (actions.add_internal_note, dict(report_id=r.id, body="Για το συνεργείο")),
        "assign_officer": (actions.assign_officer, dict(report_id=r.id, officer_id=None)),
        "set_target": (actions.set_target, dict(category="lighting", ack_days=1, resolve_days=4)),
        "issue_api_key": (actions.issue_api_key, dict(name="Πύλη Περιφέρειας")),
        "revoke_api_key": (actions.revoke_api_key, dict(key_id=key.id)),
        "create_open311_request": (actions.create_open311_request, dict(
            api_key="nope", service_code="roads", description="Λακκούβα στην οδό Ερμού", address="Ερμού 5")),
    }


def test_every_action_refuses_whom_the_matrix_refuses(session, people):
    writes = _writes(session, people)
    declared = {f.action_info.permission for f in vars(actions).values() if hasattr(f, "action_info")}
    assert declared == set(writes), "an action without a refusal check here"
    acting = ((Role.VISITOR, None), (Role.RESIDENT, people["nikos"]), (Role.MODERATOR, people["staff"]))
    refused = set()
    for name, (fn, inputs) in writes.items():
        for role, actor in acting:
            if MATRIX.allows(actor, name):
                continue
            with pytest.raises(PermissionDenied) as refusal:
                fn(session, actor=actor, **inputs)
            expected = MATRIX.login_key if actor is None else MATRIX.refusal_keys.get(name, MATRIX.refusal_key)
            assert refusal.value.key == expected, (name, role)
            refused.add((name, role))
    staff = {"change_status", "assign_department", "merge_reports", "add_internal_note", "assign_officer"}
    admin = {"set_target", "issue_api_key",
             "revoke_api_key"}
    assert refused == ({(n, Role.VISITOR) for n in writes if n != "create_open311_request"}
                       | {(n, Role.RESIDENT) for n in staff | admin} | {(n, Role.MODERATOR) for n in admin})
    assert [a[0] for a in audit_actions(session)] == ["reports.issue_api_key"]  # only the setup's own


def test_typed_input_refuses_before_the_body(session, people):
    writes = _writes(session, people)
    allowed = {"create_report": people["eleni"], "add_support": people["nikos"], "rate_report": people["eleni"],
               "set_target": people["admin"], "issue_api_key": people["admin"], "revoke_api_key": people["admin"],
               "create_open311_request": None}
    for name, (fn, inputs) in writes.items():
        actor = allowed.get(name, people["staff"])
        for field, value in inputs.items():
            if isinstance(value, str):  # text must be text: a dict is refused, naming the field
                with pytest.raises(InvalidInput) as refusal:
                    fn(session, actor=actor, **{**inputs, field: {"$gt": ""}})
                assert (refusal.value.key, refusal.value.params) == ("errors.invalid_input", {"field": field})
            if field.endswith("_id"):  # an id beyond 64 bits, or not a number, names no row
                for bad in (2**70, "abc", -(2**70)):
                    with pytest.raises(NotFound):
                        fn(session, actor=actor, **{**inputs, field: bad})
        with pytest.raises(InvalidInput):
            fn(session, actor=actor, **inputs, surprise="1")  # unknown keywords are refused too
    with pytest.raises(InvalidInput):
        actions.set_target(session, actor=people["admin"], category="lighting", ack_days=[1], resolve_days=4)
    actions.set_target(session, actor=people["admin"], category="lighting", ack_days="2", resolve_days="6")  # lax
    assert queries.target_for(session, "lighting") == (2, 6)


def test_an_open311_request_needs_a_live_key(session, people):
    _, plain = actions.issue_api_key(session, actor=people["admin"], name="Συνεργάτης")
    inputs = dict(service_code="roads", description="Λακκούβα στην οδό Ερμού", address="Ερμού 5")
    with pytest.raises(PermissionDenied):
        actions.create_open311_request(session, actor=None, api_key="syr_wrong", **inputs)
    created = actions.create_open311_request(session, actor=None, api_key=plain, **inputs)
    assert created.source == "open311:" + plain[:8] and created.reporter_id is None


def test_a_stashed_photo_is_claimed_once_and_served_by_every_instance_from_the_database(session, people):
    from syros_app.core.stored_files import StoredFile

    name = stash_photo(process_photo(_jpeg_with_gps()))
    assert photo_bytes(session, name) is None  # pending: not served yet
    report(session, people["eleni"], photos=[name])
    assert photo_bytes(session, name).startswith(b"\xff\xd8")
    with pytest.raises(InvalidInput):  # the same upload cannot be attached to a second report
        report(session, people["eleni"], photos=[name])
    with pytest.raises(InvalidInput):
        report(session, people["eleni"], photos=["../../secret_key"])
    assert session.exec(select(StoredFile.kind).where(StoredFile.name == name)).one() == "report_photo"
