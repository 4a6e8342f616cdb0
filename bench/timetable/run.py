#!/usr/bin/env python3
"""make bench-timetable: our solver against fet-cl on generated instances, checked independently.

For each size (env TT_SIZES, default 200,400,800) and variant (plain, tight): generate a feasible
instance (gen.py, planted solution checked first), solve it with `kehou timetable solve --fet`
and with `fet-cl` (fixed seeds, --timelimitseconds, env TT_FET_SECONDS default 120), each the
fastest of TT_REPEAT runs (default 3; once when a run takes over 10 s), count each
result's hard violations with check.py, then re-solve ours after one teacher becomes unavailable
for a whole day they teach (--previous) and count the moved placements.
With --baseline OTHER_KEHOU (e.g. main's binary in another build dir) the same instances and the
same changes are solved by it too, in the same run, and its figures are printed beside ours
(baseline_*): the machine is shared, so a before/after comparison comes from one run.
Last line: {"bench":"timetable","instances":N,...}.
"""
import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check  # noqa: E402

FET_SEEDS = ["--randomseeds10=11", "--randomseeds11=12", "--randomseeds12=13",
             "--randomseeds20=21", "--randomseeds21=22", "--randomseeds22=23"]
# HTML off; fet-cl still writes its XML results (<name>_activities.xml is what the checker reads).
FET_QUIET = ["--htmllevel=0"]


REPEAT = int(os.environ.get("TT_REPEAT", "3"))


def timed(cmd, repeat=1, **kw):
    """Runs cmd `repeat` times; returns the last result, the fastest wall time and the smallest
    CPU time (user + system of the child). The machine is shared, so the fastest counts."""
    best, best_cpu = None, None
    for _ in range(repeat):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        p = subprocess.run(cmd, capture_output=True, text=True, **kw)
        secs = time.monotonic() - t0
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        best = secs if best is None else min(best, secs)
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
        if p.returncode != 0 or secs > 10:
            break
    timed.cpu = best_cpu
    return p, best


def mine(root, teacher):
    return {int(a.find("Id").text) for a in root.find("Activities_List").findall("Activity")
            if teacher in [t.text for t in a.findall("Teacher")]}


def make_unavailable(fet_in, fet_out, result_csv, seed, whole_day):
    """One teacher becomes unavailable at a time they teach (whole_day: the whole day)."""
    res = check.load_result(result_csv)
    tree = ET.parse(fet_in)
    root = tree.getroot()
    teach = {}
    for a in root.find("Activities_List").findall("Activity"):
        aid = int(a.find("Id").text)
        for t in a.findall("Teacher"):
            if aid in res:
                teach.setdefault(t.text, set()).add(res[aid][0])
    rnd = random.Random(seed)
    teacher = rnd.choice(sorted(teach))
    day = rnd.choice(sorted(teach[teacher]))
    hours = [h.find("Name").text for h in root.find("Hours_List").findall("Hour")]
    if not whole_day:
        hours = [rnd.choice(sorted(res[aid][1] for aid in res if res[aid][0] == day and aid in mine(root, teacher)))]
    tc = root.find("Time_Constraints_List")
    c = ET.SubElement(tc, "ConstraintTeacherNotAvailableTimes")
    ET.SubElement(c, "Weight_Percentage").text = "100"
    ET.SubElement(c, "Teacher").text = teacher
    ET.SubElement(c, "Number_of_Not_Available_Times").text = str(len(hours))
    for h in hours:
        t = ET.SubElement(c, "Not_Available_Time")
        ET.SubElement(t, "Day").text = day
        ET.SubElement(t, "Hour").text = h
    ET.SubElement(c, "Active").text = "true"
    tree.write(fet_out, encoding="utf-8", xml_declaration=True)
    return teacher, day + ("" if whole_day else " " + hours[0])


def solve_ours(kehou, pre, name, base, fet_file, n, seconds, row):
    """Solves with one kehou binary (pre: "" ours, "baseline_" the baseline) and re-solves after
    one teacher becomes unavailable (a slot, a whole day); the figures go into row with pre."""
    out_csv = base + (".baseline.csv" if pre else ".kehou.csv")
    p, secs = timed([kehou, "timetable", "solve", "--fet", fet_file, "--out", out_csv,
                     "--seconds", str(seconds), "--seed", "1"], REPEAT)
    row[pre + "kehou_s"] = round(secs, 3)
    row[pre + "kehou_cpu_s"] = round(timed.cpu, 3)
    row[pre + "kehou_solved"] = p.returncode == 0
    row[pre + "kehou_hard"] = check.check(fet_file, out_csv)["hard"] if p.returncode == 0 else None
    # Re-solving after one change: a teacher unavailable at one time they teach ("slot",
    # the headline figure) and for a whole day they teach ("day").
    for mode in ("slot", "day") if p.returncode == 0 else ():
        changed = f"{base}.{pre}{mode}.fet"
        teacher, when = make_unavailable(fet_file, changed, out_csv, n, mode == "day")
        p2, secs2 = timed([kehou, "timetable", "solve", "--fet", changed, "--out", f"{base}.{pre}{mode}.csv",
                           "--seconds", str(seconds), "--seed", "1", "--previous", out_csv])
        row[pre + f"resolve_{mode}_change"] = f"{teacher} unavailable {when}"
        row[pre + f"resolve_{mode}_solved"] = p2.returncode == 0
        if p2.returncode == 2:  # the change made it impossible: the rule that says so
            last = p2.stdout.strip().splitlines()[-1] if p2.stdout.strip() else "{}"
            row[pre + f"resolve_{mode}_rule"] = json.loads(last).get("rule")
        if p2.returncode == 0:
            r = check.check(changed, f"{base}.{pre}{mode}.csv", previous=out_csv)
            row[pre + f"resolve_{mode}_s"] = round(secs2, 3)
            row[pre + f"resolve_{mode}_hard"] = r["hard"]
            row[pre + f"resolve_{mode}_moved_pct"] = round(100.0 * r["moved"] / r["activities"], 2)


def demo_term(kehou, work):
    """The demo school's current term: `kehou demo` into a fresh SQLite file, then
    `kehou timetable solve --db --term` (load, solve, store); the process's wall time."""
    import sqlite3
    path = os.path.join(work, "demo.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    subprocess.run([kehou, "demo", "--db", "sqlite:" + path], check=True, capture_output=True)
    con = sqlite3.connect(path)
    term, school = con.execute("SELECT id, school_id FROM terms WHERE is_current = 1 ORDER BY school_id LIMIT 1").fetchone()
    con.close()
    fet_file = os.path.join(work, "demo_term.fet")
    p, secs = timed([kehou, "timetable", "solve", "--db", "sqlite:" + path, "--term", str(term), "--school", str(school),
                     "--export-fet", fet_file])
    row = {"instance": "demo_term", "returncode": p.returncode, "wall_s": round(secs, 3),
           "result": p.stdout.strip().splitlines()[-1] if p.stdout.strip() else p.stderr.strip()}
    fet = shutil.which("fet-cl")
    if fet and p.returncode == 0:  # the same term, exported as .fet, solved by fet-cl and checked
        out = os.path.join(work, "demo_term.fetout")
        shutil.rmtree(out, ignore_errors=True)
        pf, fsecs = timed([fet, f"--inputfile={fet_file}", f"--outputdir={out}", "--timelimitseconds=120"] + FET_SEEDS + FET_QUIET)
        xml = os.path.join(out, "timetables", "demo_term", "demo_term_activities.xml")
        row["fet_s"] = round(fsecs, 3)
        row["fet_hard"] = check.check(fet_file, xml)["hard"] if os.path.exists(xml) else None
    print(json.dumps(row, ensure_ascii=False), flush=True)
    return round(secs, 3) if p.returncode == 0 else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kehou", required=True)
    ap.add_argument("--work", default="var/bench-timetable")
    ap.add_argument("--baseline", help="another kehou binary solved beside ours (baseline_* figures)")
    ap.add_argument("--seconds", type=int, default=int(os.environ.get("TT_SECONDS", "60")))
    a = ap.parse_args()
    sizes = [int(x) for x in os.environ.get("TT_SIZES", "200,400,800").split(",") if x]
    variants = os.environ.get("TT_VARIANTS", "plain,tight").split(",")
    fet_seconds = int(os.environ.get("TT_FET_SECONDS", "120"))
    fet = shutil.which("fet-cl")
    os.makedirs(a.work, exist_ok=True)
    rows = []
    for n in sizes:
        for v in variants:
            name = f"{v}{n}"
            base = os.path.join(a.work, name)
            fet_file = base + ".fet"
            subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), "--activities", str(n), "--variant", v,
                            "--out", fet_file, "--planted", base + ".planted.csv"], check=True, capture_output=True)
            planted = check.check(fet_file, base + ".planted.csv")
            assert planted["hard"] == 0, f"{name}: the planted solution breaks a rule: {planted}"
            row = {"instance": name, "activities": planted["activities"]}
            solve_ours(a.kehou, "", name, base, fet_file, n, a.seconds, row)
            if a.baseline:
                solve_ours(a.baseline, "baseline_", name, base, fet_file, n, a.seconds, row)
            if fet:
                out = base + ".fetout"
                shutil.rmtree(out, ignore_errors=True)
                p, secs = timed([fet, f"--inputfile={fet_file}", f"--outputdir={out}",
                                 f"--timelimitseconds={fet_seconds}"] + FET_SEEDS + FET_QUIET, REPEAT)
                xml = os.path.join(out, "timetables", name, name + "_activities.xml")
                ok = "Simulation successful" in p.stdout and os.path.exists(xml)
                row["fet_s"] = round(secs, 3)
                row["fet_cpu_s"] = round(timed.cpu, 3)
                row["fet_solved"] = ok
                row["fet_hard"] = check.check(fet_file, xml)["hard"] if ok else None
            print(json.dumps(row, ensure_ascii=False), flush=True)
            rows.append(row)
    kehou_ok = [r for r in rows if r["kehou_solved"] and r["kehou_hard"] == 0]
    fet_ok = [r for r in rows if r.get("fet_solved") and r.get("fet_hard") == 0]
    both = [r for r in rows if r in fet_ok and r in kehou_ok and r["kehou_s"] > 0 and r["kehou_cpu_s"] > 0]
    speedups = [r["fet_s"] / r["kehou_s"] for r in both]  # wall time, fastest of TT_REPEAT runs each
    cpu_speedups = [r["fet_cpu_s"] / r["kehou_cpu_s"] for r in both]
    base_ok = [r for r in rows if r.get("baseline_kehou_solved") and r.get("baseline_kehou_hard") == 0]
    base_speedups = [r["fet_s"] / r["baseline_kehou_s"] for r in fet_ok if r in base_ok and r["baseline_kehou_s"] > 0]
    base_moved_day = [r["baseline_resolve_day_moved_pct"] for r in rows if "baseline_resolve_day_moved_pct" in r]
    moved = [r["resolve_slot_moved_pct"] for r in rows if "resolve_slot_moved_pct" in r]
    moved_day = [r["resolve_day_moved_pct"] for r in rows if "resolve_day_moved_pct" in r]
    demo = demo_term(a.kehou, a.work)
    print(json.dumps({
        "bench": "timetable", "instances": len(rows), "kehou_solved": len(kehou_ok), "fet_solved": len(fet_ok),
        "median_speedup_vs_fet": round(statistics.median(speedups), 1) if speedups else None,
        "median_cpu_speedup_vs_fet": round(statistics.median(cpu_speedups), 1) if cpu_speedups else None,
        "kehou_hard_violations": sum(r["kehou_hard"] or 0 for r in rows) + sum((r.get("resolve_slot_hard") or 0) + (r.get("resolve_day_hard") or 0) for r in rows),
        "demo_term_s": demo,
        "resolve_moved_pct": round(statistics.median(moved), 2) if moved else None,
        "resolve_moved_pct_max": round(max(moved), 2) if moved else None,
        "resolve_day_moved_pct_median": round(statistics.median(moved_day), 2) if moved_day else None,
        "resolve_day_moved_pct_max": round(max(moved_day), 2) if moved_day else None,
        **({"baseline_kehou_solved": len(base_ok),
            "baseline_median_speedup_vs_fet": round(statistics.median(base_speedups), 1) if base_speedups else None,
            "baseline_resolve_day_moved_pct_median": round(statistics.median(base_moved_day), 2) if base_moved_day else None,
            "baseline_resolve_day_moved_pct_max": round(max(base_moved_day), 2) if base_moved_day else None}
           if a.baseline else {}),
    }))


if __name__ == "__main__":
    main()
