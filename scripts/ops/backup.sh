#!/usr/bin/env bash
# A consistent physical backup of the ledger's MariaDB with mariabackup (hot: the service keeps running),
# prepared at once so that it can be restored as it is. The binary-log position it is consistent with is
# kept beside it (xtrabackup_binlog_info) for point-in-time recovery (restore-check.sh --binlog-dir …).
#
#   scripts/ops/backup.sh TARGET_DIR [mariabackup connection options, e.g. --host=db1 --port=3306 --user=backup --password=…]
#
# The backup user needs RELOAD, PROCESS, LOCK TABLES and BINLOG MONITOR (MariaDB 10.11). See docs/ops/RUNBOOK.md.
set -euo pipefail
target=${1:?usage: backup.sh TARGET_DIR [connection options]}
shift
command -v mariabackup >/dev/null || { echo "mariabackup not found: apt-get install -y mariadb-backup" >&2; exit 2; }
[ ! -e "$target" ] || [ -z "$(ls -A "$target")" ] || { echo "$target exists and is not empty" >&2; exit 2; }
mkdir -p "$target"
mariabackup --backup --target-dir="$target" "$@" 2>"$target.log" || { tail -20 "$target.log" >&2; exit 1; }
mariabackup --prepare --target-dir="$target" 2>>"$target.log" || { tail -20 "$target.log" >&2; exit 1; }
echo "backup prepared in $target (binlog position: $(cat "$target/xtrabackup_binlog_info" 2>/dev/null || echo 'none: binary log off'))"
