"""The demo's vocabulary: Pohang's battery industry (segments and job roles) and the national
certifications and NCS units it uses, which every district shares; Ansan's robots are in
demo/ansan/data.py.

Q-Net codes and NCS unit codes here are plausible demo values in the right shape; they
are not checked against Q-Net or the NCS portal.
"""

from __future__ import annotations

from dataclasses import dataclass

from district.models import Certification, IndustrySegment, JobRole, NcsUnit

MINIMUM_MONTHLY_WAGE_2026 = 2_156_880  # 10,320 KRW × 209 hours

# code, name
SEGMENTS: tuple[tuple[str, str], ...] = (
    ("cathode", "양극재"),
    ("anode", "음극재"),
    ("precursor", "전구체"),
    ("electrolyte", "전해액"),
    ("separator", "분리막"),
    ("cell", "셀"),
    ("recycling", "재활용"),
    ("equipment", "설비"),
)

HRDK = "한국산업인력공단"

# name, Q-Net code, grade, issuer
CERTIFICATIONS: tuple[tuple[str, str, str, str], ...] = (
    ("전기기능사", "7780", Certification.Grade.CRAFTSMAN, HRDK),
    ("공유압기능사", "6110", Certification.Grade.CRAFTSMAN, HRDK),
    ("위험물기능사", "7916", Certification.Grade.CRAFTSMAN, HRDK),
    ("화학분석기능사", "7911", Certification.Grade.CRAFTSMAN, HRDK),
    ("설비보전기능사", "6181", Certification.Grade.CRAFTSMAN, HRDK),
    ("용접기능사", "7190", Certification.Grade.CRAFTSMAN, HRDK),
    ("전자기기기능사", "7840", Certification.Grade.CRAFTSMAN, HRDK),
    ("생산자동화기능사", "6160", Certification.Grade.CRAFTSMAN, HRDK),
    ("전기산업기사", "2150", Certification.Grade.INDUSTRIAL_ENGINEER, HRDK),
    ("위험물산업기사", "2370", Certification.Grade.INDUSTRIAL_ENGINEER, HRDK),
    ("산업안전산업기사", "2191", Certification.Grade.INDUSTRIAL_ENGINEER, HRDK),
    ("배터리성능평가사", "", Certification.Grade.PRIVATE, "민간 등록 자격"),
)

# code, name, level
NCS_UNITS: tuple[tuple[str, str, int], ...] = (
    ("1901020601_22v1", "리튬이온전지셀 제조: 전극 슬러리 제조", 3),
    ("1901020602_22v1", "리튬이온전지셀 제조: 전극 코팅·건조", 3),
    ("1901020603_22v1", "리튬이온전지셀 제조: 전극 압연·슬리팅", 3),
    ("1901020604_22v1", "리튬이온전지셀 제조: 셀 조립", 3),
    ("1901020605_22v1", "리튬이온전지셀 제조: 전해액 주입·밀봉", 3),
    ("1901020606_22v1", "리튬이온전지셀 제조: 화성·에이징", 3),
    ("1901020607_22v1", "리튬이온전지셀 제조: 셀 성능 평가", 4),
    ("1901020608_22v1", "리튬이온전지셀 제조: 공정 안전관리", 3),
    ("1702030104_20v2", "이차전지 소재 제조: 소성 공정 운전", 3),
    ("1702030105_20v2", "이차전지 소재 제조: 혼합·분쇄 공정 운전", 3),
    ("1702030201_20v2", "이차전지 소재 제조: 전구체 합성 공정 운전", 3),
    ("1701010203_16v3", "화학물질 분석: 습식 분석", 3),
    ("1701010205_16v3", "화학물질 분석: 기기 분석(SEM·입도 분석)", 4),
    ("1507020101_19v2", "설비 보전: 기계 설비 예방 보전", 3),
    ("1509010101_15v2", "공유압: 공유압 장치 보전", 3),
    ("1901010201_17v2", "전기 설비 운영: 수변전 설비 운영", 3),
    ("1901010103_17v2", "전기 설비 운영: 전동기 제어", 3),
    ("1903020301_15v2", "자동제어: PLC 제어 프로그래밍", 3),
    ("2401010101_18v2", "산업안전관리: 위험성 평가", 4),
    ("2301030103_22v1", "자원 재활용: 폐배터리 전처리 공정 운영", 3),
    ("2301030104_22v1", "자원 재활용: 습식 제련 공정 운영", 3),
    ("1506010102_13v1", "용접: 피복 아크 용접", 2),
)


@dataclass(frozen=True)
class RoleSpec:
    name: str
    segment: str | None
    salary: int
    description: str
    ncs: tuple[str, ...]


JOB_ROLES: tuple[RoleSpec, ...] = (
    RoleSpec(
        "공정 운영원",
        "cathode",
        2_950_000,
        "양극재 혼합·소성 공정의 설비를 운전하고 공정 조건과 품질 지표를 점검합니다. "
        "주로 4조 2교대로 일합니다.",
        ("1702030104_20v2", "1702030105_20v2", "1901020608_22v1"),
    ),
    RoleSpec(
        "전구체 공정 운영원",
        "precursor",
        2_900_000,
        "전구체 반응기와 세정·건조 설비를 운전하고 원료 투입과 공정 조건을 관리합니다.",
        ("1702030201_20v2", "1901020608_22v1"),
    ),
    RoleSpec(
        "음극재 공정 운영원",
        "anode",
        2_850_000,
        "흑연계 음극재의 구형화·코팅·열처리 공정을 운전합니다.",
        ("1702030104_20v2", "1702030105_20v2"),
    ),
    RoleSpec(
        "셀 조립 운영원",
        "cell",
        2_750_000,
        "전극 공정부터 셀 조립·화성까지 라인 설비를 운전하고 불량을 선별합니다.",
        ("1901020602_22v1", "1901020604_22v1", "1901020606_22v1"),
    ),
    RoleSpec(
        "재활용 공정 운영원",
        "recycling",
        2_750_000,
        "폐배터리 방전·파쇄 전처리와 습식 제련 공정을 운전하고 위험물을 관리합니다.",
        ("2301030103_22v1", "2301030104_22v1"),
    ),
    RoleSpec(
        "설비 보전원",
        "equipment",
        3_000_000,
        "생산 설비의 예방 보전과 고장 수리를 맡습니다. 공유압·기계 요소를 다룹니다.",
        ("1507020101_19v2", "1509010101_15v2", "1506010102_13v1"),
    ),
    RoleSpec(
        "전기 설비 기술원",
        "equipment",
        3_050_000,
        "수변전 설비, 전동기와 PLC 제어반을 운영·보수합니다.",
        ("1901010201_17v2", "1901010103_17v2", "1903020301_15v2"),
    ),
    RoleSpec(
        "품질 검사원",
        None,
        2_700_000,
        "원료·공정·출하 제품의 시료를 채취하고 규격에 맞는지 검사합니다.",
        ("1701010203_16v3", "1901020607_22v1"),
    ),
    RoleSpec(
        "분석 기술원",
        None,
        2_850_000,
        "ICP, SEM, 입도 분석기 등으로 소재의 조성과 입자를 분석합니다.",
        ("1701010203_16v3", "1701010205_16v3"),
    ),
    RoleSpec(
        "산업 보건·안전 관리원",
        None,
        2_800_000,
        "작업 환경 측정, 위험성 평가와 안전 교육을 지원합니다.",
        ("2401010101_18v2", "1901020608_22v1"),
    ),
    RoleSpec(
        "물류·자재 관리원",
        None,
        2_500_000,
        "원료 입고, 제품 출하와 창고 재고를 관리합니다.",
        (),
    ),
)

assert all(r.salary >= MINIMUM_MONTHLY_WAGE_2026 for r in JOB_ROLES)

# The segments whose companies hire for a role; roles not listed are found in every segment.
ROLE_SEGMENT_HINTS: dict[str, tuple[str, ...]] = {
    "공정 운영원": ("cathode",),
    "전구체 공정 운영원": ("precursor",),
    "음극재 공정 운영원": ("anode",),
    "셀 조립 운영원": ("cell", "electrolyte", "separator"),
    "재활용 공정 운영원": ("recycling",),
}


@dataclass
class Vocabulary:
    segments: dict[str, IndustrySegment]
    certifications: dict[str, Certification]
    ncs_units: dict[str, NcsUnit]
    job_roles: dict[str, JobRole]


def ensure_vocabulary(district) -> Vocabulary:
    """Create or update `district`'s battery vocabulary and the national registries; safe to rerun."""
    return ensure_industry(district, segments=SEGMENTS, job_roles=JOB_ROLES)


def ensure_industry(
    district,
    *,
    segments: tuple[tuple[str, str], ...],
    job_roles: tuple[RoleSpec, ...],
    certifications: tuple[tuple[str, str, str, str], ...] = CERTIFICATIONS,
    ncs_units: tuple[tuple[str, str, int], ...] = NCS_UNITS,
) -> Vocabulary:
    """Create or update `district`'s industry (its segments and job roles) and the national entries
    it uses (`certifications`, `ncs_units`).

    Segments and job roles belong to the district; certifications and NCS units are national
    and shared by every district. Safe to rerun.
    """
    segment_rows = {}
    for order, (code, name) in enumerate(segments, start=1):
        segment_rows[code], _ = IndustrySegment.objects.update_or_create(
            district=district, code=code, defaults={"name": name, "order": order}
        )
    certification_rows, ncs_rows = ensure_national_registries(certifications, ncs_units)

    role_rows = {}
    for spec in job_roles:
        role, _ = JobRole.objects.update_or_create(
            district=district,
            name=spec.name,
            defaults={
                "segment": segment_rows[spec.segment] if spec.segment else None,
                "typical_monthly_salary_krw": spec.salary,
                "description": spec.description,
            },
        )
        role.ncs_units.set([ncs_rows[c] for c in spec.ncs])
        role_rows[spec.name] = role

    return Vocabulary(segment_rows, certification_rows, ncs_rows, role_rows)


def ensure_national_registries(
    certifications: tuple[tuple[str, str, str, str], ...], ncs_units: tuple[tuple[str, str, int], ...]
) -> tuple[dict[str, Certification], dict[str, NcsUnit]]:
    """These national certifications and NCS units, by name and by code; created or updated."""
    certification_rows = {}
    for name, code, grade, issuer in certifications:
        certification_rows[name], _ = Certification.objects.update_or_create(
            name=name, defaults={"qnet_code": code, "grade": grade, "issuer": issuer}
        )
    ncs_rows = {}
    for code, name, level in ncs_units:
        ncs_rows[code], _ = NcsUnit.objects.update_or_create(
            code=code, defaults={"name": name, "level": level}
        )
    return certification_rows, ncs_rows
