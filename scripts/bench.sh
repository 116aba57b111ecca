#!/usr/bin/env bash
# Runs Spindle's benchmarks and ends by printing one line per benchmark:
#   bench <name> <value>
# (MB/s per core for throughput benchmarks, ms for the inference ones).
#
#   scripts/bench.sh codec [--quick]    JMH benchmarks of avro-codec (one thread, fork 1)
#
# Builds what it needs inside this working copy (test-compile, no install).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JVM_OPENS="--add-opens=java.base/java.nio=ALL-UNNAMED"

usage() {
    cat >&2 <<'USAGE'
usage: scripts/bench.sh <suite> [--quick]

suites:
  codec    avro-codec JMH: tokenize, csv_to_arrow, csv_to_avro (codec null; also deflate and
           snappy as csv_to_avro_deflate / csv_to_avro_snappy), infer (20,480-record sample),
           infer_1gb (8 sampled blocks of a 1 GiB plan)

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
        'dev.spindle.codec.bench.(TokenizeBenchmark.tokenize|CsvToAvroBenchmark.csv_to_avro|CsvToArrowBenchmark.csv_to_arrow|InferBenchmark.infer|InferPlanBenchmark.infer_1gb)$' \
        -f 1 "${iterations[@]}" -p codec=null,deflate,snappy -rf csv -rff "$result")
    echo
    jmh_csv_rows "$result" | awk '
        # score is ms/op; throughput benchmarks process "bytes" bytes per op
        function mbps(bytes, ms) { return sprintf("%.0f", bytes / 1048576 / (ms / 1000)) }
        $1 == "tokenize"                      { print "bench tokenize", mbps($3, $4) }
        $1 == "csv_to_arrow"                  { print "bench csv_to_arrow", mbps($3, $4) }
        $1 == "csv_to_avro" && $2 == "null"   { print "bench csv_to_avro", mbps($3, $4) }
        $1 == "csv_to_avro" && $2 != "null"   { print "bench csv_to_avro_" $2, mbps($3, $4) }
        $1 == "infer"                         { printf "bench infer %.1f\n", $4 }
        $1 == "infer_1gb"                     { printf "bench infer_1gb %.1f\n", $4 }
    ' | awk '
        # fixed order: the contract lines first
        { line[$2] = $0 }
        END {
            n = split("tokenize csv_to_avro csv_to_avro_deflate csv_to_avro_snappy csv_to_arrow infer infer_1gb", order, " ")
            for (i = 1; i <= n; i++) if (order[i] in line) print line[order[i]]
        }'
}

case "${1:-}" in
    codec)
        shift
        codec_suite "$@"
        ;;
    *)
        usage
        ;;
esac
