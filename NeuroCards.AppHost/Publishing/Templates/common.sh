# shellcheck shell=bash
# Shared by the server's scripts: the settings from /etc/neurocards/neurocards.env, the database as PG* variables
# (parsed from ConnectionStrings__neurocards, so no script needs anything exported), and the health checks.
ENV_FILE="${ENV_FILE:-/etc/neurocards/neurocards.env}"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/neurocards}"
MEDIA_DIR="${MEDIA_DIR:-/var/lib/neurocards/media}"

setting() { sed -n "s/^$1=//p" "$ENV_FILE" | tail -n 1; }

load_database() {
  local connection part key value
  connection="$(setting ConnectionStrings__neurocards)"
  IFS=';' read -r -a parts <<< "$connection"
  for part in "${parts[@]}"; do
    key="$(printf '%s' "${part%%=*}" | tr -d ' ' | tr '[:upper:]' '[:lower:]')"; value="${part#*=}"
    case "$key" in
      host|server) export PGHOST="$value" ;;
      port) export PGPORT="$value" ;;
      database|db) export PGDATABASE="$value" ;;
      username|userid|user) export PGUSER="$value" ;;
      password) export PGPASSWORD="$value" ;;
    esac
  done
}

# A command as PostgreSQL's superuser over its socket (not as the app's role that load_database sets up).
as_postgres() { (cd / && env -u PGHOST -u PGPORT -u PGUSER -u PGPASSWORD -u PGDATABASE runuser -u postgres -- "$@"); }

# The enabled worker instances' numbers (deploy.sh --workers N enables 1..N).
workers() { find /etc/systemd/system/multi-user.target.wants -name 'neurocards-worker@*.service' -printf '%f\n' 2>/dev/null | sed 's/^neurocards-worker@\([0-9]*\)\.service$/\1/' | sort -n; }

# The bot answers /health on 8080, and every enabled worker on 181N (worker 1 on 1811, worker 12 on 18112).
healthy() {
  curl -fs -m 5 http://127.0.0.1:8080/health >/dev/null || return 1
  local i
  for i in $(workers); do
    curl -fs -m 5 "http://127.0.0.1:181$i/health" >/dev/null || return 1
  done
}

units() { echo neurocards-bot; local i; for i in $(workers); do echo "neurocards-worker@$i"; done; }
restarts() { local unit total=0; for unit in $(units); do total=$((total + $(systemctl show -p NRestarts --value "$unit"))); done; echo "$total"; }

# Healthy within N tries 2 s apart; a service that keeps crashing (three restarts by systemd) ends the wait early.
wait_healthy() {
  local _ before; before="$(restarts)"
  for _ in $(seq 1 "${1:-60}"); do
    healthy && return 0
    [ $(($(restarts) - before)) -ge 3 ] && return 1
    sleep 2
  done
  return 1
}
