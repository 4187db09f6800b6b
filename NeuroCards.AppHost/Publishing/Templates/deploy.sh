#!/usr/bin/env bash
# NeuroCards on a VPS (Debian 12, Ubuntu 22.04/24.04), run from the operator's machine with this repository:
#   DOMAIN=bot.example.com bash deploy/vps/deploy.sh [--ssh-port N] [--identity FILE] [-o SSH_OPTION] [--workers N] root@203.0.113.5
#   PUBLIC_IP=203.0.113.5  bash deploy/vps/deploy.sh root@203.0.113.5      (no domain: a self-signed certificate, port 8443)
# The first run writes deploy/vps/neurocards.env and stops: fill in the lines it names, then run it again. Every later run
# is an update: a new self-contained release next to the old one, a backup first, rolled back if it does not come up.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# A new server's host key is taken on first contact (as answering "yes" would), and checked on every run after.
ssh_opts=(-o BatchMode=yes -o ServerAliveInterval=15 -o StrictHostKeyChecking=accept-new)
release=""
workers="${WORKERS:-2}"
while [ $# -gt 0 ]; do
  case "$1" in
    --ssh-port) ssh_opts+=(-p "$2"); shift 2 ;;
    --identity) ssh_opts+=(-i "$2"); shift 2 ;;
    -o) ssh_opts+=(-o "$2"); shift 2 ;;  # any other ssh option, as ssh takes it
    --workers) workers="$2"; shift 2 ;;
    --release) release="$2"; shift 2 ;;  # an already published release (bot and worker folders), instead of building one
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    -*) echo "unknown option $1 (see --help)" >&2; exit 64 ;;
    *) target="$1"; shift ;;
  esac
done
: "${target:?usage: DOMAIN=… | PUBLIC_IP=… bash deploy.sh [--ssh-port N] [--identity FILE] root@HOST}"
# The Mini App needs a certificate Telegram trusts: a domain's. An address alone has none (its webhook's is self-signed).
if [ -n "${DOMAIN:-}" ]; then public="https://$DOMAIN"; media="https://$DOMAIN"; app="https://$DOMAIN"
elif [ -n "${PUBLIC_IP:-}" ]; then public="https://$PUBLIC_IP:8443"; media="http://$PUBLIC_IP"; app=""
else echo "set DOMAIN=bot.example.com (a name pointing at the server) or PUBLIC_IP=203.0.113.5 (no domain)" >&2; exit 64
fi
case "$workers" in ''|*[!0-9]*|0) echo "--workers takes a number from 1 to 99" >&2; exit 64 ;; esac

env_file="$here/neurocards.env"
if [ ! -f "$env_file" ]; then
  # The first run: the settings with their secrets made here and the public addresses filled in.
  sed -e "s|^Telegram__WebhookSecret=.*|Telegram__WebhookSecret=$(openssl rand -hex 24)|" \
      -e "s|^Storage__SigningKey=.*|Storage__SigningKey=$(openssl rand -hex 32)|" \
      -e "s|^Kie__WebhookHmacKey=.*|Kie__WebhookHmacKey=$(openssl rand -hex 32)|" \
      -e "s|^Shops__SecretKey=.*|Shops__SecretKey=$(openssl rand -hex 32)|" \
      -e "s|^Telegram__WebhookUrl=.*|Telegram__WebhookUrl=$public/telegram/webhook|" \
      -e "s|^Kie__CallbackBaseUrl=.*|Kie__CallbackBaseUrl=$media|" \
      -e "s|^Storage__PublicBaseUrl=.*|Storage__PublicBaseUrl=$media|" \
      -e "s|^Bot__PublicUrl=.*|Bot__PublicUrl=$app|" \
      "$here/neurocards.env.example" > "$env_file"
  chmod 600 "$env_file"
  echo "Wrote $env_file. Fill in these lines, then run the same command again:"
  grep -n -E '^(Telegram__BotToken|Bot__TermsUrl|Bot__PrivacyUrl|Bot__SupportUrl|Kie__ApiKeys|OpenAI__ApiKey|Telegram__AdminIds)=' "$env_file" | sed 's/^/  line /'
  exit 2
fi

# An env file written by an older release lacks the key that seals sellers' marketplace keys: made once here, then kept
# (a new key would leave the shops already connected unreadable).
if ! grep -q '^Shops__SecretKey=.' "$env_file"; then
  sed -i '/^Shops__SecretKey=/d' "$env_file"
  echo "Shops__SecretKey=$(openssl rand -hex 32)" >> "$env_file"
fi

# Older env files lack the Mini App's address: added empty here, filled in from DOMAIN below on every run.
grep -q '^Bot__PublicUrl=' "$env_file" || echo "Bot__PublicUrl=" >> "$env_file"

# Placeholders a live bot cannot run with: refused here, with the line to fix, not found later in a failing service.
refuse=0
while IFS= read -r line; do echo "  line $line" >&2; refuse=1; done < <(grep -n -E \
  '^(Telegram__BotToken=$|Bot__TermsUrl=.*example\.com|Bot__PrivacyUrl=.*example\.com|Bot__SupportUrl=.*your_support|Storage__SigningKey=$|Telegram__WebhookSecret=$)' "$env_file" || true)
if [ "$refuse" = 1 ]; then echo "fill in these lines of $env_file first" >&2; exit 1; fi

repo="${REPO:-}"
if [ -z "$repo" ]; then
  for dir in "$here" "$PWD"; do
    while [ "$dir" != "/" ] && [ ! -f "$dir/NeuroCards.sln" ]; do dir="$(dirname "$dir")"; done
    if [ -f "$dir/NeuroCards.sln" ]; then repo="$dir"; break; fi
  done
fi
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
if [ -n "$release" ]; then
  cp -a "$release/." "$stage/release/"
else
  [ -n "$repo" ] || { echo "run this from a checkout of the repository (or set REPO=…): the release is built from it" >&2; exit 1; }
  # Self-contained: the server needs no .NET, so any of the distributions above will do.
  for project in NeuroCards.Bot NeuroCards.Worker; do
    dotnet publish "$repo/$project/$project.csproj" -c Release -r linux-x64 --self-contained -p:GenerateDocumentationFile=false \
      -o "$stage/release/$project" --nologo -v q
  done
fi
mkdir -p "$stage/server"
for file in install.sh update.sh backup.sh restore.sh status.sh cutover.sh common.sh neurocards-bot.service neurocards-worker@.service \
            neurocards-backup.service neurocards-backup.timer nginx-neurocards.conf nginx-neurocards-http.conf; do
  cp "$here/$file" "$stage/server/"
done
# The public addresses follow DOMAIN or PUBLIC_IP on every run (moving from an address to a domain is one more run).
sed -e "s|^Telegram__WebhookUrl=.*|Telegram__WebhookUrl=$public/telegram/webhook|" \
    -e "s|^Kie__CallbackBaseUrl=.*|Kie__CallbackBaseUrl=$media|" \
    -e "s|^Storage__PublicBaseUrl=.*|Storage__PublicBaseUrl=$media|" \
    -e "s|^Bot__PublicUrl=.*|Bot__PublicUrl=$app|" "$env_file" > "$stage/server/neurocards.env"

stamp="$(date -u +%Y%m%d%H%M%S)"
echo "shipping release $stamp to $target"
tar -C "$stage" -czf - release server | ssh "${ssh_opts[@]}" "$target" \
  "set -e; rm -rf /opt/neurocards/incoming; mkdir -p /opt/neurocards/incoming && tar -xzf - -C /opt/neurocards/incoming"
settings="$(printf 'DOMAIN=%q PUBLIC_IP=%q WORKERS=%q STAMP=%q ACME_SERVER=%q ACME_EMAIL=%q' \
  "${DOMAIN:-}" "${PUBLIC_IP:-}" "$workers" "$stamp" "${ACME_SERVER:-}" "${ACME_EMAIL:-}")"
ssh "${ssh_opts[@]}" "$target" "$settings bash /opt/neurocards/incoming/server/install.sh"
