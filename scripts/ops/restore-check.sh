#!/usr/bin/env bash
# Restores a prepared mariabackup backup into a FRESH directory, starts a private MariaDB on it (loopback,
# its own port), optionally replays the binary logs written after the backup up to a point in time, and
# checks the ledger: every year total equals the sum of its entries, every person's hash chain holds
# (`node dist/src/ledger-verify.js`), and — with --expect — the totals equal the ones expected. Prints the
# totals (ledger_year, professional, general public, industry public tenths, entries). Exit 0 only if all hold.
#
#   scripts/ops/restore-check.sh BACKUP_DIR [--database ce_ledger] [--binlog-dir DIR --stop-datetime 'YYYY-MM-DD HH:MM:SS']
#                                [--expect TOTALS_FILE] [--keep]
#
# Run from the project root after `npm run build`. Touches nothing but its own temporary directory.
set -euo pipefail
backup=${1:?usage: restore-check.sh BACKUP_DIR [options]}
shift
database=ce_ledger binlog_dir='' stop='' expect='' keep=''
while [ $# -gt 0 ]; do
  case "$1" in
    --database) database=$2; shift 2 ;;
    --binlog-dir) binlog_dir=$2; shift 2 ;;
    --stop-datetime) stop=$2; shift 2 ;;
    --expect) expect=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -f "$backup/xtrabackup_checkpoints" ] || { echo "$backup is not a mariabackup backup" >&2; exit 2; }
grep -q 'backup_type = log-applied' "$backup/xtrabackup_checkpoints" || { echo "$backup is not prepared (run mariabackup --prepare)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ce-restore-XXXXXX")
port=$(( 24000 + RANDOM % 1000 ))
server_pid=''
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [ -n "$keep" ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

# 1. Copy the backup into a fresh data directory (the backup itself stays as it is).
mariabackup --copy-back --target-dir="$backup" --datadir="$work/data" 2>"$work/copy-back.log" || { tail -20 "$work/copy-back.log" >&2; exit 1; }

# 2. A private server on it: loopback only, no grant checks (nothing else can reach it), no binary log of its own.
/usr/sbin/mariadbd --no-defaults --datadir="$work/data" --port="$port" --bind-address=127.0.0.1 --socket="$work/mysqld.sock" \
  --pid-file="$work/mysqld.pid" --user="$(id -un)" --skip-grant-tables --skip-log-bin --innodb-buffer-pool-size=64M >"$work/mariadbd.log" 2>&1 &
server_pid=$!
sql() { mariadb --no-defaults --socket="$work/mysqld.sock" -u root --batch --skip-column-names "$database" -e "$1"; }
for _ in $(seq 1 150); do mariadb --no-defaults --socket="$work/mysqld.sock" -u root -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.2; done
mariadb --no-defaults --socket="$work/mysqld.sock" -u root -e 'SELECT 1' >/dev/null || { tail -20 "$work/mariadbd.log" >&2; exit 1; }

# 3. Point in time: the binary logs from the backup's position on, up to --stop-datetime.
if [ -n "$binlog_dir" ]; then
  read -r first_log position _ < "$backup/xtrabackup_binlog_info"
  logs=$(ls "$binlog_dir" | grep -E '^[^.]+\.[0-9]+$' | sort | awk -v first="$first_log" '$0 >= first')
  (cd "$binlog_dir" && mariadb-binlog --start-position="$position" ${stop:+--stop-datetime="$stop"} $logs) \
    | mariadb --no-defaults --socket="$work/mysqld.sock" -u root
  echo "replayed binary logs from $first_log:$position${stop:+ up to $stop}" >&2
fi

# 4. The checks.
totals=$(sql 'SELECT ledger_year, SUM(professional_tenths), SUM(general_public_tenths), SUM(industry_public_tenths), SUM(entry_count) FROM year_totals GROUP BY ledger_year ORDER BY ledger_year')
summed=$(sql "SELECT ledger_year, SUM(IF(category = 'professional', hours_tenths, 0)), SUM(IF(category = 'general_public', hours_tenths, 0)), SUM(IF(category = 'industry_public', hours_tenths, 0)), COUNT(*) FROM hour_entries GROUP BY ledger_year ORDER BY ledger_year")
echo "$totals"
status=0
[ "$totals" = "$summed" ] || { echo "year totals differ from the sums of the entries:" >&2; diff <(echo "$totals") <(echo "$summed") >&2 || true; status=1; }
if [ -n "$expect" ]; then
  [ "$totals" = "$(cat "$expect")" ] || { echo "totals differ from $expect:" >&2; diff "$expect" <(echo "$totals") >&2 || true; status=1; }
fi
DATABASE_URL="mysql://root:@127.0.0.1:$port/$database" DB_MIGRATE=false LOG_LEVEL=error node dist/src/ledger-verify.js >"$work/verify.json" || { cat "$work/verify.json" >&2; status=1; }
[ $status -eq 0 ] && echo "restore check passed: $(echo "$totals" | wc -l) year(s), hash chains and totals hold" >&2
exit $status
