#!/usr/bin/env bash
# bench/http.sh KEHOU: HTTP throughput on loopback with the demo school loaded (SQLite).
# In one run: wrk against an authenticated GET of one class's students (about 45 rows) and
# against /api/v1/health (the baseline), then /health while 50 clients hammer /login.
# Last line: {"bench":"http","class_list_rps":N,"health_rps":N,"ratio":R,"p99_ms":N,"rss_mb":N,...}
set -euo pipefail
bin=${1:-build/kehou}
dur=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-64}
tmp=$(mktemp -d /tmp/kehou-bench.XXXXXX)
port=$((20000 + RANDOM % 12000))  # below the ephemeral range (see scripts/e2e)
base=http://127.0.0.1:$port
pid=
cleanup() { [[ -n $pid ]] && kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
command -v wrk >/dev/null || { echo "wrk missing: scripts/install-deps"; exit 2; }

"$bin" demo --db "sqlite:$tmp/bench.db" >/dev/null
# --trust-proxy: the login storm below comes from many client addresses (X-Real-IP), so the
# per-address throttle does not turn it into cheap 429s and argon2 really runs.
"$bin" serve --db "sqlite:$tmp/bench.db" --listen 127.0.0.1:$port --quiet --trust-proxy >"$tmp/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf $base/api/v1/health >/dev/null && break; sleep 0.1; done

token=$(curl -sf -X POST $base/api/v1/auth/login -H 'Content-Type: application/json' \
  -d '{"login":"principal","password":"Kehou@2026"}' | sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p')
[[ -n $token ]] || { echo "login failed"; exit 1; }
# The class whose size is closest to 45.
class_id=$(curl -sf -H "Authorization: Bearer $token" "$base/api/v1/classes?page_size=200" | node -e '
  let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const it=JSON.parse(s).items;
  it.sort((a,b)=>Math.abs(a.student_count-45)-Math.abs(b.student_count-45));console.log(it[0].id)})')
rows=$(curl -sf -H "Authorization: Bearer $token" "$base/api/v1/classes/$class_id/students" | node -e '
  let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items.length))')

# wrk output -> "rps p99_ms"
parse() { awk '/Requests\/sec/{rps=$2} /^ +99%/{v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; p99=v} END{printf "%d %.2f\n", rps, p99}'; }

wrk -t2 -c$conns -d${dur}s --latency -H "Authorization: Bearer $token" "$base/api/v1/classes/$class_id/students" >"$tmp/class.txt"
read class_rps class_p99 < <(parse <"$tmp/class.txt")
wrk -t2 -c$conns -d${dur}s --latency "$base/api/v1/health" >"$tmp/health.txt"
read health_rps health_p99 < <(parse <"$tmp/health.txt")
rss_kb=$(awk '/VmHWM/{print $2}' /proc/$pid/status)

# /health while 50 clients hammer /login: every attempt from its own address and login, so
# argon2 runs for each one that gets a hashing slot (the rest are told 503 / Retry-After).
cat >"$tmp/login.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  local ip = "10." .. (n % 250) .. "." .. (math.floor(n / 250) % 250) .. ".7"
  local body = '{"login":"bench-' .. n .. '","password":"wrong-pass-1"}'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["X-Real-IP"] = ip}, body)
end
LUA
wrk -t1 -c50 -d${dur}s -s "$tmp/login.lua" "$base/api/v1/auth/login" >"$tmp/login.txt" &
lp=$!
sleep 1
wrk -t1 -c4 -d$((dur - 2))s --latency "$base/api/v1/health" >"$tmp/health_login.txt"
wait $lp
read hl_rps hl_p99 < <(parse <"$tmp/health_login.txt")
read login_rps login_p99 < <(parse <"$tmp/login.txt")
logins_checked=$(sqlite3 "$tmp/bench.db" "SELECT COUNT(*) FROM audit_log WHERE action = 'login_failed'" 2>/dev/null || echo 0)

echo "class list ($rows rows, class $class_id): $class_rps req/s, p99 $class_p99 ms"
echo "health: $health_rps req/s, p99 $health_p99 ms"
echo "health while 50 clients hammer /login: $hl_rps req/s, p99 $hl_p99 ms (login answered $login_rps req/s; $logins_checked passwords actually checked with argon2, the rest told to retry)"
echo "machine: $(nproc) cores, $(uname -m); wrk and the server share them"
ratio=$(awk -v a=$class_rps -v b=$health_rps 'BEGIN{printf "%.2f", (b>0?a/b:0)}')
printf '{"bench":"http","class_list_rps":%d,"health_rps":%d,"ratio":%s,"p99_ms":%s,"rss_mb":%d,"class_rows":%d,"health_p99_under_login_storm_ms":%s}\n' \
  "$class_rps" "$health_rps" "$ratio" "$class_p99" $((rss_kb / 1024)) "$rows" "$hl_p99"
