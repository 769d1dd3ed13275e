"""The election record (format 2; format 1 still verifies; RECORD.md): building it, reading it, verifying it independently.

The verifier trusts nothing the server says: it recomputes the election's
context from its parameters, every trustee's proofs, the election key, every
ballot's fingerprint and proofs, the spoiled ballots, the aggregates, every
partial decryption and the counts. It stops at the first thing that fails and
names it (``RecordError``).
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from . import ballot as bl
from . import group as g
from . import proofs as pf
from . import threshold as th

FORMAT = "syros-agora-election-record"
VERSION = 2
KNOWN_VERSIONS = (1, 2)  # 2 added the key ceremony's qualified set and complaints
PARALLEL_FROM = 200  # fewer ballots than this are checked in-process
FILES = ("manifest.json", "ballots.json", "spoiled.json", "tally.json", "results.json")


class RecordError(ValueError):
    """The first thing in a record that does not verify."""


@dataclass(frozen=True)
class Trustee:
    name: str
    commitments: th.TrusteeCommitments | None  # None: this trustee never dealt
    index: int | None = None  # needed only when ``commitments`` is None

    @property
    def number(self) -> int:
        return self.commitments.index if self.commitments is not None else int(self.index or 0)

    def to_json(self) -> dict:
        if self.commitments is None:
            return {"index": self.number, "name": self.name, "commitments": None, "proofs": None}
        return {"name": self.name, **self.commitments.to_json()}


def manifest(election: bl.Election, *, title: str, question: str, option_titles: Sequence[str],
             trustees: Sequence[Trustee], complaints: Sequence[th.Complaint] = ()) -> dict:
    """manifest.json; ``election.public_key`` must be Σ F_{i,0} over the qualified set."""
    dealers = {t.commitments.index: t.commitments for t in trustees if t.commitments is not None}
    return {
        "format": FORMAT,
        "version": VERSION,
        "parameters": election.parameters(),
        "context": election.context.hex(),
        "public_key": election.public_key.hex(),
        "title": title,
        "question": question,
        "option_titles": list(option_titles),
        "trustees": [t.to_json() for t in trustees],
        "qualified": th.qualified(dealers, complaints),
        "complaints": [c.to_json() for c in sorted(complaints, key=lambda c: (c.dealer, c.complainant))],
    }


def qualified_commitments(manifest_data: Mapping) -> list[th.TrusteeCommitments]:
    """The commitments that make the key and the public shares (format 1: every trustee's)."""
    dealers = [th.TrusteeCommitments.from_json(t) for t in manifest_data["trustees"] if t.get("commitments")]
    if manifest_data.get("version") == 1:
        return dealers
    qual = set(manifest_data["qualified"])
    return [t for t in dealers if t.index in qual]


def election_of(manifest_data: Mapping) -> bl.Election:
    p = manifest_data["parameters"]
    return bl.Election(
        vote_id=int(p["vote_id"]), kind=str(p["kind"]), option_ids=tuple(int(i) for i in p["options"]),
        costs=tuple(int(c) for c in (p.get("costs") or ())), max_choices=p.get("max_choices"),
        budget_total=p.get("budget_total"), threshold=int(p["threshold"]), trustees=int(p["trustees"]),
        public_key=g.decode_point(manifest_data["public_key"]),
    )


def aggregates(election: bl.Election, ballots: Sequence[Mapping]) -> list[pf.Ciphertext]:
    """Per option, the sum of every cast ballot's selection ciphertext."""
    columns: list[list[pf.Ciphertext]] = [[] for _ in election.option_ids]
    for b in ballots:
        for column, ct in zip(columns, bl.selection_ciphertexts(b)):
            column.append(ct)
    return [pf.combine(c) for c in columns]


def tally_file(election: bl.Election, ballots: Sequence[Mapping],
               partials: Mapping[int, Sequence[th.PartialDecryption]]) -> dict:
    """tally.json from the cast ballots and, per option id, at least k trustees' partial decryptions.
    No ballot: every aggregate is the identity — an encryption of 0 with no randomness, which
    anyone can check — so the counts are 0 and no trustee decrypts anything."""
    options = []
    for option_id, agg in zip(election.option_ids, aggregates(election, ballots)):
        if not ballots:
            options.append({"id": option_id, "aggregate": agg.to_json(), "partials": [], "votes": 0})
            continue
        shares = list(partials[option_id])
        votes = th.combine_partials(agg, shares, len(ballots))
        if votes is None:
            raise RecordError(f"option {option_id}: the partial decryptions do not give a count")
        options.append({"id": option_id, "aggregate": agg.to_json(), "partials": [p.to_json() for p in shares],
                        "votes": votes})
    return {"ballots": len(ballots), "options": options}


def board_entry(ballot: Mapping) -> dict:
    return {"fingerprint": bl.fingerprint(ballot), "ballot": ballot}


# Every entry carries this timestamp, not the clock's: the same record is the same bytes
# (a stable fingerprint and ETag, and an archive anyone can rebuild byte for byte).
ARCHIVE_TIME = (2026, 1, 1, 0, 0, 0)


def write_archive(files: Mapping[str, object]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in FILES:
            if name in files:
                entry = zipfile.ZipInfo(name, date_time=ARCHIVE_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                zf.writestr(entry, json.dumps(files[name], ensure_ascii=False, indent=1, sort_keys=True))
    return buf.getvalue()


def read_archive(source: str | os.PathLike | bytes) -> dict:
    """The record's files from a .zip (path or bytes) or a folder holding them."""
    if not isinstance(source, bytes) and Path(source).is_dir():
        return {n: json.loads((Path(source) / n).read_text("utf-8")) for n in FILES if (Path(source) / n).exists()}
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return {n: json.loads(zf.read(n).decode("utf-8")) for n in FILES if n in zf.namelist()}
    except (zipfile.BadZipFile, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RecordError(f"not a readable record archive: {exc}") from None


# -- verification ----------------------------------------------------------------------------


@dataclass
class Report:
    ballots: int
    spoiled: int
    counts: dict[int, int]
    trustees_decrypting: list[int]


def _verify_chunk(args: tuple[dict, list]) -> str | None:
    manifest_data, entries = args
    election = election_of(manifest_data)
    for entry in entries:
        try:
            bl.verify_ballot(election, entry["ballot"])
        except pf.ProofError as exc:
            return f"ballot {entry.get('fingerprint', '?')[:16]}: {exc}"
    return None


def verify(files: Mapping[str, object], *, jobs: int = 1) -> Report:
    """Verify a whole record; raise ``RecordError`` naming the first failure."""
    try:
        return _verify(files, jobs)
    except RecordError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise RecordError(f"malformed record: {type(exc).__name__}: {exc}") from None


def _verify(files: Mapping[str, object], jobs: int) -> Report:
    for name in ("manifest.json", "ballots.json", "spoiled.json", "tally.json"):
        if name not in files:
            raise RecordError(f"{name} is missing")
    m: dict = files["manifest.json"]  # type: ignore[assignment]
    if m.get("format") != FORMAT or m.get("version") not in KNOWN_VERSIONS:
        raise RecordError(f"manifest.json: not {FORMAT} version {' or '.join(map(str, KNOWN_VERSIONS))}")
    election = election_of(m)
    if election.context.hex() != m["context"]:
        raise RecordError("manifest.json: context is not the hash of the parameters")
    ctx = election.context
    qual = _verify_trustees(m, election)

    # cast ballots
    entries: list = files["ballots.json"]  # type: ignore[assignment]
    seen: set[str] = set()
    seen_alpha: set[str] = set()
    for entry in entries:
        fp = _fingerprint_of(entry, "ballot")
        if fp in seen:
            raise RecordError(f"ballot {fp[:16]}: appears twice")
        seen.add(fp)
    failure = _verify_ballots(m, entries, jobs)
    if failure:
        raise RecordError(failure)
    for entry in entries:  # a copied ciphertext would copy another voter's choice
        for sel in entry["ballot"]["selections"]:
            if sel["alpha"] in seen_alpha:
                raise RecordError(f"ballot {entry['fingerprint'][:16]}: reuses a ciphertext of another ballot")
            seen_alpha.add(sel["alpha"])

    # spoiled (audited) ballots: never counted, each must open to what it revealed
    spoiled: list = files["spoiled.json"]  # type: ignore[assignment]
    for entry in spoiled:
        fp = _fingerprint_of(entry, "spoiled ballot")
        if fp in seen:
            raise RecordError(f"spoiled ballot {fp[:16]} is also among the cast ballots")
        try:
            election.check_choice(bl.verify_audit(election, entry))
        except (pf.ProofError, ValueError) as exc:
            raise RecordError(f"spoiled ballot {fp[:16]}: {exc}") from None

    # aggregation, partial decryptions, counts
    tally: dict = files["tally.json"]  # type: ignore[assignment]
    if tally["ballots"] != len(entries):
        raise RecordError(f"tally.json: {tally['ballots']} ballots stated, {len(entries)} on the board")
    if [o["id"] for o in tally["options"]] != list(election.option_ids):
        raise RecordError("tally.json: options differ from the manifest")
    shares = {index: th.public_share(qual, index) for index in range(1, election.trustees + 1)}
    counts: dict[int, int] = {}
    decrypting: set[int] = set()
    for option, agg in zip(tally["options"], aggregates(election, [e["ballot"] for e in entries])):
        where = f"tally.json: option {option['id']}"
        if not entries:  # no ballot: the identity, an encryption of 0 (see ``tally_file``)
            if option["aggregate"] != agg.to_json() or option["partials"] or option["votes"] != 0:
                raise RecordError(f"{where}: with no ballot the aggregate is the identity and the count 0")
            counts[option["id"]] = 0
            continue
        if pf.Ciphertext.from_json(option["aggregate"]) != agg:
            raise RecordError(f"{where}: aggregate is not the sum of the cast ballots")
        partials = [th.PartialDecryption.from_json(p) for p in option["partials"]]
        indices = [p.index for p in partials]
        if len(set(indices)) != len(indices) or not set(indices) <= set(shares):
            raise RecordError(f"{where}: partial decryptions from unknown or repeated trustees")
        if len(indices) < election.threshold:
            raise RecordError(f"{where}: {len(indices)} partial decryptions, {election.threshold} needed")
        for p in partials:
            try:
                th.verify_partial(ctx, shares[p.index], agg, p)
            except pf.ProofError as exc:
                raise RecordError(f"{where}: {exc}") from None
        votes = th.combine_partials(agg, partials, len(entries))
        if votes is None or votes != option["votes"]:
            raise RecordError(f"{where}: count {option['votes']} does not match the decryption ({votes})")
        counts[option["id"]] = votes
        decrypting |= set(indices)

    if "results.json" in files:
        _verify_results(election, files["results.json"], counts, len(entries))  # type: ignore[arg-type]
    return Report(len(entries), len(spoiled), counts, sorted(decrypting))


def _verify_trustees(m: Mapping, election: bl.Election) -> list[th.TrusteeCommitments]:
    """Every dealer's proofs, the complaints and their revealed shares, QUAL, the election key;
    returns QUAL's commitments (format 1: every trustee dealt and all are qualified)."""
    numbers = [int(t["index"]) for t in m["trustees"]]
    if sorted(numbers) != list(range(1, election.trustees + 1)):
        raise RecordError(f"manifest.json: trustees must be numbered 1..{election.trustees}")
    version_1 = m["version"] == 1
    dealers = {}
    for t in m["trustees"]:
        if not version_1 and t.get("commitments") is None:
            continue  # never dealt (format 2): may still decrypt with a share of QUAL's polynomials
        published = th.TrusteeCommitments.from_json(t)
        try:
            th.verify_commitments(election.context, published, election.threshold)
        except pf.ProofError as exc:
            raise RecordError(f"manifest.json: trustee {published.index}: {exc}") from None
        dealers[published.index] = published
    if version_1:
        qual = sorted(dealers)
    else:
        complaints = [th.Complaint.from_json(c) for c in m["complaints"]]
        pairs = [(c.dealer, c.complainant) for c in complaints]
        if len(set(pairs)) != len(pairs):
            raise RecordError("manifest.json: a complaint appears twice")
        for c in complaints:
            if c.dealer not in dealers or not 1 <= c.complainant <= election.trustees or c.complainant == c.dealer:
                raise RecordError(f"manifest.json: complaint of trustee {c.complainant} against {c.dealer} "
                                  "names no dealer or no other trustee")
        qual = th.qualified(dealers, complaints)
        if list(m["qualified"]) != qual:
            raise RecordError(f"manifest.json: qualified {m['qualified']} is not the dealers without an unanswered "
                              f"or wrongly answered complaint {qual}")
    if len(qual) < election.threshold:
        raise RecordError(f"manifest.json: {len(qual)} qualified trustees, {election.threshold} needed")
    commitments = [dealers[i] for i in qual]
    if th.joint_public_key(commitments) != election.public_key:
        raise RecordError("manifest.json: public_key is not the sum of the qualified trustees' first commitments")
    return commitments


def _fingerprint_of(entry: Mapping, what: str) -> str:
    fp = bl.fingerprint(entry["ballot"])
    if fp != entry["fingerprint"]:
        raise RecordError(f"{what} {str(entry['fingerprint'])[:16]}: fingerprint does not match its ballot")
    return fp


def _verify_ballots(m: dict, entries: list, jobs: int) -> str | None:
    if jobs <= 1 or len(entries) < PARALLEL_FROM:
        return _verify_chunk((m, entries))
    size = -(-len(entries) // (jobs * 4))
    chunks = [(m, entries[i:i + size]) for i in range(0, len(entries), size)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for failure in pool.map(_verify_chunk, chunks):
            if failure:
                return failure
    return None


def _verify_results(election: bl.Election, results: Mapping, counts: Mapping[int, int], ballots: int) -> None:
    from syros_app.voting.rules import OptionRule, budget_winners

    if results.get("ballots") != ballots:
        raise RecordError(f"results.json: {results.get('ballots')} ballots, the tally has {ballots}")
    published = {int(o["id"]): o.get("votes") for o in results.get("options", [])}
    for option_id, votes in counts.items():
        if published.get(option_id) != votes:
            raise RecordError(f"results.json: option {option_id} has {published.get(option_id)} votes, "
                              f"the tally {votes}")
    if election.kind == "budget":
        rules = [OptionRule(i, c) for i, c in zip(election.option_ids, election.costs)]
        winners = budget_winners(rules, dict(counts), election.budget_total or 0)
        if list(results.get("winners") or []) != list(winners):
            raise RecordError(f"results.json: winners {results.get('winners')} differ from the rule's {winners}")
