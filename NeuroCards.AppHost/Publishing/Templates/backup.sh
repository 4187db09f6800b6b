#!/usr/bin/env bash
# pg_dump (custom format) plus the media folder, timestamped; keeps the last KEEP backups.
# Connection via the standard PG* variables (PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD).
set -euo pipefail
BACKUP_DIR="${BACKUP_DIR:-/var/backups/neurocards}"
MEDIA_DIR="${MEDIA_DIR:-/var/lib/neurocards/media}"
KEEP="${KEEP:-14}"
stamp="$(date +%Y%m%d-%H%M%S)"
mkdir -p "$BACKUP_DIR"
pg_dump -Fc -f "$BACKUP_DIR/neurocards-$stamp.dump"
tar -C "$MEDIA_DIR" -czf "$BACKUP_DIR/media-$stamp.tar.gz" .
ls -1t "$BACKUP_DIR"/neurocards-*.dump | tail -n +$((KEEP + 1)) | xargs -r rm -f
ls -1t "$BACKUP_DIR"/media-*.tar.gz | tail -n +$((KEEP + 1)) | xargs -r rm -f
echo "$stamp"
