"""The Ansan demo: a second, smaller district (robots), as plain data in the shape of demo.pohang.data.

Ansan was selected in 2025 for the robot industry, with 350 million KRW a year (public fact).
Everything else here is invented for the demo: the schools, companies and university are
made-up names, and their departments, openings, agreements, students and budget are not
real. Every description says so, so that no page presents them as fact. Only the area
names (the city's districts and the Banwol national industrial complex) are real places.
"""

from __future__ import annotations

from companies.models import Opening
from demo.accounts import AccountSpec
from demo.pohang.data import (
    AgreementSpec,
    CompanySpec,
    CourseSpec,
    DepartmentSpec,
    OpeningSpec,
    PathwaySpec,
    ProgramSpec,
    SchoolSpec,
)
from demo.pohang.timeline import CURRENT
from demo.vocabulary import CERTIFICATIONS as NATIONAL_CERTIFICATIONS
from demo.vocabulary import HRDK, MINIMUM_MONTHLY_WAGE_2026, RoleSpec
from demo.vocabulary import NCS_UNITS as NATIONAL_NCS_UNITS
from district.models import BudgetLine, Certification, KpiTarget, Membership
from schools.models import School
from universities.models import CreditProgram, University

SEED = "ansan-2025"
DEMO_NOTE = "※ 시연용으로 만든 가상의 {what}입니다. 실제 {what}의 정보가 아닙니다."

DISTRICT = {
    "slug": "ansan",
    "name": "안산",
    "region": "경기도 안산시",
    "industry_focus": "로봇",
    "annual_budget_krw": 350_000_000,
    "base_url": "http://ansan.localhost:8000",
    "email_sender": "안산 직업교육 혁신지구 <noreply@ansan.localhost>",
    "description": (
        "안산 직업교육 혁신지구는 2025년에 로봇 분야로 선정되어 해마다 3억 5천만 원을 지원받습니다.\n"
        "이 포털의 안산 자료는 시연용입니다. 학교·기업·대학은 가상의 이름이며, 학생, 채용 공고, "
        "협약, 예산 집행도 모두 만든 자료입니다."
    ),
}
HOSTS = ("ansan.localhost",)

# --- the industry: robots -------------------------------------------------------------------
SEGMENTS: tuple[tuple[str, str], ...] = (
    ("robot-design", "로봇 설계"),
    ("robot-control", "제어"),
    ("precision-machining", "정밀가공"),
    ("robot-assembly", "조립·검사"),
    ("robot-maintenance", "유지보수"),
)

PROGRAMMER = "로봇 제어 프로그래머"
CNC = "CNC 가공원"
MAINTAINER = "로봇 유지보수 기술원"
ASSEMBLER = "로봇 조립·검사원"
DESIGN_ASSISTANT = "로봇 기구 설계 보조원"

JOB_ROLES: tuple[RoleSpec, ...] = (
    RoleSpec(
        DESIGN_ASSISTANT,
        "robot-design",
        2_750_000,
        "3D CAD로 로봇 팔과 그리퍼의 부품을 모델링하고 도면을 관리합니다.",
        ("1903080101_16v2",),
    ),
    RoleSpec(
        PROGRAMMER,
        "robot-control",
        2_900_000,
        "산업용·협동 로봇의 작업 경로를 티칭하고 PLC와 연동해 자동화 셀을 시운전합니다.",
        ("1903080201_16v2", "1903020301_15v2"),
    ),
    RoleSpec(
        CNC,
        "precision-machining",
        2_800_000,
        "CNC 선반과 머시닝센터로 감속기·관절 부품을 가공하고 치수를 측정합니다.",
        ("1502010201_16v3", "1502010202_16v3"),
    ),
    RoleSpec(
        ASSEMBLER,
        "robot-assembly",
        2_600_000,
        "서보모터·감속기·배선을 조립하고 출하 전 로봇의 동작과 안전 기능을 시험합니다.",
        ("1903080301_16v2",),
    ),
    RoleSpec(
        MAINTAINER,
        "robot-maintenance",
        2_950_000,
        "고객사 공장의 로봇과 자동화 설비를 점검하고 고장을 진단해 수리합니다.",
        ("1903080401_16v2", "1507020101_19v2", "1509010101_15v2"),
    ),
)
assert all(r.salary >= MINIMUM_MONTHLY_WAGE_2026 for r in JOB_ROLES)

# The national qualifications and NCS units Ansan's courses, pathways and roles use: some that
# Pohang's demo already has, and a few added for robots (HRDK's craftsman qualifications for CNC
# turning and milling; NCS robot-development and cutting units, whose codes are in the right
# shape but not checked against the NCS portal, like the others in demo.vocabulary).
_SHARED_CERTIFICATIONS = (
    "전기기능사",
    "공유압기능사",
    "설비보전기능사",
    "전자기기기능사",
    "생산자동화기능사",
)
CERTIFICATIONS: tuple[tuple[str, str, str, str], ...] = (
    *(c for c in NATIONAL_CERTIFICATIONS if c[0] in _SHARED_CERTIFICATIONS),
    ("컴퓨터응용선반기능사", "6921", Certification.Grade.CRAFTSMAN, HRDK),
    ("컴퓨터응용밀링기능사", "6922", Certification.Grade.CRAFTSMAN, HRDK),
)
_SHARED_NCS = ("1903020301_15v2", "1507020101_19v2", "1509010101_15v2")
NCS_UNITS: tuple[tuple[str, str, int], ...] = (
    *(u for u in NATIONAL_NCS_UNITS if u[0] in _SHARED_NCS),
    ("1903080101_16v2", "로봇 개발: 로봇 기구 설계", 3),
    ("1903080201_16v2", "로봇 개발: 로봇 제어 프로그래밍", 3),
    ("1903080301_16v2", "로봇 개발: 로봇 조립·시험", 3),
    ("1903080401_16v2", "로봇 개발: 로봇 유지보수", 3),
    ("1502010201_16v3", "절삭 가공: CNC 선반 가공", 3),
    ("1502010202_16v3", "절삭 가공: CNC 밀링 가공", 3),
)

# --- places -----------------------------------------------------------------------------------
# code, name, industrial complex, rough position in km from 고잔동 (east, north)
AREAS: tuple[tuple[str, str, bool, tuple[float, float]], ...] = (
    ("gojan", "고잔동", False, (0.0, 0.0)),
    ("wongok-seonbu", "원곡·선부동", False, (-3.0, 2.0)),
    ("bono-sadong", "본오·사동", False, (4.0, -2.0)),
    ("choji", "초지동", False, (-2.0, -2.5)),
    ("banwol-complex", "반월국가산업단지", True, (-5.0, 3.5)),
    ("science-valley", "안산사이언스밸리", True, (5.0, -4.0)),
)

# --- companies (invented) ---------------------------------------------------------------------
HANBIT = "한빛로보틱스"
SAESOL = "새솔오토메이션"
DAON = "다온정밀"
NURI = "누리모션"
ROBOCARE = "안산로봇케어"
MIRAE = "미래엠텍"


def _company_text(text: str) -> str:
    return f"{text}\n{DEMO_NOTE.format(what='기업')}"


# Demo business numbers 000-80-0000x: the 0008 block, apart from Pohang's and the benchmark's.
COMPANIES: tuple[CompanySpec, ...] = tuple(
    CompanySpec(number, name, segment, area, _company_text(text))
    for number, name, segment, area, text in (
        (800_001, HANBIT, "robot-design", "science-valley", "협동로봇을 설계·제조합니다."),
        (800_002, SAESOL, "robot-control", "banwol-complex", "로봇 자동화 셀을 설계·시공합니다."),
        (800_003, DAON, "precision-machining", "banwol-complex", "로봇 감속기 부품을 가공합니다."),
        (800_004, NURI, "robot-assembly", "banwol-complex", "서보모터와 액추에이터를 조립합니다."),
        (800_005, ROBOCARE, "robot-maintenance", "banwol-complex", "산업용 로봇의 유지보수를 맡습니다."),
        (800_006, MIRAE, "precision-machining", "banwol-complex", "그리퍼 부품을 가공합니다."),
    )
)
PREMIUM_COMPANIES = (HANBIT,)
RECRUITER_COMPANY = HANBIT

# --- schools (invented) -----------------------------------------------------------------------
ROBOT_HS = "안산로봇고"
BANWOL_HS = "반월기계공고"
SANGNOK_HS = "상록전자고"
SAMPLE = 4  # demo students per department, in the final-year cohort only
FINAL_YEAR = (CURRENT,)


def _school_text(text: str) -> str:
    return f"{text}\n{DEMO_NOTE.format(what='학교')}"


SCHOOLS: tuple[SchoolSpec, ...] = (
    SchoolSpec(
        ROBOT_HS,
        School.Kind.SPECIALISED,
        "gojan",
        _school_text("혁신지구 공동 교육과정의 거점 학교로, 로봇 설계와 제어를 가르칩니다."),
        hub=True,
        departments=(
            DepartmentSpec(
                "로봇설계과",
                "robot-design",
                2,
                40,
                2025,
                FINAL_YEAR,
                SAMPLE,
                courses=(CourseSpec("로봇 기구 설계 실습", "1903080101_16v2", 68, 2, (HANBIT,)),),
                certifications=("생산자동화기능사",),
            ),
            DepartmentSpec(
                "로봇제어과",
                "robot-control",
                2,
                40,
                2025,
                FINAL_YEAR,
                SAMPLE,
                courses=(
                    CourseSpec("PLC 제어 프로그래밍", "1903020301_15v2", 68, 2, (), ("생산자동화기능사",)),
                    CourseSpec("로봇 티칭과 자동화 셀 실습", "1903080201_16v2", 68, 3, (SAESOL, HANBIT)),
                ),
                certifications=("생산자동화기능사", "전기기능사"),
            ),
        ),
    ),
    SchoolSpec(
        BANWOL_HS,
        School.Kind.SPECIALISED,
        "wongok-seonbu",
        _school_text("반월국가산업단지 가까이에서 정밀가공과 자동화 설비를 가르칩니다."),
        departments=(
            DepartmentSpec(
                "정밀기계과",
                "precision-machining",
                2,
                40,
                1990,
                FINAL_YEAR,
                SAMPLE,
                courses=(
                    CourseSpec("CNC 선반 가공", "1502010201_16v3", 68, 2, (DAON,), ("컴퓨터응용선반기능사",)),
                    CourseSpec(
                        "CNC 밀링 가공", "1502010202_16v3", 68, 3, (DAON, MIRAE), ("컴퓨터응용밀링기능사",)
                    ),
                ),
                certifications=("컴퓨터응용선반기능사", "컴퓨터응용밀링기능사"),
            ),
            DepartmentSpec(
                "자동화설비과",
                "robot-maintenance",
                1,
                20,
                1998,
                FINAL_YEAR,
                SAMPLE,
                courses=(
                    CourseSpec("공유압 장치 보전", "1509010101_15v2", 51, 2, (ROBOCARE,), ("공유압기능사",)),
                ),
                certifications=("공유압기능사", "설비보전기능사"),
            ),
        ),
    ),
    SchoolSpec(
        SANGNOK_HS,
        School.Kind.SPECIALISED,
        "bono-sadong",
        _school_text("전자 회로와 센서, 모터 제어를 가르칩니다."),
        female_share=0.35,
        departments=(
            DepartmentSpec(
                "전자제어과",
                "robot-assembly",
                2,
                40,
                2001,
                FINAL_YEAR,
                SAMPLE,
                courses=(
                    CourseSpec("로봇 조립·시험", "1903080301_16v2", 68, 3, (NURI,), ("전자기기기능사",)),
                ),
                certifications=("전자기기기능사", "전기기능사"),
            ),
        ),
    ),
)

# --- the university (invented) ----------------------------------------------------------------
UNIVERSITY = "안산미래과학대학교"
PROGRAM = "로봇자동화과 재직자 특별전형"
UNIVERSITIES: tuple[tuple[str, str, str, str], ...] = (
    (UNIVERSITY, University.Kind.JUNIOR_COLLEGE, "bono-sadong", ""),
)
PROGRAMS: tuple[ProgramSpec, ...] = (
    ProgramSpec(
        UNIVERSITY,
        PROGRAM,
        "로봇자동화과",
        CreditProgram.Kind.SPECIAL_ADMISSION,
        CreditProgram.Degree.ASSOCIATE,
        CreditProgram.Schedule.EVENING,
        36,
        partners=(HANBIT, SAESOL),
        description="정원 외 특별전형으로 서류와 면접으로 선발합니다. 평일 저녁에 수업합니다.\n"
        + DEMO_NOTE.format(what="대학과 과정"),
        eligibility="특성화고·마이스터고 졸업 후 산업체 재직 3년(36개월) 이상",
    ),
)

AGREEMENTS: tuple[AgreementSpec, ...] = (
    AgreementSpec(HANBIT, ROBOT_HS, "협동로봇 인재 양성·채용 협약(시연용)", (4, 1), 8, 8),
    AgreementSpec(DAON, BANWOL_HS, "정밀가공 현장실습·채용 협약(시연용)", (5, 2), 5, 6),
)

# --- openings ---------------------------------------------------------------------------------
SH = Opening.Shift
ET = Opening.EmploymentType
OS = Opening.Status
DAY, T2 = SH.DAY, SH.TWO_SHIFTS
PERM, FIXED = ET.PERMANENT, ET.FIXED_TERM

ROLE_CERTS: dict[str, tuple[str, ...]] = {
    PROGRAMMER: ("생산자동화기능사",),
    CNC: ("컴퓨터응용선반기능사",),
    MAINTAINER: ("공유압기능사",),
}
ROLE_DEPARTMENTS: dict[str, tuple[tuple[str, str], ...]] = {
    DESIGN_ASSISTANT: ((ROBOT_HS, "로봇설계과"),),
    PROGRAMMER: ((ROBOT_HS, "로봇제어과"),),
    CNC: ((BANWOL_HS, "정밀기계과"),),
    ASSEMBLER: ((SANGNOK_HS, "전자제어과"),),
    MAINTAINER: ((BANWOL_HS, "자동화설비과"), (ROBOT_HS, "로봇제어과")),
}


def _o(company, role, title, shift, employment, seats, **kw) -> OpeningSpec:
    return OpeningSpec(company, role, title, shift, employment, seats, **kw)


OPENINGS: tuple[OpeningSpec, ...] = (
    _o(HANBIT, DESIGN_ASSISTANT, "협동로봇 기구 설계 보조원", DAY, PERM, 2),
    _o(HANBIT, PROGRAMMER, "협동로봇 응용 프로그래머", DAY, PERM, 3),
    _o(HANBIT, ASSEMBLER, "협동로봇 조립원", T2, PERM, 4),
    _o(HANBIT, ASSEMBLER, "출하 검사원", DAY, PERM, 2),
    _o(SAESOL, PROGRAMMER, "자동화 셀 시운전 프로그래머", DAY, PERM, 3),
    _o(SAESOL, PROGRAMMER, "PLC 제어반 제작·배선원", DAY, PERM, 2),
    _o(SAESOL, MAINTAINER, "현장 설치·유지보수 기술원", DAY, PERM, 2),
    _o(DAON, CNC, "CNC 선반 가공원", T2, PERM, 4),
    _o(DAON, CNC, "머시닝센터 가공원", T2, PERM, 3),
    _o(DAON, ASSEMBLER, "감속기 부품 치수 검사원", DAY, FIXED, 1),
    _o(NURI, ASSEMBLER, "서보모터 조립원", T2, PERM, 4),
    _o(NURI, ASSEMBLER, "액추에이터 성능 시험원", DAY, PERM, 2),
    _o(NURI, DESIGN_ASSISTANT, "모터 하우징 설계 보조원", DAY, PERM, 1),
    _o(ROBOCARE, MAINTAINER, "산업용 로봇 유지보수 기술원", DAY, PERM, 3),
    _o(ROBOCARE, MAINTAINER, "로봇 예방 점검 기술원", T2, PERM, 2),
    _o(ROBOCARE, PROGRAMMER, "로봇 티칭 지원 기술원", DAY, PERM, 1),
    _o(MIRAE, CNC, "그리퍼 부품 CNC 가공원", T2, PERM, 3),
    _o(MIRAE, CNC, "CNC 밀링 가공원", T2, PERM, 2),
    # In the review workflow.
    _o(MIRAE, MAINTAINER, "가공 설비 보전원", DAY, PERM, 1, status=OS.SUBMITTED),
    _o(HANBIT, PROGRAMMER, "현장실습 연계 로봇 프로그래머 (하계)", DAY, PERM, 2, status=OS.DRAFT),
)


def closed_openings(school_year: int) -> tuple[OpeningSpec, ...]:
    """The district began in 2025 and its demo has no graduated cohorts' hiring yet."""
    return ()


# --- pathways ---------------------------------------------------------------------------------
PATHWAYS: tuple[PathwaySpec, ...] = (
    PathwaySpec(
        "ansan-robot-control-to-robot-programmer",
        "로봇제어과에서 로봇 제어 프로그래머로",
        "PLC와 로봇 티칭을 배우고 생산자동화기능사를 취득해 협동로봇·자동화 기업의 프로그래머가 된 뒤, "
        "재직자 특별전형으로 학위를 잇습니다. (시연용 경로)",
        ROBOT_HS,
        "로봇제어과",
        "robot-control",
        (PROGRAMMER, MAINTAINER),
        ("생산자동화기능사", "전기기능사"),
        (SAESOL, HANBIT),
        ((UNIVERSITY, PROGRAM),),
    ),
    PathwaySpec(
        "ansan-precision-machining-to-cnc-machinist",
        "정밀기계과에서 로봇 부품 CNC 가공원으로",
        "CNC 선반·밀링을 익혀 로봇 감속기와 그리퍼 부품을 가공합니다. (시연용 경로)",
        BANWOL_HS,
        "정밀기계과",
        "precision-machining",
        (CNC,),
        ("컴퓨터응용선반기능사", "컴퓨터응용밀링기능사"),
        (DAON, MIRAE),
        ((UNIVERSITY, PROGRAM),),
    ),
)

# --- money and targets ------------------------------------------------------------------------
C = BudgetLine.Category
_YEAR = {
    C.SUPPORT_CENTRE: 90_000_000,
    C.CURRICULUM: 80_000_000,
    C.EQUIPMENT: 90_000_000,
    C.HIRING_FAIR: 20_000_000,
    C.TEACHER_TRAINING: 25_000_000,
    C.FIELD_PRACTICE: 30_000_000,
    C.SETTLEMENT: 10_000_000,
    C.OTHER: 5_000_000,
}
BUDGET: dict[int, dict[str, int]] = {0: _YEAR, 1: _YEAR, 2: _YEAR}
assert all(sum(lines.values()) == DISTRICT["annual_budget_krw"] for lines in BUDGET.values())

BUDGET_DESCRIPTIONS = {
    C.SUPPORT_CENTRE: "혁신지구 지원센터 운영(시연용)",
    C.CURRICULUM: "로봇 공동 교육과정 개발(시연용)",
    C.EQUIPMENT: "협동로봇·CNC 실습 기자재(시연용)",
    C.HIRING_FAIR: "지역 로봇 기업 채용 박람회(시연용)",
    C.TEACHER_TRAINING: "교원 직무 연수(시연용)",
    C.FIELD_PRACTICE: "현장실습 안전 점검과 실습생 지원(시연용)",
    C.SETTLEMENT: "지역 정주 지원(시연용)",
    C.OTHER: "기타 운영비(시연용)",
}
# (programme year index, category, month, day, amount, description); only those on or before
# the seed day are loaded.
EXPENDITURES: tuple[tuple[int, str, int, int, int, str], ...] = (
    (0, C.SUPPORT_CENTRE, 6, 30, 40_000_000, "지원센터 운영비(상반기)"),
    (0, C.EQUIPMENT, 9, 12, 62_000_000, "협동로봇 실습 장비 도입"),
    (0, C.CURRICULUM, 11, 14, 35_000_000, "로봇 티칭 공동 교육과정 개발"),
    (1, C.SUPPORT_CENTRE, 6, 30, 42_000_000, "지원센터 운영비(상반기)"),
    (1, C.FIELD_PRACTICE, 8, 28, 18_000_000, "하계 현장실습 안전 점검·지원"),
)

KPI = KpiTarget.Indicator
KPI_TARGETS: dict[str, tuple[int, int, int]] = {
    KPI.EMPLOYMENT_RATE: (55, 60, 65),
    KPI.LOCAL_EMPLOYMENT_RATE: (50, 55, 60),
    KPI.FIELD_PRACTICE_PARTICIPANTS: (30, 45, 60),
}

# --- demo accounts ----------------------------------------------------------------------------
R = Membership.Role
ACCOUNTS: tuple[AccountSpec, ...] = (
    AccountSpec("ansan-official", R.OFFICIAL, "안산시 혁신지구 담당자(데모)", is_staff=True),
    AccountSpec("ansan-school", R.SCHOOL_STAFF, "안산로봇고 혁신지구 담당 교사(데모)"),
    AccountSpec("ansan-company", R.COMPANY_RECRUITER, "한빛로보틱스 채용 담당자(데모)"),
    AccountSpec("ansan-university", R.UNIVERSITY_COORDINATOR, "안산미래과학대학교 후학습 담당자(데모)"),
    AccountSpec("ansan-student", R.STUDENT, "데모 학생(안산)"),
)
DEMO_STUDENT = (ROBOT_HS, "로봇제어과")
