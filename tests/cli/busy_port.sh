#!/usr/bin/env bash
# busy_port.sh KEHOU: `kehou serve` on a port another process holds must say "address in use" and
# exit non-zero (not abort with "terminate called without an active exception").
set -uo pipefail
kehou=$1
dir=$(mktemp -d /tmp/kehou-busy-port.XXXXXX)
holder_pid=
cleanup() { [[ -n $holder_pid ]] && kill "$holder_pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
# Something else listens on a free port (node is a project dependency).
node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{require('fs').writeFileSync('$dir/port',String(s.address().port))})" &
holder_pid=$!
for _ in $(seq 100); do [[ -s $dir/port ]] && break; sleep 0.05; done
port=$(cat "$dir/port")
"$kehou" --db "sqlite:$dir/t.db" serve --listen "127.0.0.1:$port" --web /nonexistent --quiet >"$dir/out" 2>&1
rc=$?
cat "$dir/out"
if (( rc == 0 || rc >= 128 )); then echo "FAIL: exit code $rc (want 1..127)"; exit 1; fi
if ! grep -q "address in use" "$dir/out"; then echo "FAIL: no 'address in use' in the output"; exit 1; fi
if grep -q "terminate called" "$dir/out"; then echo "FAIL: aborted"; exit 1; fi
echo "ok: exit $rc with a clear message"
