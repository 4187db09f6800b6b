#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to run and test NeuroCards.
# Idempotent: anything already present is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v ffmpeg >/dev/null 2>&1 || need_apt+=(ffmpeg)
command -v ffprobe >/dev/null 2>&1 || need_apt+=(ffmpeg)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
# The offline render's Russian voice-over.
command -v espeak-ng >/dev/null 2>&1 || need_apt+=(espeak-ng)
fc-list 2>/dev/null | grep -qi dejavu || need_apt+=(fonts-dejavu-core)
fc-list 2>/dev/null | grep -qi "color emoji" || need_apt+=(fonts-noto-color-emoji)
command -v nginx >/dev/null 2>&1 || need_apt+=(nginx)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v pg_dump >/dev/null 2>&1 || need_apt+=(postgresql-client)
# The deploy scripts the AppHost publishes are checked as they ship.
command -v shellcheck >/dev/null 2>&1 || need_apt+=(shellcheck)
# The deploy test boots a Debian 12 VPS (debootstrap, systemd-nspawn, NAT for its apt) and gets certificates from pebble.
command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || need_apt+=(debootstrap)
command -v systemd-nspawn >/dev/null 2>&1 || need_apt+=(systemd-container)
command -v nft >/dev/null 2>&1 || [ -x /usr/sbin/nft ] || need_apt+=(nftables)
command -v pebble >/dev/null 2>&1 || need_apt+=(pebble)
# Transaction-mode pooling as Supabase runs it: the tests start one in front of the test cluster.
[ -x /usr/sbin/pgbouncer ] || command -v pgbouncer >/dev/null 2>&1 || need_apt+=(pgbouncer)
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need_apt+=(postgresql)
fi

if [ ${#need_apt[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "setup: installing ${need_apt[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Azurite (Azure Storage emulator) into a local tools folder, not globally.
if [ ! -x .tools/node_modules/.bin/azurite ]; then
  echo "setup: installing azurite into .tools/"
  mkdir -p .tools
  (cd .tools && npm install --silent --no-audit --no-fund azurite@3.35.0 >/dev/null 2>&1) || \
    (cd .tools && npm install --no-audit --no-fund azurite >/dev/null)
fi

dotnet restore NeuroCards.sln >/dev/null
echo "setup: ok"
