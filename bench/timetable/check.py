#!/usr/bin/env python3
"""Independent checker: counts the hard violations of a timetable against a FET 6.8 file.

Shares no code with the solver: it reads the .fet (xml.etree) and a result, either our CSV
(activity_id,day,hour,room) or fet-cl's <name>_activities.xml, and counts, for the constraints
the benchmark uses: unplaced activities, teacher / student / room clashes (students by leaf
sets: a year with groups clashes with each of its groups), not-available times and breaks,
teacher(s) max days per week, allowed rooms (ConstraintActivityPreferredRoom(s) at 100 %) and
capacity, min days between activities at 100 %, preferred starting times at 100 %.
Usage: check.py FILE.fet RESULT [--previous OLD.csv]  -> prints one JSON line.
"""
import csv
import json
import sys
import xml.etree.ElementTree as ET


def text(e, tag, default=""):
    c = e.find(tag)
    return c.text.strip() if c is not None and c.text else default


def active(e):
    return text(e, "Active", "true") != "false"


def hard(e):
    return float(text(e, "Weight_Percentage", "100")) >= 100


def load_fet(path):
    root = ET.parse(path).getroot()
    days = [text(d, "Name") for d in root.find("Days_List").findall("Day")]
    hours = [text(h, "Name") for h in root.find("Hours_List").findall("Hour")]
    # Student sets -> leaves.
    children, size = {}, {}
    for y in root.find("Students_List").findall("Year"):
        yn = text(y, "Name")
        size[yn] = int(text(y, "Number_of_Students", "0"))
        children.setdefault(yn, [])
        for g in y.findall("Group"):
            gn = text(g, "Name")
            size[gn] = int(text(g, "Number_of_Students", "0"))
            children[yn].append(gn)
            children.setdefault(gn, [])
            for s in g.findall("Subgroup"):
                sn = text(s, "Name")
                size[sn] = int(text(s, "Number_of_Students", "0"))
                children[gn].append(sn)
                children.setdefault(sn, [])

    def leaves(name):
        if not children.get(name):
            return {name}
        out = set()
        for c in children[name]:
            out |= leaves(c)
        return out

    rooms = {text(r, "Name"): int(text(r, "Capacity", "30000")) for r in root.find("Rooms_List").findall("Room")}
    acts = {}
    for a in root.find("Activities_List").findall("Activity"):
        if not active(a):
            continue
        aid = int(text(a, "Id"))
        sets = [s.text.strip() for s in a.findall("Students")]
        n = text(a, "Number_Of_Students", "")
        acts[aid] = {"teachers": [t.text.strip() for t in a.findall("Teacher")],
                     "leaves": set().union(*[leaves(s) for s in sets]) if sets else set(),
                     "size": int(n) if n else sum(size.get(s, 0) for s in sets),
                     "rooms": None, "needs_room": False, "fixed": None}
    c = {"breaks": set(), "t_na": {}, "s_na": {}, "r_na": {}, "t_max": {}, "all_max": None, "min_days": []}

    def times(e, tag):
        return {(text(t, "Day"), text(t, "Hour")) for t in e.findall(tag)}

    for lst in ("Time_Constraints_List", "Space_Constraints_List"):
        for e in root.find(lst) if root.find(lst) is not None else []:
            if not active(e) or not hard(e):
                continue
            k = e.tag
            if k == "ConstraintBreakTimes":
                c["breaks"] |= times(e, "Break_Time")
            elif k == "ConstraintTeacherNotAvailableTimes":
                c["t_na"].setdefault(text(e, "Teacher"), set()).update(times(e, "Not_Available_Time"))
            elif k == "ConstraintStudentsSetNotAvailableTimes":
                for leaf in leaves(text(e, "Students")):
                    c["s_na"].setdefault(leaf, set()).update(times(e, "Not_Available_Time"))
            elif k == "ConstraintRoomNotAvailableTimes":
                c["r_na"].setdefault(text(e, "Room"), set()).update(times(e, "Not_Available_Time"))
            elif k == "ConstraintTeacherMaxDaysPerWeek":
                c["t_max"][text(e, "Teacher_Name")] = int(text(e, "Max_Days_Per_Week"))
            elif k == "ConstraintTeachersMaxDaysPerWeek":
                c["all_max"] = int(text(e, "Max_Days_Per_Week"))
            elif k in ("ConstraintActivityPreferredRooms", "ConstraintActivityPreferredRoom"):
                aid = int(text(e, "Activity_Id"))
                if aid not in acts:
                    continue
                names = {r.text.strip() for r in e.findall("Preferred_Room")} if k.endswith("Rooms") else {text(e, "Room")}
                a = acts[aid]
                a["needs_room"] = True
                a["rooms"] = names if a["rooms"] is None else a["rooms"] & names
            elif k == "ConstraintActivityPreferredStartingTime":
                aid = int(text(e, "Activity_Id"))
                if aid in acts:
                    acts[aid]["fixed"] = (text(e, "Preferred_Day"), text(e, "Preferred_Hour"))
            elif k == "ConstraintMinDaysBetweenActivities":
                ids = [int(x.text) for x in e.findall("Activity_Id")]
                c["min_days"].append((ids, int(text(e, "MinDays", "1"))))
    return days, hours, rooms, acts, c


def load_result(path):
    out = {}
    if path.endswith(".xml"):
        for a in ET.parse(path).getroot().findall("Activity"):
            out[int(text(a, "Id"))] = (text(a, "Day"), text(a, "Hour"), text(a, "Room"))
    else:
        with open(path, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                out[int(row["activity_id"])] = (row["day"], row["hour"], row["room"])
    return out


def check(fet, result, previous=None):
    days, hours, rooms, acts, c = load_fet(fet)
    res = load_result(result)
    v = {"unplaced": 0, "teacher_clash": 0, "student_clash": 0, "room_clash": 0, "not_available": 0,
         "teacher_days": 0, "room_fit": 0, "min_days": 0, "fixed": 0}
    seen_t, seen_s, seen_r, tdays = {}, {}, {}, {}
    for aid, a in acts.items():
        p = res.get(aid)
        if not p or p[0] not in days or p[1] not in hours:
            v["unplaced"] += 1
            continue
        slot = (p[0], p[1])
        if slot in c["breaks"]:
            v["not_available"] += 1
        if a["fixed"] and a["fixed"] != slot:
            v["fixed"] += 1
        for t in a["teachers"]:
            v["teacher_clash"] += seen_t.get((t, slot), 0)
            seen_t[(t, slot)] = seen_t.get((t, slot), 0) + 1
            v["not_available"] += slot in c["t_na"].get(t, ())
            tdays.setdefault(t, set()).add(p[0])
        for s in a["leaves"]:
            v["student_clash"] += 1 if seen_s.get((s, slot), 0) else 0
            seen_s[(s, slot)] = seen_s.get((s, slot), 0) + 1
            v["not_available"] += slot in c["s_na"].get(s, ())
        if a["needs_room"]:
            room = p[2]
            if room not in rooms or (a["rooms"] is not None and room not in a["rooms"]) or rooms[room] < a["size"]:
                v["room_fit"] += 1
            else:
                v["room_clash"] += 1 if seen_r.get((room, slot), 0) else 0
                seen_r[(room, slot)] = 1
                v["not_available"] += slot in c["r_na"].get(room, ())
    for t, ds in tdays.items():
        mx = c["t_max"].get(t, c["all_max"])
        if mx is not None and len(ds) > mx:
            v["teacher_days"] += len(ds) - mx
    for ids, md in c["min_days"]:
        pl = [res.get(i) for i in ids if i in acts and res.get(i) and res[i][0] in days]
        for i in range(len(pl)):
            for j in range(i + 1, len(pl)):
                if abs(days.index(pl[i][0]) - days.index(pl[j][0])) < md:
                    v["min_days"] += 1
    out = {"activities": len(acts), "hard": sum(v.values()), **v}
    if previous:
        prev = load_result(previous)
        out["moved"] = sum(1 for aid in acts if prev.get(aid) != res.get(aid))
    return out


if __name__ == "__main__":
    args = sys.argv[1:]
    prev = None
    if "--previous" in args:
        i = args.index("--previous")
        prev = args[i + 1]
        del args[i:i + 2]
    print(json.dumps(check(args[0], args[1], prev)))
