# The two commands of README.md: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test messages

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	scripts/run.sh

test: $(VENV)/.installed-test
	scripts/test.sh

# Regenerate the message catalogues after changing translatable strings (needs GNU gettext).
messages: $(VENV)/.installed
	cd src/ngo_platform && ../../$(BIN)/ngo-platform makemessages --locale pl --locale en --no-obsolete --add-location file
	cd src/ngo_platform && ../../$(BIN)/ngo-platform compilemessages
