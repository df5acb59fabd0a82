#!/bin/sh
# Measures `cairn-backup import-rdb` on a Redis dump of N keys (default 1,000,000) made by
# a throw-away redis-server with DEBUG POPULATE, and prints the dump size and import time.
# Usage: tools/bench/rdb_import_1m.sh path/to/cairn-backup [keys]
set -eu
BACKUP=${1:?usage: rdb_import_1m.sh path/to/cairn-backup [keys]}
KEYS=${2:-1000000}
WORK=$(mktemp -d)
SOCK="$WORK/redis.sock"
cleanup() {
  redis-cli -s "$SOCK" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
redis-server --port 0 --unixsocket "$SOCK" --dir "$WORK" --save '' --appendonly no \
  --enable-debug-command yes --daemonize yes --logfile "$WORK/redis.log"
tries=0
until redis-cli -s "$SOCK" ping >/dev/null 2>&1; do
  tries=$((tries + 1))
  [ "$tries" -lt 100 ] || { echo "redis-server did not start" >&2; exit 1; }
  sleep 0.1
done
redis-cli -s "$SOCK" DEBUG POPULATE "$KEYS" >/dev/null
redis-cli -s "$SOCK" SAVE >/dev/null
echo "dump: $KEYS keys, $(wc -c <"$WORK/dump.rdb") bytes"
start=$(date +%s.%N)
"$BACKUP" import-rdb --rdb "$WORK/dump.rdb" --to "$WORK/cairn"
end=$(date +%s.%N)
echo "import-rdb wall time: $(echo "$end - $start" | bc) s"
echo "data dir: $(du -sh "$WORK/cairn" | cut -f1)"
