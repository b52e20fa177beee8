"""Left here only for benchdata.py, which the wiring helper moves to demo/; the dashboard is in dashboard/."""
