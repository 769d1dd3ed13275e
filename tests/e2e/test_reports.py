"""Service reports at phone size: report with the phone's position and a photo, staff
acknowledge and resolve, the resident rates it, and the public figures change."""

import io
import json
import math
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from syros_app.identity.roles import Role

from .conftest import assert_accessible, login_as, set_language, wait_ready

pytestmark = pytest.mark.e2e

POSITION = {"latitude": 37.44490, "longitude": 24.94300}  # Miaouli Square, Ermoupoli


def _photo_with_gps(path):
    img = Image.new("RGB", (2400, 1800), (30, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (37.0, 26.0, 41.0), 3: "E", 4: (24.0, 56.0, 34.0)}
    img.save(path, format="JPEG", exif=exif.tobytes())
    return path


def _animals_figures(page, app_server):
    data = json.loads(page.request.get(app_server.url("/api/v1/service-levels?by=category")).text())
    return next((r for r in data["rows"] if r["category"] == "animals"),
                {"received": 0, "resolved": 0, "rated": 0, "average_satisfaction": None, "fixed_rate": None})


def test_report_follow_rate_and_measure(app_server, browser, tmp_path):
    from .conftest import PHONE

    resident_ctx = browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True,
                                       geolocation=POSITION, permissions=["geolocation"])
    staff_ctx = browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)
    try:
        page = resident_ctx.new_page()
        before = _animals_figures(page, app_server)
        # a person of her own: other tests log "eleni" in first, under another name
        login_as(app_server, resident_ctx, "papadaki", display_name="Ελένη Παπαδάκη")

        # --- report with the phone's position and a photo -----------------------------------
        page.goto(app_server.url("/reports/new"))
        wait_ready(page)
        expect(page.get_by_role("heading", name="Αναφορά προβλήματος")).to_be_visible()
        page.get_by_label("Τι είδους πρόβλημα είναι;").select_option("animals")
        # a point tapped on the (tile-less, offline) Leaflet map fills the coordinates …
        page.locator(".syros-map .leaflet-container").click(position={"x": 180, "y": 120})
        expect(page.get_by_label("Γεωγραφικό πλάτος")).not_to_have_value("")
        expect(page.get_by_text("Το σημείο από τον χάρτη συμπληρώθηκε.")).to_be_visible()
        # … and the phone's position (mocked geolocation, permission granted) replaces it
        page.get_by_role("button", name="Χρήση της θέσης μου").click()
        expect(page.get_by_label("Γεωγραφικό πλάτος")).to_have_value("37.444900")
        expect(page.get_by_label("Γεωγραφικό μήκος")).to_have_value("24.943000")
        expect(page.locator("#unit")).to_have_value("Ερμούπολη")
        page.get_by_label("Περιγραφή").fill("Τραυματισμένος αδέσποτος σκύλος στην πλατεία Μιαούλη, κοντά στο δημαρχείο.")
        page.locator(".upload-zone input[type=file]").set_input_files(str(_photo_with_gps(tmp_path / "dog.jpg")))
        expect(page.locator(".photo-item")).to_have_count(1)
        page.get_by_label("Να φαίνεται δημόσια το όνομά μου στην αναφορά").check()
        assert_accessible(page, "report form (el)")
        page.get_by_role("button", name="Υποβολή αναφοράς").click()
        page.wait_for_url(re.compile(r"/reports/\d+\?new=1"))
        wait_ready(page)
        report_id = int(re.search(r"/reports/(\d+)", page.url).group(1))
        expect(page.locator("h1")).to_have_text(f"Αδέσποτα ζώα #{report_id}")
        expect(page.get_by_text("Η αναφορά σας καταχωρίστηκε", exact=False)).to_be_visible()
        expect(page.locator(".status-badge").first).to_have_text("Υποβλήθηκε")
        expect(page.locator("#main").get_by_text("Ελένη Παπαδάκη")).to_be_visible()
        # the stored photo is resized and carries no EXIF/GPS
        src = page.locator("img.report-photo").get_attribute("src")
        photo = page.request.get(app_server.url(src)).body()
        assert photo[:3] == b"\xff\xd8\xff" and b"Exif" not in photo and b"PhoneMaker" not in photo
        with Image.open(io.BytesIO(photo)) as img:
            assert max(img.size) == 1600 and len(img.getexif()) == 0
        assert_accessible(page, "report page (el)")

        # --- a neighbour about to report the same thing is offered "me too" -------------------
        neighbour_ctx = browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True,
                                            geolocation={"latitude": 37.44500, "longitude": 24.94310},
                                            permissions=["geolocation"])
        try:
            login_as(app_server, neighbour_ctx, "nikos")
            neighbour = neighbour_ctx.new_page()
            neighbour.goto(app_server.url("/reports/new"))
            wait_ready(neighbour)
            neighbour.get_by_label("Τι είδους πρόβλημα είναι;").select_option("animals")
            neighbour.get_by_role("button", name="Χρήση της θέσης μου").click()
            nearby = neighbour.locator(".nearby")
            expect(nearby.get_by_role("heading", name="Μήπως είναι κάποια από αυτές;")).to_be_visible()
            offered = nearby.locator("li", has=neighbour.get_by_role("link", name=f"#{report_id}"))
            expect(offered).to_contain_text("Τραυματισμένος αδέσποτος σκύλος")
            assert_accessible(neighbour, "report form with nearby reports")
            offered.get_by_role("button", name="Κι εμένα με αφορά").click()
            neighbour.wait_for_url(re.compile(rf"/reports/{report_id}$"))
            wait_ready(neighbour)
            expect(neighbour.get_by_text("Έχετε δηλώσει ότι σας αφορά.")).to_be_visible()
        finally:
            neighbour_ctx.close()

        # --- staff acknowledge and resolve ---------------------------------------------------
        login_as(app_server, staff_ctx, "moderator", roles=(Role.MODERATOR,), display_name="Υπάλληλος Δήμου")
        staff = staff_ctx.new_page()
        staff.goto(app_server.url("/staff/reports"))
        wait_ready(staff)
        staff.locator("#q-category").select_option("animals")
        row = staff.locator("tr", has=staff.get_by_role("link", name=f"#{report_id}", exact=True))
        expect(row).to_have_count(1)
        assert_accessible(staff, "staff desk (el)")
        row.get_by_role("button").click()
        expect(staff.locator("#selected-heading")).to_contain_text(f"#{report_id}")
        for status, note in (("acknowledged", "Ενημερώθηκε ο κτηνίατρος του προγράμματος αδέσποτων."),
                             ("resolved", "Ο σκύλος μεταφέρθηκε στο κτηνιατρείο και φροντίζεται.")):
            staff.get_by_label("Νέα κατάσταση").select_option(status)
            staff.locator("#st-note").fill(note)
            staff.get_by_role("button", name="Αποθήκευση κατάστασης").click()
            expect(staff.get_by_text("Η κατάσταση άλλαξε", exact=False)).to_be_visible()
            expect(staff.locator("#selected-heading").locator("..").locator(".status-badge").first).to_have_attribute(
                "data-status", status)
        assert_accessible(staff, "staff desk after changes")

        # --- the resident sees the history and rates it --------------------------------------
        page.goto(app_server.url(f"/reports/{report_id}"))
        wait_ready(page)
        expect(page.locator(".status-badge").first).to_have_text("Επιλύθηκε")
        expect(page.get_by_text("Ο σκύλος μεταφέρθηκε στο κτηνιατρείο", exact=False)).to_be_visible()
        expect(page.get_by_role("heading", name="Πώς τα πήγαμε;")).to_be_visible()
        assert_accessible(page, "rating form (el)")
        page.get_by_label("Ναι, διορθώθηκε").check()
        page.locator("#score-5").check()
        page.get_by_label("Σχόλιο (προαιρετικά)").fill("Πολύ γρήγορη ανταπόκριση, ευχαριστούμε!")
        page.get_by_role("button", name="Αποστολή αξιολόγησης").click()
        expect(page.get_by_text("Ευχαριστούμε για την αξιολόγηση.")).to_be_visible()
        expect(page.get_by_role("heading", name="Πώς τα πήγαμε;")).to_have_count(0)

        # --- the public figures changed accordingly ------------------------------------------
        after = _animals_figures(page, app_server)
        assert after["received"] == before["received"] + 1
        assert after["resolved"] == before["resolved"] + 1
        assert after["rated"] == before["rated"] + 1
        expected_avg = round(((before["average_satisfaction"] or 0) * before["rated"] + 5) / (before["rated"] + 1), 2)
        assert after["average_satisfaction"] == expected_avg
        page.goto(app_server.url("/measurement"))
        wait_ready(page)
        table_row = page.locator("#by-category ~ div table tr, section[aria-labelledby='by-category'] table tr").filter(
            has_text="Αδέσποτα ζώα").first
        cells = table_row.locator("td")
        expect(cells.nth(0)).to_have_text(str(after["received"]))
        expect(cells.nth(6)).to_have_text(f"{after['average_satisfaction']:.1f}".replace(".", ","))  # Greek decimal comma
        assert_accessible(page, "figures (el)")
        set_language(page, "en")
        expect(page.locator("h1")).to_have_text("Service-level figures")
        assert_accessible(page, "figures (en)")
    finally:
        resident_ctx.close()
        staff_ctx.close()


def test_public_pages_and_refusals(app_server, page):
    page.goto(app_server.url("/reports"))
    wait_ready(page)
    expect(page.locator("h1")).to_have_text("Αναφορές προβλημάτων")
    expect(page.locator(".report-card").first).to_be_visible()
    assert_accessible(page, "reports list (el)")
    page.get_by_label("Κατηγορία").select_option("water")
    expect(page.locator(".category-badge").first).to_have_text("Ύδρευση και αποχέτευση")
    first = page.locator(".report-card a").first
    first.click()
    page.wait_for_url(re.compile(r"/reports/\d+$"))
    wait_ready(page)
    expect(page.locator("h1")).to_contain_text("Ύδρευση και αποχέτευση #")
    expect(page.get_by_role("heading", name="Ιστορικό")).to_be_visible()
    assert_accessible(page, "report page (visitor)")
    set_language(page, "en")
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    assert_accessible(page, "report page (en)")
    page.goto(app_server.url("/reports"))
    wait_ready(page)
    assert_accessible(page, "reports list (en)")
    # a visitor can neither report nor reach the staff desk
    page.goto(app_server.url("/reports/new"))
    wait_ready(page)
    expect(page.get_by_role("link", name="Log in with gov.gr to report a problem")).to_be_visible()
    assert_accessible(page, "report form, visitor")
    page.goto(app_server.url("/staff/reports"))
    wait_ready(page)
    expect(page.locator(".no-access")).to_contain_text("Only municipal moderators, department officers")
    expect(page.locator(".no-access").get_by_role("link", name="Log in with gov.gr")).to_be_visible()  # a visitor
    assert_accessible(page, "staff desk, visitor")


# --- the map by keyboard only ------------------------------------------------------------------------

MARKER_NAME = re.compile(r"^Αναφορά #(\d+): (.+), (.+)$")
CLUSTER_NAME = re.compile(r"^\d+ αναφορές σε αυτό το σημείο$")
SYROS_CENTRE_VIEW = (37.440, 24.915)  # rules.SYROS_CENTRE_VIEW, where the maps open
# Leaflet pans 80 px per arrow key; at zoom 12 that is 80·360/(256·2¹²)° of longitude and, on
# the Mercator map at Syros, cos(37.44°) of that in latitude.
PAN_DEGREES = 80 * 360 / (256 * 2**12)


def _focused(page) -> dict:
    return page.evaluate("""() => { const el = document.activeElement;
        return {cls: el.className || '', label: el.getAttribute('aria-label') || '', text: el.textContent.trim(),
                role: el.getAttribute('role') || el.tagName.toLowerCase()}; }""")


def _tab_until(page, predicate, limit: int = 12) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if predicate(focused):
            return focused
    raise AssertionError(f"not reached with {limit} Tab presses; focus is on {_focused(page)!r}")


def test_map_by_keyboard_only_without_tiles(app_server, browser):
    from .conftest import PHONE

    # a keyboard user on a phone-sized window; the tile server is unreachable (nothing off this machine loads)
    ctx = browser.new_context(viewport=PHONE, locale="el-GR")
    ctx.route(lambda url: not url.startswith(app_server.base_url), lambda route: route.abort())
    try:
        page = ctx.new_page()
        page.goto(app_server.url("/reports"))
        wait_ready(page)
        overview = page.get_by_role("application", name="Διαδραστικός χάρτης με τις αναφορές αυτής της σελίδας")
        expect(overview).to_have_attribute("aria-describedby", "map-hint")
        expect(page.locator(".syros-marker").first).to_be_attached()
        # --- Tab to a marker: it is a button named by category and status ------------------------------
        page.locator("#filter-state").focus()  # the last field before the map
        page.keyboard.press("Tab")
        expect(overview).to_be_focused()
        focused = _tab_until(page, lambda f: "syros-marker" in f["cls"], limit=1)
        assert focused["role"] == "button"
        # reports too close to tell apart are one cluster button: Enter zooms in on them and
        # focus follows to the first of them, until a report's own marker has it
        for _ in range(8):
            if not CLUSTER_NAME.match(focused["label"]):
                break
            page.keyboard.press("Enter")
            page.wait_for_function("() => { const a = document.activeElement;"
                                   " return a && a.classList.contains('syros-marker') &&"
                                   f" a.getAttribute('aria-label') !== {json.dumps(focused['label'])}; }}")
            focused = _focused(page)
        report_id, category, status = MARKER_NAME.match(focused["label"]).groups()
        card = page.locator(".report-card", has=page.get_by_role("link", name=f"Αναφορά #{report_id}", exact=True))
        expect(card.locator(".category-badge")).to_have_text(category)
        expect(card.locator(".status-badge")).to_have_text(status)
        marker = page.get_by_role("button", name=focused["label"], exact=True)
        expect(marker).to_be_focused()
        # --- Enter opens its popup and moves focus to the link to the report ---------------------------
        page.keyboard.press("Enter")
        popup = page.get_by_role("dialog", name=focused["label"])
        link = popup.get_by_role("link", name=f"Άνοιγμα της αναφοράς #{report_id}")
        expect(link).to_be_focused()
        expect(link).to_have_attribute("href", f"/reports/{report_id}")
        expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")  # faded in (axe measures colours)
        assert_accessible(page, "reports map with a popup open (el)")
        # the popup's close button, then Escape, bring focus back to the marker; Space opens it too
        page.keyboard.press("Tab")
        expect(popup.get_by_role("button", name="Κλείσιμο")).to_be_focused()
        page.keyboard.press("Enter")
        expect(popup).to_have_count(0)
        expect(marker).to_be_focused()
        page.keyboard.press(" ")
        expect(link).to_be_focused()
        page.keyboard.press("Escape")
        expect(popup).to_have_count(0)
        expect(marker).to_be_focused()
        # the next Tab reaches the next marker, not the closed popup
        if page.locator(".syros-marker").count() > 1:
            assert "syros-marker" in _tab_until(page, lambda f: True, limit=1)["cls"]
            page.keyboard.press("Shift+Tab")
            expect(marker).to_be_focused()
        # --- Enter on the link opens the report ----------------------------------------------------------
        page.keyboard.press("Enter")
        expect(link).to_be_focused()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"/reports/{report_id}$"))
        wait_ready(page)
        expect(page.locator("h1")).to_have_text(f"{category} #{report_id}")
        expect(page.locator(".status-badge").first).to_have_text(status)
        assert_accessible(page, "report page without tiles")
        # --- markers are renamed with the language ---------------------------------------------------------
        page.goto(app_server.url("/reports"))
        wait_ready(page)
        set_language(page, "en")
        expect(page.locator(".syros-marker:not(.syros-cluster)").first).to_have_attribute(
            "aria-label", re.compile(r"^Report #\d+: .+, .+$"))
        expect(page.get_by_role("application", name="Interactive map of the reports on this page")).to_be_attached()
        expect(page.get_by_role("button", name="Zoom in")).to_be_attached()
        assert_accessible(page, "reports map (en)")
        set_language(page, "el")
        expect(page.get_by_role("button", name="Μεγέθυνση")).to_be_attached()

        # --- on the form, the location is chosen by moving the map and taking its centre ------------------
        login_as(app_server, ctx, "keyboard-user", display_name="Χρήστης Πληκτρολογίου")
        page.goto(app_server.url("/reports/new"))
        wait_ready(page)
        picker = page.get_by_role("application", name="Χάρτης για τη σήμανση του σημείου")
        expect(picker).to_have_attribute("aria-describedby", "map-hint")
        expect(page.locator("#map-hint")).to_contain_text("Χρήση του κέντρου του χάρτη")
        page.get_by_role("button", name="Χρήση της θέσης μου").focus()
        page.keyboard.press("Tab")
        expect(picker).to_be_focused()
        for key in ("ArrowRight", "ArrowUp"):  # east, then north, by one step each
            page.keyboard.press(key)
            # Leaflet ignores arrow keys while a pan is still moving, as it would for a person
            expect(page.locator(".syros-map .leaflet-pan-anim")).to_have_count(0)
        _tab_until(page, lambda f: f["text"] == "Χρήση του κέντρου του χάρτη")
        page.keyboard.press("Enter")
        expect(page.get_by_text("Το σημείο από τον χάρτη συμπληρώθηκε.")).to_be_visible()
        expect(page.get_by_label("Γεωγραφικό πλάτος")).not_to_have_value("")
        lat = float(page.get_by_label("Γεωγραφικό πλάτος").input_value())
        lon = float(page.get_by_label("Γεωγραφικό μήκος").input_value())
        expected_lat = SYROS_CENTRE_VIEW[0] + PAN_DEGREES * math.cos(math.radians(SYROS_CENTRE_VIEW[0]))
        expected_lon = SYROS_CENTRE_VIEW[1] + PAN_DEGREES
        assert abs(lat - expected_lat) < 0.002 and abs(lon - expected_lon) < 0.002, (lat, lon)
        # the chosen point is drawn under the cross-hair
        expect(page.locator(".syros-map .leaflet-overlay-pane path")).to_have_count(1)
        assert_accessible(page, "report form, location chosen by keyboard")
    finally:
        ctx.close()


# --- target size of the markers (WCAG 2.2 2.5.8) ----------------------------------------------------

_MARKER_BOXES = """() => [...document.querySelectorAll('.syros-map .leaflet-marker-icon.syros-marker')]
    .filter((el) => el.getAttribute('role') === 'button' || el.tabIndex >= 0)
    .map((el) => { const r = el.getBoundingClientRect();
                   return {x: r.x, y: r.y, w: r.width, h: r.height, label: el.getAttribute('aria-label')}; })"""


def _overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    return [(a["label"], b["label"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"]
            and b["y"] < a["y"] + a["h"]]


def test_map_markers_are_at_least_24px_and_never_overlap_at_360px(app_server, browser):
    """Every marker (a report's, or a cluster of reports too close to part) is a target of
    at least 24 × 24 CSS px, and no two overlap — at the island-wide zoom and closer in."""
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, locale="el-GR")
    ctx.route(lambda url: not url.startswith(app_server.base_url), lambda route: route.abort())
    try:
        page = ctx.new_page()
        page.goto(app_server.url("/reports"))
        wait_ready(page)
        expect(page.locator(".syros-marker").first).to_be_attached()
        expected = page.locator(".report-card").count()  # the list: this page's reports
        counted = (f"() => ({_MARKER_BOXES})().reduce((n, b) => n + (/^\\d+ /.test(b.label) ?"
                   " parseInt(b.label, 10) : 1), 0)")
        page.wait_for_timeout(500)
        total, clusters_seen = page.evaluate(counted), 0
        assert 0 < total <= expected, (total, expected)
        for step in range(4):  # the opening zoom, then three steps closer
            # every report with a point is on the map at every zoom: alone or counted in a cluster
            page.wait_for_function(f"() => !document.querySelector('.leaflet-zoom-anim') && ({counted})() === {total}")
            boxes = page.evaluate(_MARKER_BOXES)
            small = [b for b in boxes if b["w"] < 24 or b["h"] < 24]
            assert not small, f"markers under 24 × 24 px at step {step}: {small}"
            assert not _overlapping(boxes), f"overlapping markers at step {step}: {_overlapping(boxes)}"
            counts = [int(n) for n in page.locator(".syros-marker.syros-cluster").all_inner_texts()]
            assert all(n >= 2 for n in counts), counts
            clusters_seen += len(counts)
            page.get_by_role("button", name="Μεγέθυνση").click()
        assert clusters_seen, "the demo's reports in Ermoupoli should need a cluster at the island-wide zoom"
        # a cluster, activated, zooms in on its reports
        page.goto(app_server.url("/reports"))
        wait_ready(page)
        cluster = page.locator(".syros-marker.syros-cluster").first
        expect(cluster).to_have_attribute("aria-label", CLUSTER_NAME)
        before = len(page.evaluate(_MARKER_BOXES))
        cluster.click()
        # zoomed in on them: the cluster's reports are apart (or in smaller clusters)
        page.wait_for_function(f"() => ({_MARKER_BOXES})().length > {before}")
        assert not _overlapping(page.evaluate(_MARKER_BOXES))
        assert_accessible(page, "reports map after a cluster zoomed in")
    finally:
        ctx.close()
