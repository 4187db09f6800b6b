#!/usr/bin/env bash
# Health of the services, the job queue by state and the latest failures.
set -uo pipefail
echo "bot:    $(curl -fsS http://127.0.0.1:8080/health || echo unreachable)"
for unit in $(systemctl list-units --plain --no-legend 'neurocards-worker@*' | awk '{print $1}'); do
  echo "$unit: $(systemctl is-active "$unit")"
done
echo "queue:"
psql -X -A -t -c "select status, count(*) from jobs group by status order by status" | sed 's/^/  /'
echo "latest failures:"
psql -X -A -t -c "select failed_at, error_class, left(error_text, 80) from jobs where status = 'failed' order by failed_at desc limit 5" | sed 's/^/  /'
