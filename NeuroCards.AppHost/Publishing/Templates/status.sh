#!/usr/bin/env bash
# What an operator looks at first: the services, Telegram's view of the webhook, the queue, the machine, recent errors.
set -uo pipefail
# shellcheck source=common.sh
. /opt/neurocards/bin/common.sh
load_database
echo "release: $(basename "$(readlink -f /opt/neurocards/current)")"
echo "neurocards-bot: $(systemctl is-active neurocards-bot) (health: $(curl -fsS -m 5 http://127.0.0.1:8080/health 2>/dev/null || echo unreachable))"
for i in $(workers); do
  echo "neurocards-worker@$i: $(systemctl is-active "neurocards-worker@$i") (health: $(curl -fsS -m 5 "http://127.0.0.1:181$i/health" 2>/dev/null || echo unreachable))"
done
# The token stays in the request; only Telegram's answer is shown.
info="$(curl -fsS -m 10 "$(setting Telegram__ApiBaseUrl)/bot$(setting Telegram__BotToken)/getWebhookInfo" 2>/dev/null || echo unreachable)"
echo "webhook: $(printf '%s' "$info" | sed -n 's/.*"url":"\([^"]*\)".*/\1/p') pending $(printf '%s' "$info" | sed -n 's/.*"pending_update_count":\([0-9]*\).*/\1/p')"
echo "last webhook error: $(printf '%s' "$info" | sed -n 's/.*"last_error_message":"\([^"]*\)".*/\1/p')"
echo "queue:"
psql -X -A -t -F ' ' -c "select status, count(*) from jobs group by status order by status" 2>&1 | sed 's/^/  /'
echo "latest failures:"
psql -X -A -t -F ' ' -c "select failed_at::timestamp(0), error_class, left(error_text, 80) from jobs where status = 'failed' order by failed_at desc limit 5" 2>&1 | sed 's/^/  /'
echo "disk: $(df -h --output=avail,pcent / | tail -n 1 | awk '{print $1 " free, " $2 " used"}'); backups: $(du -sh "$BACKUP_DIR" 2>/dev/null | cut -f1)"
echo "memory: $(free -m | awk '/^Mem:/ {print $7 " MB available of " $2}'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "recent errors:"
journalctl -u neurocards-bot -u 'neurocards-worker@*' -p err --since -1h -n 10 --no-pager -o short-iso 2>/dev/null | sed 's/^/  /'
