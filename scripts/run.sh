#!/usr/bin/env bash
# `make run`: migrate the embedded SQLite database under var/, load reference and demo data,
# then serve http://127.0.0.1:8000 and run the background task worker until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
export NGO_DEBUG="${NGO_DEBUG:-1}"
BIN=.venv/bin
mkdir -p var/mail var/media var/static

"$BIN/ngo-platform" migrate --noinput
"$BIN/ngo-platform" createcachetable
"$BIN/ngo-platform" seed_demo
echo
echo "E-maile (np. link weryfikacyjny) trafiają do katalogu var/mail/."
echo "Platforma: http://127.0.0.1:8000/  (Ctrl-C zatrzymuje serwer i kolejkę zadań)"
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
"$BIN/ngo-platform" runserver 127.0.0.1:8000 &
pids+=($!)
wait -n
