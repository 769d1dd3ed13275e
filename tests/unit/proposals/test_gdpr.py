"""Proposals and account deletion: the export holds the person's proposals and supports;
after deletion a proposal still collecting goes (with its photo and supports), one past its
threshold stays public with no author, and the person's supports stay as bare counts."""

from datetime import timedelta

from sqlmodel import select

from syros_app.core.i18n import translate
from syros_app.core.timefmt import utcnow
from syros_app.identity import actions as identity
from syros_app.identity.queries import export_my_data
from syros_app.opengov.proposals import actions, queries
from syros_app.opengov.proposals.models import Proposal, ProposalSupport
from tests.support import personas
from tests.unit.proposals.helpers import roll

BODY = "Πεζοδρόμηση του δρόμου μπροστά στο δημοτικό σχολείο τις ώρες προσέλευσης των παιδιών."


def test_export_and_deletion(session, monkeypatch):
    monkeypatch.setenv("SYROS_PROPOSAL_SUPPORT_SHARE", "0.5")
    now = utcnow() - timedelta(days=2)
    eleni, nikos = personas.resident(session, "eleni"), personas.resident(session, "nikos")
    roll(session, {}, people=[eleni, nikos])  # two residents: a threshold of one
    collecting = actions.create_proposal(session, actor=eleni, title="Παγκάκια στην παραλία Αζόλιμνου", body=BODY,
                                         now=now)
    kept = actions.create_proposal(session, actor=eleni, title="Φωτισμός στο μονοπάτι της Άνω Σύρου", body=BODY,
                                   area="Ερμούπολη", now=now)
    theirs = actions.create_proposal(session, actor=nikos, title="Δέντρα στην πλατεία Μιαούλη", body=BODY, now=now)
    actions.support_proposal(session, actor=nikos, proposal_id=kept.id, now=now + timedelta(hours=1))
    actions.support_proposal(session, actor=eleni, proposal_id=theirs.id, now=now + timedelta(hours=2))
    session.commit()
    assert session.get(Proposal, kept.id).reached_at is not None

    data = export_my_data(session, actor=eleni)["proposals"]
    assert [p["title"] for p in data["proposals"]] == [collecting.title, kept.title]
    assert data["proposals"][1]["status"] == "reached"
    assert [s["proposal_id"] for s in data["supports"]] == [theirs.id]

    identity.delete_account(session, actor=eleni, now=utcnow())
    session.commit()
    session.expire_all()
    assert session.get(Proposal, collecting.id) is None
    left = session.get(Proposal, kept.id)
    assert left.author_id is None and left.support_count == 1
    assert [r["author"] for r in queries.open_data(session, now=utcnow()) if r["id"] == kept.id] == [
        translate("identity.deleted_user", "el")]
    support = session.exec(select(ProposalSupport).where(ProposalSupport.proposal_id == theirs.id)).one()
    assert support.person_id is None and session.get(Proposal, theirs.id).support_count == 1
    assert sum(n for _, _, n in queries.participation(session, now=utcnow())) == 1  # only Nikos is left
