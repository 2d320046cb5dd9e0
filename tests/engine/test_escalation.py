"""Tests for the escalation ladder."""

from datetime import date

import pytest
from resource_sharing_engine import escalation

DEADLINE = date(2030, 3, 8)


@pytest.mark.parametrize(
    ("text", "days"),
    [("1,3", (1, 3)), (" 2 , 5 ", (2, 5)), ("4", (4,)), ("", ()), (None, ())],
)
def test_parse_ladder(text, days):
    """Increasing whole days, spaces allowed; empty means no ladder."""
    assert escalation.parse_ladder(text) == days


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("3,3", "not_increasing"),
        ("5,2", "not_increasing"),
        ("0,2", "not_days"),
        ("-1", "not_days"),
        ("1.5", "not_days"),
        ("a,b", "not_days"),
        ("1,,3", "not_days"),
        ("²", "not_days"),
        ("1,2,3", "too_many"),
    ],
)
def test_parse_ladder_refuses(text, code):
    """Bad ladders are refused with the reason."""
    with pytest.raises(escalation.LadderError) as error:
        escalation.parse_ladder(text)
    assert error.value.code == code


def test_reached_step():
    """Step n is due from its day after the deadline on, not the day before."""
    ladder = (1, 3)
    assert escalation.reached_step(DEADLINE, date(2030, 3, 8), ladder) == 0
    assert escalation.reached_step(DEADLINE, date(2030, 3, 9), ladder) == 1
    assert escalation.reached_step(DEADLINE, date(2030, 3, 10), ladder) == 1
    assert escalation.reached_step(DEADLINE, date(2030, 3, 11), ladder) == 2
    assert escalation.reached_step(DEADLINE, date(2030, 3, 11), ()) == 0
