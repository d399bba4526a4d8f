"""Exported CSV cells that a spreadsheet would run as a formula are neutralised, however they hide the sign."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from hsadmin.core.exports import csv_rows, safe_cell
from hsadmin.core.models import Job, JobItem, JobState, User
from hsadmin.core.roles import Role
from hsadmin.portals.models import Membership, Portal

FORMULAS = [
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    ' =HYPERLINK("https://evil.example")',
    "   +cmd",
    "\u00a0=1",  # a no-break space
    "\u3000=1",  # an ideographic space
    "\t=1",
    "\r=1",
    "\n=1",
    "＝1+1",  # full-width = + - @
    "＋1",
    "－1",
    "＠SUM(A1)",
    "  ＝1",
]


@pytest.mark.parametrize("cell", FORMULAS)
def test_a_cell_a_spreadsheet_would_run_as_a_formula_gets_an_apostrophe(cell: str) -> None:
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["plain", "a=b", "email@example.com", " spaced", "", "1-2", "ＡＢＣ"])
def test_ordinary_text_and_numbers_are_left_alone(cell: str) -> None:
    assert safe_cell(cell) == cell
    assert safe_cell(-5) == -5 and safe_cell(2.5) == 2.5


def test_the_header_row_of_an_export_is_neutralised_too() -> None:
    text = "".join(csv_rows(["=name", "plain"], [["=x", "y"]]))
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == [["'=name", "plain"], ["'=x", "y"]]


@pytest.mark.django_db
def test_the_failed_rows_csv_neutralises_its_header_row_and_every_cell(
    marketing_user: User, client: Client
) -> None:
    portal = Portal.objects.create(hub_id=801, name="Acme", status="connected")
    Membership.objects.create(user=marketing_user, portal=portal, role=Role.MARKETING.value)
    job = Job.objects.create(
        kind="participation.import",
        portal=portal,
        started_by=marketing_user,
        state=JobState.SUCCEEDED,
        done=1,
        failed=1,
    )
    JobItem.objects.create(
        job=job,
        chunk_seq=0,
        ref="row 1",
        ok=False,
        message="-not recorded",
        data=[[' =HYPERLINK("https://evil.example")', "＝1+1"], ["@email", "  @SUM(A1)"]],
    )
    client.force_login(marketing_user)
    response = client.get(reverse("jobs:failed-csv", args=[job.pk]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [
        ['\' =HYPERLINK("https://evil.example")', "'@email", "error"],
        ["'＝1+1", "'  @SUM(A1)", "'-not recorded"],
    ]
