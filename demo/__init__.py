"""Demo and benchmark data: the Pohang district with real names, and synthetic data at scale.

A top-layer app: it imports every app below it and nothing imports it. The `seed_demo`
management command is a thin wrapper around `demo.pohang.seed_pohang` and
`demo.synthetic.seed_synthetic`; `bench_dashboard` reads `demo.benchdata`.
"""
