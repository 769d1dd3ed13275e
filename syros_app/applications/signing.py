"""PAdES signatures on the municipality's answers, with pyHanko.

The certificate is the municipality's PKCS#12 file from settings
(``SYROS_SIGNING_PKCS12``/``SYROS_SIGNING_PASSPHRASE``). Without one — development,
the demo, tests — a small demo chain (a root and a signing certificate issued by it)
is generated once with ``cryptography`` into ``data/signing/`` and never committed;
production refuses to start without a real one (``core.settings``).

``validate`` uses pyHanko's own validator, trusting the configured chain's root (or
the demo root) and whatever ``SYROS_SIGNING_TRUST_ROOTS`` adds, without fetching
anything from the network.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from syros_app.core.settings import SettingsError, get_settings, signing_settings

DEMO_DIR = "signing"
DEMO_P12 = "demo-seal.p12"
DEMO_ROOT = "demo-root.pem"
DEMO_ORG = "Δήμος Σύρου-Ερμούπολης"
FIELD_NAME = "MunicipalitySeal"


class SigningError(RuntimeError):
    """The certificate cannot be loaded or the PDF cannot be signed."""


@dataclass(frozen=True)
class SignatureCheck:
    """What pyHanko's validator says about the (last) signature of a PDF."""

    signed: bool
    intact: bool = False  # the signed bytes are unchanged
    valid: bool = False  # the cryptographic signature verifies
    trusted: bool = False  # the certificate chains to a root we trust
    covers_whole_file: bool = False
    signer: str = ""
    signed_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.valid and self.trusted and self.covers_whole_file


# --- the demo chain ---------------------------------------------------------------------------

def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "GR"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_ORG),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _certificate(subject: x509.Name, issuer: x509.Name, key, issuer_key, *, ca: bool, now: datetime):
    usage = dict(digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
                 data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                 encipher_only=False, decipher_only=False)
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
            .add_extension(x509.KeyUsage(**usage), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                           critical=False)
            .sign(issuer_key, hashes.SHA256()))


def _write_private(path: Path, data: bytes) -> None:
    temp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temp, path)


def ensure_demo_certificate(data_dir: Path) -> tuple[Path, Path]:
    """The demo PKCS#12 (no passphrase) and its root, created once; a file lock keeps two
    processes from making two different chains."""
    folder = data_dir / DEMO_DIR
    folder.mkdir(parents=True, exist_ok=True)
    p12_path, root_path = folder / DEMO_P12, folder / DEMO_ROOT
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (p12_path.exists() and root_path.exists()):
            now = datetime.now(timezone.utc)
            root_key, seal_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
            root_name = _name("Syros Agora demo root (not trusted outside this installation)")
            root = _certificate(root_name, root_name, root_key, root_key, ca=True, now=now)
            seal = _certificate(_name("Syros Agora demo seal"), root_name, seal_key, root_key, ca=False, now=now)
            _write_private(p12_path, pkcs12.serialize_key_and_certificates(
                b"demo-seal", seal_key, seal, [root], serialization.NoEncryption()))
            _write_private(root_path, root.public_bytes(serialization.Encoding.PEM))
    return p12_path, root_path


# --- loading ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Seal:
    signer: signers.SimpleSigner
    roots: tuple[asn1_x509.Certificate, ...]
    demo: bool


def _pem_certificates(path: Path) -> list[asn1_x509.Certificate]:
    return [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
            for c in x509.load_pem_x509_certificates(path.read_bytes())]


@lru_cache(maxsize=4)
def _load(p12_path: str, passphrase: str, roots_path: str | None, demo: bool, _mtime: float) -> _Seal:
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(Path(p12_path).read_bytes(),
                                                            passphrase.encode() or None)
    except (OSError, ValueError) as exc:
        raise SigningError(f"Cannot read the signing certificate {p12_path}: {exc}") from None
    if key is None or cert is None:
        raise SigningError(f"{p12_path} holds no private key and certificate")
    signer = signers.SimpleSigner.load_pkcs12(p12_path, passphrase=passphrase.encode() or None)
    if signer is None:
        raise SigningError(f"pyHanko cannot load the signing certificate {p12_path}")
    as_asn1 = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in chain or []]
    # the root of the file's chain (a self-issued CA), else the certificate itself
    roots = [c for c in as_asn1 if c.self_issued] or [asn1_x509.Certificate.load(
        cert.public_bytes(serialization.Encoding.DER))]
    if roots_path:
        roots += _pem_certificates(Path(roots_path))
    return _Seal(signer=signer, roots=tuple(roots), demo=demo)


def current_seal() -> _Seal:
    """The configured certificate, or the demo one outside production."""
    settings = signing_settings()
    if settings.pkcs12_path is not None:
        path, passphrase, demo = settings.pkcs12_path, settings.passphrase, False
    else:
        if get_settings().is_production:
            raise SettingsError("SYROS_SIGNING_PKCS12 must be set in production: answers are not signed with "
                                "the demo certificate")
        path, _root = ensure_demo_certificate(settings.data_dir)
        passphrase, demo = "", True
    roots = str(settings.trust_roots_path) if settings.trust_roots_path else None
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise SigningError(f"Cannot read the signing certificate {path}: {exc}") from None
    return _load(str(path), passphrase, roots, demo, mtime)


# --- signing and validation -------------------------------------------------------------------

def _off_loop(fn, *args):
    """pyHanko's sync calls run their own event loop: from inside a running one (an async
    route, a sync Playwright test) do it in a worker thread instead."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(fn, *args).result()


def sign_pdf(pdf_bytes: bytes, *, reason: str, location: str = "Ερμούπολη, Σύρος") -> bytes:
    """The PDF with an invisible PAdES baseline-B signature of the municipality over all of it."""
    seal = current_seal()
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, subfilter=SigSeedSubFilter.PADES,
                                        md_algorithm="sha256", reason=reason, location=location,
                                        certify=False)
    writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
    return _off_loop(lambda: signers.PdfSigner(meta, signer=seal.signer).sign_pdf(writer).getvalue())


def validate(pdf_bytes: bytes) -> SignatureCheck:
    """Check the PDF's last signature with pyHanko's validator against our trusted roots."""
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - an unreadable file is simply not a signed document
        return SignatureCheck(signed=False)
    if not signatures:
        return SignatureCheck(signed=False)
    seal = current_seal()
    context = ValidationContext(trust_roots=list(seal.roots), allow_fetching=False)
    status = _off_loop(validate_pdf_signature, signatures[-1], context)
    return SignatureCheck(
        signed=True, intact=bool(status.intact), valid=bool(status.valid), trusted=bool(status.trusted),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=status.signing_cert.subject.native.get("common_name", "") if status.signing_cert else "",
        signed_at=status.signer_reported_dt,
    )
