"""The tracker's pure rules: weighted progress of the tree, the stale flag, on time."""

from datetime import date, datetime, timedelta, timezone

from syros_app.core import formatting
from syros_app.opengov.projects import rules
from syros_app.opengov.projects.rules import Node

NOW = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)


def test_parent_is_the_weighted_mean_of_its_children_60_60_80_is_66_7_percent():
    progress = rules.tree_progress([Node(1, None, 0, 1), Node(2, 1, 60, 1), Node(3, 1, 60, 1), Node(4, 1, 80, 1)])
    assert abs(progress[1] - 200 / 3) < 1e-9
    assert formatting.percent_points(progress[1], "el") == "66,7\u00a0%"
    assert formatting.percent_points(progress[1], "en") == "66.7%"


def test_weights_count_and_the_tree_is_recursive():
    # 2 (weight 3) at 100 and 3 (weight 1) whose own children are 0 and 50 → 25
    nodes = [Node(1, None, 0, 1), Node(2, 1, 100, 3), Node(3, 1, 90, 1), Node(4, 3, 0, 1), Node(5, 3, 50, 1)]
    progress = rules.tree_progress(nodes)
    assert progress[3] == 25 and progress[1] == (100 * 3 + 25) / 4
    assert progress[2] == 100  # a leaf keeps its own progress


def test_a_cycle_does_not_loop_forever():
    assert set(rules.tree_progress([Node(1, 2, 10, 1), Node(2, 1, 30, 1)])) == {1, 2}


def test_stale_after_90_days_without_an_update():
    created = NOW - timedelta(days=200)
    assert rules.is_stale(NOW - timedelta(days=91), created, NOW, rules.IN_PROGRESS)
    assert not rules.is_stale(NOW - timedelta(days=89), created, NOW, rules.IN_PROGRESS)
    assert rules.is_stale(None, created, NOW, rules.PLANNED)  # never updated: counted from creation
    assert not rules.is_stale(None, NOW - timedelta(days=10), NOW, rules.PLANNED)
    assert not rules.is_stale(NOW - timedelta(days=300), created, NOW, rules.COMPLETED)


def test_on_time_figures():
    today = date(2026, 12, 1)
    stones = [{"due_on": "2026-11-01", "done_on": "2026-10-30"}, {"due_on": "2026-11-01", "done_on": "2026-11-05"},
              {"due_on": "2026-11-20", "done_on": None}, {"due_on": "2027-01-01", "done_on": None}]
    projects = [{"ends_on": "2026-11-01", "status": rules.IN_PROGRESS}, {"ends_on": "2026-10-01", "status": rules.COMPLETED},
                {"ends_on": "2026-10-01", "status": rules.CANCELLED}, {"ends_on": None, "status": rules.PLANNED},
                {"ends_on": "2027-10-01", "status": rules.IN_PROGRESS}]
    figs = rules.on_time(projects, stones, today)
    assert (figs.milestones_due, figs.milestones_on_time) == (3, 1)
    assert (figs.projects_ended, figs.projects_late) == (2, 1)
    assert figs.late_share == 0.5
