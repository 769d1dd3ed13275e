from datetime import datetime, timezone

from sqlalchemy import text

from syros_app.__main__ import main
from syros_app.core import audit
from syros_app.core.db import session_scope


def test_audit_verify_command_reports_a_tampered_row(engine, capsys):
    with session_scope() as session:
        for i in range(3):
            audit.record(session, actor="cli:test", action="demo", target=str(i), now=datetime.now(timezone.utc))
    assert main(["audit", "verify"]) == 0
    assert "chain intact" in capsys.readouterr().out
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP TRIGGER audit_entry_append_only ON audit_entry"))
        else:
            conn.execute(text("DROP TRIGGER audit_entry_no_update"))
        conn.execute(text("UPDATE audit_entry SET target = 'forged' WHERE id = 2"))
    try:
        assert main(["audit", "verify"]) == 1
        assert "BROKEN at entry 2" in capsys.readouterr().out
    finally:
        with engine.begin() as conn:  # restore the shared schema's protection
            for ddl in audit.APPEND_ONLY_DDL.get(engine.dialect.name, []):
                if "no_update" in str(ddl.statement) or engine.dialect.name == "postgresql":
                    conn.execute(text(str(ddl.statement)))
