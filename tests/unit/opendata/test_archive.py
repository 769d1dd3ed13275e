"""The open-data archive: Table Schemas from the row models, one archive a day, the
last seven kept, the nightly clock."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from pydantic import Field
from sqlmodel import Session, select

from syros_app.core.datasets import Row, row_cells, table_schema
from syros_app.opendata.archive import KEEP_ARCHIVES, archives, build_archive, export_archive
from syros_app.opendata.catalogue import all_datasets
from syros_app.opendata.cli import seconds_until_next
from syros_app.opendata.models import OpenDataArchive


class Sample(Row):
    id: int = Field(description="number")
    name: str
    share: float | None
    kind: Literal["a", "b"]
    at: datetime
    day: date | None
    flag: bool


def test_table_schema_follows_the_annotations():
    schema = table_schema(Sample)
    fields = {f["name"]: f for f in schema["fields"]}
    assert [f["name"] for f in schema["fields"]] == ["id", "name", "share", "kind", "at", "day", "flag"]
    assert fields["id"] == {"name": "id", "type": "integer", "description": "number", "constraints": {"required": True}}
    assert fields["share"]["type"] == "number" and "constraints" not in fields["share"]
    assert fields["kind"]["constraints"] == {"required": True, "enum": ["a", "b"]}
    assert fields["at"]["type"] == "datetime" and fields["day"]["type"] == "date"
    assert fields["flag"]["type"] == "boolean" and schema["primaryKey"] == "id"


def test_cells_are_iso_utc_and_plain_booleans():
    at = datetime(2026, 7, 1, 9, 30, tzinfo=UTC)
    row = Sample(id=1, name="Ερμούπολη", share=None, kind="a", at=at, day=date(2026, 7, 2), flag=False)
    assert row_cells(row) == [1, "Ερμούπολη", None, "a", "2026-07-01T09:30:00+00:00", "2026-07-02", "false"]


def test_every_capability_publishes_datasets_with_unique_names_and_described_rows():
    names = [d.name for d in all_datasets()]
    assert {"consultations", "consultation_comments", "votes", "vote_results", "notices", "service_requests",
            "service_levels", "proposals", "events", "surveys", "projects", "project_milestones", "decisions"} <= set(names)
    assert len(names) == len(set(names))


def test_one_archive_a_day_and_only_the_last_seven_kept(engine):
    start = datetime(2026, 11, 1, 12, tzinfo=UTC)
    with Session(engine) as session:
        for day in range(KEEP_ARCHIVES + 2):
            export_archive(session, now=start + timedelta(days=day))
        first_of_last_day = session.exec(select(OpenDataArchive.created_at)
                                         .order_by(OpenDataArchive.export_date.desc())).first()
        export_archive(session, now=start + timedelta(days=KEEP_ARCHIVES + 1, hours=3))  # same Athens day again
        session.commit()
        kept = archives(session)
    assert len(kept) == KEEP_ARCHIVES
    assert kept[0][1] == date(2026, 11, 9) and kept[-1][1] == date(2026, 11, 3)
    assert kept[0][2].replace(tzinfo=UTC) > first_of_last_day.replace(tzinfo=UTC)  # replaced, not added


def test_the_archive_is_a_data_package_whose_files_match_their_hashes(engine):
    with Session(engine) as session:
        content = build_archive(session, datetime(2026, 11, 30, tzinfo=UTC))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        package = json.loads(archive.read("datapackage.json"))
        assert package["profile"] == "tabular-data-package" and package["licenses"][0]["name"] == "CC-BY-4.0"
        for resource in package["resources"]:
            data = archive.read(resource["path"])
            import hashlib

            assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
            assert resource["bytes"] == len(data)
            header = data.decode("utf-8-sig").split("\r\n")[0].split(",")
            assert header == [f["name"] for f in resource["schema"]["fields"]]


def test_the_nightly_clock_waits_for_half_past_three_in_athens():
    # 01:00 UTC in winter is 03:00 in Athens: half an hour to wait
    assert seconds_until_next(datetime(2026, 12, 1, 1, 0, tzinfo=UTC)) == 30 * 60
    # just after: the next night
    assert seconds_until_next(datetime(2026, 12, 1, 1, 31, tzinfo=UTC)) == 24 * 3600 - 60
