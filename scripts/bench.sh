#!/usr/bin/env bash
# Runs Spindle's benchmarks and ends by printing one line per benchmark:
#   bench <name> <value>
# (MB/s per core for throughput benchmarks, ms for the inference ones).
#
#   scripts/bench.sh codec [--quick]    JMH benchmarks of avro-codec (one thread, fork 1)
#   scripts/bench.sh split [--quick]    all blocks of a file in parallel, plain vs quoted newlines
#   scripts/bench.sh e2e [--quick|--rows N] csv-to-avro on an embedded HDFS + YARN, end to end
#   scripts/bench.sh s3 [--quick|--mib N|--part-size SIZE|--concurrency N|--rows N|--link-mb-per-s N|--read-only]
#                                       S3 reads, and the seed job S3 -> S3
#   scripts/bench.sh dataset [--quick]  DatasetReader: one thread against one per core
#
# Builds what it needs inside this working copy (test-compile, no install).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JVM_OPENS="--add-opens=java.base/java.nio=ALL-UNNAMED"

usage() {
    cat >&2 <<'USAGE'
usage: scripts/bench.sh <suite> [--quick]

suites:
  codec    avro-codec JMH: tokenize, csv_to_arrow, csv_to_avro (the direct path of a job
           without a filter, codec null; also deflate and snappy as csv_to_avro_deflate /
           csv_to_avro_snappy), csv_to_avro_filtered (the seed filter passenger_count > 3 and
           projection medallion,pickup_datetime,trip_distance, codec null: the fused direct
           path of a job with --filter), csv_to_avro_arrow (through Arrow batches, the path
           before the filter was fused), infer (20,480-record sample), infer_1gb (8 sampled
           blocks of a 1 GiB plan), and csv_to_avro_vs_tokenize /
           csv_to_avro_filtered_vs_tokenize (the ratios of the rates, from the same run)
  split    every block of a ~64 MiB taxi file read in parallel into typed Arrow batches, with
           the tiling check: split_plain, split_quoted (MB/s, all cores) and their ratio
  e2e      on an embedded HDFS + YARN (after one warm-up run): the quickstart's job (--rows N,
           default 1000000), the Spark comparison's 5M-row job (--large-rows N) and a 1 MB job;
           e2e_phase_<job>_<phase>_s from the driver's and the AM's timestamps (submit, am_start,
           plan, first_container, blocks, commit, total), e2e_small_job_s, e2e_csv_to_avro (MB/s of
           the quickstart job) and a chart of the phases, target/bench-e2e/e2e-phases.svg
  codecs   the quickstart's csv-to-avro job (no filter, every column) on an embedded HDFS + YARN
           with each Avro codec, alternated, twice: e2e_codec_<codec>_s (wall time of the job,
           client included) and e2e_codec_<codec>_mb (output size); --rows N (default 1000000)
  scale    simulated growth, no cluster: planning 1,000,000 files / 100,000 blocks through the AM's
           listing and planner (scale_plan_1m_files_s, scale_plan_heap_mb), the AM's endpoint
           handing 100,000 blocks to 1,000 simulated workers (scale_dispatch_blocks_per_s),
           committing 100,000 parts (scale_commit_100k_parts_s); each also at a tenth of the size,
           and the growth factor of the tenfold step (scale_*_growth_x10; 10 is linear)
  s3       one reader of a 512 MiB object (--mib N) on a loopback S3Proxy: s3_read_single (one
           GET stream), s3_read_parallel (the store's read-ahead input, 1 MiB reads; its
           spindle.s3.read.part-size and .concurrency: --part-size SIZE, --concurrency N),
           s3_read_ceiling (a plain download in 4 parallel ranged GETs) and the ratios, each the
           best of 3 rounds that alternate them after 3 such rounds to warm up; the same as
           s3_read_shaped_* through a loopback relay that carries at most --link-mb-per-s N
           (default 200; 0 skips it) MB/s per connection toward the reader, as an object store's
           connections do, so that one stream is bounded by its connection, not by the CPU; then
           (unless --read-only) the seed pipeline on --rows N (default 1000000) taxi rows S3 -> S3
           and HDFS -> HDFS on an embedded cluster, alternated --rounds N (3) times:
           e2e_s3_csv_to_avro, e2e_hdfs_csv_to_avro (median MB/s) and e2e_s3_vs_hdfs

  dataset  DatasetReader on a local 8-part dataset, one thread against one per core, every column
           into Arrow: dataset_read_serial, dataset_read_parallel (MB/s of part files) and
           dataset_read_parallel_vs_serial, for Parquet and (suffix _avro) Avro

options:
  --quick  fewer, shorter iterations: a smoke run of under 2 minutes, numbers are rough
USAGE
    exit 2
}

# jmh_csv_rows FILE: prints "name param_codec score unit" per row of a JMH CSV result
# (columns: Benchmark, Mode, Threads, Samples, Score, Score Error, Unit, Param: ...).
jmh_csv_rows() {
    awk -F, '
        NR == 1 { for (i = 1; i <= NF; i++) { gsub(/"/, "", $i); col[$i] = i }; next }
        {
            for (i = 1; i <= NF; i++) gsub(/"/, "", $i)
            name = $col["Benchmark"]; sub(/.*\./, "", name)
            codec = ("Param: codec" in col) ? $col["Param: codec"] : ""
            bytes = ("Param: bytes" in col) ? $col["Param: bytes"] : ""
            print name, (codec == "" ? "-" : codec), (bytes == "" ? "-" : bytes), $col["Score"], $col["Unit"]
        }' "$1"
}

codec_suite() {
    local quick=false
    for arg in "$@"; do
        case "$arg" in
            --quick) quick=true ;;
            *) usage ;;
        esac
    done
    local iterations
    if $quick; then
        iterations=(-wi 1 -w 1 -i 2 -r 1)
    else
        iterations=(-wi 3 -w 2 -i 5 -r 2)
    fi
    local module="$ROOT/avro-codec"
    (cd "$ROOT" && mvn -q -B -pl avro-codec -am -DskipTests test-compile)
    (cd "$ROOT" && mvn -q -B -pl avro-codec dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile=target/bench.cp >/dev/null)
    local result="$module/target/jmh-codec.csv"
    # csv_to_avro's default codec here is null (the pure record path); deflate (level 1, the
    # writer's default) and snappy are reported as extra lines
    (cd "$module" && java "$JVM_OPENS" -cp "target/test-classes:target/classes:$(cat target/bench.cp)" \
        org.openjdk.jmh.Main \
        'dev.spindle.codec.bench.(TokenizeBenchmark.tokenize|CsvToAvroBenchmark.csv_to_avro|CsvToAvroBenchmark.csv_to_avro_filtered|CsvToAvroBenchmark.csv_to_avro_arrow|CsvToArrowBenchmark.csv_to_arrow|InferBenchmark.infer|InferPlanBenchmark.infer_1gb)$' \
        -f 1 "${iterations[@]}" -p codec=null,deflate,snappy -rf csv -rff "$result")
    echo
    jmh_csv_rows "$result" | awk '
        # score is ms/op; throughput benchmarks process "bytes" bytes per op
        function mbps(bytes, ms) { return sprintf("%.0f", bytes / 1048576 / (ms / 1000)) }
        $1 == "tokenize"                      { print "bench tokenize", mbps($3, $4) }
        $1 == "csv_to_arrow"                  { print "bench csv_to_arrow", mbps($3, $4) }
        $1 == "csv_to_avro" && $2 == "null"   { print "bench csv_to_avro", mbps($3, $4) }
        $1 == "csv_to_avro" && $2 != "null"   { print "bench csv_to_avro_" $2, mbps($3, $4) }
        $1 == "csv_to_avro_arrow" && $2 == "null" { print "bench csv_to_avro_arrow", mbps($3, $4) }
        $1 == "csv_to_avro_filtered" && $2 == "null" { print "bench csv_to_avro_filtered", mbps($3, $4) }
        $1 == "infer"                         { printf "bench infer %.1f\n", $4 }
        $1 == "infer_1gb"                     { printf "bench infer_1gb %.1f\n", $4 }
    ' | awk '
        # fixed order: the contract lines first
        { line[$2] = $0; value[$2] = $3 }
        END {
            n = split("tokenize csv_to_avro csv_to_avro_deflate csv_to_avro_snappy csv_to_avro_filtered csv_to_avro_arrow csv_to_arrow infer infer_1gb", order, " ")
            for (i = 1; i <= n; i++) if (order[i] in line) print line[order[i]]
            if (value["tokenize"] > 0 && ("csv_to_avro" in value)) printf "bench csv_to_avro_vs_tokenize %.2f\n", value["csv_to_avro"] / value["tokenize"]
            if (value["tokenize"] > 0 && ("csv_to_avro_filtered" in value)) printf "bench csv_to_avro_filtered_vs_tokenize %.2f\n", value["csv_to_avro_filtered"] / value["tokenize"]
        }'
}

split_suite() {
    local quick=()
    for arg in "$@"; do
        case "$arg" in
            --quick) quick=(--quick) ;;
            *) usage ;;
        esac
    done
    # one reactor build: jobs' class path then names the sibling modules' target/classes, so no
    # dev.spindle artifact has to be in the local repository (a fresh clone works)
    (cd "$ROOT" && mvn -q -B -pl jobs -am -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile=target/bench.cp >/dev/null)
    # every block of a ~64 MiB file in parallel (a thread per core): boundaries, typed Arrow
    # batches, the tiling check and its re-runs; plain vs the same rows with quoted newlines
    (cd "$ROOT/jobs" && java "$JVM_OPENS" -cp "target/test-classes:target/classes:$(cat target/bench.cp)" \
        dev.spindle.jobs.bench.SplitThroughputBenchmark "${quick[@]}") | tee "$ROOT/jobs/target/bench-split.txt" \
        | grep -v '^bench ' || true
    echo
    grep '^bench ' "$ROOT/jobs/target/bench-split.txt"
}

e2e_suite() {
    local rows=1000000 large_rows=5000000 block_size=32m
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --quick) rows=200000; large_rows=400000; block_size=8m; shift ;;
            --rows) rows="$2"; shift 2 ;;
            --large-rows) large_rows="$2"; shift 2 ;;
            --block-size) block_size="$2"; shift 2 ;;
            *) usage ;;
        esac
    done
    local spindle="$ROOT/scripts/spindle" work="$ROOT/target/bench-e2e"
    mkdir -p "$work"
    "$spindle" generate-taxi --rows "$rows" --output "$work/trip_data.csv" >&2
    "$spindle" generate-taxi --rows "$large_rows" --output "$work/trip_data_large.csv" >&2
    # about 1 MB: the fixed cost of a job, nearly nothing to read
    head -c 1000000 "$work/trip_data.csv" | sed '$d' > "$work/small.csv"
    "$spindle" cluster start --dir "$work/cluster" >&2
    # expanded now: the trap runs after this function's locals are gone
    trap "\"$spindle\" cluster stop --dir \"$work/cluster\" >/dev/null 2>&1 || true" EXIT
    local conf="$work/cluster/conf"
    "$spindle" fs --cluster "$conf" -mkdir -p /bench >&2
    "$spindle" fs --cluster "$conf" -put -f "$work/trip_data.csv" "$work/trip_data_large.csv" "$work/small.csv" /bench/ >&2
    # one warm-up run (the NodeManagers cache the job jar), then the measured ones
    "$spindle" csv-to-avro --cluster "$conf" --input /bench/trip_data.csv --output /bench/warm-up \
        --block-size "$block_size" --write-mode overwrite --quiet >/dev/null 2>&1
    local summary launch_quickstart launch_spark launch_small
    launch_quickstart=$(date +%s%3N)
    summary=$("$spindle" csv-to-avro --cluster "$conf" --input /bench/trip_data.csv --output /bench/out \
        --filter 'passenger_count > 3' --select pickup_datetime,passenger_count,trip_time_in_secs \
        --block-size "$block_size" --write-mode overwrite --quiet --result-json "$work/quickstart.json" 2>&1)
    echo "$summary" >&2
    # the job of the Spark comparison (../shared/peers/bench_vs_spark.sh)
    launch_spark=$(date +%s%3N)
    "$spindle" csv-to-avro --cluster "$conf" --input /bench/trip_data_large.csv --output /bench/out-large \
        --filter 'passenger_count > 3' --select medallion,pickup_datetime,trip_distance \
        --block-size "$block_size" --write-mode overwrite --quiet --result-json "$work/spark5m.json" >&2
    launch_small=$(date +%s%3N)
    "$spindle" csv-to-avro --cluster "$conf" --input /bench/small.csv --output /bench/out-small \
        --write-mode overwrite --quiet --result-json "$work/small.json" >&2
    echo
    local phases
    phases=$(python3 "$ROOT/scripts/e2e_phases.py" "$work/e2e-phases.svg" \
        "quickstart=$work/quickstart.json@$launch_quickstart" \
        "spark5m=$work/spark5m.json@$launch_spark" \
        "small=$work/small.json@$launch_small")
    echo "$phases"
    echo "$phases" | awk '$2 == "e2e_phase_small_total_s" { print "bench e2e_small_job_s " $3 }'
    echo "$summary" | awk '/^  read .* MB in .* s: .* MB\/s/ { print "bench e2e_csv_to_avro " $(NF-1) }'
    echo "chart: $work/e2e-phases.svg" >&2
}

codecs_suite() {
    local rows=1000000 rounds=2
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --quick) rows=200000; rounds=1; shift ;;
            --rows) rows="$2"; shift 2 ;;
            *) usage ;;
        esac
    done
    local spindle="$ROOT/scripts/spindle" work="$ROOT/target/bench-codecs"
    mkdir -p "$work"
    "$spindle" generate-taxi --rows "$rows" --output "$work/trip_data.csv" >&2
    "$spindle" cluster start --dir "$work/cluster" >&2
    trap "\"$spindle\" cluster stop --dir \"$work/cluster\" >/dev/null 2>&1 || true" EXIT
    local conf="$work/cluster/conf"
    "$spindle" fs --cluster "$conf" -mkdir -p /bench >&2
    "$spindle" fs --cluster "$conf" -put -f "$work/trip_data.csv" /bench/trip_data.csv >&2
    # warm-up: the NodeManagers cache the job jar
    "$spindle" csv-to-avro --cluster "$conf" --input /bench/trip_data.csv --output /bench/warm-up \
        --block-size 32m --write-mode overwrite --quiet >/dev/null 2>&1
    local results="$work/results.txt"
    : > "$results"
    for round in $(seq "$rounds"); do
        for codec in null snappy deflate zstandard; do
            local started ended bytes
            started=$(date +%s.%N)
            "$spindle" csv-to-avro --cluster "$conf" --input /bench/trip_data.csv --output "/bench/out-$codec" \
                --codec "$codec" --block-size 32m --write-mode overwrite --quiet >/dev/null 2>&1
            ended=$(date +%s.%N)
            bytes=$("$spindle" fs --cluster "$conf" -du -s "/bench/out-$codec" | awk '{ print $1 }')
            echo "$codec $(echo "$ended - $started" | bc) $bytes" | tee -a "$results" >&2
        done
    done
    echo
    local codec
    for codec in null snappy deflate zstandard; do
        # the median wall time of the rounds, and the output size (the same every round)
        awk -v c="$codec" '$1 == c { print $2 }' "$results" | sort -n | awk -v c="$codec" \
            '{ t[NR] = $1 } END { printf "bench e2e_codec_%s_s %.1f\n", c, (NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2) }'
        awk -v c="$codec" '$1 == c { b = $3 } END { printf "bench e2e_codec_%s_mb %.1f\n", c, b / 1e6 }' "$results"
    done
}

scale_suite() {
    local quick=()
    for arg in "$@"; do
        case "$arg" in
            --quick) quick=(--quick) ;;
            *) usage ;;
        esac
    done
    (cd "$ROOT" && mvn -q -B -pl yarn-app -am -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile=target/bench.cp >/dev/null)
    (cd "$ROOT/yarn-app" && java -Xmx6g -cp "target/test-classes:target/classes:$(cat target/bench.cp)" \
        dev.spindle.yarn.ScaleBenchmark "${quick[@]}" 2>/dev/null) | grep '^bench '
}

s3_suite() {
    local mib=512 rows=1000000 rounds=3 e2e=true read_options=() link=200
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --quick) mib=64; rows=200000; rounds=1; shift ;;
            --mib) mib="$2"; shift 2 ;;
            --part-size|--concurrency) read_options+=("$1" "$2"); shift 2 ;;
            --rows) rows="$2"; shift 2 ;;
            --rounds) rounds="$2"; shift 2 ;;
            --link-mb-per-s) link="$2"; shift 2 ;;
            --read-only) e2e=false; shift ;;
            *) usage ;;
        esac
    done
    (cd "$ROOT" && mvn -q -B -ntp -pl s3-bridge -am -DskipTests package) >&2
    local cp="$ROOT/s3-bridge/target/test-classes:$ROOT/s3-bridge/target/classes:$(cat "$ROOT/s3-bridge/target/s3-server.classpath")"
    local reads
    reads=$(java -Xmx4g -cp "$cp" dev.spindle.s3.S3ReadBench --mib "$mib" "${read_options[@]}" 2>/dev/null | grep '^bench ')
    if [[ "$link" != 0 ]]; then
        reads+=$'\n'$(java -Xmx4g -cp "$cp" dev.spindle.s3.S3ReadBench --mib "$mib" --warmup 1 --link-mb-per-s "$link" \
            "${read_options[@]}" 2>/dev/null | grep '^bench ')
    fi
    if $e2e; then
        s3_e2e "$cp" "$rows" "$rounds"
    fi
    echo
    echo "$reads"
    if $e2e; then
        cat "$ROOT/target/bench-s3/bench.txt"
    fi
}

# s3_e2e CLASSPATH ROWS ROUNDS: the seed pipeline S3 -> S3 (a loopback S3Proxy, filesystem
# backend) and the same job HDFS -> HDFS on one embedded cluster, alternated; the median MB/s
# (the driver's "read N MB in S s" over the job's wall time) of each.
s3_e2e() {
    local cp="$1" rows="$2" rounds="$3"
    local spindle="$ROOT/scripts/spindle" work="$ROOT/target/bench-s3"
    rm -rf "$work/s3" && mkdir -p "$work/s3"
    "$spindle" generate-taxi --rows "$rows" --output "$work/trip_data.csv" >&2
    java -cp "$cp" dev.spindle.s3.S3Server --endpoint-file "$work/s3/endpoint" --jceks "$work/s3/s3.jceks" \
        --bucket raw --bucket clean --put "raw/taxi/trip_data.csv=$work/trip_data.csv" >"$work/s3/server.log" 2>&1 &
    local s3_pid=$!
    for _ in $(seq 120); do
        [[ -s "$work/s3/endpoint" ]] && break
        kill -0 "$s3_pid" 2>/dev/null || { echo "bench: the S3 server did not start; see $work/s3/server.log" >&2; exit 1; }
        sleep 0.5
    done
    "$spindle" cluster start --dir "$work/cluster" >&2
    trap "\"$spindle\" cluster stop --dir \"$work/cluster\" >/dev/null 2>&1 || true; kill $s3_pid 2>/dev/null || true" EXIT
    local conf="$work/cluster/conf"
    local s3=(-D "spindle.s3.endpoint=$(cat "$work/s3/endpoint")" -D spindle.s3.path-style=true
              -D "hadoop.security.credential.provider.path=jceks://file$work/s3/s3.jceks")
    "$spindle" fs --cluster "$conf" -mkdir -p /bench >&2
    "$spindle" fs --cluster "$conf" -put -f "$work/trip_data.csv" /bench/trip_data.csv >&2
    local seed=(--filter 'passenger_count > 3' --select pickup_datetime,passenger_count,trip_time_in_secs
                --block-size 32m --write-mode overwrite --quiet)
    # warm-up: the NodeManagers cache the job jar
    "$spindle" csv-to-avro --cluster "$conf" --input /bench/trip_data.csv --output /bench/warm-up "${seed[@]}" >/dev/null 2>&1
    : > "$work/rates.txt"
    for _ in $(seq "$rounds"); do
        "$spindle" csv-to-avro "${s3[@]}" --cluster "$conf" --input s3://raw/taxi/trip_data.csv \
            --output s3://clean/taxi-avro "${seed[@]}" 2>&1 \
            | awk '/^  read .* MB in .* s: .* MB\/s/ { print "s3", $(NF-1) }' | tee -a "$work/rates.txt" >&2
        "$spindle" csv-to-avro --cluster "$conf" --input /bench/trip_data.csv --output /bench/out "${seed[@]}" 2>&1 \
            | awk '/^  read .* MB in .* s: .* MB\/s/ { print "hdfs", $(NF-1) }' | tee -a "$work/rates.txt" >&2
    done
    median() { awk -v k="$1" '$1 == k { print $2 }' "$work/rates.txt" | tr -d , | sort -n \
        | awk '{ v[NR] = $1 } END { if (NR) printf "%.1f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
    local on_s3 on_hdfs
    on_s3=$(median s3)
    on_hdfs=$(median hdfs)
    {
        echo "bench e2e_s3_csv_to_avro $on_s3"
        echo "bench e2e_hdfs_csv_to_avro $on_hdfs"
        awk -v a="$on_s3" -v b="$on_hdfs" 'BEGIN { if (b > 0) printf "bench e2e_s3_vs_hdfs %.2f\n", a / b }'
    } > "$work/bench.txt"
}

dataset_suite() {
    local quick=()
    for arg in "$@"; do
        case "$arg" in
            --quick) quick=(--quick) ;;
            *) usage ;;
        esac
    done
    (cd "$ROOT" && mvn -q -B -pl jobs -am -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile=target/bench.cp >/dev/null)
    (cd "$ROOT/jobs" && java "$JVM_OPENS" -cp "target/test-classes:target/classes:$(cat target/bench.cp)" \
        dev.spindle.jobs.bench.DatasetReadBenchmark "${quick[@]}" 2>/dev/null) | tee "$ROOT/jobs/target/bench-dataset.txt" \
        | grep -v '^bench ' || true
    echo
    grep '^bench ' "$ROOT/jobs/target/bench-dataset.txt"
}

case "${1:-}" in
    dataset)
        shift
        dataset_suite "$@"
        ;;
    s3)
        shift
        s3_suite "$@"
        ;;
    codecs)
        shift
        codecs_suite "$@"
        ;;
    scale)
        shift
        scale_suite "$@"
        ;;
    codec)
        shift
        codec_suite "$@"
        ;;
    split)
        shift
        split_suite "$@"
        ;;
    e2e)
        shift
        e2e_suite "$@"
        ;;
    *)
        usage
        ;;
esac
