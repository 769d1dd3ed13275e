"""A trustee's offline tool: key material that never reaches the server.

    python -m syros_app voting trustee init    --key me.key
    python -m syros_app voting trustee deal    --key me.key --kit kit.json --out deal.json
    python -m syros_app voting trustee check   --key me.key --kit kit.json --out complaint.json
    python -m syros_app voting trustee answer  --key me.key --kit kit.json --out answers.json
    python -m syros_app voting trustee decrypt --key me.key --kit kit.json --out partials.json

``kit.json`` is ``GET /api/v1/votes/{id}/trustee-kit.json`` (public: parameters, the trustees'
transport keys, commitments and sealed shares, and after the close the per-option sums). Each
command writes a JSON file the trustee pastes on ``/votes/{id}/trustee`` (or their device posts).

* ``init``: an X25519 transport key pair (libsodium); the private half and everything the
  later steps add are kept in ``me.key`` encrypted under the trustee's passphrase (Argon2id
  → XSalsa20-Poly1305, libsodium's ``pwhash`` + ``SecretBox``). Out: the public key.
* ``deal``: the trustee's polynomial of degree k−1 (fresh randomness), its commitments with
  proofs of knowledge, and each other trustee's share sealed to their transport key
  (``SealedBox``). The shares it dealt, f_i(l) for every l, are kept in ``me.key`` (to answer a
  complaint); the polynomial is forgotten. Out: commitments + sealed shares.
* ``check`` (after the others dealt, before the vote opens): opens the shares sealed to this
  trustee and checks each against its dealer's commitments. When one does not match, it writes a
  complaint against that dealer (one per run; run it again after posting for the next).
* ``answer`` (for a dealer someone complained about): reveals the share f_i(l) it dealt to each
  complainant l, from ``me.key``; the server and everyone check it against the commitments.
* ``decrypt``: x_l = Σ_{i∈QUAL} f_i(l) — from the shares sealed to this trustee (or revealed
  after its complaint), each checked, over the qualified dealers only (a trustee who never dealt
  decrypts too) — checked against the public share QUAL's commitments fix; then partial
  decryptions of every sum, with proofs.

The passphrase is asked for on the terminal (or read from ``SYROS_TRUSTEE_PASSPHRASE``, for
scripted tests only).
"""

from __future__ import annotations

import base64
import getpass
import json
import os
from pathlib import Path

from nacl import pwhash, secret, utils
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

from .crypto import group as g
from .crypto import proofs as pf
from .crypto import threshold as th

KEY_FORMAT = "syros-agora-trustee-key"


class TrusteeError(ValueError):
    pass


def _passphrase(confirm: bool = False) -> bytes:
    text = os.environ.get("SYROS_TRUSTEE_PASSPHRASE")
    if text is None:
        text = getpass.getpass("Passphrase of your trustee key: ")
        if confirm and getpass.getpass("Once more: ") != text:
            raise TrusteeError("the passphrases differ")
    if len(text) < 10:
        raise TrusteeError("a passphrase of at least 10 characters is needed")
    return text.encode("utf-8")


# libsodium's "interactive" Argon2id cost (64 MiB): the file stays on the trustee's own device
_OPS, _MEM = pwhash.argon2id.OPSLIMIT_INTERACTIVE, pwhash.argon2id.MEMLIMIT_INTERACTIVE


def _box(passphrase: bytes, salt: bytes, ops: int = _OPS, mem: int = _MEM) -> secret.SecretBox:
    key = pwhash.argon2id.kdf(secret.SecretBox.KEY_SIZE, passphrase, salt, opslimit=ops, memlimit=mem)
    return secret.SecretBox(key)


def write_key(path: Path, content: dict, passphrase: bytes) -> None:
    salt = utils.random(pwhash.argon2id.SALTBYTES)
    sealed = _box(passphrase, salt).encrypt(json.dumps(content).encode())
    path.write_text(json.dumps({"format": KEY_FORMAT, "version": 1, "salt": base64.b64encode(salt).decode(),
                                "opslimit": _OPS, "memlimit": _MEM, "sealed": base64.b64encode(sealed).decode()}))
    path.chmod(0o600)


def read_key(path: Path, passphrase: bytes) -> dict:
    data = json.loads(path.read_text())
    if data.get("format") != KEY_FORMAT:
        raise TrusteeError(f"{path} is not a trustee key")
    try:
        box = _box(passphrase, base64.b64decode(data["salt"]), int(data["opslimit"]), int(data["memlimit"]))
        plain = box.decrypt(base64.b64decode(data["sealed"]))
    except CryptoError:
        raise TrusteeError("wrong passphrase (or a damaged key file)") from None
    return json.loads(plain)


def init(key_path: Path, passphrase: bytes) -> dict:
    if key_path.exists():
        raise TrusteeError(f"{key_path} exists: a new key would void the shares sealed to the old one")
    private = PrivateKey.generate()
    write_key(key_path, {"transport_private": bytes(private).hex()}, passphrase)
    return {"step": "transport_key", "public_key": bytes(private.public_key).hex()}


def _me(kit: dict, content: dict) -> dict:
    public = bytes(PrivateKey(bytes.fromhex(content["transport_private"])).public_key).hex()
    for trustee in kit["trustees"]:
        if trustee["transport_key"] == public:
            return trustee
    raise TrusteeError("this key's transport key is not among the vote's trustees (post `init`'s output first)")


def deal(key_path: Path, kit: dict, passphrase: bytes) -> dict:
    content = read_key(key_path, passphrase)
    me = _me(kit, content)
    missing = [t["index"] for t in kit["trustees"] if not t["transport_key"]]
    if missing:
        raise TrusteeError(f"trustees {missing} have not posted their transport keys yet")
    k = int(kit["parameters"]["threshold"])
    poly = th.TrusteePolynomial.create(me["index"], k)
    sealed = {str(t["index"]): base64.b64encode(SealedBox(PublicKey(bytes.fromhex(t["transport_key"]))).encrypt(
        g.scalar_bytes(poly.share_for(t["index"])))).decode()
        for t in kit["trustees"] if t["index"] != me["index"]}
    content.update(vote_id=kit["vote_id"], context=kit["context"], index=me["index"],
                   own_share=g.encode_scalar(poly.share_for(me["index"])),
                   dealt_shares={str(t["index"]): g.encode_scalar(poly.share_for(t["index"])) for t in kit["trustees"]})
    write_key(key_path, content, passphrase)
    return {"step": "commitments", "commitments": poly.commitments(bytes.fromhex(kit["context"])).to_json(),
            "sealed_shares": sealed}


def _received_share(opener: SealedBox, dealer: dict, index: int, revealed: dict[int, int]) -> int:
    """f_dealer(index): revealed after a complaint, else opened from the sealed box; checked."""
    commitments = th.TrusteeCommitments.from_json(dealer["commitments"])
    if dealer["index"] in revealed:
        share = revealed[dealer["index"]]
    else:
        try:
            share = g.decode_scalar(opener.decrypt(base64.b64decode(dealer["sealed_shares"][str(index)])).hex())
        except (CryptoError, KeyError, TypeError, ValueError):
            raise TrusteeError(f"the share trustee {dealer['index']} sealed to you cannot be opened") from None
    if not th.share_is_valid(share, index, commitments.commitments):
        raise TrusteeError(f"the share of trustee {dealer['index']} does not match their commitments")
    return share


def _revealed_to(kit: dict, index: int) -> dict[int, int]:
    return {int(c["dealer"]): g.decode_scalar(c["share"]) for c in kit.get("complaints") or []
            if int(c["complainant"]) == index and c.get("status") == "answered"}


def check(key_path: Path, kit: dict, passphrase: bytes) -> dict | None:
    """The first dealer whose share to this trustee does not match its commitments, as a complaint to
    post; None when every share dealt so far verifies."""
    content = read_key(key_path, passphrase)
    me = _me(kit, content)
    opener = SealedBox(PrivateKey(bytes.fromhex(content["transport_private"])))
    revealed = _revealed_to(kit, me["index"])
    complained = {int(c["dealer"]) for c in kit.get("complaints") or [] if int(c["complainant"]) == me["index"]}
    for dealer in kit["trustees"]:
        if dealer["index"] == me["index"] or not dealer["commitments"] or dealer["index"] in complained:
            continue
        try:
            _received_share(opener, dealer, me["index"], revealed)
        except TrusteeError:
            return {"step": "complaint", "dealer": dealer["index"]}
    return None


def answer(key_path: Path, kit: dict, passphrase: bytes) -> dict:
    """Reveal the share this trustee dealt to each trustee who complained about it (not yet answered)."""
    content = read_key(key_path, passphrase)
    me = _me(kit, content)
    if content.get("context") != kit["context"] or "dealt_shares" not in content:
        raise TrusteeError("this key holds no shares dealt for these parameters")
    pending = [int(c["complainant"]) for c in kit.get("complaints") or []
               if int(c["dealer"]) == me["index"] and c.get("share") is None]
    if not pending:
        raise TrusteeError("no complaint against you awaits an answer")
    return {"step": "answers", "answers": {str(l): content["dealt_shares"][str(l)] for l in pending}}


def secret_share(content: dict, kit: dict) -> int:
    """x_l = Σ_{i∈QUAL} f_i(l), each share checked, and X_l checked against QUAL's commitments."""
    index = _me(kit, content)["index"]
    qual = kit.get("qualified")
    if not qual:
        raise TrusteeError("the vote's key is not fixed yet (no qualified set)")
    if index in qual and content.get("context") != kit["context"]:
        raise TrusteeError("this key dealt for other parameters (the vote was edited?): deal again")
    opener = SealedBox(PrivateKey(bytes.fromhex(content["transport_private"])))
    revealed = _revealed_to(kit, index)
    total, qualified = 0, []
    for dealer in kit["trustees"]:
        if dealer["index"] not in qual:
            continue
        qualified.append(th.TrusteeCommitments.from_json(dealer["commitments"]))
        share = (g.decode_scalar(content["own_share"]) if dealer["index"] == index
                 else _received_share(opener, dealer, index, revealed))
        total = (total + share) % g.ORDER
    if g.base(total) != th.public_share(qualified, index):
        raise TrusteeError("your secret share does not match the published commitments")
    return total


def decrypt(key_path: Path, kit: dict, passphrase: bytes) -> dict:
    content = read_key(key_path, passphrase)
    if not kit.get("aggregates"):
        raise TrusteeError("the vote is not closed yet: nothing to decrypt")
    x = secret_share(content, kit)
    context = bytes.fromhex(kit["context"])
    index = _me(kit, content)["index"]
    partials = {str(a["option"]): th.partial_decrypt(context, index, x,
                                                     pf.Ciphertext.from_json(a)).to_json()
                for a in kit["aggregates"]}
    return {"step": "partials", "partials": partials}
