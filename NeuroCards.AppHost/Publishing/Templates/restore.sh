#!/usr/bin/env bash
# Restores a backup made by backup.sh into the database named by PGDATABASE (replacing its objects) and the media folder.
# Usage: ./restore.sh STAMP    (e.g. 20261124-031500)
set -euo pipefail
stamp="${1:?usage: restore.sh STAMP}"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/neurocards}"
MEDIA_DIR="${MEDIA_DIR:-/var/lib/neurocards/media}"
pg_restore --clean --if-exists --no-owner -d "${PGDATABASE:?set PGDATABASE}" "$BACKUP_DIR/neurocards-$stamp.dump"
mkdir -p "$MEDIA_DIR"
tar -C "$MEDIA_DIR" -xzf "$BACKUP_DIR/media-$stamp.tar.gz"
echo "restored $stamp"
