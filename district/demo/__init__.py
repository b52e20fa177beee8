"""Demo and benchmark data: the Pohang district with real names, and synthetic data at scale.

The `seed_demo` management command is a thin wrapper around `seed_pohang` and
`seed_synthetic`.
"""

from district.demo.accounts import DemoDataError
from district.demo.pohang import PohangReport, seed_pohang
from district.demo.synthetic import ScaleParams, SyntheticReport, seed_synthetic

__all__ = [
    "DemoDataError",
    "PohangReport",
    "ScaleParams",
    "SyntheticReport",
    "seed_pohang",
    "seed_synthetic",
]
