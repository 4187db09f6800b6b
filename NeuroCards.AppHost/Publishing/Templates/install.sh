#!/usr/bin/env bash
# Runs on the server as root, started by deploy.sh with the release and these files in /opt/neurocards/incoming.
# Idempotent: packages, user, database, password and certificates are made once; every run activates the new release.
set -euo pipefail
cd /
incoming=/opt/neurocards/incoming
: "${STAMP:?}" "${WORKERS:?}"
[ "$(id -u)" -eq 0 ] || { echo "run as root" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive

# The distribution's packages only (no .NET: the release is self-contained). ICU's package is named by its version.
packages=(postgresql nginx ffmpeg espeak-ng fonts-dejavu-core certbot rsync curl openssl ca-certificates)
missing=()
for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
ldconfig -p | grep -q 'libicuuc\.so' || missing+=(libicu)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  apt-get update -qq
  icu="$(apt-cache search --names-only '^libicu[0-9]+$' | awk '{print $1}' | sort -V | tail -n 1)"
  apt-get install -y -qq --no-install-recommends "${packages[@]}" "$icu" >/dev/null
fi

id neurocards >/dev/null 2>&1 || useradd --system --home-dir /var/lib/neurocards --shell /usr/sbin/nologin neurocards
install -d -m 755 /opt/neurocards /opt/neurocards/releases /opt/neurocards/bin
install -d -m 750 -o neurocards -g neurocards /var/lib/neurocards /var/lib/neurocards/media
install -d -m 700 /var/backups/neurocards
install -d -m 750 -g neurocards /etc/neurocards /etc/neurocards/tls
install -m 755 "$incoming"/server/{update,backup,restore,status,cutover}.sh /opt/neurocards/bin/
install -m 644 "$incoming/server/common.sh" /opt/neurocards/bin/

# The database: a role with a password made once and kept; a re-run sets the same one (and mends a role that drifted).
systemctl enable --now postgresql >/dev/null
[ -s /etc/neurocards/database-password ] || (umask 077; openssl rand -hex 24 > /etc/neurocards/database-password)
password="$(cat /etc/neurocards/database-password)"
# shellcheck source=common.sh
. "$incoming/server/common.sh"
sql() { as_postgres psql -X -q -v ON_ERROR_STOP=1 "$@"; }
for _ in $(seq 1 30); do sql -c 'select 1' >/dev/null 2>&1 && break; sleep 1; done
sql -v password="$password" <<'SQL'
select format('create role neurocards login password %L', :'password') where not exists (select from pg_roles where rolname = 'neurocards') \gexec
select format('alter role neurocards login password %L', :'password') \gexec
SQL
sql -tAc "select 1 from pg_database where datname = 'neurocards'" | grep -q 1 || as_postgres createdb -O neurocards neurocards

# The settings: the operator's file, then what only the server knows (each key once, the server's word last).
managed='^(ConnectionStrings__neurocards|ConnectionStrings__neurocards-direct|Storage__LocalPath|Telegram__WebhookCertificate)='
{
  grep -v -E "$managed" "$incoming/server/neurocards.env"
  echo "# written by install.sh"
  echo "ConnectionStrings__neurocards=Host=127.0.0.1;Port=5432;Database=neurocards;Username=neurocards;Password=$password"
  echo "Storage__LocalPath=/var/lib/neurocards/media"
  if [ -z "${DOMAIN:-}" ]; then echo "Telegram__WebhookCertificate=/etc/neurocards/tls/webhook.pem"; fi
} > /etc/neurocards/neurocards.env.new
chown root:neurocards /etc/neurocards/neurocards.env.new && chmod 640 /etc/neurocards/neurocards.env.new
mv /etc/neurocards/neurocards.env.new /etc/neurocards/neurocards.env

# nginx: the plain-http site first (ACME challenges, and without a domain the media KIE fetches), then TLS.
install -d -m 755 /var/www/certbot
rm -f /etc/nginx/sites-enabled/default
site() {
  sed -e "s|__NAME__|$1|g" -e "s|__TLS_PORT__|$2|g" -e "s|__CERT__|$3|g" -e "s|__KEY__|$4|g" -e "s|__HTTPS__|$5|g" "$incoming/server/$6" |
    if [ -n "${DOMAIN:-}" ]; then sed '/# without a domain$/d'; else cat; fi
}
if [ -n "${DOMAIN:-}" ]; then
  name="$DOMAIN"; port=443; https="https://$DOMAIN"
  cert="/etc/letsencrypt/live/$DOMAIN/fullchain.pem"; key="/etc/letsencrypt/live/$DOMAIN/privkey.pem"
else
  name="${PUBLIC_IP:?set DOMAIN or PUBLIC_IP}"; port=8443; https="https://$PUBLIC_IP:8443"
  cert=/etc/neurocards/tls/webhook.pem; key=/etc/neurocards/tls/webhook.key
fi
site "$name" "$port" "$cert" "$key" "$https" nginx-neurocards-http.conf > /etc/nginx/sites-available/neurocards-http
ln -sfn /etc/nginx/sites-available/neurocards-http /etc/nginx/sites-enabled/neurocards-http
rm -f /etc/nginx/sites-enabled/neurocards
nginx -t -q && systemctl reload-or-restart nginx
if [ -n "${DOMAIN:-}" ]; then
  if [ ! -f "$cert" ]; then
    certbot certonly --webroot -w /var/www/certbot -d "$DOMAIN" --non-interactive --agree-tos \
      -m "${ACME_EMAIL:-admin@$DOMAIN}" ${ACME_SERVER:+--server "$ACME_SERVER"}
  fi
  # A renewed certificate is served only after nginx reloads.
  install -d /etc/letsencrypt/renewal-hooks/deploy
  printf '#!/bin/sh\nsystemctl reload nginx\n' > /etc/letsencrypt/renewal-hooks/deploy/neurocards-nginx
  chmod 755 /etc/letsencrypt/renewal-hooks/deploy/neurocards-nginx
elif ! openssl x509 -in "$cert" -noout -checkip "$PUBLIC_IP" 2>/dev/null | grep -q 'does match'; then
  # No domain: a self-signed certificate for the address, which the bot uploads to Telegram with setWebhook.
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=$PUBLIC_IP" -addext "subjectAltName=IP:$PUBLIC_IP" \
    -keyout "$key" -out "$cert" 2>/dev/null
  chgrp neurocards "$cert" "$key" && chmod 644 "$cert" && chmod 640 "$key"
fi
site "$name" "$port" "$cert" "$key" "$https" nginx-neurocards.conf > /etc/nginx/sites-available/neurocards
ln -sfn /etc/nginx/sites-available/neurocards /etc/nginx/sites-enabled/neurocards
nginx -t -q && systemctl reload nginx

# The services: the bot, workers 1..N (those above N stopped), the nightly backup.
install -m 644 "$incoming"/server/{neurocards-bot.service,neurocards-worker@.service,neurocards-backup.service,neurocards-backup.timer} /etc/systemd/system/
systemctl daemon-reload
systemctl enable -q neurocards-bot neurocards-backup.timer
for i in $(seq 1 "$WORKERS"); do systemctl enable -q "neurocards-worker@$i"; done
for i in $(workers); do
  if [ "$i" -gt "$WORKERS" ]; then systemctl disable -q --now "neurocards-worker@$i"; fi
done
systemctl start neurocards-backup.timer

/opt/neurocards/bin/update.sh "$incoming/release" "$STAMP"
rm -rf "$incoming"
/opt/neurocards/bin/status.sh
