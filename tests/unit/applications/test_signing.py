"""PAdES signing with the demo chain or a configured PKCS#12, checked by pyHanko's validator."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from fpdf import FPDF
from pypdf import PdfReader

from syros_app.applications import signing
from syros_app.core import settings as settings_module
from syros_app.core.settings import SettingsError


def _pdf(text: str = "Απάντηση 12/2026") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "answer")
    pdf.set_title(text)
    return bytes(pdf.output())


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SYROS_DATA_DIR", str(tmp_path))
    for key in ("SYROS_SIGNING_PKCS12", "SYROS_SIGNING_PASSPHRASE", "SYROS_SIGNING_TRUST_ROOTS"):
        monkeypatch.delenv(key, raising=False)
    settings_module.reset_settings_cache()
    yield tmp_path
    settings_module.reset_settings_cache()


def test_a_signed_pdf_validates_with_pyhanko(data_dir):
    signed = signing.sign_pdf(_pdf(), reason="Απάντηση του Δήμου")
    check = signing.validate(signed)
    assert check.ok, check
    assert "demo seal" in check.signer
    assert abs(check.signed_at - datetime.now(timezone.utc)) < timedelta(minutes=5)
    assert PdfReader(__import__("io").BytesIO(signed)).pages[0].extract_text().strip() == "answer"


def test_the_demo_certificate_is_made_once_and_kept(data_dir):
    p12, root = signing.ensure_demo_certificate(data_dir)
    first = p12.read_bytes()
    assert (p12.stat().st_mode & 0o777) == 0o600
    signing.ensure_demo_certificate(data_dir)
    assert p12.read_bytes() == first and root.exists()


def test_an_unsigned_pdf_is_reported_unsigned(data_dir):
    assert signing.validate(_pdf()).signed is False
    assert signing.validate(b"not a pdf").signed is False


def test_a_changed_byte_breaks_the_signature(data_dir):
    signed = bytearray(signing.sign_pdf(_pdf(), reason="r"))
    where = signed.find(b"/Title")
    assert where > 0
    signed[where + 8] ^= 0x01  # a byte inside the signed range (the document information)
    check = signing.validate(bytes(signed))
    assert not check.ok and not check.intact


def test_a_pdf_signed_by_another_chain_is_not_trusted(data_dir, tmp_path_factory, monkeypatch):
    signed = signing.sign_pdf(_pdf(), reason="r")
    other = tmp_path_factory.mktemp("other")
    monkeypatch.setenv("SYROS_DATA_DIR", str(other))
    settings_module.reset_settings_cache()
    check = signing.validate(signed)
    assert check.intact and check.valid and not check.trusted and not check.ok


def _own_p12(path, passphrase: bytes) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Δήμος Σύρου-Ερμούπολης, σφραγίδα")])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(7).not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"seal", key, cert, None, serialization.BestAvailableEncryption(passphrase)))


def test_the_configured_certificate_is_used(data_dir, monkeypatch):
    p12 = data_dir / "municipality.p12"
    _own_p12(p12, b"s3cret")
    monkeypatch.setenv("SYROS_SIGNING_PKCS12", str(p12))
    monkeypatch.setenv("SYROS_SIGNING_PASSPHRASE", "s3cret")
    check = signing.validate(signing.sign_pdf(_pdf(), reason="r"))
    assert check.ok and "σφραγίδα" in check.signer
    assert not (data_dir / signing.DEMO_DIR / signing.DEMO_P12).exists()


def test_a_wrong_passphrase_is_a_clear_error(data_dir, monkeypatch):
    p12 = data_dir / "municipality.p12"
    _own_p12(p12, b"s3cret")
    monkeypatch.setenv("SYROS_SIGNING_PKCS12", str(p12))
    monkeypatch.setenv("SYROS_SIGNING_PASSPHRASE", "wrong")
    with pytest.raises(signing.SigningError, match="Cannot read the signing certificate"):
        signing.sign_pdf(_pdf(), reason="r")


def test_production_never_signs_with_the_demo_certificate(data_dir, monkeypatch):
    class Production:
        is_production = True
        data_dir = None

    monkeypatch.setattr(signing, "get_settings", lambda: Production)
    monkeypatch.setattr(signing, "signing_settings", lambda: settings_module.SigningSettings(None, "", None, data_dir))
    with pytest.raises(SettingsError, match="SYROS_SIGNING_PKCS12"):
        signing.sign_pdf(_pdf(), reason="r")
    assert not (data_dir / signing.DEMO_DIR).exists()


def test_signing_and_validating_from_inside_an_event_loop(data_dir):
    import asyncio

    async def inside():
        return signing.validate(signing.sign_pdf(_pdf(), reason="r"))

    assert asyncio.run(inside()).ok
