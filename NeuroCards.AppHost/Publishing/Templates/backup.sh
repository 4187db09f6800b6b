#!/usr/bin/env bash
# The database (pg_dump, custom format) and the media folder (a mirror: only what changed since the last backup is
# copied), in /var/backups/neurocards. Dumps are kept by count (Backup__Keep, default 7) and by free space (the oldest go
# while less than Backup__MinFreeMb, default 1024, is free; the newest always stays). With Backup__Target
# (user@host:/path), everything is copied off the host with rsync over ssh. Runs nightly (neurocards-backup.timer).
set -euo pipefail
# shellcheck source=common.sh
. /opt/neurocards/bin/common.sh
load_database
keep="$(setting Backup__Keep)"; keep="${keep:-7}"
min_free="$(setting Backup__MinFreeMb)"; min_free="${min_free:-1024}"
target="$(setting Backup__Target)"
stamp="$(date -u +%Y%m%d-%H%M%S)"
install -d -m 700 "$BACKUP_DIR" "$BACKUP_DIR/media"

pg_dump -Fc -f "$BACKUP_DIR/neurocards-$stamp.dump.partial"
mv "$BACKUP_DIR/neurocards-$stamp.dump.partial" "$BACKUP_DIR/neurocards-$stamp.dump"
rsync -a --delete "$MEDIA_DIR/" "$BACKUP_DIR/media/"

dumps() { ls -1 "$BACKUP_DIR"/neurocards-*.dump 2>/dev/null | sort; }
dumps | head -n -"$keep" | xargs -r rm -f
while [ "$(dumps | wc -l)" -gt 1 ] && [ "$(df -Pm "$BACKUP_DIR" | awk 'NR==2 {print $4}')" -lt "$min_free" ]; do
  rm -f "$(dumps | head -n 1)"
done
if [ -n "$target" ]; then
  rsync -a --delete -e "ssh -o BatchMode=yes" "$BACKUP_DIR/" "$target/"
fi
echo "$stamp"
