#!/usr/bin/env bash
# The benchmark in one command: builds the app and the benchmark tools,
# then benchrun (query cache, Go benchmarks, fresh database, load, app and
# ceiling server under wrk, profile), which prints one table and writes
# bench/RESULTS.md. See bench/README.md.
#
#   bash bench/run.sh                       # 10k students, 10 s per run
#   bash bench/run.sh --scale 1000000       # also 1M students (latency)
#   bash bench/run.sh --duration 5s --no-gobench
#   bash bench/run.sh --only-import             # only the spreadsheet import (100k rows)
#   bash bench/run.sh --only-export         # only the exports of 1M students
#
# MariaDB: BENCH_MARIADB_URL (else TEST_MARIADB_URL, else
# mysql://root@127.0.0.1:3306); the user must be allowed to create and
# drop databases. Other options are passed to benchrun (-h lists them).
set -euo pipefail
cd "$(dirname "$0")/.."

gobench=1
args=()
for arg in "$@"; do
  case $arg in
    --no-gobench) gobench=0 ;;
    --only-export) gobench=0; args+=("$arg") ;;
    *) args+=("$arg") ;;
  esac
done

server=${BENCH_MARIADB_URL:-${TEST_MARIADB_URL:-mysql://root@127.0.0.1:3306}}
export BENCH_MARIADB_URL=$server
for tool in go wrk; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed (apt-get install $tool)" >&2; exit 1; }
done

bin=$(mktemp -d /tmp/schooladmin-bench-bin.XXXXXX)
trap 'rm -rf "$bin"' EXIT
echo "building into $bin" >&2
go build -o "$bin/schooladmin" ./cmd/schooladmin
go build -o "$bin/ceiling" ./bench/cmd/ceiling
go build -o "$bin/benchprof" ./bench/cmd/benchprof
go build -o "$bin/benchrun" ./bench/cmd/benchrun

gobench_flag=()
((gobench)) && gobench_flag=(-gobench-run)
"$bin/benchrun" -bin "$bin" "${gobench_flag[@]}" -command "bash bench/run.sh $*" "${args[@]}"
