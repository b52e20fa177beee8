"""The officials' dashboard at /dashboard/: KPI tiles, charts, tables, downloads, the evaluation pack."""
