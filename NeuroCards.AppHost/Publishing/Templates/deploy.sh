#!/usr/bin/env bash
# First install on Ubuntu/Debian: PostgreSQL (localhost only), .NET runtime, ffmpeg, nginx, certbot, the services.
# Usage: sudo DOMAIN=bot.example.com WORKERS=2 ./deploy.sh   (run from a checkout of the repository)
set -euo pipefail
: "${DOMAIN:?set DOMAIN=bot.example.com}"
WORKERS="${WORKERS:-2}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="${REPO:-$(cd "$here/.." && pwd)}"

apt-get update
apt-get install -y postgresql nginx certbot python3-certbot-nginx ffmpeg fonts-dejavu-core curl
if ! command -v dotnet >/dev/null; then apt-get install -y aspnetcore-runtime-10.0 dotnet-sdk-10.0; fi

id neurocards >/dev/null 2>&1 || useradd --system --home /var/lib/neurocards --shell /usr/sbin/nologin neurocards
install -d -o neurocards -g neurocards /var/lib/neurocards /var/lib/neurocards/media /var/backups/neurocards
install -d -m 750 /etc/neurocards /opt/neurocards

# PostgreSQL listens on localhost only (the distribution's default); a role and a database with a random password.
password="$(openssl rand -hex 24)"
sudo -u postgres psql -tc "select 1 from pg_roles where rolname = 'neurocards'" | grep -q 1 || \
  sudo -u postgres psql -c "create role neurocards login password '$password'"
sudo -u postgres psql -tc "select 1 from pg_database where datname = 'neurocards'" | grep -q 1 || \
  sudo -u postgres createdb -O neurocards neurocards

if [ ! -f /etc/neurocards/neurocards.env ]; then
  install -m 640 -g neurocards "$here/neurocards.env.example" /etc/neurocards/neurocards.env
  sed -i "s|^ConnectionStrings__neurocards=.*|ConnectionStrings__neurocards=Host=127.0.0.1;Database=neurocards;Username=neurocards;Password=$password|" /etc/neurocards/neurocards.env
  sed -i "s|^Storage__SigningKey=.*|Storage__SigningKey=$(openssl rand -hex 32)|" /etc/neurocards/neurocards.env
  sed -i "s|^Telegram__WebhookSecret=.*|Telegram__WebhookSecret=$(openssl rand -hex 24)|" /etc/neurocards/neurocards.env
  sed -i "s|bot.example.com|$DOMAIN|g" /etc/neurocards/neurocards.env
  echo "Fill in the secrets in /etc/neurocards/neurocards.env (bot token, KIE, OpenAI, YooKassa), then run this again."
  exit 0
fi

release="/opt/neurocards/releases/$(date +%Y%m%d%H%M%S)"
dotnet publish "$repo/NeuroCards.Bot/NeuroCards.Bot.csproj" -c Release -o "$release/NeuroCards.Bot"
dotnet publish "$repo/NeuroCards.Worker/NeuroCards.Worker.csproj" -c Release -o "$release/NeuroCards.Worker"
ln -sfn "$release" /opt/neurocards/current

install -m 644 "$here/neurocards-bot.service" "$here/neurocards-worker@.service" /etc/systemd/system/
systemctl daemon-reload
# The bot applies migrations on start (an advisory lock keeps replicas from racing).
systemctl enable --now neurocards-bot
for i in $(seq 1 "$WORKERS"); do systemctl enable --now "neurocards-worker@$i"; done

sed "s/bot.example.com/$DOMAIN/g" "$here/nginx-neurocards.conf" > /etc/nginx/sites-available/neurocards
ln -sfn /etc/nginx/sites-available/neurocards /etc/nginx/sites-enabled/neurocards
certbot certonly --nginx -d "$DOMAIN" --non-interactive --agree-tos -m "admin@$DOMAIN" || true
nginx -t && systemctl reload nginx
"$here/status.sh"
