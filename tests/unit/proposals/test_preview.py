"""First paint of a proposal's page: title and text escaped; a hidden one is a real 404."""

import re

import pytest

from syros_app.api.route_preload import PageNotFound
from syros_app.capabilities import page_previews
from syros_app.opengov.proposals import actions
from tests.support import personas
from tests.unit.proposals.helpers import roll

XSS = '<img src=x onerror="alert(1)">'


def render(path: str) -> str:
    for pattern, render_fn in page_previews():
        match = re.match(pattern, path)
        if match:
            return render_fn(match, None)
    pytest.fail(f"no preview for {path}")


def test_a_proposal_preview_is_escaped_and_hidden_ones_are_not_found(session):
    eleni, staff = personas.resident(session, "eleni"), personas.moderator(session)
    roll(session, {}, people=[eleni])
    p = actions.create_proposal(session, actor=eleni, title=f"Σκιά στη στάση {XSS}",
                                body="Στέγαστρο & βρύση στη στάση του λεωφορείου στη Φοίνικα, για το καλοκαίρι.")
    session.commit()
    html = render(f"/proposals/{p.id}")
    assert 'id="page-preview"' in html and "Σκιά στη στάση" in html and "&amp; βρύση" in html
    assert "<img" not in html
    assert not any(re.match(pattern, "/proposals/new") for pattern, _ in page_previews())
    actions.hide_proposal(session, actor=staff, proposal_id=p.id, reason="Εκτός θέματος")
    session.commit()
    for path in (f"/proposals/{p.id}", "/proposals/999999", "/proposals/99999999999999999999"):
        with pytest.raises(PageNotFound):
            render(path)
