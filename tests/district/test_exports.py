"""The formula-safe export writer: a cell that would start a formula is written as text."""

import datetime

import pytest

from district.exports import safe_cell
from tests.builders import NASTY

D = datetime.date


@pytest.mark.parametrize("value", NASTY)
def test_safe_cell_neutralises_formula_starters(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", [None, 0, -5, 2.5, D(2026, 4, 1), "포항흥해공업고", "a=b", "'quoted"])
def test_safe_cell_leaves_everything_else(value):
    assert safe_cell(value) == value
