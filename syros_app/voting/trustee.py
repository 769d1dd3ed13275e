"""A trustee's offline tool: key material that never reaches the server.

    python -m syros_app voting trustee init    --key me.key
    python -m syros_app voting trustee deal    --key me.key --kit kit.json --out deal.json
    python -m syros_app voting trustee decrypt --key me.key --kit kit.json --out partials.json

``kit.json`` is ``GET /api/v1/votes/{id}/trustee-kit.json`` (public: parameters, the trustees'
transport keys, commitments and sealed shares, and after the close the per-option sums). Each
command writes a JSON file the trustee pastes on ``/votes/{id}/trustee`` (or their device posts).

* ``init``: an X25519 transport key pair (libsodium); the private half and everything the
  later steps add are kept in ``me.key`` encrypted under the trustee's passphrase (Argon2id
  → XSalsa20-Poly1305, libsodium's ``pwhash`` + ``SecretBox``). Out: the public key.
* ``deal``: the trustee's polynomial of degree k−1 (fresh randomness), its commitments with
  proofs of knowledge, and each other trustee's share sealed to their transport key
  (``SealedBox``). The trustee's own share f_i(i) is kept in ``me.key``; the polynomial is
  forgotten. Out: commitments + sealed shares.
* ``decrypt``: opens the shares sealed to this trustee, checks each against its dealer's
  commitments (naming a dealer whose share is wrong), adds them to its own: x_i, checked against
  the public share the commitments fix; then partial decryptions of every sum, with proofs.

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
                   own_share=g.encode_scalar(poly.share_for(me["index"])))
    write_key(key_path, content, passphrase)
    return {"step": "commitments", "commitments": poly.commitments(bytes.fromhex(kit["context"])).to_json(),
            "sealed_shares": sealed}


def secret_share(content: dict, kit: dict) -> int:
    """x_i from this trustee's own share and the shares sealed to it, each checked."""
    if content.get("context") != kit["context"]:
        raise TrusteeError("this key dealt for other parameters (the vote was edited?): deal again")
    opener = SealedBox(PrivateKey(bytes.fromhex(content["transport_private"])))
    index, total = content["index"], g.decode_scalar(content["own_share"])
    everyone = []
    for dealer in kit["trustees"]:
        if not dealer["commitments"]:
            raise TrusteeError(f"trustee {dealer['index']} has not dealt yet")
        commitments = th.TrusteeCommitments.from_json(dealer["commitments"])
        everyone.append(commitments)
        if dealer["index"] == index:
            continue
        try:
            share = g.decode_scalar(opener.decrypt(base64.b64decode(dealer["sealed_shares"][str(index)])).hex())
        except (CryptoError, KeyError, TypeError, ValueError):
            raise TrusteeError(f"the share trustee {dealer['index']} sealed to you cannot be opened") from None
        if not th.share_is_valid(share, index, commitments.commitments):
            raise TrusteeError(f"the share of trustee {dealer['index']} does not match their commitments")
        total = (total + share) % g.ORDER
    if g.base(total) != th.public_share(everyone, index):
        raise TrusteeError("your secret share does not match the published commitments")
    return total


def decrypt(key_path: Path, kit: dict, passphrase: bytes) -> dict:
    content = read_key(key_path, passphrase)
    if not kit.get("aggregates"):
        raise TrusteeError("the vote is not closed yet: nothing to decrypt")
    x = secret_share(content, kit)
    context = bytes.fromhex(kit["context"])
    partials = {str(a["option"]): th.partial_decrypt(context, content["index"], x,
                                                     pf.Ciphertext.from_json(a)).to_json()
                for a in kit["aggregates"]}
    return {"step": "partials", "partials": partials}
