#!/usr/bin/env bash
# `make run`: write the development settings file, migrate the embedded SQLite database, load reference and
# demo data, then serve http://127.0.0.1:$PORT and run the background task worker until Ctrl-C.
#   PORT=8000      the port (`make run PORT=8100`); links in e-mails follow it
#   NGO_VAR_DIR    the var directory (default ./var): database, mail, media, static files, dev.env
#   --setup-only   stop after the set-up, serve nothing (tests/core/test_readme_commands.py)
# The settings go to $NGO_VAR_DIR/dev.env (debug on, a secret key generated once and kept, the SQLite file,
# the site address with the port). Every `ngo-platform` command started with the same var directory reads it,
# so the README's commands need no variables; variables set in the environment win over the file.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

setup_only=0
case "${1:-}" in
    "") ;;
    --setup-only) setup_only=1 ;;
    *) echo "Użycie: scripts/run.sh [--setup-only]" >&2; exit 2 ;;
esac
PORT="${PORT:-8000}"
if ! [[ "$PORT" =~ ^[0-9]+$ ]] || [ "$PORT" -lt 1 ] || [ "$PORT" -gt 65535 ]; then
    echo "PORT musi być numerem portu (1–65535), a jest: $PORT" >&2
    exit 2
fi

mkdir -p "${NGO_VAR_DIR:-var}"
VAR_DIR="$(cd "${NGO_VAR_DIR:-var}" && pwd)"
export NGO_VAR_DIR="$VAR_DIR"
mkdir -p "$VAR_DIR/mail" "$VAR_DIR/media" "$VAR_DIR/static" "$VAR_DIR/private"
# How the directory is shown: var/ when it is the default one.
if [ "$VAR_DIR" = "$PWD/var" ]; then shown="var"; else shown="$VAR_DIR"; fi

DEV_ENV="$VAR_DIR/dev.env"
export NGO_DEV_ENV_FILE="$DEV_ENV"
secret=""
if [ -f "$DEV_ENV" ]; then
    secret="$(sed -n 's/^NGO_SECRET_KEY=//p' "$DEV_ENV" | tail -n 1)"
fi
if [ -z "$secret" ]; then
    secret="$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')"
fi
(
    umask 077
    cat >"$DEV_ENV.tmp" <<EOF
# Written by \`make run\` (scripts/run.sh) at each start; the secret key is kept across runs.
# Every ngo-platform command started with this var directory reads this file; environment variables win.
# For development only: never copy it to a production server.
NGO_DEBUG=1
NGO_SECRET_KEY=$secret
DATABASE_URL=sqlite:///$VAR_DIR/db.sqlite3
NGO_SITE_URL=http://127.0.0.1:$PORT
EOF
)
mv "$DEV_ENV.tmp" "$DEV_ENV"

"$BIN/ngo-platform" migrate --noinput
"$BIN/ngo-platform" createcachetable
"$BIN/ngo-platform" seed_demo
echo
echo "Ustawienia deweloperskie: $shown/dev.env (czyta je każde polecenie .venv/bin/ngo-platform)."
echo "E-maile (np. link weryfikacyjny) trafiają do katalogu $shown/mail/."
if [ "$setup_only" = "1" ]; then
    exit 0
fi
echo "Platforma: http://127.0.0.1:$PORT/  (Ctrl-C zatrzymuje serwer i kolejkę zadań)"
echo

# Each child runs in its own process group (job control on), so that stopping them also stops
# runserver's autoreloader child; Ctrl-C or TERM reaches the script, which stops both groups.
set -m
pids=()
stop() {
    trap - INT TERM EXIT
    for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
    wait 2>/dev/null
}
trap stop INT TERM EXIT
"$BIN/ngo-platform" db_worker &
pids+=($!)
"$BIN/ngo-platform" runserver "127.0.0.1:$PORT" &
pids+=($!)
wait -n
