"""What the voting pages show: the view models and the builders that turn rows into them.

Builders take a session (they run inside ``state_helpers.read``) and return the
state's fields as a dict, so a state only assigns. Texts that come from the server
are kept in both languages (``*_el`` / ``*_en``) so the language switch needs no reload.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session

from syros_app.core.actors import Actor
from syros_app.core import formatting
from syros_app.core.errors import AgoraError, PermissionDenied
from syros_app.core.i18n import translate
from syros_app.core.timefmt import ATHENS, as_utc

from . import queries, rules
from .crypto import ballot as crypto_ballot
from .models import Vote
from .permissions import MATRIX

DEFAULT_OPTIONS = ("Ναι", "Όχι")  # a new yes/no vote's options (the data, in Greek, as stored)


def both(key: str, **params) -> tuple[str, str]:
    return translate(key, "el", **params), translate(key, "en", **params)


def labels(prefix: str, value: str, name: str) -> dict[str, str]:
    """``{name}_el`` / ``{name}_en``: the catalogue text of ``voting.<prefix>.<value>``."""
    el, en = both(f"voting.{prefix}.{value}")
    return {f"{name}_el": el, f"{name}_en": en}


def money(value: int | None, lang: str = "el") -> str:
    return formatting.money(value or 0, lang)


def in_both(name: str, fn, *args, **kwargs) -> dict[str, str]:
    """``{name}_el`` / ``{name}_en``: ``fn(*args, lang)`` formatted for each language."""
    return {f"{name}_{lang}": fn(*args, lang, **kwargs) for lang in ("el", "en")}


def _local(value: datetime | None, lang: str = "el") -> str:
    return formatting.datetime_text(as_utc(value), lang) if value else ""


def _form_time(value: datetime | None) -> str:
    """A time as a ``datetime-local`` input holds it (Athens wall clock)."""
    return as_utc(value).astimezone(ATHENS).strftime("%Y-%m-%dT%H:%M") if value else ""


class VoteCard(BaseModel):
    id: int
    title: str
    question: str
    kind_el: str
    kind_en: str
    status: str
    status_el: str
    status_en: str
    when: str
    when_en: str = ""
    url: str


class StaffVoteCard(BaseModel):
    id: int
    title: str
    kind_el: str
    kind_en: str
    status: str
    status_el: str
    status_en: str
    opens: str
    closes: str


class Texts(BaseModel):
    """One text in both languages; the page shows the reader's."""

    el: str = ""
    en: str = ""


def texts(fn, *args) -> Texts:
    """``fn(*args, lang)`` for each language."""
    return Texts(el=fn(*args, "el"), en=fn(*args, "en"))


class VoteHead(BaseModel):
    """One vote as its page shows it around the ballot (``VoteState.vote``); ``reason`` says
    why this person may not vote ("" when they may)."""

    question: str = ""
    explanation: str = ""
    kind: str = ""
    status: str = ""
    reason: str = ""
    status_text: Texts = Texts()
    closes: Texts = Texts()
    turnout: Texts = Texts()
    reason_text: Texts = Texts()
    max_choices: int = 0
    budget_total: int = 0
    has_document: bool = False


class ResultFigures(BaseModel):
    """A published result's figures and its sentence (``ResultsState.figures``)."""

    ballots: Texts = Texts()
    roll_size: Texts = Texts()
    turnout: Texts = Texts()
    outcome: Texts = Texts()
    budget: Texts = Texts()
    winners_cost: Texts = Texts()


class OptionView(BaseModel):
    id: str
    title: str
    description: str = ""
    cost: int = 0
    cost_text: str = ""


class ResultRow(BaseModel):
    id: int
    title: str
    votes: int
    votes_el: str
    votes_en: str
    percent: float
    percent_el: str
    percent_en: str
    width: str  # share of the ballots cast, so a 50 % option fills half the bar
    cost_text: str = ""
    cost_text_en: str = ""
    winner: bool = False


class UnitRow(BaseModel):
    unit: str
    participations: str
    roll_size: str
    percent_el: str
    percent_en: str


class MyVoteRow(BaseModel):
    vote_id: int
    title: str
    voted_on_el: str
    voted_on_en: str
    tracker: str
    status_el: str
    status_en: str
    published: bool
    encrypted: bool = False


class TrusteeDuty(BaseModel):
    """A vote this person is a trustee of (their page: /votes/{id}/trustee)."""

    vote_id: int
    title: str


class TrusteeCandidate(BaseModel):
    person_id: str
    name: str


class TrusteeRow(BaseModel):
    index: int
    name: str
    key_posted: bool
    dealt: bool
    decrypted: bool
    complained_against: bool = False  # a complaint against this dealer waits for its answer
    disqualified: bool = False


class BoardRow(BaseModel):
    receipt: str
    fingerprint: str


class OptionRow(BaseModel):
    title: str = ""
    description: str = ""
    cost: str = ""


class VoteForm(BaseModel):
    """The staff form of one vote (``StaffVotesState.form``); what was typed is kept here,
    so a refusal shows the form again as it was."""

    kind: str = "yes_no"
    options: list[OptionRow] = []  # what the kind asks for (set_kind changes both)
    title: str = ""
    question: str = ""
    explanation: str = ""
    roll: str = ""
    unit: str = ""
    min_age: str = "17"
    max_choices: str = "2"
    budget: str = ""
    opens: str = ""
    closes: str = ""


class RollView(BaseModel):
    id: str
    name: str
    size: int


def _badges(vote: Vote, status: str) -> dict[str, Any]:
    return {"id": vote.id, "title": vote.title, "status": status,
            **labels("kind", vote.kind, "kind"), **labels("status", status, "status")}


def vote_card(vote: Vote, status: str) -> VoteCard:
    when_at = vote.closes_at if status in ("open", "closed", "published") else vote.opens_at
    return VoteCard(**_badges(vote, status), question=vote.question, when=_local(when_at),
                    when_en=_local(when_at, "en"), url=f"/votes/{vote.id}")


def staff_card(vote: Vote, status: str) -> StaffVoteCard:
    return StaffVoteCard(**_badges(vote, status), opens=_local(vote.opens_at), closes=_local(vote.closes_at))


def votes_list(session: Session, now: datetime) -> dict[str, Any]:
    return {"votes": [vote_card(v, s) for v, s in queries.list_votes(session, now=now)], "loaded": True}


# --- one vote's page ------------------------------------------------------------------------

def vote_page(session: Session, actor: Actor | None, vote_id: object, now: datetime) -> dict[str, Any]:
    """Everything ``VoteState`` shows; ``found`` False for an unknown vote (or a draft,
    unless the matrix lets this person see drafts)."""
    try:
        vote = queries.public_vote(session, vote_id, staff=MATRIX.allows(actor, "view_drafts"))
    except AgoraError:
        return {"found": False, "loaded": True}
    status = queries.status_of(vote, now)
    reason = queries.ineligibility_for(session, actor, vote, now=now)
    turnout = queries.turnout(session, vote)
    counting = status in ("open", "closed", "published")
    head = VoteHead(
        question=vote.question, explanation=vote.explanation, kind=vote.kind, status=status, reason=reason or "",
        status_text=texts(translate, f"voting.status.{status}"), closes=texts(_local, vote.closes_at),
        turnout=texts(turnout_text, turnout.participations, turnout.roll_size) if counting else Texts(),
        reason_text=texts(lambda lang: translate(f"voting.reason.{reason}", lang, unit=vote.municipal_unit or "",
                                                 min_age=vote.min_age)) if reason else Texts(),
        max_choices=vote.max_choices or 0, budget_total=vote.budget_total or 0,
        has_document=queries.has_document(session, vote.id))
    return {
        "found": True, "loaded": True, "vote_id": vote.id, "title": vote.title, "vote": head,
        "options": [OptionView(id=str(o.id), title=o.title, description=o.description, cost=o.cost or 0,
                               cost_text=money(o.cost) if o.cost else "") for o in queries.options_of(session, vote.id)],
        "logged_in": actor is not None, "eligible": reason is None, "encrypted": vote.encrypted,
        "manifest_json": vote.election_json or "" if vote.encrypted and reason is None else "",
    }


def receipt_file_text(vote_id: int, title: str, tracker: str) -> str:
    """The downloaded receipt: in both languages, with the check page's absolute address
    (a saved file opened later has no site to be relative to)."""
    from syros_app.core.settings import get_settings

    check = f"{get_settings().public_url.rstrip('/')}/votes/{vote_id}/check"
    el, en = both("voting.receipt_file.code")
    return "\n".join([" · ".join(both("voting.receipt_file.heading")), title, f"{el} / {en}: {tracker}",
                      " / ".join(both("voting.receipt_file.check")) + ":", check, ""])


def turnout_text(participations: int, roll_size: int, lang: str) -> str:
    """``12 / 40 (30,0 %)``."""
    share = participations / roll_size if roll_size else 0.0
    return (f"{formatting.number(participations, lang)} / {formatting.number(roll_size, lang)} "
            f"({formatting.percent(share, lang)})")


def result_sentence(kind: str, results: dict[str, Any], lang: str) -> str:
    """One sentence of what was decided, beside the bars and the table."""
    options, ballots = results["options"], results["ballots"]
    pct = lambda votes: formatting.percent(votes / ballots if ballots else 0.0, lang)  # noqa: E731
    if not ballots:
        return translate("voting.outcome.no_ballots", lang)
    if kind == "budget":
        winners = [o for o in options if o["id"] in set(results.get("winners", []))]
        return translate("voting.outcome.budget", lang, count=formatting.number(len(winners), lang),
                         cost=formatting.money(results.get("winners_cost") or 0, lang),
                         total=formatting.money(results.get("budget_total") or 0, lang))
    ranked = sorted(options, key=lambda o: -o["votes"])
    first = ranked[0]
    tied = len(ranked) > 1 and ranked[1]["votes"] == first["votes"]
    count = {"votes": formatting.number(first["votes"], lang), "ballots": formatting.number(ballots, lang)}
    if kind == "yes_no" and len(options) == 2:
        yes, no = options
        if yes["votes"] > no["votes"]:
            return translate("voting.outcome.approved", lang, percent=pct(yes["votes"]),
                             votes=formatting.number(yes["votes"], lang), ballots=count["ballots"])
        if yes["votes"] < no["votes"]:
            return translate("voting.outcome.rejected", lang, option=no["title"], percent=pct(no["votes"]),
                             votes=formatting.number(no["votes"], lang), ballots=count["ballots"])
        return translate("voting.outcome.tie", lang, percent=pct(yes["votes"]))
    if tied:
        return translate("voting.outcome.tie", lang, percent=pct(first["votes"]))
    key = "voting.outcome.multiple" if kind == "multiple" else "voting.outcome.single"
    return translate(key, lang, option=first["title"], percent=pct(first["votes"]), **count)


def result_fields(kind: str, results: dict[str, Any]) -> dict[str, Any]:
    """The published result as the results page shows it: figures in both languages,
    bars proportional to the share of ballots, and the sentence of what was decided."""
    ballots = results["ballots"]
    winners = set(results.get("winners", []))

    def share(part: int, whole: int) -> float:
        return part / whole if whole else 0.0

    return {
        "published": True,
        "rows": [ResultRow(id=o["id"], title=o["title"], votes=o["votes"], percent=o["percent"],
                           **in_both("votes", formatting.number, o["votes"]),
                           **in_both("percent", formatting.percent, share(o["votes"], ballots)),
                           width=f"{100 * share(o['votes'], ballots):.1f}%",
                           cost_text=money(o["cost"]) if o.get("cost") else "",
                           cost_text_en=money(o["cost"], "en") if o.get("cost") else "",
                           winner=o["id"] in winners) for o in results["options"]],
        "units": [UnitRow(unit=u["unit"], participations=formatting.number(u["participations"]),
                          roll_size=formatting.number(u["roll_size"]),
                          **in_both("percent", formatting.percent, share(u["participations"], u["roll_size"])))
                  for u in results.get("turnout_by_unit", [])],
        "figures": ResultFigures(
            ballots=texts(formatting.number, ballots), roll_size=texts(formatting.number, results["roll_size"]),
            turnout=texts(formatting.percent, share(results["participations"], results["roll_size"])),
            outcome=texts(result_sentence, kind, results),
            budget=texts(lambda v, lang: money(v, lang) if v else "", results.get("budget_total")),
            winners_cost=texts(lambda v, lang: money(v, lang) if v is not None else "", results.get("winners_cost"))),
    }


def board_page(session: Session, vote_id: object) -> dict[str, Any]:
    """An encrypted vote's bulletin board: every cast ballot's receipt and fingerprint."""
    try:
        vote = queries.public_vote(session, vote_id)
        fingerprints = queries.board(session, vote.id)
    except AgoraError:
        return {"found": False, "loaded": True}
    return {"found": vote.encrypted, "loaded": True, "vote_id": vote.id, "title": vote.title,
            "published": vote.status == "published",
            "entries": [BoardRow(receipt=crypto_ballot.receipt(f), fingerprint=f) for f in fingerprints],
            "spoiled": [BoardRow(receipt=crypto_ballot.receipt(f), fingerprint=f)
                        for f in queries.spoiled_fingerprints(session, vote.id)]}


def trustee_page(session: Session, actor: Actor | None, vote_id: object) -> dict[str, Any]:
    """A trustee's view of their vote: which step is theirs now (``step``: transport_key |
    commitments | waiting | partials | done | none)."""
    try:
        vote = queries.public_vote(session, vote_id, staff=True)
    except AgoraError:
        return {"found": False, "loaded": True}
    mine = next((t for t in queries.trustees_of(session, vote.id)
                 if actor is not None and t.person_id == actor.person_id), None)
    if not vote.encrypted or mine is None:
        return {"found": True, "loaded": True, "is_trustee": False, "vote_id": vote.id, "title": vote.title}
    if vote.status == "draft":
        step = _ceremony_step(session, vote, mine)
    elif vote.status == "closed":  # no ballot cast: nothing to decrypt (every count is 0)
        step = "done" if mine.partials or not queries.has_encrypted_ballots(session, vote.id) else "partials"
    else:
        step = "waiting"
    return {"found": True, "loaded": True, "is_trustee": True, "vote_id": vote.id, "title": vote.title,
            "index": mine.index, "threshold": vote.trustee_threshold or 1,
            "trustees": len(queries.trustees_of(session, vote.id)), "step": step,
            "complaints": complaint_rows(session, vote)}


class ComplaintRow(BaseModel):
    dealer: int
    complainant: int
    status: str  # pending | answered | disqualifying


def complaint_rows(session: Session, vote: Vote) -> list[ComplaintRow]:
    """The key ceremony's public complaints (the trustee kit has the revealed shares)."""
    return [ComplaintRow(dealer=c["dealer"], complainant=c["complainant"], status=c["status"])
            for c in queries.kit_complaints(session, vote)["complaints"]]


def _ceremony_step(session: Session, vote: Vote, mine) -> str:
    """A draft's next step for this trustee: transport_key | answer (a complaint against them
    waits) | commitments | check (the shares dealt to them; a complaint if one is wrong)."""
    if not mine.transport_key:
        return "transport_key"
    if any(c.dealer == mine.index and c.share is None for c in queries.complaints_of(session, vote.id)[0]):
        return "answer"
    return "commitments" if not mine.commitments else "check"


def results_page(session: Session, vote_id: object) -> dict[str, Any]:
    try:
        vote = queries.public_vote(session, vote_id)
    except AgoraError:
        return {"found": False, "loaded": True}
    fields = {"found": True, "loaded": True, "published": False, "vote_id": vote.id, "title": vote.title,
              "question": vote.question, "kind": vote.kind, "close_reason": vote.close_reason or ""}
    try:
        _, results = queries.published_results(session, vote.id)
    except AgoraError:
        return fields
    return {**fields, **result_fields(vote.kind, results)}


def check_page(session: Session, vote_id: object) -> dict[str, Any]:
    try:
        vote = queries.public_vote(session, vote_id)
    except AgoraError:
        return {"found_vote": False}
    if vote.encrypted:  # the board is public from the start of casting; it never shows a choice
        return {"found_vote": True, "vote_id": vote.id, "title": vote.title, "encrypted": True,
                "published": vote.status != "draft" and bool(vote.election_json)}
    return {"found_vote": True, "vote_id": vote.id, "title": vote.title, "published": vote.status == "published",
            "encrypted": False}


def tracker_check(session: Session, vote_id: int, raw: str) -> dict[str, Any]:
    """``result``: found | missing | invalid (not a tracker, or nothing published); for an
    encrypted vote on_board | missing | invalid, and never a choice."""
    tracker = rules.normalise_tracker(raw)
    if not tracker:
        return {"result": "invalid", "chosen": []}
    vote = session.get(Vote, vote_id)
    if vote is not None and vote.encrypted:
        on_board = queries.receipt_on_board(session, vote_id, tracker)
        return {"tracker": tracker, "result": "on_board" if on_board else "missing", "chosen": []}
    try:
        found = queries.find_tracker(session, vote_id, tracker)
    except AgoraError:
        return {"result": "invalid"}
    return {"tracker": tracker, "result": "missing" if found is None else "found",
            "chosen": [] if found is None else found[1]}


def my_votes(session: Session, actor: Actor | None, now: datetime) -> dict[str, Any]:
    rows = [] if actor is None else [
        MyVoteRow(vote_id=p.vote_id, title=p.title, **in_both("voted_on", formatting.date_text, p.voted_on),
                  tracker=p.tracker, published=p.status == "published" or p.encrypted, encrypted=p.encrypted,
                  **labels("status", p.status, "status"))
        for p in queries.my_participations(session, actor, now=now)]
    duties = [] if actor is None else [TrusteeDuty(vote_id=v, title=title)
                                       for v, title in queries.trusteeships(session, actor.person_id)]
    return {"logged_in": actor is not None, "rows": rows, "duties": duties, "loaded": True}


# --- staff ----------------------------------------------------------------------------------

def staff_lists(session: Session, now: datetime) -> dict[str, Any]:
    return {"votes": [staff_card(v, s) for v, s in queries.list_votes(session, now=now, include_drafts=True)],
            "rolls": [RollView(id=str(roll.id), name=roll.name, size=size) for roll, size in queries.rolls(session)]}


def blank_form(first_roll: str) -> dict[str, Any]:
    """The form of a new draft."""
    return {"selected_id": 0, "selected_status": "", "has_document": False, "preview": "",
            "form": VoteForm(roll=first_roll, options=[OptionRow(title=title) for title in DEFAULT_OPTIONS]),
            "encrypted": False, "key_ready": False, "trustee_rows": [], "trustee_candidates": [],
            "trustee_matches": [], "trustee_found": -1, "f_threshold": "2", "key_reason": "", "can_complete": False}


def staff_form(session: Session, vote_id: int, now: datetime) -> dict[str, Any]:
    """One vote in the staff form; a closed vote's counts are shown to staff (only) before publication."""
    vote = queries.public_vote(session, vote_id, staff=True)
    status = queries.status_of(vote, now)
    preview = ""
    if status == "closed" and (not vote.encrypted or queries.trustees_have_decrypted(session, vote)
                               or not queries.has_encrypted_ballots(session, vote.id)):
        results = queries.compute_results(session, vote)
        preview = "; ".join(f"{o['title']}: {o['votes']} ({o['percent']}%)" for o in results["options"])
    return {
        "selected_id": vote.id, "selected_status": status, "form": VoteForm(
            title=vote.title, question=vote.question, explanation=vote.explanation, kind=vote.kind,
            roll=str(vote.roll_id), unit=vote.municipal_unit or "", min_age=str(vote.min_age),
            max_choices=str(vote.max_choices or 2), budget=str(vote.budget_total or ""),
            options=[OptionRow(title=o.title, description=o.description, cost=str(o.cost or ""))
                     for o in queries.options_of(session, vote.id)],
            opens=_form_time(vote.opens_at), closes=_form_time(vote.closes_at)),
        "has_document": queries.has_document(session, vote.id), "preview": preview,
        **trustee_panel(session, vote, now),
    }


def trustee_panel(session: Session, vote: Vote, now: datetime | None = None) -> dict[str, Any]:
    """Who is offered as trustee (people holding a municipal role and this vote's trustees; staff
    search for anyone else with ``trustee_search``), and this vote's trustees' progress."""
    from syros_app.identity.queries import staff_members

    seen: set[int] = set()
    candidates = []
    for member in staff_members(session):
        if member.person_id not in seen:
            seen.add(member.person_id)
            candidates.append(TrusteeCandidate(person_id=str(member.person_id), name=member.name))
    trustees = queries.trustees_of(session, vote.id)
    candidates += [TrusteeCandidate(person_id=str(t.person_id), name=t.name) for t in trustees
                   if t.person_id not in seen]
    state = queries.ceremony_of(session, vote, trustees, now=now)
    accused = {c.dealer for c in state.pending}
    rows = [TrusteeRow(index=t.index, name=t.name, key_posted=t.transport_key is not None or t.commitments is not None,
                       dealt=t.commitments is not None, decrypted=t.partials is not None,
                       complained_against=t.index in accused, disqualified=t.index in state.disqualified)
            for t in trustees]
    return {"encrypted": vote.encrypted, "key_ready": bool(vote.election_json), "trustee_rows": rows,
            "trustee_candidates": candidates, "trustee_matches": [], "trustee_found": -1,
            "f_threshold": str(vote.trustee_threshold or 2), **key_reason(vote, state)}


def key_reason(vote: Vote, state: queries.Ceremony) -> dict[str, Any]:
    """Why an encrypted draft cannot open yet (a catalogue key; "" when its key is ready), and whether
    staff may complete the ceremony now with the k or more qualified trustees who dealt."""
    can_complete = vote.status == "draft" and not vote.election_json and state.trustees > 0 and state.can_complete
    if not vote.encrypted or vote.election_json:
        reason = ""
    elif state.trustees == 0:
        reason = "voting.staff.key_no_trustees"
    elif state.pending:
        reason = "voting.staff.key_complaint_pending"
    elif can_complete:
        reason = "voting.staff.key_can_complete"
    else:
        reason = "voting.staff.key_waiting_dealers"
    return {"key_reason": reason, "can_complete": can_complete}


def trustee_search(session: Session, actor: Actor | None, text: str, known: list[TrusteeCandidate]
                   ) -> dict[str, Any]:
    """Staff only: people with an account named like ``text``, added to the trustee lists
    (``known`` first, no one twice); ``trustee_found`` counts the matches (-1: nothing asked)."""
    if not MATRIX.allows(actor, "manage_votes"):
        raise PermissionDenied("voting.errors.administrators_only")
    matches = [TrusteeCandidate(person_id=str(pid), name=name) for pid, name in queries.people_named(session, text)]
    seen = {c.person_id for c in known}
    return {"trustee_candidates": [*known, *(m for m in matches if m.person_id not in seen)],
            "trustee_matches": matches, "trustee_found": len(matches) if text.strip() else -1}


def staff_page(session: Session, actor: Actor | None, wanted: str, now: datetime) -> dict[str, Any]:
    """The staff page: nothing at all unless the matrix lets this person see drafts."""
    if not MATRIX.allows(actor, "view_drafts"):
        return {"allowed": False, "votes": [], "rolls": [], "loaded": True, **blank_form("")}
    lists = staff_lists(session, now)
    fields = {"allowed": True, "loaded": True, **lists, **blank_form(lists["rolls"][0].id if lists["rolls"] else "")}
    if wanted.isdigit():
        try:
            fields.update(staff_form(session, int(wanted), now))
        except AgoraError:
            pass
    return fields
