"""district.korean picks 이/가, 을/를, 은/는 and 으로/로 by the sound a word ends with."""

import datetime

import pytest

from district.cohorts import Cohort
from district.korean import fix_particles, josa


@pytest.mark.parametrize(
    ("word", "pair", "expected"),
    [
        ("화학분석기능사", "이/가", "화학분석기능사가"),
        ("위험물기능사", "을/를", "위험물기능사를"),
        ("설비 보전원", "이/가", "설비 보전원이"),
        ("포항", "은/는", "포항은"),
        ("서울", "으로/로", "서울로"),
        ("포항", "으로/로", "포항으로"),
        ("전기기능사(필기)", "이/가", "전기기능사(필기)가"),
        ("POSCO", "이/가", "POSCO가"),
        ("3", "을/를", "3을"),
        ("…", "이/가", "…이(가)"),
    ],
)
def test_josa_follows_the_last_sound(word, pair, expected):
    assert josa(word, pair) == expected


def test_fix_particles_rewrites_both_forms_after_a_word_only():
    assert fix_particles("화학분석기능사이(가) 필요합니다.") == "화학분석기능사가 필요합니다."
    assert fix_particles("공유압기능사을(를) 보유") == "공유압기능사를 보유"
    assert fix_particles("울산(으)로 이동") == "울산으로 이동"
    assert fix_particles(" 이(가) 빈칸") == " 이(가) 빈칸"


def test_a_cohort_is_its_school_year_and_graduates_the_next_february():
    cohort = Cohort(2026)
    assert cohort.graduation_month == datetime.date(2027, 2, 1)
    assert cohort.survey_on == datetime.date(2027, 4, 1)
    assert cohort.six_month_check_on == datetime.date(2027, 10, 1)
    assert cohort.twelve_month_check_on == datetime.date(2028, 4, 1)
    assert Cohort.in_final_year_on(datetime.date(2026, 12, 7)) == Cohort(2026)
    assert Cohort.in_final_year_on(datetime.date(2027, 2, 28)) == Cohort(2026)
    assert Cohort.in_final_year_on(datetime.date(2027, 3, 1)) == Cohort(2027)
    assert Cohort.latest_surveyed(datetime.date(2026, 12, 7)) == Cohort(2025)
    assert Cohort.latest_surveyed(datetime.date(2027, 3, 31)) == Cohort(2025)
    assert Cohort.latest_surveyed(datetime.date(2027, 4, 1)) == Cohort(2026)
    assert Cohort.graduating_in(2026) == Cohort(2025)
