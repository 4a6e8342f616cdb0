#!/usr/bin/env python3
"""Generates a timetabling instance that is feasible by construction, as a FET 6.8 file.

A solution is planted first (every activity gets a room-slot where its teacher, its students and
its room are free, within the teacher's day limit and availability), then hidden: the .fet file
holds only the data and the constraints; the planted placements go to a separate CSV so the
checker can prove the instance feasible. Usage:
  gen.py --activities 400 --variant tight --seed 1 --out inst.fet --planted planted.csv
Variants: plain (about 60 % room-slot use, one room type, few not-available times, no day limit),
tight (about 90 % room-slot use, teachers on at most 2 days, more not-available times, room
types and capacities, classes that clash, whole-year activities, hard min-days pairs) and hard
(tighter than the benchmark asks: 92 % room use, fewer classes, teachers' 8 slots of their 2 days
nearly all used; run with TT_VARIANTS=hard).
"""
import argparse
import math
import random
from xml.sax.saxutils import escape

DAYS = ["周一", "周二", "周三", "周四", "周五"]
HOURS = ["16:00", "16:50", "17:40", "18:30"]
TYPES = [("普通教室", 0.7), ("实验室", 0.15), ("运动场馆", 0.15)]
SUBJECTS = ["书法", "围棋", "合唱", "足球", "编程", "科学实验", "绘画", "阅读", "篮球", "舞蹈"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--activities", type=int, required=True)
    ap.add_argument("--variant", choices=["plain", "tight", "hard"], required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--planted", required=True)
    a = ap.parse_args()
    rnd = random.Random(a.seed * 1000 + a.activities + {"plain": 0, "tight": 7, "hard": 13}[a.variant])
    hard = a.variant == "hard"  # tighter than asked for: 92 % room use, teachers' 2 days full
    tight = a.variant in ("tight", "hard")
    n = a.activities
    D, H = len(DAYS), len(HOURS)
    S = D * H
    use = 0.92 if hard else 0.9 if tight else 0.6
    R = max(2, round(n / (use * S)))
    breaks = set() if tight else {2 * H + H - 1}  # plain: Wednesday's last band is a break
    usable = [s for s in range(S) if s not in breaks]
    # Rooms: types and capacities.
    rooms = []
    for r in range(R):
        if tight:
            x = rnd.random()
            acc = 0
            typ = TYPES[0][0]
            for t, w in TYPES:
                acc += w
                if x < acc:
                    typ = t
                    break
        else:
            typ = TYPES[0][0]
        cap = rnd.choice([25, 35, 45, 60]) if tight else 45
        rooms.append({"name": f"教室{r + 1:03d}", "type": typ, "cap": cap})
    # Classes (groups) in six years; enough that each slot's activities find free classes.
    per_slot = math.ceil(n / len(usable))
    G = max(6, math.ceil(per_slot * (1.15 if hard else 1.4 if tight else 2.0)))
    years = [{"name": f"{y + 1}年级", "groups": []} for y in range(6)]
    groups = []
    for g in range(G):
        y = g % 6
        grp = {"name": f"{y + 1}年级{g // 6 + 1}班", "year": y, "size": rnd.randint(35, 45), "busy": set()}
        years[y]["groups"].append(g)
        groups.append(grp)
    cells = [(s, r) for s in usable for r in range(R)]
    rnd.shuffle(cells)
    cells = cells[:n]
    max_days = 2 if tight else 0
    target = 8 if hard else 6 if tight else 5
    teachers = []  # each: busy slots, days, load

    def teacher_ok(t, s):
        d = s // H
        return s not in t["busy"] and (not max_days or d in t["days"] or len(t["days"]) < max_days) and t["load"] < target

    acts = []
    left = {}
    for s, _ in cells:
        left[s] = left.get(s, 0) + 1
    for s, r in sorted(cells):
        left[s] -= 1  # cells of this slot still to fill after this one
        cand = [i for i, t in enumerate(teachers) if teacher_ok(t, s)]
        if cand and rnd.random() < (0.97 if hard else 0.85):
            ti = rnd.choice(cand)
        else:
            ti = len(teachers)
            teachers.append({"name": f"教师{ti + 1:03d}", "busy": set(), "days": set(), "load": 0, "sets": {}})
        t = teachers[ti]
        # Students: a whole year now and then (tight), else a class free at s, preferring one
        # this teacher already teaches on another day (so min-days pairs arise).
        sets = None
        if tight and rnd.random() < 0.04:
            y = rnd.randrange(6)
            free = [g for g in range(G) if s not in groups[g]["busy"]]
            if all(s not in groups[g]["busy"] for g in years[y]["groups"]) and \
                    len(free) - len(years[y]["groups"]) >= left[s]:
                sets = ("year", y)
        if sets is None:
            free = [g for g in range(G) if s not in groups[g]["busy"]]
            mine = [g for g in free if g in t["sets"] and all(x // H != s // H for x in t["sets"][g])]
            g = rnd.choice(mine) if mine and rnd.random() < 0.6 else rnd.choice(free)
            sets = ("group", g)
        if sets[0] == "year":
            members = years[sets[1]]["groups"]
            size = min(sum(groups[g]["size"] for g in members), rooms[r]["cap"]) // 2
            sname = years[sets[1]]["name"]
        else:
            members = [sets[1]]
            size = rnd.randint(12, min(groups[sets[1]]["size"], rooms[r]["cap"]))
            sname = groups[sets[1]]["name"]
            t["sets"].setdefault(sets[1], []).append(s)
        for g in members:
            groups[g]["busy"].add(s)
        t["busy"].add(s)
        t["days"].add(s // H)
        t["load"] += 1
        acts.append({"id": len(acts) + 1, "teacher": ti, "sets": sname, "members": members, "size": size,
                     "type": rooms[r]["type"], "slot": s, "room": r, "subject": rnd.choice(SUBJECTS), "group": 0})
    # Min-days pairs: two activities of one teacher and one class on different days.
    by_key = {}
    for x in acts:
        if len(x["members"]) == 1:
            by_key.setdefault((x["teacher"], x["members"][0]), []).append(x)
    pairs = []
    for lst in by_key.values():
        lst.sort(key=lambda x: x["slot"])
        used = set()
        for i in range(len(lst)):
            for j in range(i + 1, len(lst)):
                if i in used or j in used or lst[i]["slot"] // H == lst[j]["slot"] // H:
                    continue
                used |= {i, j}
                lst[j]["subject"] = lst[i]["subject"]
                pairs.append((lst[i], lst[j]))
    for p1, p2 in pairs:
        p1["group"] = p2["group"] = p1["id"]
    # Not-available times where nothing is planted.
    t_na = 0.25 if tight else 0.05
    g_na = 0.10 if tight else 0.03
    for t in teachers:
        t["na"] = [s for s in usable if s not in t["busy"] and rnd.random() < t_na]
    for g in groups:
        g["na"] = [s for s in usable if s not in g["busy"] and rnd.random() < g_na]

    o = []
    w = o.append
    w('<?xml version="1.0" encoding="UTF-8"?>\n\n<fet version="6.8.5">\n\n<Mode>Official</Mode>\n\n')
    w(f"<Institution_Name>bench {a.variant} {n}</Institution_Name>\n\n<Comments></Comments>\n\n")
    w(f"<Days_List>\n<Number_of_Days>{D}</Number_of_Days>\n")
    for d in DAYS:
        w(f"<Day>\n\t<Name>{d}</Name>\n\t</Day>\n")
    w(f"</Days_List>\n\n<Hours_List>\n<Number_of_Hours>{H}</Number_of_Hours>\n")
    for h in HOURS:
        w(f"<Hour>\n\t<Name>{h}</Name>\n\t</Hour>\n")
    w("</Hours_List>\n\n<Subjects_List>\n")
    for s in SUBJECTS:
        w(f"<Subject>\n\t<Name>{s}</Name>\n\t<Comments></Comments>\n</Subject>\n")
    w("</Subjects_List>\n\n<Activity_Tags_List>\n</Activity_Tags_List>\n\n<Teachers_List>\n")
    for t in teachers:
        w(f"<Teacher>\n\t<Name>{t['name']}</Name>\n\t<Target_Number_of_Hours>0</Target_Number_of_Hours>\n"
          "\t<Qualified_Subjects>\n\t</Qualified_Subjects>\n\t<Comments></Comments>\n</Teacher>\n")
    w("</Teachers_List>\n\n<Students_List>\n")
    for y in years:
        w(f"<Year>\n\t<Name>{y['name']}</Name>\n\t<Number_of_Students>{sum(groups[g]['size'] for g in y['groups'])}"
          "</Number_of_Students>\n\t<Comments></Comments>\n\t<Number_of_Categories>0</Number_of_Categories>\n"
          "\t<Separator> </Separator>\n")
        for g in y["groups"]:
            w(f"\t<Group>\n\t\t<Name>{groups[g]['name']}</Name>\n\t\t<Number_of_Students>{groups[g]['size']}"
              "</Number_of_Students>\n\t\t<Comments></Comments>\n\t</Group>\n")
        w("</Year>\n")
    w("</Students_List>\n\n<Activities_List>\n")
    sizes = {}
    for x in acts:
        if x["group"]:
            sizes[x["group"]] = sizes.get(x["group"], 0) + 1
    for x in acts:
        total = sizes.get(x["group"], 1)
        w(f"<Activity>\n\t<Teacher>{teachers[x['teacher']]['name']}</Teacher>\n\t<Subject>{x['subject']}</Subject>\n"
          f"\t<Students>{x['sets']}</Students>\n\t<Duration>1</Duration>\n\t<Total_Duration>{total}</Total_Duration>\n"
          f"\t<Id>{x['id']}</Id>\n\t<Activity_Group_Id>{x['group']}</Activity_Group_Id>\n"
          f"\t<Number_Of_Students>{x['size']}</Number_Of_Students>\n\t<Active>true</Active>\n\t<Comments></Comments>\n</Activity>\n")
    w("</Activities_List>\n\n<Buildings_List>\n</Buildings_List>\n\n<Rooms_List>\n")
    for r in rooms:
        w(f"<Room>\n\t<Name>{r['name']}</Name>\n\t<Building></Building>\n\t<Capacity>{r['cap']}</Capacity>\n"
          "\t<Virtual>false</Virtual>\n\t<Comments></Comments>\n</Room>\n")
    w("</Rooms_List>\n\n<Time_Constraints_List>\n")
    tail = "\t<Active>true</Active>\n\t<Comments></Comments>\n"
    w(f"<ConstraintBasicCompulsoryTime>\n\t<Weight_Percentage>100</Weight_Percentage>\n{tail}</ConstraintBasicCompulsoryTime>\n")

    def times(tag, slots):
        return "".join(f"\t<{tag}>\n\t\t<Day>{DAYS[s // H]}</Day>\n\t\t<Hour>{HOURS[s % H]}</Hour>\n\t</{tag}>\n" for s in slots)

    if breaks:
        w(f"<ConstraintBreakTimes>\n\t<Weight_Percentage>100</Weight_Percentage>\n\t<Number_of_Break_Times>{len(breaks)}"
          f"</Number_of_Break_Times>\n{times('Break_Time', sorted(breaks))}{tail}</ConstraintBreakTimes>\n")
    for t in teachers:
        if t["na"]:
            w(f"<ConstraintTeacherNotAvailableTimes>\n\t<Weight_Percentage>100</Weight_Percentage>\n\t<Teacher>{t['name']}"
              f"</Teacher>\n\t<Number_of_Not_Available_Times>{len(t['na'])}</Number_of_Not_Available_Times>\n"
              f"{times('Not_Available_Time', t['na'])}{tail}</ConstraintTeacherNotAvailableTimes>\n")
    if max_days:
        w(f"<ConstraintTeachersMaxDaysPerWeek>\n\t<Weight_Percentage>100</Weight_Percentage>\n\t<Max_Days_Per_Week>{max_days}"
          f"</Max_Days_Per_Week>\n{tail}</ConstraintTeachersMaxDaysPerWeek>\n")
    for g in groups:
        if g["na"]:
            w(f"<ConstraintStudentsSetNotAvailableTimes>\n\t<Weight_Percentage>100</Weight_Percentage>\n\t<Students>{g['name']}"
              f"</Students>\n\t<Number_of_Not_Available_Times>{len(g['na'])}</Number_of_Not_Available_Times>\n"
              f"{times('Not_Available_Time', g['na'])}{tail}</ConstraintStudentsSetNotAvailableTimes>\n")
    for p1, p2 in pairs:
        wt = 100 if tight else 95
        w(f"<ConstraintMinDaysBetweenActivities>\n\t<Weight_Percentage>{wt}</Weight_Percentage>\n"
          "\t<Consecutive_If_Same_Day>true</Consecutive_If_Same_Day>\n\t<Number_of_Activities>2</Number_of_Activities>\n"
          f"\t<Activity_Id>{p1['id']}</Activity_Id>\n\t<Activity_Id>{p2['id']}</Activity_Id>\n\t<MinDays>1</MinDays>\n"
          f"{tail}</ConstraintMinDaysBetweenActivities>\n")
    w("</Time_Constraints_List>\n\n<Space_Constraints_List>\n")
    w(f"<ConstraintBasicCompulsorySpace>\n\t<Weight_Percentage>100</Weight_Percentage>\n{tail}</ConstraintBasicCompulsorySpace>\n")
    for x in acts:  # room type and capacity as FET's allowed rooms
        fit = [r for r in rooms if r["type"] == x["type"] and r["cap"] >= x["size"]]
        w(f"<ConstraintActivityPreferredRooms>\n\t<Weight_Percentage>100</Weight_Percentage>\n\t<Activity_Id>{x['id']}"
          f"</Activity_Id>\n\t<Number_of_Preferred_Rooms>{len(fit)}</Number_of_Preferred_Rooms>\n"
          + "".join(f"\t<Preferred_Room>{r['name']}</Preferred_Room>\n" for r in fit)
          + f"{tail}</ConstraintActivityPreferredRooms>\n")
    w("</Space_Constraints_List>\n\n</fet>\n")
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("".join(o))
    with open(a.planted, "w", encoding="utf-8") as f:
        f.write("activity_id,day,hour,room\n")
        for x in acts:
            f.write(f"{x['id']},{DAYS[x['slot'] // H]},{HOURS[x['slot'] % H]},{rooms[x['room']]['name']}\n")
    print(f"{a.out}: {len(acts)} activities, {len(teachers)} teachers, {G} classes, {R} rooms, "
          f"{len(pairs)} min-days pairs, room-slot use {len(acts) / (R * len(usable)):.0%}")


if __name__ == "__main__":
    main()
