"""Parsing gov.gr's userinfo XML, display names, safe return paths and the state cookie."""

import time

import pytest

from syros_app.identity import govgr
from syros_app.identity.govgr import GovgrError, display_name_for, parse_userinfo, safe_next
from syros_app.identity.hashing import with_check_digit
from syros_app.identity.stand_in import userinfo_xml

TAXID = with_check_digit("06893313")
REAL_SHAPE = (
    f'<root><userinfo userid="User{TAXID}   " taxid="{TAXID}   " '
    'lastname="&#914;&#913;&#914;&#927;&#933;&#923;&#913;" firstname="ΕΥΤΥΧΙΑ" '
    'fathername="ΕΜΜΑΝΟΥΗΛ" mothername="ΑΝΝΑ" birthyear="1950"/></root>'
)


def test_padding_is_trimmed_and_character_references_decoded():
    profile = parse_userinfo(REAL_SHAPE.encode())
    assert profile.taxid == TAXID
    assert profile.last_name == "ΒΑΒΟΥΛΑ"
    assert profile.first_name == "ΕΥΤΥΧΙΑ"
    assert profile.father_name == "ΕΜΜΑΝΟΥΗΛ" and profile.mother_name == "ΑΝΝΑ"
    assert profile.birth_year == 1950


def test_padding_inside_names_and_a_bom():
    xml = "\ufeff  " + REAL_SHAPE.replace('firstname="ΕΥΤΥΧΙΑ"', 'firstname="  ΜΑΡΙΑ   ΕΛΕΝΗ  "') + "\n  "
    assert parse_userinfo(xml).first_name == "ΜΑΡΙΑ ΕΛΕΝΗ"


def test_the_stand_in_speaks_the_same_shape():
    xml = userinfo_xml({"taxid": TAXID, "firstname": "Νίκος", "lastname": "Δελαγραμμάτικας",
                        "fathername": "Αντώνιος", "mothername": "Μαρκέλλα", "birthyear": "1990"})
    assert f'taxid="{TAXID}   "' in xml and "&#916;" in xml  # padding, numeric references
    profile = parse_userinfo(xml)
    assert (profile.first_name, profile.last_name, profile.birth_year) == ("Νίκος", "Δελαγραμμάτικας", 1990)


@pytest.mark.parametrize("body", ['{"error":"server_error","error_description":"down"}', "  {}  ", "",
                                  '[{"error": 1}]'])
def test_a_json_body_is_a_login_error(body):
    with pytest.raises(GovgrError) as info:
        parse_userinfo(body)
    assert info.value.reason == "userinfo"


@pytest.mark.parametrize("body", ["<root><userinfo taxid='1'", "<html><body>Maintenance</body></html>",
                                  '<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><root><userinfo taxid="&b;"/></root>'])
def test_broken_or_hostile_xml_is_refused(body):
    with pytest.raises(GovgrError) as info:
        parse_userinfo(body)
    assert info.value.reason == "userinfo"


def test_an_invalid_taxid_is_refused():
    with pytest.raises(GovgrError) as info:
        parse_userinfo(REAL_SHAPE.replace(TAXID, TAXID[:8] + str((int(TAXID[8]) + 1) % 10)))
    assert info.value.reason == "invalid_person"


def test_the_profile_never_shows_the_taxid():
    assert TAXID not in repr(parse_userinfo(REAL_SHAPE))


@pytest.mark.parametrize("first, last, expected", [
    ("ΕΥΤΥΧΙΑ", "ΒΑΒΟΥΛΑ", "Ευτυχία Β."),  # a common given name gets its accent back
    ("Ευτυχία", "Βαβουλά", "Ευτυχία Β."),
    ("ΝΙΚΟΣ", "ΠΑΠΑΣ", "Νίκος Π."),
    ("ΑΝΝΑ-ΜΑΡΙΑ", "ζαφειρίου", "Άννα-Μαρία Ζ."),
    ("  ΓΙΩΡΓΟΣ  ", "", "Γιώργος"),
    ("ΑΓΛΑΙΑ", "ΡΟΥΣΣΟΥ", "Αγλαΐα Ρ."),  # diaeresis too
    ("ΦΡΑΓΚΙΣΚΟΣ ΙΑΚΩΒΟΣ", "ΔΕΛΑΓΡΑΜΜΑΤΙΚΑΣ", "Φραγκίσκος Ιάκωβος Δ."),
    ("ΞΕΝΟΚΡΑΤΟΥΣΑ", "ΠΑΠΑΣ", "Ξενοκρατουσα Π."),  # not a common name: as gov.gr spelled it
    ("ΑΝΑΣΤΑΣΙΟΣ", "Μ", "Αναστάσιος Μ."),
])
def test_display_name(first, last, expected):
    assert display_name_for(first, last) == expected


@pytest.mark.parametrize("value, expected", [
    ("/account", "/account"),
    ("/consultations/2?x=1#c", "/consultations/2?x=1#c"),
    (None, "/"), ("", "/"), ("account", "/"),
    ("https://evil.example/", "/"), ("//evil.example", "/"), ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"), ("/\nSet-Cookie: x", "/"), ("/auth/logout", "/"),
])
def test_safe_next(value, expected):
    assert safe_next(value) == expected


def test_state_cookie_round_trip_and_tampering():
    cookie = govgr.sign_state("abc", "/account")
    assert govgr.check_state(cookie, "abc") == "/account"
    with pytest.raises(GovgrError):
        govgr.check_state(cookie, "abd")
    with pytest.raises(GovgrError):
        govgr.check_state(cookie, None)
    body, mac = cookie.rsplit(".", 1)
    with pytest.raises(GovgrError):
        govgr.check_state(body + "." + ("0" * len(mac)), "abc")
    with pytest.raises(GovgrError):
        govgr.check_state(None, "abc")


def test_state_cookie_expires():
    cookie = govgr.sign_state("abc", "/", now=time.time() - govgr.STATE_TTL_SECONDS - 5)
    with pytest.raises(GovgrError):
        govgr.check_state(cookie, "abc")


def test_logout_url_shape():
    from dataclasses import replace

    from syros_app.core.settings import get_settings

    settings = replace(get_settings(), public_url="https://agora.syros.gr", govgr_base_url="https://www1.gsis.gr",
                       govgr_client_id="T1234")
    assert govgr.logout_url(settings) == \
        "https://www1.gsis.gr/oauth2server/logout/T1234/?url=https%3A%2F%2Fagora.syros.gr%2F"
    assert govgr.endpoints(settings)["userinfo"] == "https://www1.gsis.gr/oauth2server/userinfo?format=xml"
