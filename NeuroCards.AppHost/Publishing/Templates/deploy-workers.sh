#!/usr/bin/env bash
# Workers on another host: the worker units only, against the main host's PostgreSQL (or Supabase) over TLS.
# Runs on that host, from a checkout of the repository, with the .NET 10 SDK there (it builds the worker self-contained);
# twice: the first run writes the environment file to fill in:
#   sudo NEUROCARDS_DB='Host=db.example.com;Port=5432;Database=neurocards;Username=neurocards;Password=…;SSL Mode=VerifyFull' \
#        [NEUROCARDS_DB_DIRECT='a direct or session-mode connection, when NEUROCARDS_DB is a transaction pooler'] \
#        WORKERS=2 ./deploy-workers.sh
set -euo pipefail
: "${NEUROCARDS_DB:?set NEUROCARDS_DB to the main database over TLS (Host=…;SSL Mode=VerifyFull)}"
WORKERS="${WORKERS:-2}"
ENV_FILE="${ENV_FILE:-/etc/neurocards/neurocards.env}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="${REPO:-}"
if [ -z "$repo" ]; then
  for dir in "$here" "$PWD"; do
    while [ "$dir" != "/" ] && [ ! -f "$dir/NeuroCards.sln" ]; do dir="$(dirname "$dir")"; done
    if [ -f "$dir/NeuroCards.sln" ]; then repo="$dir"; break; fi
  done
fi

# TLS that checks the server's certificate, however Npgsql's keyword is spelt (SSL Mode, SslMode, sslmode): without it a
# worker on another network would send the database password to whoever answers.
verified_tls() {
  local s; s=";$(printf '%s' "$1" | tr -d ' ' | tr '[:upper:]' '[:lower:]');"
  case "$s" in *";sslmode=verifyfull;"*|*";sslmode=verifyca;"*|*";sslmode=verify-full;"*|*";sslmode=verify-ca;"*) return 0 ;; *) return 1 ;; esac
}
for connection in "$NEUROCARDS_DB" ${NEUROCARDS_DB_DIRECT:+"$NEUROCARDS_DB_DIRECT"}; do
  if ! verified_tls "$connection"; then
    echo "refusing: a worker on another host reaches the database over TLS that checks the server (SSL Mode=VerifyFull or VerifyCA), in NEUROCARDS_DB and NEUROCARDS_DB_DIRECT" >&2; exit 1
  fi
done

if [ ! -f "$ENV_FILE" ]; then
  install -d -m 750 "$(dirname "$ENV_FILE")"
  # Written as given (a password may hold any character): the example without its connection lines, then them.
  { grep -v -e '^ConnectionStrings__neurocards=' -e '^ConnectionStrings__neurocards-direct=' "$here/neurocards.env.example"
    printf 'ConnectionStrings__neurocards=%s\nConnectionStrings__neurocards-direct=%s\n' "$NEUROCARDS_DB" "${NEUROCARDS_DB_DIRECT:-}"
  } > "$ENV_FILE.new"
  install -m 640 "$ENV_FILE.new" "$ENV_FILE" && rm -f "$ENV_FILE.new"
  echo "Fill in $ENV_FILE as on the main host (bot token, KIE, OpenAI, shared storage), then run this again."
  exit 0
fi
if grep -q '^Storage__Provider=Local' "$ENV_FILE"; then
  echo "refusing: workers on another host need storage both hosts reach (Storage__Provider=AzureBlob or Supabase)" >&2; exit 1
fi

[ -n "$repo" ] || { echo "run this from a checkout of the repository (or set REPO=…)" >&2; exit 1; }
command -v dotnet >/dev/null || { echo "the .NET 10 SDK builds the worker here: https://dot.net/v1/dotnet-install.sh (Debian and Ubuntu 22.04 do not package it)" >&2; exit 1; }
apt-get update
apt-get install -y --no-install-recommends ffmpeg fonts-dejavu-core curl "$(apt-cache search --names-only '^libicu[0-9]+$' | awk '{print $1}' | sort -V | tail -n 1)"
id neurocards >/dev/null 2>&1 || useradd --system --home /var/lib/neurocards --shell /usr/sbin/nologin neurocards
install -d -m 755 /opt/neurocards /opt/neurocards/releases
install -d -o neurocards -g neurocards /var/lib/neurocards /var/lib/neurocards/media
chgrp neurocards "$ENV_FILE"

release="/opt/neurocards/releases/$(date +%Y%m%d%H%M%S)"
dotnet publish "$repo/NeuroCards.Worker/NeuroCards.Worker.csproj" -c Release -r linux-x64 --self-contained -o "$release/NeuroCards.Worker"
ln -sfn "$release" /opt/neurocards/current
install -m 644 "$here/neurocards-worker@.service" /etc/systemd/system/
systemctl daemon-reload
# Running it again is the update: a new release, the workers restarted on it (each releases its leases first).
for i in $(seq 1 "$WORKERS"); do systemctl enable "neurocards-worker@$i" && systemctl restart "neurocards-worker@$i"; done
for i in $(seq 1 "$WORKERS"); do echo "neurocards-worker@$i: $(systemctl is-active "neurocards-worker@$i")"; done
