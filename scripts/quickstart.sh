#!/usr/bin/env bash
# The seed pipeline end to end on an embedded HDFS + YARN:
#   generate a NYC-taxi-shaped CSV -> start the cluster -> copy the CSV into HDFS ->
#   csv-to-avro with a filter and a projection -> print a few records back -> stop the cluster.
# Usage: scripts/quickstart.sh [--rows N] [--seed S] [--block-size SIZE]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rows=1000000
seed=42
block_size=32m
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --block-size) block_size="$2"; shift 2 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "quickstart: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

work="$root/target/quickstart"
cluster_dir="$work/cluster"
spindle="$root/scripts/spindle"
mkdir -p "$work"

# Build once up front, so the steps below show their own output.
SPINDLE_REBUILD=${SPINDLE_REBUILD:-} "$spindle" --version

echo "== 1. Sample data: $rows rows"
"$spindle" generate-taxi --rows "$rows" --seed "$seed" --output "$work/trip_data.csv"

echo "== 2. Embedded HDFS + YARN"
"$spindle" cluster start --dir "$cluster_dir"
stop_cluster() { "$spindle" cluster stop --dir "$cluster_dir" >/dev/null 2>&1 || true; }
trap stop_cluster EXIT
conf="$cluster_dir/conf"

echo "== 3. Copy the CSV into HDFS"
"$spindle" fs --cluster "$conf" -mkdir -p /data/taxi
"$spindle" fs --cluster "$conf" -put -f "$work/trip_data.csv" /data/taxi/trip_data.csv
"$spindle" fs --cluster "$conf" -ls /data/taxi

echo "== 4. csv-to-avro: passenger_count > 3, three columns"
"$spindle" csv-to-avro --cluster "$conf" \
  --input /data/taxi/trip_data.csv \
  --output /data/taxi-avro \
  --filter 'passenger_count > 3' \
  --select pickup_datetime,passenger_count,trip_time_in_secs \
  --block-size "$block_size" \
  --write-mode overwrite

echo "== 5. A few records back from the Avro output"
"$spindle" head --cluster "$conf" -n 5 /data/taxi-avro
"$spindle" fs --cluster "$conf" -cat /data/taxi-avro/_SUCCESS | head -n 30

echo "== Done"
