#!/usr/bin/env bash
# take-cpu.sh: PostgreSQL CPU of one take written alone (a call of kehou_seat_writes with one take) (docs/ARCHITECTURE.md note 15).
#
#   scripts/with-postgres bench/select/take-cpu.sh KEHOU [VARIANT.sql ...]
#
# Creates the demo school with KEHOU (its migrations), then in one backend runs 700 takes of
# distinct children of school 1 (each its own committed transaction, synchronous_commit off, from a
# procedure: no protocol, no server), and prints that backend's CPU per take (utime+stime from
# /proc, 10 ms ticks) for RUNS runs (default 7), the state restored between runs, and the median.
# Each VARIANT.sql is then applied (e.g. a rewritten kehou_seat_writes or seat_slots trigger) and
# measured the same way, the runs of the base and of the variants alternating. What it measures is
# the function's own CPU (with take_one's reads of the facts it is given, as a server passes them);
# the rush (`make bench-select`) adds the protocol, the session lookups, the load statement when a
# server does not know the facts yet, commits and contention. Noise on a shared 2-core machine:
# +-20 % a run, compare medians.
set -euo pipefail
kehou=${1:?usage: take-cpu.sh KEHOU [VARIANT.sql ...]}
shift
runs=${RUNS:-7}
takes=700
url=${KEHOU_TEST_PG:?run under scripts/with-postgres}
dbs=(base)
db_url() { local base=${url%%\?*}; echo "${base%/*}/$1?${url#*\?}"; }
psql_at() { psql "$(db_url "$1")" -v ON_ERROR_STOP=1 -qAt "${@:2}"; }
psql "$url" -qAt -c "CREATE DATABASE take_base" >/dev/null
"$kehou" --db "$(db_url take_base)" demo >/dev/null
for ((v = 1; v <= $#; v++)); do
  psql "$url" -qAt -c "CREATE DATABASE take_v$v TEMPLATE take_base" >/dev/null
  psql_at "take_v$v" -f "${!v}" >/dev/null
  dbs+=("v$v")
done
setup=$(
  cat <<'EOF'
CREATE TABLE take_kids (i INT PRIMARY KEY, id BIGINT, guardian BIGINT, sec BIGINT);
INSERT INTO take_kids SELECT row_number() OVER (ORDER BY st.id), st.id,
  (SELECT min(sg.guardian_id) FROM student_guardians sg WHERE sg.student_id = st.id), 0
  FROM students st WHERE st.school_id = 1 AND st.active = 1
  AND EXISTS (SELECT 1 FROM student_guardians sg WHERE sg.student_id = st.id)
  AND NOT EXISTS (SELECT 1 FROM selections s WHERE s.student_id = st.id AND s.status = 'confirmed') ORDER BY st.id LIMIT 720;
CREATE TABLE take_round AS SELECT id FROM select_rounds WHERE school_id = 1 AND mode = 'fcfs' ORDER BY id LIMIT 1;
-- Sixteen sections of 45 seats offered in the round (the function takes only a section its round offers).
CREATE TABLE take_secs AS SELECT row_number() OVER (ORDER BY id) AS j, id FROM sections WHERE school_id = 1 ORDER BY id LIMIT 16;
INSERT INTO round_sections (school_id, round_id, section_id) SELECT 1, (SELECT id FROM take_round), id FROM take_secs
  ON CONFLICT DO NOTHING;
UPDATE take_kids SET sec = (SELECT id FROM take_secs WHERE j = 1 + i % 16);
CREATE SEQUENCE take_seq;
-- The facts as the server passes them (store.h KEHOU_ROUND_FACTS, KEHOU_SECTION_FACTS, take_cache::ChildFacts),
-- read here without the lock: the children have no seats, so their held seats are [].
CREATE FUNCTION take_one() RETURNS TEXT LANGUAGE plpgsql AS $$
DECLARE k RECORD; o TEXT; n BIGINT := nextval('take_seq'); r BIGINT := (SELECT id FROM take_round);
  v_child TEXT; v_round TEXT; v_section TEXT;
BEGIN
  SELECT * INTO k FROM take_kids WHERE i = n;
  SELECT jsonb_build_array(st.id, st.school_id, g.number, st.name)::text INTO v_child
    FROM students st JOIN classes cl ON cl.id = st.class_id JOIN grades g ON g.id = cl.grade_id WHERE st.id = k.id;
  SELECT jsonb_build_array(x.school_id, x.mode, x.grades, x.opens_at, x.closes_at, x.max_per_child, x.max_ranks,
                           COALESCE(x.term_id, 0), x.rank_rule, x.allocated_at)::text INTO v_round
    FROM select_rounds x WHERE x.id = r;
  SELECT jsonb_build_array(x.id, x.course_id, c.name, c.grades, c.slots, c.status, x.name,
                           COALESCE(c.term_id, (SELECT cur.id FROM terms cur WHERE cur.school_id = x.school_id
                                                AND cur.is_current = 1), 0))::text INTO v_section
    FROM sections x JOIN courses c ON c.id = x.course_id WHERE x.id = k.sec;
  SELECT outcome INTO o FROM kehou_seat_writes(jsonb_build_array(jsonb_build_array(k.guardian, 'k' || k.id, 1, k.id, r,
    k.sec, v_child, v_round, v_section, '[]', 1000, NULL, 'g', 'c', 'r', '{"status":"confirmed"}', '{}', 409,
    '{"ok":false}', 'fp'))::text);
  IF o IS DISTINCT FROM 'ok' THEN RAISE EXCEPTION 'take %: %', n, o; END IF;
  RETURN o;
END $$;
CREATE PROCEDURE take_loop(n INT) LANGUAGE plpgsql AS $$
BEGIN
  FOR j IN 1..n LOOP PERFORM take_one(); COMMIT; END LOOP;
END $$;
EOF
)
reset="DELETE FROM selections WHERE created_at = 1000; DELETE FROM audit_log WHERE at = 1000;
DELETE FROM select_requests WHERE created_at = 1000; UPDATE sections SET capacity = 45, taken = 0 WHERE school_id = 1;
SELECT setval('take_seq', 1, false);"
for d in "${dbs[@]}"; do psql_at "take_$d" -c "$setup" >/dev/null; done
declare -A got
for ((r = 1; r <= runs; r++)); do
  for d in "${dbs[@]}"; do
    psql_at "take_$d" -c "$reset" >/dev/null
    psql_at "take_$d" -c "VACUUM ANALYZE" >/dev/null
    ticks=$(
      psql_at "take_$d" <<EOF | tr '\n' ' '
SET synchronous_commit = off;
CALL take_loop(10);
SELECT pg_backend_pid() AS pid \gset
\setenv BPID :pid
\! awk '{print \$14 + \$15}' /proc/\$BPID/stat
CALL take_loop($takes);
\! awk '{print \$14 + \$15}' /proc/\$BPID/stat
EOF
    )
    us=$(awk -v t="$ticks" -v n=$takes 'BEGIN {split(t, a, " "); printf "%d", (a[2] - a[1]) * 10000 / n}')
    got[$d]+="$us "
    psql_at "take_$d" -c "$reset" >/dev/null
  done
done
for d in "${dbs[@]}"; do
  name=$d
  [[ $d == base ]] || { i=${d#v}; name=${!i}; }
  echo "$name: CPU us per take ${got[$d]}| median $(echo "${got[$d]}" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')"
done
