"""Reads for placements, one module per entity (`applications`, `runs`, `pathways`, ...).

Import from the module: `from placements.selectors.applications import application_list`.
"""
