"""Reflex states of voting: thin — resolve the actor on the server, call a query
or an action, turn the result into view data. Texts that come from the server
are kept in both languages (``*_el`` / ``*_en``) so the language switch works
without a reload."""

from __future__ import annotations

import reflex as rx
from pydantic import BaseModel

from syros_app.core.db import session_scope
from syros_app.core.errors import AgoraError
from syros_app.core.i18n import translate
from syros_app.core.timefmt import as_utc, format_local, utcnow
from syros_app.identity.state import current_actor

from . import actions, queries, rules


def _both(key: str, **params) -> tuple[str, str]:
    return translate(key, "el", **params), translate(key, "en", **params)


def _money(value: int | None) -> str:
    return f"{(value or 0):,}".replace(",", ".") + " €"


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
    url: str


class OptionView(BaseModel):
    id: str
    title: str
    description: str = ""
    cost: int = 0
    cost_text: str = ""


def _card(vote, status: str) -> VoteCard:
    kind_el, kind_en = _both(f"voting.kind.{vote.kind}")
    st_el, st_en = _both(f"voting.status.{status}")
    when_at = vote.closes_at if status in ("open", "closed", "published") else vote.opens_at
    return VoteCard(id=vote.id, title=vote.title, question=vote.question, kind_el=kind_el, kind_en=kind_en,
                    status=status, status_el=st_el, status_en=st_en,
                    when=format_local(as_utc(when_at)) if when_at else "", url=f"/votes/{vote.id}")


def _route_vote_id(state: rx.State) -> str:
    params = state.router.page.params if state.router and state.router.page else {}
    return str(params.get("vote_id", ""))


class VotesListState(rx.State):
    votes: list[VoteCard] = []
    loaded: bool = False

    @rx.event
    def load(self):
        now = utcnow()
        with session_scope() as session:
            self.votes = [_card(v, s) for v, s in queries.list_votes(session, now=now)]
        self.loaded = True


class VoteState(rx.State):
    """One vote's page: explanation, eligibility, choose → review → confirm → tracker."""

    found: bool = True
    loaded: bool = False
    vote_id: int = 0
    title: str = ""
    question: str = ""
    explanation: str = ""
    kind: str = ""
    status: str = ""
    status_el: str = ""
    status_en: str = ""
    closes: str = ""
    max_choices: int = 0
    budget_total: int = 0
    has_document: bool = False
    options: list[OptionView] = []
    eligible: bool = False
    logged_in: bool = False
    reason: str = ""
    reason_el: str = ""
    reason_en: str = ""
    turnout_text: str = ""
    selected: list[str] = []
    step: str = "choose"  # choose | review | done
    error_el: str = ""
    error_en: str = ""
    tracker: str = ""

    @rx.var
    def spent(self) -> int:
        costs = {o.id: o.cost for o in self.options}
        return sum(costs.get(i, 0) for i in self.selected)

    @rx.var
    def left_text(self) -> str:
        return _money(self.budget_total - self.spent)

    @rx.var
    def spent_text(self) -> str:
        return _money(self.spent)

    @rx.var
    def over_budget(self) -> bool:
        return self.kind == "budget" and self.spent > self.budget_total

    @rx.var
    def budget_text(self) -> str:
        return _money(self.budget_total)

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
        return (f"Αγορά Σύρου · Syros Agora\n{self.title}\n"
                f"Κωδικός ελέγχου ψήφου / Ballot tracker: {self.tracker}\n"
                f"/votes/{self.vote_id}/check\n")

    def _error(self, exc: AgoraError) -> None:
        self.error_el, self.error_en = exc.message("el"), exc.message("en")

    @rx.event
    def load(self):
        self.loaded, self.step, self.selected, self.tracker = False, "choose", [], ""
        self.error_el = self.error_en = ""
        actor = current_actor(self)
        now = utcnow()
        try:
            with session_scope() as session:
                vote = queries.public_vote(session, _route_vote_id(self), now=now, staff=bool(actor and actor.is_staff))
                status = queries.status_of(vote, now)
                self.vote_id, self.title, self.question = vote.id, vote.title, vote.question
                self.explanation, self.kind, self.status = vote.explanation, vote.kind, status
                self.status_el, self.status_en = _both(f"voting.status.{status}")
                self.closes = format_local(as_utc(vote.closes_at)) if vote.closes_at else ""
                self.max_choices = vote.max_choices or 0
                self.budget_total = vote.budget_total or 0
                self.has_document = queries.has_document(session, vote.id)
                self.options = [OptionView(id=str(o.id), title=o.title, description=o.description, cost=o.cost or 0,
                                           cost_text=_money(o.cost) if o.cost else "")
                                for o in queries.option_rows(session, vote.id)]
                reason = queries.ineligibility_for(session, actor, vote, now=now)
                turnout = queries.turnout(session, vote)
                if status in ("open", "closed", "published"):
                    self.turnout_text = f"{turnout.participations} / {turnout.roll_size} ({turnout.percent}%)"
                else:
                    self.turnout_text = ""
                params = {"unit": vote.municipal_unit or "", "min_age": vote.min_age}
        except AgoraError:
            self.found, self.loaded = False, True
            return
        self.found = True
        self.logged_in = actor is not None
        self.eligible = reason is None
        self.reason = reason or ""
        self.reason_el, self.reason_en = _both(f"voting.reason.{reason}", **params) if reason else ("", "")
        self.loaded = True

    @rx.event
    def toggle(self, option_id: str):
        option_id = str(option_id)
        if option_id not in {o.id for o in self.options} or self.step != "choose":
            return
        if self.kind in ("yes_no", "single"):
            self.selected = [option_id]
        elif option_id in self.selected:
            self.selected = [i for i in self.selected if i != option_id]
        else:
            self.selected = [*self.selected, option_id]
        self.error_el = self.error_en = ""

    @rx.event
    def review(self):
        """Check the choice on the server (the same rules as casting) before the review screen."""
        try:
            with session_scope() as session:
                vote = queries.public_vote(session, self.vote_id, now=utcnow())
                option_rules = [rules.OptionRule(o.id, o.cost) for o in queries.option_rows(session, vote.id)]
            rules.validate_choice(vote.kind, option_rules, self.selected, max_choices=vote.max_choices,
                                  budget_total=vote.budget_total)
        except AgoraError as exc:
            self._error(exc)
            return
        self.error_el = self.error_en = ""
        self.step = "review"

    @rx.event
    def back(self):
        if self.step == "review":
            self.step = "choose"

    @rx.event
    def confirm(self):
        if self.step != "review":
            return
        actor = current_actor(self)
        try:
            receipt = actions.cast(actor, self.vote_id, list(self.selected))
        except AgoraError as exc:
            self._error(exc)
            self.step = "choose"
            return
        except Exception:  # noqa: BLE001 - the database gave up: say so, nothing was recorded
            self._error(AgoraError("voting.errors.busy"))
            self.step = "choose"
            return
        self.tracker = receipt.tracker
        self.step = "done"
        self.eligible = False

    @rx.event
    def copy_tracker(self):
        return rx.set_clipboard(self.tracker)

    @rx.event
    def download_tracker(self):
        if self.tracker:
            return rx.download(data=self.tracker_text, filename=self.tracker_file)


class ResultRow(BaseModel):
    id: int
    title: str
    votes: int
    percent: float
    width: str
    cost_text: str = ""
    winner: bool = False


class UnitRow(BaseModel):
    unit: str
    participations: int
    roll_size: int
    percent: float


class ResultsState(rx.State):
    loaded: bool = False
    found: bool = True
    published: bool = False
    vote_id: int = 0
    title: str = ""
    question: str = ""
    kind: str = ""
    rows: list[ResultRow] = []
    units: list[UnitRow] = []
    ballots: int = 0
    participations: int = 0
    roll_size: int = 0
    turnout_percent: float = 0.0
    budget_text: str = ""
    winners_cost_text: str = ""
    close_reason: str = ""

    @rx.event
    def load(self):
        self.loaded = False
        try:
            with session_scope() as session:
                vote = queries.public_vote(session, _route_vote_id(self), now=utcnow())
                self.vote_id, self.title, self.question, self.kind = vote.id, vote.title, vote.question, vote.kind
                self.close_reason = vote.close_reason or ""
                try:
                    _, results = queries.published_results(session, vote.id)
                except AgoraError:
                    self.published, self.found, self.loaded = False, True, True
                    return
        except AgoraError:
            self.found, self.loaded = False, True
            return
        top = max([o["votes"] for o in results["options"]] + [1])
        winners = set(results.get("winners", []))
        self.rows = [ResultRow(id=o["id"], title=o["title"], votes=o["votes"], percent=o["percent"],
                               width=f"{round(100 * o['votes'] / top)}%", cost_text=_money(o["cost"]) if o.get("cost") else "",
                               winner=o["id"] in winners) for o in results["options"]]
        self.units = [UnitRow(unit=u["unit"], participations=u["participations"], roll_size=u["roll_size"],
                              percent=u["turnout_percent"]) for u in results.get("turnout_by_unit", [])]
        self.ballots, self.participations = results["ballots"], results["participations"]
        self.roll_size, self.turnout_percent = results["roll_size"], results["turnout_percent"]
        self.budget_text = _money(results.get("budget_total")) if results.get("budget_total") else ""
        self.winners_cost_text = _money(results.get("winners_cost")) if "winners_cost" in results else ""
        self.published, self.found, self.loaded = True, True, True


class CheckState(rx.State):
    vote_id: int = 0
    title: str = ""
    published: bool = False
    found_vote: bool = True
    result: str = ""  # "" | found | missing | invalid
    tracker: str = ""
    chosen: list[str] = []

    @rx.event
    def load(self):
        self.result, self.chosen, self.tracker = "", [], ""
        try:
            with session_scope() as session:
                vote = queries.public_vote(session, _route_vote_id(self), now=utcnow())
                self.vote_id, self.title = vote.id, vote.title
                self.published = vote.status == "published"
                self.found_vote = True
        except AgoraError:
            self.found_vote = False

    @rx.event
    def check(self, form_data: dict):
        raw = str((form_data or {}).get("tracker", ""))[:64]
        tracker = rules.normalise_tracker(raw)
        if not tracker:
            self.result, self.chosen = "invalid", []
            return
        try:
            with session_scope() as session:
                found = queries.find_tracker(session, self.vote_id, tracker)
        except AgoraError:
            self.result = "invalid"
            return
        self.tracker = tracker
        if found is None:
            self.result, self.chosen = "missing", []
        else:
            self.result, self.chosen = "found", found[1]


class MyVoteRow(BaseModel):
    vote_id: int
    title: str
    voted_on: str
    tracker: str
    status_el: str
    status_en: str
    published: bool


class MyVotesState(rx.State):
    loaded: bool = False
    logged_in: bool = False
    rows: list[MyVoteRow] = []

    @rx.event
    def load(self):
        actor = current_actor(self)
        self.logged_in = actor is not None
        self.rows = []
        if actor is not None:
            with session_scope() as session:
                for p in queries.my_participations(session, actor, now=utcnow()):
                    st_el, st_en = _both(f"voting.status.{p.status}")
                    self.rows.append(MyVoteRow(vote_id=p.vote_id, title=p.title, voted_on=p.voted_on, tracker=p.tracker,
                                               status_el=st_el, status_en=st_en, published=p.status == "published"))
        self.loaded = True


# --- staff -----------------------------------------------------------------------------------

from syros_app.identity.roles import MUNICIPAL_UNITS  # noqa: E402
from syros_app.identity.state import StaffState  # noqa: E402

from .permissions import can_manage_votes  # noqa: E402

MAX_OPTIONS = 30


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


class OptionRow(BaseModel):
    title: str = ""
    description: str = ""
    cost: str = ""


class RollView(BaseModel):
    id: str
    name: str
    size: int


def _form_str(form_data: object, key: str, limit: int = 5000) -> str:
    if not isinstance(form_data, dict):
        return ""
    value = form_data.get(key, "")
    return str(value)[:limit] if value is not None else ""


class StaffVotesState(StaffState):
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
    f_title: str = ""
    f_question: str = ""
    f_explanation: str = ""
    f_kind: str = "yes_no"
    f_roll: str = ""
    f_unit: str = ""
    f_min_age: str = "17"
    f_max_choices: str = "2"
    f_budget: str = ""
    f_options: list[OptionRow] = []
    f_opens: str = ""
    f_closes: str = ""
    preview: str = ""
    notice_el: str = ""
    notice_en: str = ""
    error_el: str = ""
    error_en: str = ""

    @rx.var
    def editable(self) -> bool:
        return self.selected_status in ("", "draft", "scheduled")

    @rx.var
    def form_key(self) -> str:
        return f"vote-form-{self.selected_id}-{self.form_version}"

    def _actor(self):
        """The acting staff member, or None (then the handler must stop at once)."""
        actor = current_actor(self)
        if not can_manage_votes(actor):
            self.allowed = False
            return None
        self.allowed = True
        return actor

    def _say(self, key: str, **params) -> None:
        self.notice_el, self.notice_en = _both(key, **params)
        self.error_el = self.error_en = ""

    def _fail(self, exc: AgoraError) -> None:
        self.error_el, self.error_en = exc.message("el"), exc.message("en")
        self.notice_el = self.notice_en = ""

    def _refresh(self, session) -> None:
        now = utcnow()
        self.votes = []
        for vote, status in queries.list_votes(session, now=now, include_drafts=True):
            kind_el, kind_en = _both(f"voting.kind.{vote.kind}")
            st_el, st_en = _both(f"voting.status.{status}")
            self.votes.append(StaffVoteCard(
                id=vote.id, title=vote.title, kind_el=kind_el, kind_en=kind_en, status=status, status_el=st_el,
                status_en=st_en, opens=format_local(as_utc(vote.opens_at)) if vote.opens_at else "",
                closes=format_local(as_utc(vote.closes_at)) if vote.closes_at else ""))
        from sqlalchemy import func
        from sqlmodel import select

        from syros_app.identity.models import VoterRollEntry

        sizes = dict(session.exec(select(VoterRollEntry.roll_id, func.count()).group_by(VoterRollEntry.roll_id)).all())
        self.rolls = [RollView(id=str(r.id), name=r.name, size=sizes.get(r.id, 0)) for r in queries.rolls(session)]

    def _blank_form(self) -> None:
        self.selected_id, self.selected_status, self.has_document, self.preview = 0, "", False, ""
        self.f_title = self.f_question = self.f_explanation = self.f_unit = self.f_budget = ""
        self.f_opens = self.f_closes = ""
        self.f_kind, self.f_min_age, self.f_max_choices = "yes_no", "17", "2"
        self.f_roll = self.rolls[0].id if self.rolls else ""
        self.f_options = [OptionRow(title="Ναι"), OptionRow(title="Όχι")]
        self.form_version += 1

    def _select(self, session, vote_id: int) -> None:
        vote = queries.public_vote(session, vote_id, now=utcnow(), staff=True)
        status = queries.status_of(vote, utcnow())
        self.selected_id, self.selected_status = vote.id, status
        self.f_title, self.f_question, self.f_explanation = vote.title, vote.question, vote.explanation
        self.f_kind, self.f_roll, self.f_unit = vote.kind, str(vote.roll_id), vote.municipal_unit or ""
        self.f_min_age = str(vote.min_age)
        self.f_max_choices = str(vote.max_choices or 2)
        self.f_budget = str(vote.budget_total or "")
        self.f_options = [OptionRow(title=o.title, description=o.description, cost=str(o.cost or ""))
                          for o in queries.option_rows(session, vote.id)]
        self.f_opens = as_utc(vote.opens_at).astimezone(_athens()).strftime("%Y-%m-%dT%H:%M") if vote.opens_at else ""
        self.f_closes = as_utc(vote.closes_at).astimezone(_athens()).strftime("%Y-%m-%dT%H:%M") if vote.closes_at else ""
        self.has_document = queries.has_document(session, vote.id)
        self.preview = ""
        if status == "closed":  # counts become visible to staff only once the vote is closed
            results = actions.compute_results(session, vote)
            self.preview = "; ".join(f"{o['title']}: {o['votes']} ({o['percent']}%)" for o in results["options"])
        self.form_version += 1

    @rx.event
    def load(self):
        self.loaded = False
        if self._actor() is None:
            self.loaded = True
            return
        params = self.router.page.params if self.router and self.router.page else {}
        with session_scope() as session:
            self._refresh(session)
            self._blank_form()
            wanted = str(params.get("vote", ""))
            if wanted.isdigit():
                try:
                    self._select(session, int(wanted))
                except AgoraError:
                    pass
        doc = str(params.get("doc", ""))
        self.notice_el = self.notice_en = self.error_el = self.error_en = ""
        if doc == "ok":
            self._say("voting.staff.document_saved")
        elif doc.startswith("voting.errors."):
            self._fail(AgoraError(doc))
        self.loaded = True

    @rx.event
    def new_vote(self):
        if self._actor() is None:
            return
        self._blank_form()
        self.notice_el = self.notice_en = self.error_el = self.error_en = ""

    @rx.event
    def manage(self, vote_id: int):
        if self._actor() is None:
            return
        try:
            with session_scope() as session:
                self._select(session, int(vote_id))
        except (AgoraError, ValueError, TypeError):
            self._fail(AgoraError("voting.errors.not_found"))
            return
        self.notice_el = self.notice_en = self.error_el = self.error_en = ""

    @rx.event
    def set_kind(self, kind: str):
        if self._actor() is None:
            return
        if kind in rules.KINDS and kind != self.f_kind:
            self.f_kind = kind
            defaults = [o.title for o in self.f_options] in ([], ["Ναι", "Όχι"])
            if kind == "yes_no" and not any(o.title for o in self.f_options):
                self.f_options = [OptionRow(title="Ναι"), OptionRow(title="Όχι")]
            elif kind != "yes_no" and defaults:
                self.f_options = [OptionRow(), OptionRow(), OptionRow()]
            self.form_version += 1

    @rx.event
    def add_option(self):
        """One more (empty) option row; rows typed in keep their values (uncontrolled inputs)."""
        if self._actor() is None:
            return
        if len(self.f_options) < MAX_OPTIONS:
            self.f_options = [*self.f_options, OptionRow()]

    def _capture(self, form_data: object) -> list[actions.OptionInput]:
        if not isinstance(form_data, dict):
            form_data = {}
        self.f_title = _form_str(form_data, "title", 200) or self.f_title
        self.f_question = _form_str(form_data, "question", 500) or self.f_question
        self.f_explanation = _form_str(form_data, "explanation", 20000) or self.f_explanation
        self.f_roll = _form_str(form_data, "roll_id", 20) or self.f_roll
        self.f_unit = _form_str(form_data, "unit", 40)
        self.f_min_age = _form_str(form_data, "min_age", 4) or self.f_min_age
        self.f_max_choices = _form_str(form_data, "max_choices", 4) or self.f_max_choices
        self.f_budget = _form_str(form_data, "budget_total", 12) or self.f_budget
        rows = []
        for n in range(MAX_OPTIONS):
            if f"option_title_{n}" not in form_data:
                continue
            rows.append(OptionRow(title=_form_str(form_data, f"option_title_{n}", 200),
                                  description=_form_str(form_data, f"option_description_{n}", 2000),
                                  cost=_form_str(form_data, f"option_cost_{n}", 12)))
        if rows:
            self.f_options = rows
        return [actions.OptionInput(r.title, r.description, _int_or_none(r.cost)) for r in self.f_options]

    @rx.event
    def save(self, form_data: dict):
        actor = self._actor()
        if actor is None:
            return
        options = self._capture(form_data)
        fields = dict(title=self.f_title, question=self.f_question, explanation=self.f_explanation, kind=self.f_kind,
                      roll_id=self.f_roll, municipal_unit=self.f_unit or None, min_age=self.f_min_age,
                      max_choices=self.f_max_choices, budget_total=self.f_budget, options=options)
        try:
            with session_scope() as session:
                if self.selected_id:
                    vote = actions.update_vote(session, actor=actor, vote_id=self.selected_id, **fields)
                else:
                    vote = actions.create_vote(session, actor=actor, **fields)
                vote_id = vote.id
            with session_scope() as session:
                self._refresh(session)
                self._select(session, vote_id)
        except AgoraError as exc:
            self._fail(exc)
            return
        self._say("voting.staff.saved")

    def _lifecycle(self, form_data: object, step) -> None:
        actor = self._actor()
        if actor is None:
            return
        try:
            vote_id = int(_form_str(form_data, "vote_id", 12) or self.selected_id)
            with session_scope() as session:
                step(session, actor, vote_id)
            with session_scope() as session:
                self._refresh(session)
                self._select(session, vote_id)
        except AgoraError as exc:
            self._fail(exc)
            return
        except ValueError:
            self._fail(AgoraError("voting.errors.not_found"))
            return
        self._say(f"voting.staff.done_{self.selected_status}")

    @rx.event
    def schedule(self, form_data: dict):
        if self._actor() is None:
            return
        self._lifecycle(form_data, lambda s, a, v: actions.schedule_vote(
            s, actor=a, vote_id=v, opens_at=_form_str(form_data, "opens_at", 40), closes_at=_form_str(form_data, "closes_at", 40)))

    @rx.event
    def open_now(self, form_data: dict):
        if self._actor() is None:
            return
        self._lifecycle(form_data, lambda s, a, v: actions.open_vote(
            s, actor=a, vote_id=v, closes_at=_form_str(form_data, "closes_at", 40) or None))

    @rx.event
    def unschedule(self, form_data: dict):
        if self._actor() is None:
            return
        self._lifecycle(form_data, lambda s, a, v: actions.return_to_draft(s, actor=a, vote_id=v))

    @rx.event
    def close(self, form_data: dict):
        if self._actor() is None:
            return
        self._lifecycle(form_data, lambda s, a, v: actions.close_vote(
            s, actor=a, vote_id=v, reason=_form_str(form_data, "reason", 600)))

    @rx.event
    def publish(self, form_data: dict):
        if self._actor() is None:
            return
        self._lifecycle(form_data, lambda s, a, v: actions.publish_results(s, actor=a, vote_id=v))


def _int_or_none(value: str) -> int | None:
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    return int(digits) if digits else None


def _athens():
    from syros_app.core.timefmt import ATHENS

    return ATHENS
