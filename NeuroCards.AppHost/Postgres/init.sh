#!/usr/bin/env bash
# postgres-init: creates the local cluster once (initdb) and clears what a killed run left behind.
# PostgreSQL refuses to run as root, so as root the cluster belongs to the 'postgres' user.
set -euo pipefail
data="${1:?usage: init.sh DATA_DIR}"
bin="$(dirname "$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)")"
if [ ! -x "$bin/initdb" ]; then
  echo "PostgreSQL is not installed ('initdb' not found): run 'bash scripts/setup.sh'." >&2
  exit 1
fi
as_postgres=()
mkdir -p "$data"
if [ "$(id -u)" -eq 0 ]; then
  chown -R postgres:postgres "$data"
  as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups)
fi
chmod 700 "$data"
if [ -f "$data/PG_VERSION" ]; then
  echo "cluster exists: $data"
else
  "${as_postgres[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync
fi
# A stale pid file from a killed run would stop the server from starting.
pid_file="$data/postmaster.pid"
if [ -f "$pid_file" ] && ! kill -0 "$(head -n 1 "$pid_file")" 2>/dev/null; then
  rm -f "$pid_file"
  echo "removed a stale postmaster.pid"
fi
