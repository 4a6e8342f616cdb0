#!/usr/bin/env bash
# bench/demo.sh KEHOU [RUNS]: how long `kehou demo` takes to build the demo county on a fresh
# SQLite database (the first thing a new user waits for), median of RUNS (default 3).
# Moved here from a timed unit test (issue 9: timing belongs to benchmarks, not to tests).
# Last line: {"bench":"demo","db":"sqlite","runs":N,"median_ms":N,"min_ms":N,"max_ms":N,"students":N}
set -euo pipefail
kehou=${1:?usage: bench/demo.sh KEHOU [RUNS]}
runs=${2:-3}
tmp=$(mktemp -d /tmp/kehou-bench-demo.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
times=() students=0
for i in $(seq "$runs"); do
  rm -f "$tmp/demo.db"*
  start=$(date +%s%N)
  out=$("$kehou" demo --db "sqlite:$tmp/demo.db")
  end=$(date +%s%N)
  times+=($(((end - start) / 1000000)))
  students=$(grep -o 'created: [0-9]* students' <<<"$out" | grep -o '[0-9]*' || echo 0)
  echo "run $i: ${times[-1]} ms" >&2
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
median=${sorted[$((runs / 2))]}
printf '{"bench":"demo","db":"sqlite","runs":%d,"median_ms":%d,"min_ms":%d,"max_ms":%d,"students":%d}\n' \
  "$runs" "$median" "${sorted[0]}" "${sorted[-1]}" "$students"
