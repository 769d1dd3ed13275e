"""What the pages show: drafts and a closed vote's counts only where the matrix allows."""

from datetime import timedelta

from syros_app.voting import actions, views
from tests.support import personas

from .helpers import NOW, create_legacy_plaintext_vote, make_roll, open_legacy_plaintext_vote


def test_drafts_and_closed_counts_are_for_staff_only(session):
    staff = personas.administrator(session, "moderator")
    eleni = personas.resident(session, "eleni")
    roll = make_roll(session, {"eleni": None})
    draft = create_legacy_plaintext_vote(session, actor=staff, title="Προσχέδιο", question=";", roll_id=roll.id, now=NOW)
    closed = open_legacy_plaintext_vote(session, staff, roll)
    actions.close_vote(session, actor=staff, vote_id=closed.id, reason="Τέλος", now=NOW + timedelta(hours=1))
    session.commit()
    later = NOW + timedelta(hours=2)
    for who in (None, eleni):
        assert views.vote_page(session, who, draft.id, later)["found"] is False
        page = views.staff_page(session, who, str(closed.id), later)
        assert page["allowed"] is False and page["votes"] == [] and page["preview"] == "" and page["selected_id"] == 0
    assert views.vote_page(session, staff, draft.id, later)["found"] is True
    page = views.staff_page(session, staff, str(closed.id), later)
    assert page["allowed"] and {v.id for v in page["votes"]} == {draft.id, closed.id}
    assert page["selected_id"] == closed.id and page["preview"] == "Ναι: 0 (0.0%); Όχι: 0 (0.0%)"


def test_vote_page_says_why_one_cannot_vote_in_both_languages(session):
    staff = personas.administrator(session, "moderator")
    roll = make_roll(session, {"eleni": "Ερμούπολη"})
    vote = open_legacy_plaintext_vote(session, staff, roll, unit="Ερμούπολη")
    nikos = personas.resident(session, "nikos")
    page = views.vote_page(session, nikos, vote.id, NOW)
    head = page["vote"]
    assert page["eligible"] is False and head.reason == "not_on_roll"
    assert head.reason_text.el and head.reason_text.en and head.reason_text.el != head.reason_text.en
    assert [o.title for o in page["options"]] == ["Ναι", "Όχι"] and head.turnout.el == "0 / 1 (0,0\u00a0%)" and head.turnout.en == "0 / 1 (0.0%)"
    assert views.vote_page(session, nikos, "abc", NOW) == {"found": False, "loaded": True}
    assert views.vote_page(session, nikos, str(2**70), NOW)["found"] is False


def _results(kind, options, votes, *, participations=None, roll_size=10, budget_total=None):
    from syros_app.voting import rules

    choices = [[oid] for oid, n in votes.items() for _ in range(n)]
    return rules.build_results(vote_id=1, kind=kind, options=options, choices=choices,
                               participations=participations if participations is not None else len(choices),
                               roll_size=roll_size, budget_total=budget_total)


def test_results_bars_are_shares_of_the_ballots_with_figures_and_a_sentence():
    results = _results("yes_no", [{"id": 1, "title": "Ναι"}, {"id": 2, "title": "Όχι"}], {1: 5, 2: 3}, roll_size=40)
    page = views.result_fields("yes_no", results)
    yes, no = page["rows"]
    assert (yes.width, no.width) == ("62.5%", "37.5%")  # not "the top option fills the bar"
    assert (yes.percent_el, yes.percent_en, yes.votes_el) == ("62,5\u00a0%", "62.5%", "5")
    figures = page["figures"]
    assert figures.outcome.el == "Εγκρίθηκε με 62,5\u00a0% (5 από 8 ψηφοδέλτια)."
    assert figures.outcome.en == "Approved with 62.5% (5 of 8 ballots)."
    assert figures.turnout.el == "20,0\u00a0%" and figures.ballots.en == "8"

    half = views.result_fields("yes_no", _results("yes_no", [{"id": 1, "title": "Ναι"}, {"id": 2, "title": "Όχι"}],
                                                  {1: 1, 2: 1}))
    assert [r.width for r in half["rows"]] == ["50.0%", "50.0%"] and half["figures"].outcome.el.startswith("Ισοψηφία")
    rejected = views.result_fields("yes_no", _results("yes_no", [{"id": 1, "title": "Ναι"}, {"id": 2, "title": "Όχι"}],
                                                      {1: 1, 2: 3}))
    assert rejected["figures"].outcome.el == "Απορρίφθηκε: η επιλογή «Όχι» πήρε 75,0\u00a0% (3 από 4 ψηφοδέλτια)."
    empty = views.result_fields("single", _results("single", [{"id": 1, "title": "Α"}, {"id": 2, "title": "Β"}], {}))
    assert empty["figures"].outcome.en == "No ballots were cast." and [r.width for r in empty["rows"]] == ["0.0%", "0.0%"]


def test_single_choice_and_budget_sentences_name_the_outcome():
    single = views.result_fields("single", _results(
        "single", [{"id": 1, "title": "Πλατεία"}, {"id": 2, "title": "Λιμάνι"}, {"id": 3, "title": "Άλλο"}],
        {1: 2, 2: 7, 3: 1}))
    assert single["figures"].outcome.el == "Επικράτησε η επιλογή «Λιμάνι» με 70,0\u00a0% (7 από 10 ψηφοδέλτια)."
    budget = views.result_fields("budget", _results(
        "budget", [{"id": 1, "title": "Παιδική χαρά", "cost": 30000}, {"id": 2, "title": "Φωτισμός", "cost": 90000}],
        {1: 4, 2: 3}, budget_total=100000))
    assert budget["figures"].outcome.el == "Έργα που χρηματοδοτούνται: 1, συνολικού κόστους 30.000\u00a0€ από τα 100.000\u00a0€ του προϋπολογισμού."
    assert budget["rows"][0].winner and budget["rows"][0].cost_text_en == "€30,000"


def test_the_downloaded_receipt_links_to_the_check_page_by_its_full_address(monkeypatch):
    from syros_app.core import settings
    from syros_app.voting.views import receipt_file_text

    monkeypatch.setenv("SYROS_PUBLIC_URL", "https://agora.syros.example/")
    settings.reset_settings_cache()
    try:
        text = receipt_file_text(7, "Πεζόδρομος Μιαούλη", "ABCD-EFGH-JKMN-PQRS")
    finally:
        settings.reset_settings_cache()
    lines = text.splitlines()
    assert "https://agora.syros.example/votes/7/check" in lines
    assert "Κωδικός ελέγχου ψήφου / Ballot tracker: ABCD-EFGH-JKMN-PQRS" in lines
    assert lines[1] == "Πεζόδρομος Μιαούλη" and text.endswith("\n")
