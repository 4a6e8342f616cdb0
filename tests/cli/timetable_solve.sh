#!/usr/bin/env bash
# timetable_solve.sh KEHOU: `kehou timetable solve --fet` writes activity_id,day,hour,room rows for
# a feasible file (exit 0) and, for an impossible one, exits 2 naming the hard rule on stderr; the
# front binary solves alone and hands every other command to kehou-platform.
set -uo pipefail
kehou=$1
dir=$(mktemp -d /tmp/kehou-tt-cli.XXXXXX)
trap 'rm -rf "$dir"' EXIT
fet() {  # fet FILE ACTIVITIES: one teacher (at most 1 day a week), 2 hours a day, one room
  local n=$2
  {
    echo '<?xml version="1.0" encoding="UTF-8"?><fet version="6.8.5">'
    echo '<Days_List><Number_of_Days>2</Number_of_Days><Day><Name>Mon</Name></Day><Day><Name>Tue</Name></Day></Days_List>'
    echo '<Hours_List><Number_of_Hours>2</Number_of_Hours><Hour><Name>H1</Name></Hour><Hour><Name>H2</Name></Hour></Hours_List>'
    echo '<Teachers_List><Teacher><Name>Wang</Name></Teacher></Teachers_List>'
    echo '<Students_List><Year><Name>G1</Name><Number_of_Students>20</Number_of_Students></Year></Students_List>'
    echo '<Activities_List>'
    for i in $(seq "$n"); do
      echo "<Activity><Teacher>Wang</Teacher><Subject>Chess</Subject><Students>G1</Students><Duration>1</Duration><Id>$i</Id><Activity_Group_Id>0</Activity_Group_Id><Active>true</Active></Activity>"
    done
    echo '</Activities_List><Rooms_List><Room><Name>R1</Name><Capacity>30</Capacity></Room></Rooms_List>'
    echo '<Time_Constraints_List><ConstraintTeachersMaxDaysPerWeek><Weight_Percentage>100</Weight_Percentage><Max_Days_Per_Week>1</Max_Days_Per_Week><Active>true</Active></ConstraintTeachersMaxDaysPerWeek></Time_Constraints_List>'
    echo '<Space_Constraints_List>'
    for i in $(seq "$n"); do
      echo "<ConstraintActivityPreferredRooms><Weight_Percentage>100</Weight_Percentage><Activity_Id>$i</Activity_Id><Number_of_Preferred_Rooms>1</Number_of_Preferred_Rooms><Preferred_Room>R1</Preferred_Room><Active>true</Active></ConstraintActivityPreferredRooms>"
    done
    echo '</Space_Constraints_List></fet>'
  } >"$1"
}
fet "$dir/ok.fet" 2
"$kehou" timetable solve --fet "$dir/ok.fet" --out "$dir/ok.csv" --seconds 5 --seed 3 >"$dir/out" 2>&1
rc=$?
cat "$dir/out"
if (( rc != 0 )); then echo "FAIL: feasible file exit $rc"; exit 1; fi
if [[ $(head -1 "$dir/ok.csv") != "activity_id,day,hour,room" ]]; then echo "FAIL: no CSV header"; exit 1; fi
if (( $(grep -c ',R1$' "$dir/ok.csv") != 2 )); then echo "FAIL: want 2 rows in R1"; cat "$dir/ok.csv"; exit 1; fi
# Both on the same day (the teacher's only one), at different hours.
if (( $(cut -d, -f2 "$dir/ok.csv" | tail -n +2 | sort -u | wc -l) != 1 )); then echo "FAIL: two days"; exit 1; fi
# --export-fet writes what was read as a FET file that reads and solves the same way.
"$kehou" timetable solve --fet "$dir/ok.fet" --out "$dir/ok2.csv" --seed 3 --export-fet "$dir/again.fet" >/dev/null 2>&1 &&
  "$kehou" timetable solve --fet "$dir/again.fet" --out "$dir/again.csv" --seed 3 >/dev/null 2>&1
rc=$?
if (( rc != 0 )) || ! cmp -s "$dir/ok.csv" "$dir/again.csv"; then echo "FAIL: the exported file solves differently ($rc)"; exit 1; fi
# A result written over a longer earlier file (it is rewritten in place, then cut): the same bytes.
head -c 100000 /dev/zero | tr '\0' x >"$dir/over.csv"
"$kehou" timetable solve --fet "$dir/ok.fet" --out "$dir/over.csv" --seed 3 >/dev/null 2>&1
rc=$?
if (( rc != 0 )) || ! cmp -s "$dir/ok.csv" "$dir/over.csv"; then echo "FAIL: a longer earlier result is not replaced ($rc)"; exit 1; fi
# The `kehou` front solves a FET file itself (app/front.cpp): alone in a folder, without the
# platform beside it, it still does, gives the platform's bytes, and says so for anything else.
cp "$kehou" "$dir/kehou"
"$dir/kehou" timetable solve --fet "$dir/ok.fet" --out "$dir/front.csv" --seed 3 >/dev/null 2>&1
rc=$?
if (( rc != 0 )) || ! cmp -s "$dir/ok.csv" "$dir/front.csv"; then echo "FAIL: the front alone does not solve ($rc)"; exit 1; fi
"$dir/kehou" migrate >"$dir/out" 2>&1
rc=$?
if (( rc != 127 )) || ! grep -q "kehou-platform" "$dir/out"; then echo "FAIL: no platform: exit $rc"; cat "$dir/out"; exit 1; fi
# Any other command reaches the platform (--help lists every command).
if ! "$kehou" --help | grep -q "serve"; then echo "FAIL: --help does not reach the platform"; exit 1; fi
fet "$dir/bad.fet" 3  # 3 activities, 1 day of 2 hours
"$kehou" timetable solve --fet "$dir/bad.fet" --out "$dir/bad.csv" --seconds 5 >"$dir/out" 2>"$dir/err"
rc=$?
cat "$dir/err"
if (( rc != 2 )); then echo "FAIL: impossible file exit $rc (want 2)"; exit 1; fi
if ! grep -q "teacher_overload" "$dir/err"; then echo "FAIL: the rule is not named"; exit 1; fi
if [[ -e $dir/bad.csv ]]; then echo "FAIL: a result was written for an impossible file"; exit 1; fi
echo OK
