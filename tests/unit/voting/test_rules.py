"""The pure rules: eligibility, choice validation, tally, budget winners, recount."""

from datetime import datetime, timedelta, timezone

import pytest

from syros_app.core.errors import InvalidInput
from syros_app.voting import rules
from syros_app.voting.rules import OptionRule, VoterFacts

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)


def test_effective_status_follows_the_clock():
    opens, closes = NOW - timedelta(hours=1), NOW + timedelta(hours=1)
    assert rules.effective_status("scheduled", opens, closes, NOW) == "open"
    assert rules.effective_status("scheduled", NOW + timedelta(minutes=1), closes, NOW) == "scheduled"
    assert rules.effective_status("open", opens, NOW, NOW) == "closed"
    assert rules.effective_status("scheduled", opens - timedelta(days=2), opens, NOW) == "closed"
    assert rules.effective_status("draft", opens, closes, NOW) == "draft"
    assert rules.effective_status("open", opens, None, NOW) == "open"


ELIGIBLE = VoterFacts(logged_in=True, on_roll=True, unit="Ερμούπολη", birth_year=1980)


@pytest.mark.parametrize("facts, status, unit, min_age, expected", [
    (ELIGIBLE, "open", None, 17, None),
    (ELIGIBLE, "open", "Ερμούπολη", 17, None),
    (VoterFacts(logged_in=False), "open", None, 17, rules.NOT_LOGGED_IN),
    (VoterFacts(logged_in=True, on_roll=False, birth_year=1980), "open", None, 17, rules.NOT_ON_ROLL),
    (ELIGIBLE, "open", "Άνω Σύρος", 17, rules.NOT_IN_UNIT),
    (VoterFacts(logged_in=True, on_roll=True, birth_year=2010), "open", None, 17, rules.TOO_YOUNG),
    (VoterFacts(logged_in=True, on_roll=True, birth_year=2009), "open", None, 17, None),  # turns 17 this year
    (VoterFacts(logged_in=True, on_roll=True, birth_year=2000), "open", None, 30, rules.TOO_YOUNG),
    (VoterFacts(logged_in=True, on_roll=True, birth_year=None), "open", None, 17, rules.AGE_UNKNOWN),
    (ELIGIBLE, "scheduled", None, 17, rules.NOT_YET_OPEN),
    (ELIGIBLE, "draft", None, 17, rules.NOT_YET_OPEN),
    (ELIGIBLE, "closed", None, 17, rules.CLOSED),
    (VoterFacts(logged_in=False), "published", None, 17, rules.CLOSED),
    (VoterFacts(logged_in=True, on_roll=True, birth_year=1980, already_voted=True), "open", None, 17, rules.ALREADY_VOTED),
])
def test_ineligibility_reasons(facts, status, unit, min_age, expected):
    assert rules.ineligibility(facts, status=status, vote_unit=unit, min_age=min_age, now=NOW) == expected


OPTS = [OptionRule(1), OptionRule(2), OptionRule(3)]
PROJECTS = [OptionRule(10, 50_000), OptionRule(11, 30_000), OptionRule(12, 40_000)]


def test_choice_validation_per_kind():
    assert rules.validate_choice("single", OPTS, ["2"]) == (2,)
    assert rules.validate_choice("multiple", OPTS, [3, 1], max_choices=2) == (1, 3)
    assert rules.validate_choice("budget", PROJECTS, [10, 11], budget_total=80_000) == (10, 11)


@pytest.mark.parametrize("kind, options, chosen, extra, key", [
    ("single", OPTS, [1, 2], {}, "voting.errors.choose_one"),
    ("yes_no", OPTS[:2], [], {}, "voting.errors.empty_choice"),
    ("single", OPTS, [99], {}, "voting.errors.unknown_option"),
    ("single", OPTS, ["abc"], {}, "voting.errors.unknown_option"),
    ("single", OPTS, [True], {}, "voting.errors.unknown_option"),
    ("multiple", OPTS, [1, 2, 3], {"max_choices": 2}, "voting.errors.too_many"),
    ("multiple", OPTS, [1, 1], {"max_choices": 2}, "voting.errors.duplicate_option"),
    ("budget", PROJECTS, [10, 11, 12], {"budget_total": 100_000}, "voting.errors.over_budget"),
    ("budget", PROJECTS, [10, 1], {"budget_total": 100_000}, "voting.errors.unknown_option"),
])
def test_choice_validation_refusals(kind, options, chosen, extra, key):
    with pytest.raises(InvalidInput) as caught:
        rules.validate_choice(kind, options, chosen, **extra)
    assert caught.value.key == key


def test_budget_winners_greedy_by_votes_skipping_what_does_not_fit():
    counts = {10: 90, 11: 80, 12: 70, 13: 5, 14: 0}
    projects = [*PROJECTS, OptionRule(13, 15_000), OptionRule(14, 1_000)]
    # 10 (50k) fits; 11 (30k) fits → 80k; 12 (40k) does not fit in 20k; 13 (15k) does; 14 has no votes.
    assert rules.budget_winners(projects, counts, 100_000) == [10, 11, 13]
    # ties: the cheaper first
    assert rules.budget_winners(PROJECTS, {10: 5, 11: 5, 12: 5}, 45_000) == [11]


def test_trackers_are_random_readable_and_normalised():
    trackers = {rules.make_tracker() for _ in range(2000)}
    assert len(trackers) == 2000
    sample = next(iter(trackers))
    assert len(sample) == 19 and sample.count("-") == 3
    assert set(sample.replace("-", "")) <= set(rules.TRACKER_ALPHABET)
    assert rules.normalise_tracker(sample.lower().replace("-", " ")) == sample
    assert rules.normalise_tracker("short") == ""


def test_tally_csv_and_recount_round_trip():
    options = [{"id": 1, "title": "Ναι", "cost": None}, {"id": 2, "title": "Όχι", "cost": None}]
    ballots = [("BBBB-AAAA-AAAA-AAAA", "1"), ("AAAA-AAAA-AAAA-AAAA", "2"), ("CCCC-AAAA-AAAA-AAAA", "1")]
    published = rules.build_results(vote_id=1, kind="yes_no", options=options,
                                    choices=[rules.decode_choice(c) for _, c in ballots], participations=3, roll_size=10)
    assert [o["votes"] for o in published["options"]] == [2, 1]
    assert published["turnout_percent"] == 30.0
    text = rules.ballots_csv([1, 2], ballots)
    assert text.startswith("\ufeff") and text.endswith("\r\n")  # the platform's one CSV shape
    lines = text.removeprefix("\ufeff").splitlines()
    assert lines[0] == "tracker,choice,option_1,option_2"
    assert [line.split(",")[0] for line in lines[1:]] == sorted(t for t, _ in ballots)
    assert rules.recount(text, published).ok
    tampered = dict(published, options=[dict(published["options"][0], votes=3), published["options"][1]])
    report = rules.recount(text, tampered)
    assert not report.ok and "option 1" in report.differences[0]
    missing_row = "\n".join(lines[:-1]) + "\n"
    assert not rules.recount(missing_row, published).ok


def test_recount_checks_budget_winners():
    options = [{"id": 10, "title": "Α", "cost": 50_000}, {"id": 11, "title": "Β", "cost": 60_000}]
    choices = [(10,), (10,), (11,)]
    published = rules.build_results(vote_id=2, kind="budget", options=options, choices=choices,
                                    participations=3, roll_size=3, budget_total=100_000)
    assert published["winners"] == [10]
    text = rules.ballots_csv([10, 11], [("A" * 4 + "-AAAA-AAAA-AAA" + str(n + 2), rules.encode_choice(c)) for n, c in enumerate(choices)])
    assert rules.recount(text, published).ok
    assert not rules.recount(text, dict(published, winners=[11])).ok


def test_typed_trackers_forgive_look_alikes():
    assert rules.normalise_tracker("o1l0-ABCD-EFGH-JKMN") == "0110-ABCD-EFGH-JKMN"
    assert rules.normalise_tracker("UUUU-ABCD-EFGH-JKMN") == ""  # U is not in the alphabet
