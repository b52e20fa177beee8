"""The Pohang demo: names, places and plans, as plain data.

Company and school names are real; everything else about them here (business numbers,
openings, seats, salaries, agreements, student rosters, budgets) is made up for the
demo and must not be shown as fact.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from companies.models import Opening
from demo.pohang.timeline import CURRENT, GRADUATED_ROLES, JUNIOR
from district.models import BudgetLine, KpiTarget
from schools.models import School
from universities.models import CreditProgram, University

SEED = "pohang-2025"

DISTRICT = {
    "slug": "pohang",
    "name": "포항",
    "region": "경상북도 포항시",
    "industry_focus": "이차전지",
    "annual_budget_krw": 350_000_000,
    "description": (
        "포항 직업교육 혁신지구는 이차전지 분야로 선정되어 해마다 3억 5천만 원을 지원받습니다. "
        "영일만·블루밸리 산업단지의 이차전지 기업과 지역 직업계고, 대학이 함께 "
        "현장실습, 채용, 선취업 후진학으로 이어지는 경로를 만듭니다.\n"
        "이 포털의 포항 자료는 시연용입니다. 기업·학교·대학 이름은 실제이지만 학생, 채용 공고, "
        "취업 실적, 예산 집행은 모두 만든 자료입니다."
    ),
    "base_url": "http://pohang.localhost:8000",
    "email_sender": "포항 직업교육 혁신지구 <noreply@pohang.localhost>",
}
# The host names its site answers on in the demo (localhost and 127.0.0.1, which no district
# claims, show the default district: Pohang).
HOSTS = ("pohang.localhost",)

# code, name, industrial complex, rough position in km from 죽도동 (east, north)
AREAS: tuple[tuple[str, str, bool, tuple[float, float]], ...] = (
    ("heunghae", "흥해읍", False, (-2.0, 10.0)),
    ("yangdeok-jangseong", "양덕·장성동", False, (1.0, 5.0)),
    ("duho-hwanho", "두호·환호동", False, (3.0, 3.5)),
    ("jukdo-jungang", "죽도·중앙동", False, (0.0, 0.0)),
    ("daejam-hyoja", "대잠·효자동", False, (-2.5, -2.0)),
    ("yeonil", "연일읍", False, (-5.0, -4.0)),
    ("ocheon", "오천읍", False, (-1.0, -10.0)),
    ("cheongnim-jecheol", "청림·제철동", False, (2.5, -6.5)),
    ("guryongpo-donghae", "구룡포·동해면", False, (11.0, -11.0)),
    ("yeongilman-complex", "영일만 산업단지", True, (3.0, 12.5)),
    ("bluevalley-complex", "블루밸리 산업단지", True, (8.0, -14.0)),
    ("steel-complex", "철강산업단지", True, (3.0, -4.0)),
)

# --- companies -------------------------------------------------------------------
POSCO_FM = "포스코퓨처엠"
ECOPRO_BM = "에코프로비엠"
ECOPRO_MAT = "에코프로머티리얼즈"
ECOPRO_CNG = "에코프로씨엔지"
ECOPRO_AP = "에코프로에이피"
ECOPRO_INNO = "에코프로이노베이션"
CNGR = "씨앤지알"
GS_RECYCLING = "GS건설 배터리 재활용사업(에네르마)"
POSCO_SS = "포스코실리콘솔루션"
ENERGY_MAT = "에너지머티리얼즈"

# The eight partner companies that every demo must have.
CORE_COMPANIES = (POSCO_FM, ECOPRO_BM, ECOPRO_MAT, ECOPRO_CNG, ECOPRO_AP, ECOPRO_INNO, CNGR, GS_RECYCLING)


@dataclass(frozen=True)
class CompanySpec:
    number: int  # makes the demo business number 000-00-0NNNx
    name: str
    segment: str
    area: str
    description: str
    website: str = ""
    verified: bool = True
    local: bool = True  # located in the district; hires elsewhere are not local employment


COMPANIES: tuple[CompanySpec, ...] = (
    CompanySpec(
        1,
        POSCO_FM,
        "cathode",
        "bluevalley-complex",
        "양극재와 음극재를 만드는 이차전지 소재 기업입니다. 포항에 양극재 공장과 음극재 공장이 있습니다.",
        "https://www.poscofuturem.com",
    ),
    CompanySpec(
        2,
        ECOPRO_BM,
        "cathode",
        "yeongilman-complex",
        "에코프로 포항 캠퍼스의 하이니켈 양극재 생산 기업입니다. 생산직은 4조 2교대로 근무합니다.",
        "https://www.ecoprobm.co.kr",
    ),
    CompanySpec(
        3,
        ECOPRO_MAT,
        "precursor",
        "yeongilman-complex",
        "에코프로 포항 캠퍼스에서 양극재의 원료가 되는 전구체를 만듭니다.",
    ),
    CompanySpec(
        4,
        ECOPRO_CNG,
        "recycling",
        "yeongilman-complex",
        "폐배터리와 공정 스크랩에서 니켈·코발트·리튬 등 금속을 회수하는 재활용 기업입니다.",
    ),
    CompanySpec(
        5,
        ECOPRO_AP,
        "equipment",
        "yeongilman-complex",
        "에코프로 포항 캠퍼스에 양극재 소성용 산소·질소 등 산업용 가스를 공급합니다.",
    ),
    CompanySpec(
        6,
        ECOPRO_INNO,
        "precursor",
        "yeongilman-complex",
        "양극재 원료인 수산화리튬 등을 가공하는 에코프로 계열사입니다.",
    ),
    CompanySpec(
        7,
        CNGR,
        "precursor",
        "yeongilman-complex",
        "영일만 산업단지에서 전구체를 생산하는 기업입니다(중웨이 CNGR).",
    ),
    CompanySpec(
        8,
        GS_RECYCLING,
        "recycling",
        "yeongilman-complex",
        "GS건설의 배터리 재활용 사업으로, 포항에서 폐배터리를 처리해 금속을 회수합니다.",
    ),
    CompanySpec(
        9,
        POSCO_SS,
        "anode",
        "bluevalley-complex",
        "블루밸리 산업단지에서 실리콘 음극재를 생산합니다.",
    ),
    CompanySpec(
        10,
        ENERGY_MAT,
        "recycling",
        "yeongilman-complex",
        "이차전지 소재 재활용 기업입니다. 포털 가입 후 담당자 확인을 기다리고 있습니다.",
        verified=False,
    ),
    # Outside Pohang: where some graduates find work away from the district.
    CompanySpec(
        11,
        "삼성SDI 울산사업장",
        "cell",
        "",
        "울산에 있는 이차전지 셀 제조 사업장입니다. 포항 밖 기업이라 지역 취업에 들지 않습니다.",
        local=False,
    ),
    CompanySpec(
        12,
        "LG에너지솔루션 오창에너지플랜트",
        "cell",
        "",
        "충북 청주 오창에 있는 이차전지 셀 공장입니다. 포항 밖 기업이라 지역 취업에 들지 않습니다.",
        local=False,
    ),
)

# --- schools ---------------------------------------------------------------------
HEUNGHAE = "포항흥해공업고"
POSCO_TECH = "포항제철공고"
SCIENCE_TECH = "포항과학기술고"
MARINE = "포항해양과학고"
GIRLS_ELEC = "포항여자전자고"

HEUNGHAE_DEPARTMENTS = ("기계설비과", "이차전지 시스템제어과", "이차전지 전기설비과")


@dataclass(frozen=True)
class CourseSpec:
    title: str
    ncs: str
    hours: int
    grade_year: int
    co_developers: tuple[str, ...] = ()
    certifications: tuple[str, ...] = ()


@dataclass(frozen=True)
class DepartmentSpec:
    name: str
    segment: str | None
    classes: int
    students_per_year: int
    established: int
    cohorts: tuple[str, ...]  # the roles of the cohorts seeded with students (see timeline)
    sample: int  # demo students seeded per cohort
    active: bool = True
    replaces: str | None = None
    reorganised_year: int | None = None
    courses: tuple[CourseSpec, ...] = ()
    certifications: tuple[str, ...] = ()  # what its students usually earn


@dataclass(frozen=True)
class SchoolSpec:
    name: str
    kind: str
    area: str
    description: str
    departments: tuple[DepartmentSpec, ...]
    agreement_type: bool = False
    hub: bool = False
    female_share: float = 0.2


# The old departments hold the graduates, the new ones (from the 2025 reorganisation) the
# students still at school.
GRADUATED = GRADUATED_ROLES
NEW = (CURRENT, JUNIOR)
ALL_COHORTS = (*GRADUATED_ROLES, CURRENT, JUNIOR)

SCHOOLS: tuple[SchoolSpec, ...] = (
    SchoolSpec(
        HEUNGHAE,
        School.Kind.SPECIALISED,
        "heunghae",
        "2024년부터 협약형 특성화고이며 혁신지구 공동 교육과정의 거점 학교입니다. 2025년에 학과를 "
        "이차전지 중심으로 개편했고, SEM·입도 분석과 코인셀·파우치셀 조립을 실습합니다.",
        agreement_type=True,
        hub=True,
        departments=(
            # Old departments first: the new ones point to them.
            DepartmentSpec(
                "전자기계과",
                "equipment",
                2,
                40,
                1998,
                GRADUATED,
                20,
                active=False,
                certifications=("생산자동화기능사", "공유압기능사", "전자기기기능사"),
            ),
            DepartmentSpec(
                "전기과",
                "equipment",
                2,
                40,
                1985,
                GRADUATED,
                20,
                active=False,
                certifications=("전기기능사", "전자기기기능사"),
            ),
            DepartmentSpec(
                "기계설비과",
                "equipment",
                3,
                60,
                1985,
                ALL_COHORTS,
                20,
                courses=(
                    CourseSpec("피복 아크 용접", "1506010102_13v1", 51, 1, (), ("용접기능사",)),
                    CourseSpec(
                        "공유압 장치 보전", "1509010101_15v2", 68, 2, (ECOPRO_CNG,), ("공유압기능사",)
                    ),
                    CourseSpec(
                        "기계 설비 예방 보전",
                        "1507020101_19v2",
                        68,
                        3,
                        (CNGR, POSCO_FM),
                        ("설비보전기능사",),
                    ),
                ),
                certifications=("공유압기능사", "설비보전기능사", "용접기능사"),
            ),
            DepartmentSpec(
                "이차전지 시스템제어과",
                "cathode",
                2,
                40,
                2025,
                NEW,
                20,
                replaces="전자기계과",
                reorganised_year=2025,
                courses=(
                    CourseSpec(
                        "전지 공정 안전관리", "1901020608_22v1", 34, 1, (ECOPRO_MAT,), ("위험물기능사",)
                    ),
                    CourseSpec(
                        "이차전지 소재 소성 공정 실습",
                        "1702030104_20v2",
                        68,
                        2,
                        (ECOPRO_BM, POSCO_FM),
                        ("화학분석기능사",),
                    ),
                    CourseSpec("공정 자동화 PLC 제어", "1903020301_15v2", 85, 2, (), ("생산자동화기능사",)),
                    CourseSpec(
                        "소재 분석 실습(SEM·입도 분석)",
                        "1701010205_16v3",
                        51,
                        3,
                        (ECOPRO_BM,),
                        ("화학분석기능사",),
                    ),
                    CourseSpec(
                        "코인셀·파우치셀 조립 실습",
                        "1901020604_22v1",
                        68,
                        3,
                        (POSCO_FM,),
                        ("배터리성능평가사",),
                    ),
                ),
                certifications=("화학분석기능사", "위험물기능사", "공유압기능사", "배터리성능평가사"),
            ),
            DepartmentSpec(
                "이차전지 전기설비과",
                "equipment",
                2,
                40,
                2025,
                NEW,
                20,
                replaces="전기과",
                reorganised_year=2025,
                courses=(
                    CourseSpec("전동기 제어와 시퀀스", "1901010103_17v2", 68, 2, (), ("전기기능사",)),
                    CourseSpec("수변전 설비 운영", "1901010201_17v2", 85, 2, (POSCO_FM,), ("전기기능사",)),
                    CourseSpec(
                        "PLC 제어 실무", "1903020301_15v2", 68, 3, (ECOPRO_MAT,), ("생산자동화기능사",)
                    ),
                    CourseSpec(
                        "셀 성능 평가와 충방전 장비",
                        "1901020607_22v1",
                        51,
                        3,
                        (ECOPRO_BM,),
                        ("배터리성능평가사",),
                    ),
                ),
                certifications=("전기기능사", "생산자동화기능사", "배터리성능평가사"),
            ),
        ),
    ),
    SchoolSpec(
        POSCO_TECH,
        School.Kind.MEISTER,
        "daejam-hyoja",
        "철강 분야 마이스터고로, 철강 기술·제철 자동화 설비·제철 전자 제어 학과를 운영합니다.",
        female_share=0.1,
        departments=(
            DepartmentSpec(
                "철강공업과",
                None,
                2,
                40,
                1971,
                ALL_COHORTS,
                20,
                courses=(
                    CourseSpec(
                        "소성·열처리 공정 운전", "1702030104_20v2", 68, 2, (POSCO_FM,), ("위험물기능사",)
                    ),
                ),
                certifications=("위험물기능사", "화학분석기능사", "용접기능사"),
            ),
            DepartmentSpec(
                "제철자동화설비과",
                "equipment",
                2,
                40,
                1971,
                ALL_COHORTS,
                20,
                courses=(
                    CourseSpec("공유압 장치 보전", "1509010101_15v2", 68, 2, (), ("공유압기능사",)),
                    CourseSpec(
                        "PLC 제어 프로그래밍", "1903020301_15v2", 85, 3, (POSCO_FM,), ("생산자동화기능사",)
                    ),
                ),
                certifications=("공유압기능사", "설비보전기능사", "생산자동화기능사"),
            ),
            DepartmentSpec(
                "제철전자제어과",
                "equipment",
                2,
                40,
                1971,
                ALL_COHORTS,
                20,
                courses=(
                    CourseSpec("전동기 제어", "1901010103_17v2", 68, 2, (), ("전기기능사",)),
                    CourseSpec("수변전 설비 운영", "1901010201_17v2", 68, 3, (POSCO_FM,), ("전기기능사",)),
                ),
                certifications=("전기기능사", "전자기기기능사", "생산자동화기능사"),
            ),
        ),
    ),
    SchoolSpec(
        SCIENCE_TECH,
        School.Kind.SPECIALISED,
        "jukdo-jungang",
        "선박 기계와 물류를 가르치는 특성화고입니다.",
        departments=(
            DepartmentSpec(
                "해양기계과",
                "equipment",
                2,
                40,
                1995,
                ALL_COHORTS,
                12,
                courses=(
                    CourseSpec("기계 설비 예방 보전", "1507020101_19v2", 51, 3, (), ("설비보전기능사",)),
                ),
                certifications=("용접기능사", "설비보전기능사"),
            ),
            DepartmentSpec(
                "스마트물류과",
                None,
                2,
                40,
                2019,
                ALL_COHORTS,
                12,
                courses=(CourseSpec("산업안전 기초", "2401010101_18v2", 34, 2),),
                certifications=("위험물기능사",),
            ),
        ),
    ),
    SchoolSpec(
        MARINE,
        School.Kind.SPECIALISED,
        "guryongpo-donghae",
        "해양 분야 특성화고입니다.",
        departments=(
            DepartmentSpec(
                "냉동공조과",
                "equipment",
                1,
                20,
                2001,
                ALL_COHORTS,
                12,
                courses=(CourseSpec("공유압 장치 보전", "1509010101_15v2", 51, 2, (), ("공유압기능사",)),),
                certifications=("공유압기능사", "용접기능사"),
            ),
            DepartmentSpec(
                "해양전자통신과",
                None,
                1,
                20,
                2001,
                ALL_COHORTS,
                12,
                courses=(CourseSpec("전동기 제어", "1901010103_17v2", 51, 2, (), ("전기기능사",)),),
                certifications=("전기기능사", "전자기기기능사"),
            ),
        ),
    ),
    SchoolSpec(
        GIRLS_ELEC,
        School.Kind.SPECIALISED,
        "duho-hwanho",
        "디자인과 전자 미디어를 가르치는 여자 특성화고입니다.",
        female_share=1.0,
        departments=(
            DepartmentSpec(
                "전자미디어과",
                None,
                2,
                40,
                1990,
                ALL_COHORTS,
                14,
                courses=(
                    CourseSpec("소재 분석 기초", "1701010203_16v3", 51, 3, (ECOPRO_BM,), ("화학분석기능사",)),
                ),
                certifications=("전자기기기능사", "화학분석기능사"),
            ),
            DepartmentSpec(
                "콘텐츠디자인과",
                None,
                2,
                40,
                2010,
                ALL_COHORTS,
                14,
                certifications=(),
            ),
        ),
    ),
)

# --- teachers and training ---------------------------------------------------------
TEACHER_SUBJECTS = ("이차전지 공정", "전기", "기계", "화학 분석", "자동화")


@dataclass(frozen=True)
class TrainingSpec:
    title: str
    provider: str
    hours: int
    year_index: int  # 0, 1 or 2: the programme year (see timeline.program_years)
    month: int
    day: int
    days: int
    co_hosts: tuple[str, ...]
    schools: tuple[str, ...]

    def dates(self, program_start: int) -> tuple[datetime.date, datetime.date]:
        starts_on = datetime.date(program_start + self.year_index, self.month, self.day)
        return starts_on, starts_on + datetime.timedelta(days=self.days - 1)


# Held in the programme's years; only those over by the seed day are loaded.
TRAININGS: tuple[TrainingSpec, ...] = (
    TrainingSpec(
        "이차전지 양극재 공정 교사 직무연수",
        "포항 혁신지구 지원센터",
        30,
        0,
        7,
        21,
        5,
        (ECOPRO_BM,),
        (HEUNGHAE, POSCO_TECH, SCIENCE_TECH),
    ),
    TrainingSpec(
        "소재 분석 장비(SEM·입도 분석) 실습 연수",
        "포항 혁신지구 지원센터",
        24,
        1,
        1,
        12,
        4,
        (POSCO_FM,),
        (HEUNGHAE, GIRLS_ELEC),
    ),
    TrainingSpec(
        "코인셀·파우치셀 조립 교사 연수",
        "포항 혁신지구 지원센터",
        18,
        1,
        7,
        27,
        3,
        (POSCO_FM, ECOPRO_MAT),
        (HEUNGHAE, POSCO_TECH, MARINE),
    ),
    TrainingSpec(
        "전지 공정 안전관리 교사 연수",
        "포항 혁신지구 지원센터",
        16,
        2,
        1,
        11,
        2,
        (ECOPRO_CNG,),
        (HEUNGHAE, SCIENCE_TECH, GIRLS_ELEC),
    ),
)

# --- universities ------------------------------------------------------------------
POSTECH = "포항공과대학교"
HANDONG = "한동대학교"
POHANG_UNI = "포항대학교"
SUNLIN = "선린대학교"
POLYTECH = "한국폴리텍대학 포항캠퍼스"

UNIVERSITIES: tuple[tuple[str, str, str, str], ...] = (
    (POSTECH, University.Kind.FOUR_YEAR, "daejam-hyoja", "https://www.postech.ac.kr"),
    (HANDONG, University.Kind.FOUR_YEAR, "heunghae", "https://www.handong.edu"),
    (POHANG_UNI, University.Kind.JUNIOR_COLLEGE, "heunghae", ""),
    (SUNLIN, University.Kind.JUNIOR_COLLEGE, "yangdeok-jangseong", ""),
    (POLYTECH, University.Kind.POLYTECHNIC, "daejam-hyoja", ""),
)

K = CreditProgram.Kind
D = CreditProgram.Degree
S = CreditProgram.Schedule


@dataclass(frozen=True)
class ProgramSpec:
    university: str
    name: str
    department: str
    kind: str
    degree: str
    schedule: str
    min_months: int = 0
    partners: tuple[str, ...] = ()
    description: str = ""
    eligibility: str = ""

    @property
    def credits(self) -> int:
        return 80 if self.degree == D.ASSOCIATE else 140


SPECIAL_ELIGIBILITY = "특성화고·마이스터고 졸업 후 산업체 재직 3년(36개월) 이상"

PROGRAMS: tuple[ProgramSpec, ...] = (
    ProgramSpec(
        POHANG_UNI,
        "신소재배터리과 재직자 특별전형",
        "신소재배터리과",
        K.SPECIAL_ADMISSION,
        D.ASSOCIATE,
        S.EVENING,
        36,
        description="정원 외 특별전형으로 서류와 면접으로 선발합니다. 재학생 절반가량이 일하면서 공부합니다.",
        eligibility=SPECIAL_ELIGIBILITY,
    ),
    ProgramSpec(
        POHANG_UNI,
        "신소재배터리과 조기취업형 계약학과",
        "신소재배터리과",
        K.CONTRACT_DEPARTMENT,
        D.ASSOCIATE,
        S.BLOCK,
        partners=(ECOPRO_BM, POSCO_FM),
        description="입학 때 채용이 약정되며 2학년부터 협약 기업에서 근무하며 공부합니다.",
        eligibility="협약 기업 채용 약정자",
    ),
    ProgramSpec(
        SUNLIN,
        "이차전지융합과 일학습병행(P-TECH)",
        "이차전지융합과",
        K.WORK_STUDY,
        D.ASSOCIATE,
        S.WEEKEND,
        partners=(ECOPRO_MAT, CNGR),
        description="고교 2~3학년 도제 훈련에 이어 2년 동안 주말에 공부합니다.",
        eligibility="일학습병행 참여 기업 재직자",
    ),
    ProgramSpec(
        SUNLIN,
        "이차전지융합과 재직자 특별전형",
        "이차전지융합과",
        K.SPECIAL_ADMISSION,
        D.ASSOCIATE,
        S.EVENING,
        36,
        description="2024년 첫 신입생을 받은 이차전지융합과의 재직자 전형입니다.",
        eligibility=SPECIAL_ELIGIBILITY,
    ),
    ProgramSpec(
        POLYTECH,
        "이차전지융합과 일학습병행",
        "이차전지융합과",
        K.WORK_STUDY,
        D.ASSOCIATE,
        S.BLOCK,
        partners=(ECOPRO_BM, ECOPRO_CNG, GS_RECYCLING),
        description="현장 훈련과 학교 수업을 번갈아 하는 일학습병행 과정입니다.",
        eligibility="참여 기업 재직자",
    ),
    ProgramSpec(
        POLYTECH,
        "배터리 설비 보전 학점은행 과정",
        "이차전지융합과",
        K.CREDIT_BANK,
        D.ASSOCIATE,
        S.ONLINE,
        description="학점은행제로 전문학사(80학점)를 모읍니다. 자격증과 직무 교육도 학점으로 인정됩니다.",
        eligibility="고등학교 졸업자",
    ),
    ProgramSpec(
        HANDONG,
        "이차전지학과 계약학과",
        "이차전지학과",
        K.CONTRACT_DEPARTMENT,
        D.BACHELOR,
        S.BLOCK,
        partners=(POSCO_FM,),
        description="포스코퓨처엠과 협약한 이차전지 학과의 재직자 학사 과정입니다.",
        eligibility="협약 기업 재직자",
    ),
    ProgramSpec(
        HANDONG,
        "이차전지학과 재직자 특별전형",
        "이차전지학과",
        K.SPECIAL_ADMISSION,
        D.BACHELOR,
        S.EVENING,
        36,
        eligibility=SPECIAL_ELIGIBILITY,
    ),
    ProgramSpec(
        POSTECH,
        "배터리 공학 기초 학점은행 과정",
        "평생교육원",
        K.CREDIT_BANK,
        D.BACHELOR,
        S.WEEKEND,
        description="배터리 공학 기초 과목을 학점은행제 학점으로 인정받는 주말 과정입니다.",
        eligibility="이차전지 기업 재직자",
    ),
)

# --- agreements (MOUs) -------------------------------------------------------------


@dataclass(frozen=True)
class AgreementSpec:
    company: str
    school: str | None
    title: str
    signed: tuple[int, int]  # (month, day) in the programme's first year
    pledged: int
    priority: int


AGREEMENTS: tuple[AgreementSpec, ...] = (
    AgreementSpec(POSCO_FM, None, "포스코퓨처엠 지역 인재 채용 협약", (4, 15), 20, 7),
    AgreementSpec(ECOPRO_BM, HEUNGHAE, "협약형 특성화고 채용 협약(에코프로비엠)", (3, 4), 26, 9),
    AgreementSpec(POSCO_FM, HEUNGHAE, "협약형 특성화고 채용 협약(포스코퓨처엠)", (3, 4), 12, 8),
    AgreementSpec(POSCO_FM, POSCO_TECH, "마이스터고 설비 인력 채용 협약", (5, 2), 10, 8),
    AgreementSpec(ECOPRO_MAT, None, "에코프로머티리얼즈 지역 인재 채용 협약", (4, 15), 12, 6),
    AgreementSpec(ECOPRO_CNG, None, "에코프로씨엔지 지역 인재 채용 협약", (4, 15), 8, 5),
    AgreementSpec(ECOPRO_INNO, HEUNGHAE, "에코프로이노베이션 현장실습·채용 협약", (6, 10), 5, 5),
    AgreementSpec(CNGR, None, "씨앤지알 지역 인재 채용 협약", (9, 1), 8, 4),
    AgreementSpec(GS_RECYCLING, None, "배터리 재활용 인재 양성·채용 협약", (9, 1), 6, 4),
)

# --- openings ----------------------------------------------------------------------
SH = Opening.Shift
ET = Opening.EmploymentType
OS = Opening.Status

SHIFT_PREMIUM = {
    SH.DAY: 0,
    SH.TWO_SHIFTS: 150_000,
    SH.THREE_SHIFTS: 300_000,
    SH.FOUR_CREWS_TWO_SHIFTS: 400_000,
}

# The companies that pay a little above the role's usual salary, and the demo recruiter's company
# (whose openings the recruiter created).
PREMIUM_COMPANIES = (POSCO_FM, ECOPRO_BM)
RECRUITER_COMPANY = ECOPRO_BM

# Certifications an opening for the role usually asks for, and departments it prefers.
ROLE_CERTS: dict[str, tuple[str, ...]] = {
    "전기 설비 기술원": ("전기기능사",),
    "설비 보전원": ("공유압기능사",),
    "분석 기술원": ("화학분석기능사",),
    "재활용 공정 운영원": ("위험물기능사",),
}
ROLE_DEPARTMENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "공정 운영원": ((HEUNGHAE, "이차전지 시스템제어과"), (POSCO_TECH, "철강공업과")),
    "전구체 공정 운영원": ((HEUNGHAE, "이차전지 시스템제어과"), (POSCO_TECH, "철강공업과")),
    "음극재 공정 운영원": ((HEUNGHAE, "이차전지 시스템제어과"),),
    "재활용 공정 운영원": ((HEUNGHAE, "이차전지 시스템제어과"), (SCIENCE_TECH, "스마트물류과")),
    "설비 보전원": (
        (HEUNGHAE, "기계설비과"),
        (POSCO_TECH, "제철자동화설비과"),
        (SCIENCE_TECH, "해양기계과"),
        (MARINE, "냉동공조과"),
    ),
    "전기 설비 기술원": (
        (HEUNGHAE, "이차전지 전기설비과"),
        (POSCO_TECH, "제철전자제어과"),
        (MARINE, "해양전자통신과"),
    ),
    "분석 기술원": ((HEUNGHAE, "이차전지 시스템제어과"), (GIRLS_ELEC, "전자미디어과")),
    "품질 검사원": ((HEUNGHAE, "이차전지 시스템제어과"), (GIRLS_ELEC, "전자미디어과")),
    "산업 보건·안전 관리원": (),
    "물류·자재 관리원": ((SCIENCE_TECH, "스마트물류과"),),
}


@dataclass(frozen=True)
class OpeningSpec:
    company: str
    role: str
    title: str
    shift: str
    employment: str
    seats: int
    status: str = OS.PUBLISHED
    rejection_reason: str = ""
    # Closed openings have their cohort's dates; the others follow the seed day.
    apply_by: datetime.date | None = None
    starts_on: datetime.date | None = None
    extra_certs: tuple[str, ...] = field(default=())


def _o(company, role, title, shift, employment, seats, **kw) -> OpeningSpec:
    return OpeningSpec(company, role, title, shift, employment, seats, **kw)


F4, T3, T2, DAY = SH.FOUR_CREWS_TWO_SHIFTS, SH.THREE_SHIFTS, SH.TWO_SHIFTS, SH.DAY
PERM, FIXED, WS = ET.PERMANENT, ET.FIXED_TERM, ET.WORK_STUDY

OPENINGS: tuple[OpeningSpec, ...] = (
    # Open now for the cohort in its final year.
    _o(POSCO_FM, "공정 운영원", "양극재 소성 공정 운영원 (4조 2교대)", F4, PERM, 8),
    _o(POSCO_FM, "공정 운영원", "양극재 혼합·분쇄 공정 운영원", F4, PERM, 5),
    _o(POSCO_FM, "음극재 공정 운영원", "음극재 구형화·코팅 공정 운영원", F4, PERM, 4),
    _o(POSCO_FM, "설비 보전원", "양극재 공장 설비 보전원 (기계)", T3, PERM, 4),
    _o(POSCO_FM, "전기 설비 기술원", "전기 설비 기술원 (수변전·제어)", T3, PERM, 3),
    _o(POSCO_FM, "품질 검사원", "출하 품질 검사원", T2, PERM, 3),
    _o(
        POSCO_FM,
        "산업 보건·안전 관리원",
        "산업 보건·안전 관리원",
        DAY,
        PERM,
        1,
        extra_certs=("위험물기능사",),
    ),
    _o(POSCO_FM, "공정 운영원", "일학습병행 양극재 공정 운영원", F4, WS, 4),
    _o(ECOPRO_BM, "공정 운영원", "하이니켈 양극재 소성 공정 운영원", F4, PERM, 10),
    _o(ECOPRO_BM, "공정 운영원", "양극재 후공정(분급·포장) 운영원", F4, PERM, 6),
    _o(ECOPRO_BM, "설비 보전원", "소성로 설비 보전원", F4, PERM, 4),
    _o(ECOPRO_BM, "전기 설비 기술원", "전기·계장 설비 기술원", T3, PERM, 3),
    _o(ECOPRO_BM, "분석 기술원", "분석 기술원 (ICP·SEM)", DAY, PERM, 2),
    _o(ECOPRO_BM, "품질 검사원", "공정 품질 검사원", F4, PERM, 3),
    _o(ECOPRO_BM, "공정 운영원", "일학습병행 양극재 공정 운영원", F4, WS, 5),
    _o(ECOPRO_MAT, "전구체 공정 운영원", "전구체 반응 공정 운영원", F4, PERM, 6),
    _o(ECOPRO_MAT, "전구체 공정 운영원", "전구체 세정·건조 공정 운영원", F4, PERM, 4),
    _o(ECOPRO_MAT, "설비 보전원", "반응기 설비 보전원", T3, PERM, 3),
    _o(ECOPRO_MAT, "전기 설비 기술원", "전기 설비 기술원", T3, PERM, 2),
    _o(ECOPRO_MAT, "분석 기술원", "원료 분석 기술원", DAY, PERM, 2),
    _o(ECOPRO_MAT, "물류·자재 관리원", "원료 입고·자재 관리원", DAY, FIXED, 2),
    _o(ECOPRO_CNG, "재활용 공정 운영원", "폐배터리 전처리 공정 운영원", F4, PERM, 5),
    _o(ECOPRO_CNG, "재활용 공정 운영원", "습식 제련 공정 운영원", F4, PERM, 4),
    _o(ECOPRO_CNG, "설비 보전원", "파쇄·선별 설비 보전원", T3, PERM, 2),
    _o(
        ECOPRO_CNG, "산업 보건·안전 관리원", "위험물 안전 관리원", DAY, PERM, 1, extra_certs=("위험물기능사",)
    ),
    _o(ECOPRO_CNG, "분석 기술원", "회수 금속 분석 기술원", DAY, PERM, 2),
    _o(ECOPRO_AP, "공정 운영원", "산소·질소 플랜트 운영원", F4, PERM, 3),
    _o(ECOPRO_AP, "설비 보전원", "가스 플랜트 설비 보전원", T3, PERM, 2),
    _o(ECOPRO_AP, "전기 설비 기술원", "가스 플랜트 전기 설비 기술원", T3, PERM, 1),
    _o(ECOPRO_INNO, "공정 운영원", "수산화리튬 가공 공정 운영원", F4, PERM, 4),
    _o(ECOPRO_INNO, "설비 보전원", "설비 보전원", T3, PERM, 2),
    _o(ECOPRO_INNO, "분석 기술원", "분석 기술원", DAY, PERM, 1),
    _o(ECOPRO_INNO, "품질 검사원", "품질 검사원", T2, PERM, 2),
    _o(CNGR, "전구체 공정 운영원", "전구체 합성 공정 운영원", F4, PERM, 6),
    _o(CNGR, "설비 보전원", "설비 보전원 (기계)", T3, PERM, 3),
    _o(CNGR, "전기 설비 기술원", "전기 설비 기술원", T3, PERM, 2),
    _o(CNGR, "품질 검사원", "품질 검사원", T2, PERM, 2),
    _o(CNGR, "물류·자재 관리원", "물류 관리원", DAY, PERM, 1),
    _o(GS_RECYCLING, "재활용 공정 운영원", "배터리 재활용 공정 운영원", F4, PERM, 4),
    _o(GS_RECYCLING, "설비 보전원", "설비 보전원", T3, PERM, 2),
    _o(GS_RECYCLING, "산업 보건·안전 관리원", "환경·안전 관리원", DAY, PERM, 1),
    _o(GS_RECYCLING, "분석 기술원", "분석 기술원 (계약직)", DAY, FIXED, 1),
    _o(POSCO_SS, "음극재 공정 운영원", "실리콘 음극재 공정 운영원", F4, PERM, 3),
    _o(POSCO_SS, "설비 보전원", "설비 보전원", T3, PERM, 2),
    _o(POSCO_SS, "품질 검사원", "품질 검사원", T2, PERM, 1),
    # In the review workflow.
    _o(ECOPRO_BM, "분석 기술원", "셀 성능 평가 보조원", DAY, PERM, 2, status=OS.SUBMITTED),
    _o(ECOPRO_MAT, "설비 보전원", "설비 보전원 (전기)", T3, PERM, 2, status=OS.SUBMITTED),
    _o(POSCO_FM, "공정 운영원", "현장실습 연계 공정 운영원 (하계)", F4, PERM, 4, status=OS.DRAFT),
    _o(
        CNGR,
        "물류·자재 관리원",
        "야간 전담 물류 관리원",
        SH.TWO_SHIFTS,
        FIXED,
        1,
        status=OS.REJECTED,
        rejection_reason=(
            "야간 전담 근무는 고교 졸업 예정자 채용 기준에 맞지 않습니다. "
            "근무 형태를 바꿔 다시 제출해 주세요."
        ),
    ),
)

# Each graduated cohort's hiring, now closed: published in October of its final year,
# closed in mid-November, jobs from early January (see `closed_openings`).
CLOSED_OPENINGS: tuple[tuple[str, str, str, int], ...] = (
    (POSCO_FM, "공정 운영원", F4, 12),
    (POSCO_FM, "설비 보전원", T3, 4),
    (ECOPRO_BM, "공정 운영원", F4, 14),
    (ECOPRO_BM, "품질 검사원", F4, 4),
    (ECOPRO_MAT, "전구체 공정 운영원", F4, 8),
    (ECOPRO_CNG, "재활용 공정 운영원", F4, 6),
    (ECOPRO_AP, "설비 보전원", T3, 2),
    (ECOPRO_INNO, "공정 운영원", F4, 3),
    (CNGR, "전구체 공정 운영원", F4, 6),
    (GS_RECYCLING, "재활용 공정 운영원", F4, 4),
)


def closed_openings(school_year: int) -> tuple[OpeningSpec, ...]:
    """The closed openings through which the cohort of `school_year` was hired."""
    return tuple(
        _o(
            company,
            role,
            f"{role} ({school_year + 1}년 1월 입사)",
            shift,
            PERM,
            seats,
            status=OS.CLOSED,
            apply_by=datetime.date(school_year, 11, 14),
            starts_on=datetime.date(school_year + 1, 1, 5),
        )
        for company, role, shift, seats in CLOSED_OPENINGS
    )


# --- pathways ------------------------------------------------------------------------


@dataclass(frozen=True)
class PathwaySpec:
    slug: str
    title: str
    summary: str
    school: str
    department: str
    segment: str
    roles: tuple[str, ...]
    certifications: tuple[str, ...]
    companies: tuple[str, ...]
    programs: tuple[tuple[str, str], ...]  # (university, programme name)


PATHWAYS: tuple[PathwaySpec, ...] = (
    PathwaySpec(
        "heunghae-battery-control-to-cathode-operator",
        "이차전지 시스템제어과에서 양극재 공정 운영원으로",
        "흥해공고 이차전지 시스템제어과에서 소성·분석 실습을 하고, 에코프로비엠·포스코퓨처엠에서 "
        "현장실습을 거쳐 양극재 공정 운영원으로 취업한 뒤 포항대 신소재배터리과에서 학위를 잇습니다.",
        HEUNGHAE,
        "이차전지 시스템제어과",
        "cathode",
        ("공정 운영원", "품질 검사원"),
        ("화학분석기능사", "위험물기능사", "배터리성능평가사"),
        (ECOPRO_BM, POSCO_FM),
        ((POHANG_UNI, "신소재배터리과 조기취업형 계약학과"), (POHANG_UNI, "신소재배터리과 재직자 특별전형")),
    ),
    PathwaySpec(
        "heunghae-battery-electrical-to-electrical-technician",
        "이차전지 전기설비과에서 전기 설비 기술원으로",
        "수변전·전동기 제어를 배우고 전기기능사를 취득해 배터리 소재 공장의 전기 설비 기술원이 됩니다.",
        HEUNGHAE,
        "이차전지 전기설비과",
        "equipment",
        ("전기 설비 기술원",),
        ("전기기능사", "전기산업기사"),
        (POSCO_FM, ECOPRO_MAT),
        ((POLYTECH, "이차전지융합과 일학습병행"), (HANDONG, "이차전지학과 계약학과")),
    ),
    PathwaySpec(
        "heunghae-mechanical-to-maintenance",
        "기계설비과에서 설비 보전원으로",
        "공유압·설비 보전을 익혀 전구체·재활용 공장의 설비 보전원으로 일합니다.",
        HEUNGHAE,
        "기계설비과",
        "equipment",
        ("설비 보전원",),
        ("공유압기능사", "설비보전기능사", "용접기능사"),
        (ECOPRO_CNG, CNGR),
        ((POLYTECH, "배터리 설비 보전 학점은행 과정"),),
    ),
    PathwaySpec(
        "posco-tech-automation-to-maintenance",
        "제철자동화설비과에서 소재 공장 설비 보전원으로",
        "제철 자동화 설비를 배운 마이스터고 학생이 포스코퓨처엠의 설비 보전원이 되는 경로입니다.",
        POSCO_TECH,
        "제철자동화설비과",
        "equipment",
        ("설비 보전원", "전기 설비 기술원"),
        ("공유압기능사", "생산자동화기능사"),
        (POSCO_FM,),
        ((HANDONG, "이차전지학과 계약학과"),),
    ),
    PathwaySpec(
        "posco-tech-electronic-to-electrical-technician",
        "제철전자제어과에서 전기 설비 기술원으로",
        "전기·전자 제어를 배우고 배터리 소재 공장의 전기 설비를 맡습니다.",
        POSCO_TECH,
        "제철전자제어과",
        "equipment",
        ("전기 설비 기술원",),
        ("전기기능사",),
        (POSCO_FM, ECOPRO_AP),
        ((POLYTECH, "이차전지융합과 일학습병행"),),
    ),
    PathwaySpec(
        "science-tech-logistics-to-recycling-operator",
        "스마트물류과에서 배터리 재활용 공정 운영원으로",
        "위험물 관리를 배우고 배터리 재활용 기업에서 전처리 공정을 운영합니다.",
        SCIENCE_TECH,
        "스마트물류과",
        "recycling",
        ("재활용 공정 운영원", "물류·자재 관리원"),
        ("위험물기능사",),
        (ECOPRO_CNG, GS_RECYCLING),
        ((SUNLIN, "이차전지융합과 일학습병행(P-TECH)"),),
    ),
    PathwaySpec(
        "marine-refrigeration-to-maintenance",
        "냉동공조과에서 설비 보전원으로",
        "냉동·공조 설비 실습을 바탕으로 소재 공장의 유틸리티 설비를 보전합니다.",
        MARINE,
        "냉동공조과",
        "equipment",
        ("설비 보전원",),
        ("공유압기능사",),
        (ECOPRO_AP, ECOPRO_MAT),
        ((POLYTECH, "배터리 설비 보전 학점은행 과정"),),
    ),
    PathwaySpec(
        "girls-electronic-media-to-analyst",
        "전자미디어과에서 분석 기술원으로",
        "소재 분석 기초를 배우고 화학분석기능사를 취득해 품질·분석 부서에서 일합니다.",
        GIRLS_ELEC,
        "전자미디어과",
        "cathode",
        ("분석 기술원", "품질 검사원"),
        ("화학분석기능사",),
        (ECOPRO_BM,),
        ((POHANG_UNI, "신소재배터리과 조기취업형 계약학과"), (POSTECH, "배터리 공학 기초 학점은행 과정")),
    ),
)

# --- money and targets ------------------------------------------------------------------
C = BudgetLine.Category
# Keyed by the programme year's index (0, 1, 2; see timeline.program_years).
BUDGET: dict[int, dict[str, int]] = {
    0: {
        C.SUPPORT_CENTRE: 95_000_000,
        C.CURRICULUM: 80_000_000,
        C.EQUIPMENT: 85_000_000,
        C.HIRING_FAIR: 20_000_000,
        C.TEACHER_TRAINING: 25_000_000,
        C.FIELD_PRACTICE: 30_000_000,
        C.SETTLEMENT: 10_000_000,
        C.OTHER: 5_000_000,
    },
    1: {
        C.SUPPORT_CENTRE: 95_000_000,
        C.CURRICULUM: 85_000_000,
        C.EQUIPMENT: 60_000_000,
        C.HIRING_FAIR: 25_000_000,
        C.TEACHER_TRAINING: 30_000_000,
        C.FIELD_PRACTICE: 35_000_000,
        C.SETTLEMENT: 15_000_000,
        C.OTHER: 5_000_000,
    },
    2: {
        C.SUPPORT_CENTRE: 95_000_000,
        C.CURRICULUM: 85_000_000,
        C.EQUIPMENT: 45_000_000,
        C.HIRING_FAIR: 30_000_000,
        C.TEACHER_TRAINING: 30_000_000,
        C.FIELD_PRACTICE: 40_000_000,
        C.SETTLEMENT: 20_000_000,
        C.OTHER: 5_000_000,
    },
}
assert all(sum(lines.values()) == DISTRICT["annual_budget_krw"] for lines in BUDGET.values())

BUDGET_DESCRIPTIONS = {
    C.SUPPORT_CENTRE: "혁신지구 지원센터 운영과 코디네이터 인건비",
    C.CURRICULUM: "기업 공동 교육과정 개발과 직무 집중 훈련",
    C.EQUIPMENT: "이차전지 실습 기자재(분석 장비, 셀 조립 장비)",
    C.HIRING_FAIR: "지역 기업 채용 박람회",
    C.TEACHER_TRAINING: "교원 직무 연수",
    C.FIELD_PRACTICE: "현장실습 안전 점검과 실습생 지원",
    C.SETTLEMENT: "지역 정주 지원(주거·교통)",
    C.OTHER: "기타 운영비",
}

# (programme year index, category, month, day, amount, description); "{year}" is the calendar
# year. Only expenditures on or before the seed day are loaded.
EXPENDITURES: tuple[tuple[int, str, int, int, int, str], ...] = (
    (0, C.SUPPORT_CENTRE, 4, 30, 23_000_000, "지원센터 운영비(4월분까지)"),
    (0, C.SUPPORT_CENTRE, 8, 29, 31_000_000, "지원센터 운영비(5~8월)"),
    (0, C.SUPPORT_CENTRE, 12, 19, 38_500_000, "지원센터 운영비(9~12월)"),
    (0, C.CURRICULUM, 6, 13, 32_000_000, "양극재 공정 공동 교육과정 개발"),
    (0, C.CURRICULUM, 11, 21, 41_000_000, "방학 중 직무 집중 훈련"),
    (0, C.EQUIPMENT, 7, 4, 48_000_000, "입도 분석기 도입"),
    (0, C.EQUIPMENT, 10, 17, 35_200_000, "코인셀 조립 장비 도입"),
    (0, C.HIRING_FAIR, 10, 24, 18_700_000, "{year} 포항 이차전지 채용 박람회"),
    (0, C.TEACHER_TRAINING, 7, 25, 21_400_000, "양극재 공정 교사 직무연수"),
    (0, C.FIELD_PRACTICE, 8, 29, 26_300_000, "하계 현장실습 안전 점검·지원"),
    (0, C.SETTLEMENT, 12, 12, 8_000_000, "신규 취업자 교통비 지원"),
    (0, C.OTHER, 12, 26, 3_900_000, "성과 보고회 운영"),
    (1, C.TEACHER_TRAINING, 1, 16, 14_200_000, "분석 장비 실습 연수"),
    (1, C.CURRICULUM, 2, 20, 28_000_000, "셀 조립 공동 교육과정 개발"),
    (1, C.EQUIPMENT, 3, 27, 41_000_000, "충방전 평가 장비 도입"),
    (1, C.SUPPORT_CENTRE, 4, 30, 24_000_000, "지원센터 운영비(1~4월)"),
    (1, C.SETTLEMENT, 6, 30, 6_500_000, "신규 취업자 주거비 지원(상반기)"),
    (1, C.TEACHER_TRAINING, 7, 31, 11_800_000, "셀 조립 교사 연수"),
    (1, C.CURRICULUM, 8, 14, 30_500_000, "하계 직무 집중 훈련"),
    (1, C.SUPPORT_CENTRE, 8, 31, 31_500_000, "지원센터 운영비(5~8월)"),
    (1, C.FIELD_PRACTICE, 8, 28, 27_900_000, "하계 현장실습 안전 점검·지원"),
    (1, C.HIRING_FAIR, 10, 23, 22_300_000, "{year} 포항 이차전지 채용 박람회"),
    (1, C.EQUIPMENT, 11, 20, 16_800_000, "셀 충방전 시험기 추가 도입"),
    (1, C.SETTLEMENT, 12, 11, 7_200_000, "신규 취업자 주거비 지원(하반기)"),
    (1, C.SUPPORT_CENTRE, 12, 18, 36_800_000, "지원센터 운영비(9~12월)"),
    (2, C.TEACHER_TRAINING, 1, 13, 9_600_000, "전지 공정 안전관리 교사 연수"),
    (2, C.CURRICULUM, 2, 19, 26_000_000, "공정 안전 공동 교육과정 개발"),
    (2, C.SUPPORT_CENTRE, 4, 30, 24_500_000, "지원센터 운영비(1~4월)"),
    (2, C.EQUIPMENT, 5, 22, 29_000_000, "파우치셀 조립 장비 보강"),
    (2, C.SETTLEMENT, 6, 30, 8_500_000, "신규 취업자 주거비 지원(상반기)"),
    (2, C.FIELD_PRACTICE, 8, 27, 31_200_000, "하계 현장실습 안전 점검·지원"),
    (2, C.SUPPORT_CENTRE, 8, 31, 32_000_000, "지원센터 운영비(5~8월)"),
    (2, C.HIRING_FAIR, 10, 22, 24_800_000, "{year} 포항 이차전지 채용 박람회"),
)

KPI = KpiTarget.Indicator
KPI_TARGETS: dict[str, tuple[int, int, int]] = {
    KPI.EMPLOYMENT_RATE: (60, 63, 66),
    KPI.LOCAL_EMPLOYMENT_RATE: (55, 58, 62),
    KPI.RETENTION_6M: (82, 84, 85),
    KPI.RETENTION_12M: (66, 68, 70),
    KPI.PROGRESSION_RATE: (8, 10, 12),
    KPI.FIELD_PRACTICE_PARTICIPANTS: (60, 80, 100),
    KPI.TEACHER_TRAINING_HOURS: (300, 400, 450),
    KPI.MOU_HIRES: (40, 55, 70),
}

# --- people ------------------------------------------------------------------------------
MATCH_ROUND_TITLE = "{year}학년도 졸업 예정자 1차 매칭"
