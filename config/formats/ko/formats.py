"""Korean date formats: one way to write a date on every page, list or detail (issue 14).

Django's own Korean writes a short date "2027-1-31" next to the long "2027년 1월 31일"; the
portal writes every date the long way, and a time with the 24-hour clock. Templates write
`{{ day|date }}`. Input formats are Django's (ISO first, as HTML date inputs send), and
machine-readable files (CSV, ICS, the API) keep ISO dates, which they write themselves.
"""

DATE_FORMAT = "Y년 n월 j일"
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "Y년 n월 j일 H:i"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
YEAR_MONTH_FORMAT = "Y년 n월"
MONTH_DAY_FORMAT = "n월 j일"
