"""Reflex states of voting: thin. Reads go through ``read`` and a builder of ``views``
(the state only assigns what it returns); writes through ``run_action`` (the action's
role matrix is the only guard, checked on the server)."""

from __future__ import annotations

import json
from typing import Any

import reflex as rx

from syros_app.core.errors import AgoraError
from syros_app.core.i18n import translate
from syros_app.core.timefmt import utcnow
from syros_app.identity.roles import MUNICIPAL_UNITS
from syros_app.identity.state import StaffState
from syros_app.ui.state_helpers import Confirming, current_actor, read, reader_language, run_action

from . import actions, ceremony, encrypted, queries, rules, views
from .views import (
    BoardRow,
    TrusteeCandidate,
    TrusteeRow,
    MyVoteRow,
    OptionRow,
    OptionView,
    ResultRow,
    RollView,
    StaffVoteCard,
    UnitRow,
    VoteCard,
)

MAX_OPTIONS = 30
MAX_TRUSTEE_ROWS = 7
_BROWSER_ERRORS = ("empty_choice", "choose_one", "too_many", "over_budget")


def _json_object(text: object) -> dict:
    """A JSON object handed back by the browser's script, or {} (never trusted further)."""
    try:
        value = json.loads(str(text)[:200_000])
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _route_param(state: rx.State, name: str) -> str:
    params = state.router.page.params if state.router and state.router.page else {}
    return str(params.get(name, ""))


async def _show(state: rx.State, build, *args) -> None:
    """Assign what a ``views`` builder returns (one read, one transaction, off the event loop)."""
    fields = await read(lambda session: build(session, *args))
    for name, value in fields.items():
        setattr(state, name, value)


class _VotePage(rx.State, mixin=True):
    """What every page about one vote holds before its own data (filled by its view)."""

    loaded: bool = False
    found: bool = True
    vote_id: int = 0
    title: str = ""

    async def _open(self, build, *args) -> None:
        """Show the page of the vote in the address afresh: ``build(session, *args, vote_id)``."""
        self.loaded = False
        await _show(self, build, *args, _route_param(self, "vote_id"))


class VotesListState(rx.State):
    votes: list[VoteCard] = []
    loaded: bool = False

    @rx.event
    async def load(self):
        await _show(self, views.votes_list, utcnow())


class VoteState(_VotePage, rx.State):
    """One vote's page: explanation, eligibility, choose → review → confirm → tracker."""

    vote: views.VoteHead = views.VoteHead()
    options: list[OptionView] = []
    eligible: bool = False
    logged_in: bool = False
    selected: list[str] = []
    step: str = "choose"  # choose | review | sealed (encrypted votes) | done
    error: str = ""
    tracker: str = ""
    # encrypted votes: the choice stays in the browser's form; the state only ever holds
    # the public manifest, the sealed ballot (ciphertexts + proofs) and its receipt
    encrypted: bool = False
    manifest_json: str = ""
    ballot_json: str = ""
    audit_titles: list[str] = []
    audit_ok: bool = False

    @rx.var
    def spent(self) -> int:
        costs = {o.id: o.cost for o in self.options}
        return sum(costs.get(i, 0) for i in self.selected)

    @rx.var
    def left_text(self) -> str:
        return views.money(self.vote.budget_total - self.spent)

    @rx.var
    def spent_text(self) -> str:
        return views.money(self.spent)

    @rx.var
    def over_budget(self) -> bool:
        return self.vote.kind == "budget" and self.spent > self.vote.budget_total

    @rx.var
    def budget_text(self) -> str:
        return views.money(self.vote.budget_total)

    @rx.var
    def selected_titles(self) -> list[str]:
        titles = {o.id: o.title for o in self.options}
        return [titles[i] for i in self.selected if i in titles]

    @rx.var
    def login_url(self) -> str:
        return f"/auth/login?next=/votes/{self.vote_id}"

    @rx.var
    def tracker_file(self) -> str:
        return f"vote-{self.vote_id}-tracker.txt"

    @rx.var
    def tracker_text(self) -> str:
        return views.receipt_file_text(self.vote_id, self.title, self.tracker)

    @rx.event
    async def load(self):
        self.loaded, self.step, self.selected, self.tracker, self.error = False, "choose", [], "", ""
        self.ballot_json, self.audit_titles = "", []
        await _show(self, views.vote_page, current_actor(self), _route_param(self, "vote_id"), utcnow())

    @rx.event
    def toggle(self, option_id: str):
        option_id = str(option_id)
        if option_id not in {o.id for o in self.options} or self.step != "choose":
            return
        if self.vote.kind in ("yes_no", "single"):
            self.selected = [option_id]
        elif option_id in self.selected:
            self.selected = [i for i in self.selected if i != option_id]
        else:
            self.selected = [*self.selected, option_id]
        self.error = ""

    @rx.event
    async def review(self):
        """Check the choice on the server (the same rules as casting) before the review screen."""
        selected = list(self.selected)
        self.error = ""
        try:
            await read(lambda session: queries.check_choice(session, self.vote_id, selected))
        except AgoraError as exc:
            self.error = exc.message(await reader_language(self))
            return
        self.step = "review"

    @rx.event
    def back(self):
        if self.step == "review":
            self.step = "choose"

    @rx.event
    async def confirm(self):
        if self.step != "review":
            return
        outcome = await run_action(self, actions.cast_ballot, done_attr="", vote_id=self.vote_id,
                                   choice=list(self.selected))
        self.step = "done" if outcome else "choose"
        if outcome:
            self.tracker, self.eligible = outcome.value.tracker, False

    @rx.event
    def seal(self):
        """Encrypt the choice in the browser (assets/voting/ballot.js); only the ballot comes back."""
        if not self.encrypted or not self.manifest_json or self.step != "choose":
            return None
        self.error, self.audit_titles = "", []
        return rx.call_script(f"window.syrosBallot.page.seal({json.dumps(self.manifest_json)})",
                              callback=VoteState.sealed)

    @rx.event
    async def sealed(self, result: str):
        outcome = _json_object(result)
        if "error" in outcome or not isinstance(outcome.get("ballot"), dict):
            key = f"voting.errors.{outcome.get('error')}" if outcome.get("error") in _BROWSER_ERRORS else "voting.errors.bad_ballot"
            spent = outcome.get("total") if isinstance(outcome.get("total"), int) else 0
            self.error = translate(key, await reader_language(self), k=self.vote.max_choices, total=views.money(spent),
                                   budget=views.money(self.vote.budget_total))
            return
        self.ballot_json, self.tracker, self.step = json.dumps(outcome["ballot"]), str(outcome.get("receipt", "")), "sealed"

    @rx.event
    async def cast_sealed(self):
        if self.step != "sealed" or not self.ballot_json:
            return None
        outcome = await run_action(self, encrypted.cast_encrypted_ballot, done_attr="", vote_id=self.vote_id,
                                   ballot=json.loads(self.ballot_json))
        if outcome:
            self.tracker, self.eligible, self.step, self.ballot_json = outcome.value.tracker, False, "done", ""
            return rx.call_script("window.syrosBallot.page.cast()")
        return None

    @rx.event
    def challenge(self):
        """Benaloh: open this encrypted ballot instead of casting it; it is then discarded."""
        if self.step != "sealed":
            return None
        return rx.call_script("window.syrosBallot.page.audit()", callback=VoteState.audited)

    @rx.event
    async def audited(self, result: str):
        outcome = _json_object(result)
        self.step, self.ballot_json, self.tracker = "choose", "", ""
        audit = outcome.get("audit")
        if not isinstance(audit, dict):
            return
        posted = await run_action(self, encrypted.post_spoiled_ballot, done_attr="", vote_id=self.vote_id, audit=audit)
        if posted:
            revealed = audit.get("revealed") or []
            titles = [o.title for o, item in zip(self.options, revealed) if isinstance(item, dict) and item.get("selection") == 1]
            self.audit_titles, self.audit_ok = titles, bool(outcome.get("ok"))

    @rx.event
    def change_choice(self):
        if self.step == "sealed":
            self.step, self.ballot_json, self.tracker = "choose", "", ""
            return rx.call_script("window.syrosBallot.page.discard()")
        return None

    @rx.event
    def copy_tracker(self):
        return rx.set_clipboard(self.tracker)

    @rx.event
    def download_tracker(self):
        if self.tracker:
            return rx.download(data=self.tracker_text, filename=self.tracker_file)


class ResultsState(_VotePage, rx.State):
    published: bool = False
    question: str = ""
    kind: str = ""
    close_reason: str = ""
    rows: list[ResultRow] = []
    units: list[UnitRow] = []
    figures: views.ResultFigures = views.ResultFigures()

    @rx.event
    async def load(self):
        await self._open(views.results_page)


class BoardState(_VotePage, rx.State):
    published: bool = False
    entries: list[BoardRow] = []
    spoiled: list[BoardRow] = []

    @rx.event
    async def load(self):
        await self._open(views.board_page)


# the page's steps (views._ceremony_step) the browser runs; check may answer "nothing to post"
TRUSTEE_BROWSER_STEPS = ("transport_key", "commitments", "check", "answer", "partials")
# what assets/voting/trustee.js may answer instead of an output (voting.trustee_browser.errors.*)
_TRUSTEE_BROWSER_ERRORS = ("passphrase_short", "passphrase_mismatch", "wrong_passphrase", "not_a_key", "no_key",
                           "not_listed", "missing_keys", "key_not_fixed", "share_unopened", "share_wrong",
                           "share_mismatch", "other_parameters", "not_closed", "no_dealt_shares",
                           "no_complaint", "failed")


class TrusteeState(_VotePage, rx.State):
    """A trustee's step, done in this browser (assets/voting/trustee.js) or with the offline
    command and pasted; either way only the public output reaches this state, and the matching
    action checks every proof."""

    is_trustee: bool = False
    working: bool = False  # a step is running in the browser
    index: int = 0
    threshold: int = 0
    trustees: int = 0
    step: str = "none"
    complaints: list[views.ComplaintRow] = []
    error: str = ""
    done: str = ""

    @rx.event
    async def load(self):
        self.error, self.done, self.working = "", "", False
        await self._open(views.trustee_page, current_actor(self))

    @rx.event
    async def run_in_browser(self):
        """Hand the browser the public kit; the passphrase and the key file never come here."""
        if self.step not in TRUSTEE_BROWSER_STEPS or not self.is_trustee or self.working:
            return None
        try:
            kit = await read(lambda session: queries.trustee_kit(session, self.vote_id))
        except AgoraError as exc:
            self.error = exc.message(await reader_language(self))
            return None
        self.error, self.done, self.working = "", "", True
        args = ", ".join(json.dumps(v) for v in (self.step, json.dumps(kit), self.vote_id, self.index))
        return rx.call_script(f"window.syrosTrustee.page.run({args})", callback=TrusteeState.ran_in_browser)

    @rx.event
    async def ran_in_browser(self, result: str):
        self.working = False
        outcome = _json_object(result)
        if outcome.get("notice") == "shares_ok":  # check: every share dealt to me verifies, nothing to post
            self.done = translate("voting.trustee_browser.shares_ok", await reader_language(self))
            return
        if not isinstance(outcome.get("output"), dict):
            code = outcome.get("error") if outcome.get("error") in _TRUSTEE_BROWSER_ERRORS else "failed"
            who = outcome.get("trustee") or outcome.get("trustees") or ""
            self.error = translate(f"voting.trustee_browser.errors.{code}", await reader_language(self),
                                   trustee=str(who)[:40])
            return
        await self._post(outcome["output"])

    @rx.event
    async def submit(self, form_data: dict):
        await self._post(_json_object(_form_str(form_data, "output", 200_000)))

    async def _post(self, posted: dict) -> None:
        steps = {
            "transport_key": (encrypted.post_transport_key, {"public_key": str(posted.get("public_key", ""))}),
            "commitments": (encrypted.post_commitments, {"commitments": posted.get("commitments"),
                                                         "sealed_shares": posted.get("sealed_shares")}),
            "partials": (encrypted.post_partial_decryption, {"partials": posted.get("partials")}),
            "complaint": (ceremony.file_complaint, {"dealer": posted.get("dealer")}),
            "answers": (ceremony.answer_complaints, {"answers": posted.get("answers")}),
        }
        if posted.get("step") not in steps:
            self.error = translate("voting.trustee_unknown_output", await reader_language(self))
            return
        step, inputs = steps[posted["step"]]
        if await run_action(self, step, done_attr="done", done_key="voting.trustee_posted", vote_id=self.vote_id,
                            **inputs):
            await _show(self, views.trustee_page, current_actor(self), self.vote_id)


class CheckState(rx.State):
    vote_id: int = 0
    title: str = ""
    published: bool = False
    encrypted: bool = False
    found_vote: bool = True
    result: str = ""  # "" | found | missing | invalid
    tracker: str = ""
    chosen: list[str] = []

    @rx.event
    async def load(self):
        self.result, self.chosen, self.tracker = "", [], ""
        await _show(self, views.check_page, _route_param(self, "vote_id"))

    @rx.event
    async def check(self, form_data: dict):
        raw = str((form_data or {}).get("tracker", ""))[:64]
        await _show(self, views.tracker_check, self.vote_id, raw)


class MyVotesState(rx.State):
    loaded: bool = False
    logged_in: bool = False
    rows: list[MyVoteRow] = []
    duties: list[views.TrusteeDuty] = []  # votes this person is a trustee of

    @rx.event
    async def load(self):
        await _show(self, views.my_votes, current_actor(self), utcnow())


# --- staff -----------------------------------------------------------------------------------

def _form_str(form_data: object, key: str, limit: int = 5000) -> str:
    value = form_data.get(key, "") if isinstance(form_data, dict) else ""
    return str(value)[:limit] if value is not None else ""


def _int_or_none(value: str) -> int | None:
    """An option's cost: digits only (thousands dots and € signs dropped); None when empty."""
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    return int(digits) if digits else None


def _vote_int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


class StaffVotesState(Confirming, StaffState):
    allowed: bool = False
    loaded: bool = False
    votes: list[StaffVoteCard] = []
    rolls: list[RollView] = []
    units: list[str] = list(MUNICIPAL_UNITS)
    # the vote being edited or managed (0 = a new draft)
    selected_id: int = 0
    selected_status: str = ""
    has_document: bool = False
    form_version: int = 0
    form: views.VoteForm = views.VoteForm()
    encrypted: bool = False
    key_ready: bool = False
    trustee_rows: list[TrusteeRow] = []
    trustee_candidates: list[TrusteeCandidate] = []
    trustee_matches: list[TrusteeCandidate] = []
    trustee_found: int = -1  # people found by the last search (-1: none asked)
    f_threshold: str = "2"
    key_reason: str = ""  # why an encrypted draft cannot open yet (catalogue key)
    can_complete: bool = False  # staff may fix the key with the k or more qualified who dealt
    preview: str = ""
    closes_error: str = ""
    notice: str = ""
    error: str = ""

    @rx.var
    def editable(self) -> bool:
        return self.selected_status in ("", "draft", "scheduled")

    @rx.var
    def form_key(self) -> str:
        return f"vote-form-{self.selected_id}-{self.form_version}"

    async def _page(self, vote_id: object) -> None:
        """The staff page with this vote in the form (the uncontrolled inputs are redrawn)."""
        await _show(self, views.staff_page, current_actor(self), str(vote_id), utcnow())
        self.form_version += 1

    async def _act(self, step, done_key: str, **inputs) -> None:
        """Run one staff action; on success show the vote again, fresh, with ``done_key``."""
        outcome = await run_action(self, step, done_key, **inputs)
        if outcome:
            await self._page(outcome.value.id)

    @rx.event
    async def load(self):
        self.loaded, self.notice, self.error = False, "", ""
        await self._page(_route_param(self, "vote"))
        doc = _route_param(self, "doc")
        if doc == "ok" or doc.startswith("voting.errors."):
            text = translate("voting.staff.document_saved" if doc == "ok" else doc, await reader_language(self))
            self.notice, self.error = (text, "") if doc == "ok" else ("", text)

    @rx.event
    def new_vote(self):
        self._assign_blank()
        self.notice = self.error = ""

    def _assign_blank(self) -> None:
        for name, value in views.blank_form(self.rolls[0].id if self.rolls else "").items():
            setattr(self, name, value)
        self.form_version += 1

    @rx.event
    async def manage(self, vote_id: int):
        self.notice = self.error = ""
        await self._page(vote_id)
        if str(self.selected_id) != str(vote_id):
            self.error = translate("voting.errors.not_found", await reader_language(self))

    @rx.event
    def set_kind(self, kind: str):
        if kind in rules.KINDS and kind != self.form.kind:
            options = self.form.options
            defaults = [o.title for o in options] in ([], list(views.DEFAULT_OPTIONS))
            if kind == "yes_no" and not any(o.title for o in options):
                options = [OptionRow(title=title) for title in views.DEFAULT_OPTIONS]
            elif kind != "yes_no" and defaults:
                options = [OptionRow(), OptionRow(), OptionRow()]
            self.form = self.form.model_copy(update={"kind": kind, "options": options})
            self.form_version += 1

    @rx.event
    def add_option(self):
        """One more (empty) option row; rows typed in keep their values (uncontrolled inputs)."""
        if len(self.form.options) < MAX_OPTIONS:
            self.form = self.form.model_copy(update={"options": [*self.form.options, OptionRow()]})

    def _capture(self, form_data: object) -> dict[str, Any]:
        """Keep what was typed in the form (shown again on a refusal) and return the action's input."""
        form_data = form_data if isinstance(form_data, dict) else {}
        kept = self.form
        typed: dict[str, Any] = {
            name: _form_str(form_data, key, limit) or getattr(kept, name)
            for name, key, limit in (("title", "title", 200), ("question", "question", 500),
                                     ("explanation", "explanation", 20000), ("roll", "roll_id", 20),
                                     ("min_age", "min_age", 4), ("max_choices", "max_choices", 4),
                                     ("budget", "budget_total", 12))}
        typed["unit"] = _form_str(form_data, "unit", 40)
        rows = [OptionRow(title=_form_str(form_data, f"option_title_{n}", 200),
                          description=_form_str(form_data, f"option_description_{n}", 2000),
                          cost=_form_str(form_data, f"option_cost_{n}", 12))
                for n in range(MAX_OPTIONS) if f"option_title_{n}" in form_data]
        if rows:
            typed["options"] = rows
        self.form = form = kept.model_copy(update=typed)
        return dict(title=form.title, question=form.question, explanation=form.explanation, kind=form.kind,
                    roll_id=form.roll.strip() or None, municipal_unit=form.unit or None,
                    min_age=form.min_age.strip() or None, max_choices=form.max_choices.strip() or None,
                    budget_total=form.budget.strip() or None,
                    options=[actions.OptionInput(r.title, r.description, _int_or_none(r.cost)) for r in form.options])

    @rx.event
    async def save(self, form_data: dict):
        fields = self._capture(form_data)
        if self.selected_id:
            await self._act(actions.update_vote, "voting.staff.saved", vote_id=self.selected_id, **fields)
        else:
            await self._act(actions.create_vote, "voting.staff.saved", **fields)

    def _vote_id(self, form_data: object) -> int | str:
        """The vote a lifecycle form names (else the selected one); the action's schema judges it."""
        return _form_str(form_data, "vote_id", 24) or self.selected_id

    @rx.event
    async def set_trustees(self, form_data: dict):
        """Make the selected draft an encrypted vote with these trustees (k of n)."""
        people = [_form_str(form_data, f"trustee_{n}", 20) for n in range(MAX_TRUSTEE_ROWS)]
        chosen = [p for p in people if p.isdigit()]
        names = {c.person_id: c.name for c in self.trustee_candidates}
        await self._act(encrypted.set_trustees, "voting.staff.trustees_saved", vote_id=self._vote_id(form_data),
                        threshold=_int_or_none(_form_str(form_data, "threshold", 4)) or 0,
                        trustees=[encrypted.TrusteeInput(names.get(p, p), int(p)) for p in chosen])

    @rx.event
    async def search_trustees(self, form_data: dict):
        """People with an account named like the text (staff only, checked in the view)."""
        actor, text, known = current_actor(self), _form_str(form_data, "q", 80), list(self.trustee_candidates)
        try:
            fields = await read(lambda session: views.trustee_search(session, actor, text, known))
        except AgoraError as exc:
            self.error = exc.message(await reader_language(self))
            return
        for name, value in fields.items():
            setattr(self, name, value)

    @rx.event
    async def schedule(self, form_data: dict):
        await self._act(actions.schedule_vote, "voting.staff.done_scheduled", vote_id=self._vote_id(form_data),
                        opens_at=_form_str(form_data, "opens_at", 40) or None,
                        closes_at=_form_str(form_data, "closes_at", 40) or None)

    @rx.event
    async def open_now(self, form_data: dict):
        """Opening needs an end date (said beside the field), then a confirmation."""
        closes = _form_str(form_data, "closes_at", 40)
        self.closes_error = ""
        if not closes:
            self.closes_error = translate("voting.errors.end_date_required", await reader_language(self))
            return None
        return await self._ask("open", _vote_int(self._vote_id(form_data)), title="voting.confirm.open_title",
                               what="voting.confirm.open_what", who="voting.confirm.open_who",
                               label="voting.confirm.open_label", payload=closes, name=self.form.title,
                               closes=closes.replace("T", " "))

    @rx.event
    async def unschedule(self, form_data: dict):
        await self._act(actions.return_to_draft, "voting.staff.done_draft", vote_id=self._vote_id(form_data))

    @rx.event
    async def close(self, form_data: dict):
        return await self._ask("close", _vote_int(self._vote_id(form_data)), title="voting.confirm.close_title",
                               what="voting.confirm.close_what", who="voting.confirm.close_who",
                               label="voting.confirm.close_label", reason=True, name=self.form.title)

    @rx.event
    async def publish(self, form_data: dict):
        return await self._ask("publish", _vote_int(self._vote_id(form_data)), title="voting.confirm.publish_title",
                               what="voting.confirm.publish_what", who="voting.confirm.publish_who",
                               label="voting.confirm.publish_label", name=self.form.title)

    @rx.event
    async def complete_key(self, form_data: dict):
        """Fix the key with the trustees who dealt (k or more) before all n have: asked first."""
        return await self._ask("complete", _vote_int(self._vote_id(form_data)), title="voting.confirm.complete_title",
                               what="voting.confirm.complete_what", who="voting.confirm.complete_who",
                               label="voting.confirm.complete_label", name=self.form.title)

    @rx.event
    async def confirm(self, form_data: dict):
        """Run the step the dialog confirmed: open (until the date given), close (a reason when
        early, checked by the action), publish the results or complete the key ceremony."""
        data = form_data if isinstance(form_data, dict) else {}
        step, vote_id = data.get("step"), _form_str(data, "target", 24)
        if step == "open":
            outcome, then = await self._confirmed(actions.open_vote, "voting.staff.done_open", vote_id=vote_id,
                                                  closes_at=_form_str(data, "payload", 40) or None)
        elif step == "close":
            outcome, then = await self._confirmed(actions.close_vote, "voting.staff.done_closed", vote_id=vote_id,
                                                  reason=_form_str(data, "reason", 600))
        elif step == "publish":
            outcome, then = await self._confirmed(actions.publish_results, "voting.staff.done_published",
                                                  vote_id=vote_id)
        elif step == "complete":
            outcome, then = await self._confirmed(ceremony.complete_ceremony, "voting.staff.done_completed",
                                                  vote_id=vote_id)
        else:
            return None
        if outcome:
            await self._page(outcome.value.id)
        return then
