# The commands the README names. Each sets up what it needs, and is fast the second time.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := course

.PHONY: run serve test check clean bench translations

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Family Course needs Python 3.11 or newer; found " + sys.version.split()[0])'
	@# A half-made environment would make the next run skip this step: remove it on failure.
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "Could not create $(VENV). On Debian or Ubuntu: apt install python3-venv" >&2; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip || { rm -rf $(VENV); exit 1; }

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable '.[test]'
	@touch $@ $(VENV)/.installed

# The translation catalogs, compiled from the .po files kept in git (the wheel's build does the
# same: hatch_build.py).
CATALOGS := $(patsubst %.po,%.mo,$(wildcard course/translations/*/LC_MESSAGES/messages.po))

%.mo: %.po | $(VENV)/.installed
	$(BIN)/pybabel --quiet compile --input-file $< --output-file $@

# Extract the strings marked for translation and add the new ones to each language's catalog
# (CONTRIBUTING.md, "Translate").
translations: $(VENV)/.installed
	$(BIN)/pybabel extract --mapping-file babel.cfg --keyword _l --keyword N_ --keyword _h --sort-by-file --output-file messages.pot .
	$(BIN)/pybabel update --input-file messages.pot --output-dir course/translations --no-fuzzy-matching
	rm messages.pot

run: $(VENV)/.installed $(CATALOGS)
	$(BIN)/flask db upgrade --directory migrations
	@# Fictional families to look around with; skipped once real accounts exist.
	$(BIN)/flask demo --if-empty
	$(BIN)/flask run --port $(PORT)

# As deployed: gunicorn with COURSE_WORKERS processes (see course/serving.py and the README).
serve: $(VENV)/.installed $(CATALOGS)
	$(BIN)/flask db upgrade
	$(BIN)/gunicorn -c python:course.serving 'course:create_app()'

test: $(VENV)/.installed-test $(CATALOGS)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: $(VENV)/.installed
	$(BIN)/flask content check

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
