# The two commands of README.md: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint lock messages

# Installs exactly the locked versions (requirements/*.txt, with hashes), then the project itself.
$(VENV)/.installed: requirements/run.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/run.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: requirements/test.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/test.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(VENV)/.installed $@

# `make run PORT=8100` serves on another port; NGO_VAR_DIR=... puts everything (database, mail, files, dev.env) there.
PORT ?= 8000
run: $(VENV)/.installed
	PORT="$(PORT)" scripts/run.sh

test: $(VENV)/.installed-test
	scripts/test.sh

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Re-resolve the locked dependencies to the newest versions pyproject.toml allows.
LOCK := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes --upgrade --quiet --custom-compile-command "make lock"
lock: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet uv
	$(LOCK) -o requirements/run.txt
	$(LOCK) --extra test -o requirements/test.txt

# Regenerate the message catalogues after changing translatable strings (needs GNU gettext). Run in the package
# directory, with settings of its own: no database, mail or dev.env is touched.
MESSAGES := cd src/ngo_platform && NGO_DEBUG=1 NGO_SECRET_KEY=messages-only NGO_DEV_ENV_FILE= ../../$(BIN)/ngo-platform
messages: $(VENV)/.installed
	$(MESSAGES) makemessages --locale pl --locale en --no-obsolete --add-location file
	$(MESSAGES) compilemessages
