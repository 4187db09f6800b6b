#!/usr/bin/env bash
# Puts a backup back: stops the bot and workers, restores the database as the app's role (creating it when it is
# gone) and the media, starts them and waits until they are healthy.
# Usage: restore.sh [STAMP|latest]    (the stamps: ls /var/backups/neurocards)
set -euo pipefail
# shellcheck source=common.sh
. /opt/neurocards/bin/common.sh
load_database
stamp="${1:-latest}"
if [ "$stamp" = latest ]; then
  dump="$(ls -1 "$BACKUP_DIR"/neurocards-*.dump 2>/dev/null | sort | tail -n 1)"
else
  dump="$BACKUP_DIR/neurocards-$stamp.dump"
fi
[ -f "$dump" ] || { echo "no backup ${stamp}: see ls $BACKUP_DIR" >&2; exit 1; }

echo "restoring $(basename "$dump")"
units | xargs systemctl stop
if ! as_postgres psql -X -tAc "select 1 from pg_database where datname = '$PGDATABASE'" | grep -q 1; then
  as_postgres createdb -O "$PGUSER" "$PGDATABASE"
fi
pg_restore --clean --if-exists --no-owner --exit-on-error -d "$PGDATABASE" "$dump"
rsync -a --delete "$BACKUP_DIR/media/" "$MEDIA_DIR/"
chown -R neurocards:neurocards "$MEDIA_DIR"

units | xargs systemctl start
if wait_healthy 60; then echo "restored $(basename "$dump")"; else echo "restored, but the services are not healthy: see status.sh" >&2; exit 1; fi
