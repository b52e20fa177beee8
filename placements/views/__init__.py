"""Placements pages, one module per audience: the student's own pages (`student`), the
recruiter's applicant pipeline under /company/ (`recruiter`) and school staff's pages about
placements under /school/ (`school`). `placements/urls.py` mounts them.
"""
