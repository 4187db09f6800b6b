#!/usr/bin/env bash
# postgres: the local cluster in the foreground on the port Aspire gives it (as 'postgres' when run as root).
# Aspire stops executables with SIGTERM, which PostgreSQL takes as a "smart" shutdown that waits for every
# client to leave; turn it into a fast shutdown (SIGINT) so the cluster always stops cleanly and in time.
set -uo pipefail
data="${1:?usage: run.sh DATA_DIR PORT}"
port="${2:?usage: run.sh DATA_DIR PORT}"
bin="$(dirname "$(command -v postgres 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sort -V | tail -n 1)")"
as_postgres=()
[ "$(id -u)" -eq 0 ] && as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups)
"${as_postgres[@]}" "$bin/postgres" -D "$data" -p "$port" -k "" \
  -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=128MB &
server=$!
trap 'kill -INT "$server" 2>/dev/null' TERM INT
wait "$server"
status=$?
# wait returns early when a signal arrives; wait again for the server itself.
while kill -0 "$server" 2>/dev/null; do wait "$server"; status=$?; done
exit "$status"
