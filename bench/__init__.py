"""The benchmark behind `make bench`: a cohort of 1,000 members, timed as its facilitator sees it
and as its members send quizzes all at once.

`python -m bench` seeds a throwaway database (seed.py), serves the app on a local port, times the
facilitator's pages and CSV exports over HTTP (measure.py) and in Chromium (browser.py), has 16
members send quizzes at once to the app under gunicorn, on SQLite and PostgreSQL (quiz.py),
prints the figures against the targets, and exits 1 when one is missed or a quiz is not stored.
"""
