"""The synthetic district's name, its limits, and the scale a run asks for."""

from __future__ import annotations

from dataclasses import dataclass

from demo.accounts import DemoDataError

SLUG = "synthetic"
NAME = "합성 벤치마크 지구"
MAX_PREFERENCES = 30  # Preference.rank runs from 1 to 30
MAX_SEATS = 200  # Opening.seats runs from 1 to 200
STUDENTS_PER_SCHOOL = 700
OPENINGS_PER_COMPANY = 10
MAX_COMPANIES = 99_999  # demo business numbers 0009xxxxx


@dataclass(frozen=True)
class ScaleParams:
    students: int
    openings: int
    preferences: int

    def validate(self) -> None:
        """Raise DemoDataError with one clear line when the numbers cannot work."""
        if self.students < 1:
            raise DemoDataError(f"--students must be at least 1 (got {self.students}).")
        if self.openings < 1:
            raise DemoDataError(f"--openings must be at least 1 (got {self.openings}).")
        if self.preferences < 0:
            raise DemoDataError(f"--preferences cannot be negative (got {self.preferences}).")
        if self.preferences > MAX_PREFERENCES:
            raise DemoDataError(
                f"--preferences can be at most {MAX_PREFERENCES}, since ranks run from 1 to "
                f"{MAX_PREFERENCES} (got {self.preferences})."
            )
        if self.preferences > self.openings:
            raise DemoDataError(
                f"--preferences ({self.preferences}) cannot exceed --openings ({self.openings}): "
                "each student ranks distinct openings."
            )

    @property
    def marker(self) -> str:
        # "facts=2": with curricula and checked certifications (issue 15); an older synthetic
        # district without them is rebuilt.
        return (
            f"[synthetic students={self.students} openings={self.openings} "
            f"preferences={self.preferences} facts=2]"
        )
