#!/usr/bin/env bash
# The seed pipeline end to end on an embedded HDFS + YARN:
#   generate a NYC-taxi-shaped CSV -> start the cluster -> copy the CSV into HDFS ->
#   csv-to-avro with a filter and a projection -> print a few records back -> stop the cluster.
# With --s3, input and output are in a local S3-compatible server (S3Proxy on 127.0.0.1, started
#   and stopped by this script): s3://raw/taxi/trip_data.csv -> s3://clean/taxi-avro.
# Usage: scripts/quickstart.sh [--rows N] [--seed S] [--block-size SIZE] [--s3]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rows=1000000
seed=42
block_size=32m
s3=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --block-size) block_size="$2"; shift 2 ;;
    --s3) s3=1; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "quickstart: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

work="$root/target/quickstart"
cluster_dir="$work/cluster"
spindle="$root/scripts/spindle"
mkdir -p "$work"

# Build once up front, so the steps below show their own output.
s3_classpath="$root/s3-bridge/target/s3-server.classpath"
if [[ -n "$s3" && ! -f "$s3_classpath" ]]; then
  SPINDLE_REBUILD=1
fi
SPINDLE_REBUILD=${SPINDLE_REBUILD:-} "$spindle" --version

if [[ -n "$s3" ]]; then
  s3_pid=
  stop_s3() { if [[ -n "$s3_pid" ]]; then kill "$s3_pid" 2>/dev/null || true; wait "$s3_pid" 2>/dev/null || true; fi; }
  trap stop_s3 EXIT
fi

echo "== 1. Sample data: $rows rows"
"$spindle" generate-taxi --rows "$rows" --seed "$seed" --output "$work/trip_data.csv"

if [[ -n "$s3" ]]; then
  echo "== 2. S3-compatible server (S3Proxy) on 127.0.0.1, with the CSV as s3://raw/taxi/trip_data.csv"
  s3_dir="$work/s3"
  rm -rf "$s3_dir" && mkdir -p "$s3_dir"
  java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  # the server's keys go into a JCEKS credential store, never onto a command line
  "$java_bin" -cp "$root/s3-bridge/target/test-classes:$root/s3-bridge/target/classes:$(cat "$s3_classpath")" \
    dev.spindle.s3.S3Server --endpoint-file "$s3_dir/endpoint" --jceks "$s3_dir/s3.jceks" \
    --bucket raw --bucket clean --put "raw/taxi/trip_data.csv=$work/trip_data.csv" >"$s3_dir/server.log" 2>&1 &
  s3_pid=$!
  for _ in $(seq 1 600); do
    [[ -s "$s3_dir/endpoint" ]] && break
    kill -0 "$s3_pid" 2>/dev/null || { echo "quickstart: the S3 server did not start; see $s3_dir/server.log" >&2; exit 1; }
    sleep 0.1
  done
  [[ -s "$s3_dir/endpoint" ]] || { echo "quickstart: the S3 server did not start in 60 s; see $s3_dir/server.log" >&2; exit 1; }
  endpoint="$(cat "$s3_dir/endpoint")"
  echo "S3 endpoint $endpoint (log: $s3_dir/server.log)"
  s3_options=(-D "spindle.s3.endpoint=$endpoint" -D spindle.s3.path-style=true
              -D "hadoop.security.credential.provider.path=jceks://file$s3_dir/s3.jceks")
fi

echo "== $([[ -n "$s3" ]] && echo 3 || echo 2). Embedded HDFS + YARN"
"$spindle" cluster start --dir "$cluster_dir" 2>&1 | tee "$work/cluster-start.txt"
stop_cluster() { "$spindle" cluster stop --dir "$cluster_dir" >/dev/null 2>&1 || true; }
# the warm-up job runs the same jar, cluster and pipeline as the jobs below: a failed one is a failure here
if ! grep -q '^Warming up: .* done in' "$work/cluster-start.txt"; then
  stop_cluster
  echo "quickstart: the cluster's warm-up job did not succeed (see above)" >&2
  exit 1
fi
if [[ -n "$s3" ]]; then
  trap 'stop_cluster; stop_s3' EXIT
else
  trap stop_cluster EXIT
fi
conf="$cluster_dir/conf"

if [[ -n "$s3" ]]; then
  echo "== 4. csv-to-avro S3 -> S3: passenger_count > 3, three columns"
  "$spindle" csv-to-avro "${s3_options[@]}" --cluster "$conf" \
    --input s3://raw/taxi/trip_data.csv \
    --output s3://clean/taxi-avro \
    --filter 'passenger_count > 3' \
    --select pickup_datetime,passenger_count,trip_time_in_secs \
    --block-size "$block_size" \
    --write-mode overwrite

  echo "== 5. A few records back from s3://clean/taxi-avro"
  "$spindle" head "${s3_options[@]}" --cluster "$conf" -n 5 s3://clean/taxi-avro

  echo "== 6. Check the output against its manifest"
  "$spindle" validate "${s3_options[@]}" --cluster "$conf" s3://clean/taxi-avro
  echo "== Done"
  exit 0
fi

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

echo "== 6. What the output is, and a check of it against its manifest"
"$spindle" inspect --cluster "$conf" -n 3 /data/taxi-avro
"$spindle" validate --cluster "$conf" /data/taxi-avro

echo "== Done"
