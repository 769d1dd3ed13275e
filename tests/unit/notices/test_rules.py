"""Pure rules: input normalisation (with the Greek messages people read), targeting,
back-off and Retry-After, signed links."""

from datetime import datetime, timedelta, timezone

import pytest

from syros_app.core.errors import InvalidInput
from syros_app.core.i18n import translate
from syros_app.notices import rules

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("raw", ["694 123 4567", "+30 694 123 4567", "0030-694-123-4567", "(694) 1234567",
                                 "306941234567", "+30.694.123.4567"])
def test_greek_mobile_numbers_are_stored_in_e164(raw):
    assert rules.normalise_greek_mobile(raw) == "+306941234567"


@pytest.mark.parametrize("raw, key, greek", [
    ("", "notices.errors.phone_missing", "Γράψτε τον αριθμό του κινητού σας."),
    ("22810 82000", "notices.errors.phone_not_mobile", "Ο αριθμός δεν είναι κινητό. Τα ελληνικά κινητά αρχίζουν από 69."),
    ("+44 7700 900123", "notices.errors.phone_not_greek", "Δεχόμαστε μόνο ελληνικούς αριθμούς κινητού (+30)."),
    ("69412345", "notices.errors.phone_invalid", "Ο αριθμός δεν είναι σωστός. Γράψτε 10 ψηφία, π.χ. 694 123 4567."),
    ("69412345678", "notices.errors.phone_invalid", None),
    ("694-ABC-4567", "notices.errors.phone_invalid", None),
])
def test_bad_phone_numbers_are_refused_with_a_clear_greek_message(raw, key, greek):
    with pytest.raises(InvalidInput) as info:
        rules.normalise_greek_mobile(raw)
    assert info.value.key == key
    if greek:
        assert info.value.message("el") == greek
    assert translate(key, "en") != key


@pytest.mark.parametrize("raw, expected", [("Eleni.P@Example.GR ", "Eleni.P@example.gr"),
                                           ("maria+syros@mail.syros-ermoupolis.gr", "maria+syros@mail.syros-ermoupolis.gr")])
def test_email_is_trimmed_and_its_domain_lower_cased(raw, expected):
    assert rules.normalise_email(raw) == expected


@pytest.mark.parametrize("raw, key", [("", "notices.errors.email_missing"), ("eleni", "notices.errors.email_invalid"),
                                      ("eleni@", "notices.errors.email_invalid"), ("eleni@syros", "notices.errors.email_invalid"),
                                      ("ele ni@syros.gr", "notices.errors.email_invalid"),
                                      ("eleni@@syros.gr", "notices.errors.email_invalid"),
                                      ("eleni..p@syros.gr", "notices.errors.email_invalid")])
def test_bad_email_is_refused(raw, key):
    with pytest.raises(InvalidInput) as info:
        rules.normalise_email(raw)
    assert info.value.key == key
    assert "e-mail" in info.value.message("el")


def test_targeting_by_category_and_area():
    both = ("water,roads_works", "")
    ano = ("water", "Άνω Σύρος")
    assert rules.matches(*both, category="water", area=None)
    assert rules.matches(*both, category="water", area="Ποσειδωνία")  # no area chosen = all areas
    assert not rules.matches(*both, category="culture_events", area=None)
    assert rules.matches(*ano, category="water", area="Άνω Σύρος")
    assert rules.matches(*ano, category="water", area=None)  # whole-island notices reach everyone
    assert not rules.matches(*ano, category="water", area="Ερμούπολη")


def test_backoff_doubles_and_is_capped():
    assert [rules.backoff_seconds(n) for n in (1, 2, 3)] == [30, 60, 120]
    assert rules.backoff_seconds(50) == rules.MAX_DELAY


def test_retry_after_in_seconds_or_as_http_date():
    assert rules.parse_retry_after("7", NOW) == 7
    assert rules.parse_retry_after("Fri, 27 Nov 2026 10:02:00 GMT", NOW) == 120
    assert rules.parse_retry_after("nonsense", NOW) is None
    assert rules.next_attempt(1, NOW, 7) == NOW + timedelta(seconds=7)
    assert rules.next_attempt(2, NOW, None) == NOW + timedelta(seconds=60)


@pytest.mark.parametrize("status, outcome", [(201, "sent"), (404, "gone"), (410, "gone"), (429, "retry"),
                                             (500, "retry"), (503, "retry"), (400, "failed"), (403, "failed"),
                                             (413, "failed")])
def test_push_status_codes(status, outcome):
    assert rules.push_outcome(status, "3", NOW).status == outcome


def test_push_429_carries_retry_after():
    assert rules.push_outcome(429, "42", NOW).retry_after == 42


def test_signed_tokens_refuse_forgery_other_purposes_and_expiry():
    token = rules.sign_token("s3cret", "unsubscribe", 12)
    assert rules.read_token("s3cret", "unsubscribe", token) == 12
    for bad in (token[:-2] + "xx", rules.sign_token("other", "unsubscribe", 12), "", "abc"):
        with pytest.raises(InvalidInput):
            rules.read_token("s3cret", "unsubscribe", bad)
    with pytest.raises(InvalidInput):
        rules.read_token("s3cret", "confirm", token)
    expiring = rules.sign_token("s3cret", "confirm", 3, max_age_days=1, now=1000.0)
    assert rules.read_token("s3cret", "confirm", expiring, now=1000.0 + 3600) == 3
    with pytest.raises(InvalidInput) as info:
        rules.read_token("s3cret", "confirm", expiring, now=1000.0 + 2 * 86400)
    assert info.value.key == "notices.errors.link_expired"


def test_push_payload_fits_the_4k_limit():
    payload = rules.push_payload(title="Τ" * 500, body="Κ" * 5000, url="/notices/1", urgent=True, tag="m1")
    assert len(payload) < 3993


def test_push_encryption_decrypts_with_http_ece_and_matches_the_reference_size():
    from syros_app.notices.channels import encrypt_push, encrypt_push_reference
    from tests.unit.notices.fakes import BrowserSubscription

    device = BrowserSubscription("https://push.example/x")
    payload = rules.push_payload(title="Διακοπή νερού", body="Άνω Σύρος", url="/notices/2", urgent=False, tag="m2")
    body = encrypt_push(payload, device.p256dh, device.auth)
    assert device.decrypt(body) == payload
    assert len(body) == len(encrypt_push_reference(payload, device.p256dh, device.auth))
    assert encrypt_push(payload, device.p256dh, device.auth)[:16] != body[:16]  # fresh salt (and key) each time
    with pytest.raises(ValueError):
        encrypt_push(b"x" * 4000, device.p256dh, device.auth)


def test_urgent_reaches_every_subscriber_of_the_area_whatever_topics():
    only_culture = ("culture_events", "Άνω Σύρος")
    assert not rules.matches(*only_culture, category="civil_protection", area="Άνω Σύρος")
    assert rules.matches(*only_culture, category="civil_protection", area="Άνω Σύρος", urgent=True)
    assert rules.matches(*only_culture, category="civil_protection", area=None, urgent=True)
    assert not rules.matches(*only_culture, category="civil_protection", area="Ερμούπολη", urgent=True)
