"""`bench_matching` (issue 17): the engine's ratio is printed and gates nothing any more; the whole
round, the Pohang-sized round and the peer comparison still gate (full size: by hand, see README)."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_the_engines_ratio_is_printed_and_never_fails_the_command():
    out = StringIO()
    call_command("bench_matching", "--only", "engine", "--scale", "0.01", "--repeat", "1", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "[engine] 700 students × 200 openings (770 seats) × 30 preferences"
    assert re.fullmatch(
        r"  engine \d+\.\d{3} s, baseline \(rank dicts\) \d+\.\d{3} s "
        r"→ \d+\.\d{2}× \(for information; no target\)",
        lines[2],
    )
    assert lines[-1] == "All targets met."


@pytest.mark.django_db
def test_the_whole_round_still_gates():
    out = StringIO()
    with pytest.raises(CommandError) as missed:
        call_command("bench_matching", "--only", "round", stdout=out)
    assert str(missed.value) == "Missed: round (no synthetic data)"
    assert "no synthetic district with a round here" in out.getvalue()


def test_the_scale_is_a_share_of_the_full_size():
    with pytest.raises(CommandError) as refused:
        call_command("bench_matching", "--only", "engine", "--scale", "2", stdout=StringIO())
    assert str(refused.value) == "--scale must be above 0 and at most 1."
