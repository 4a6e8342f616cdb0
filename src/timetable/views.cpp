// views.cpp (timetable): the stored timetable by view (school, grade, class, teacher, room), the
// teacher's own week, and the view as an XLSX or PDF week table.
#include <algorithm>
#include <map>
#include <set>

#include "catalog/service.h"
#include "core/time.h"
#include "pdf/table.h"
#include "people/xlsx.h"
#include "school/service.h"
#include "timetable/grid_internal.h"
#include "timetable/store.h"

namespace kehou::timetable {
namespace {

struct SectionMeta {
  std::string name, course;
  std::optional<int64_t> class_id;
  std::vector<int> grades;
};

struct Loaded {
  int64_t school_id = 0;
  GridTerm g;
  std::map<int64_t, SectionMeta> sections;
  std::map<int64_t, std::string> classes;
  std::map<int64_t, store::StoredGroup> groups;  // the term's basic-service groups by id
};

Result<Loaded> Load(db::Db& db, const auth::Principal& who, int64_t sid, int64_t term_id, bool class_names) {
  Loaded l;
  l.school_id = sid;
  KEHOU_ASSIGN_OR_RETURN(l.g, LoadGridTerm(db, who, sid, term_id));
  db.Read([&](db::Conn& c) {
    for (auto& g : store::LoadGroups(c, sid, term_id)) l.groups[g.id] = std::move(g);
  });
  KEHOU_ASSIGN_OR_RETURN(Json secs, catalog::ListSections(db, who, sid, std::nullopt));
  for (const auto& x : secs["items"]) {
    SectionMeta m{x["name"].get<std::string>(), x["course_name"].get<std::string>(), std::nullopt, {}};
    if (!x["class_id"].is_null()) m.class_id = x["class_id"].get<int64_t>();
    for (const auto& gr : x["grades"]) m.grades.push_back(gr.get<int>());
    l.sections[x["id"].get<int64_t>()] = std::move(m);
  }
  if (class_names) {
    KEHOU_ASSIGN_OR_RETURN(Json cls, school::ListClasses(db, who, sid, std::nullopt));
    for (const auto& c : cls["items"])
      l.classes[c["id"].get<int64_t>()] = c["grade_name"].get<std::string>() + c["name"].get<std::string>();
  }
  return l;
}

// An item's place in the week (day, hour, weekday, band) when it has one.
void AddSlot(Json& j, const TermProblem& tp, const Placement& pl) {
  if (pl.slot < 0) return;
  const int hours = tp.problem.Hours();
  j["day"] = pl.slot / hours;
  j["hour"] = pl.slot % hours;
  j["weekday"] = tp.weekdays[static_cast<size_t>(pl.slot / hours)];
  j["band"] = tp.bands[static_cast<size_t>(pl.slot % hours)];
}

// A basic-service group (the "1" of 1+X) as the grid shows it: kind "basic", its grade and class
// (so the grade and class views hold it), its supervising teacher as the teacher (so the teacher
// view holds it too), not movable by hand (its place follows the children's applications).
Json GroupItemJson(const Loaded& l, size_t i, const Placement& pl) {
  const TermProblem& tp = l.g.tp;
  const Problem& p = tp.problem;
  const auto& s = tp.sessions[i];
  auto gi = l.groups.find(s.group_id);
  const store::StoredGroup g = gi == l.groups.end() ? store::StoredGroup{} : gi->second;
  const auto& staff = tp.previous_staff;
  std::optional<int64_t> sup_id = g.supervisor_staff_id;
  std::string sup = g.supervisor_name;
  if (staff.size() == p.activities.size() && staff[i].teacher >= 0) {
    sup_id = tp.teacher_ids[static_cast<size_t>(staff[i].teacher)];
    sup = p.teachers[static_cast<size_t>(staff[i].teacher)].name;
  }
  Json grades = Json::array();
  if (g.grade > 0) grades.push_back(g.grade);
  Json j{{"kind", "basic"},
         {"section_id", 0},
         {"session_no", 0},
         {"group_id", s.group_id},
         {"course", "基础托管"},
         {"section", g.name.empty() ? p.activities[i].subject : g.name},
         {"play_reading", g.play_reading},
         {"class_id", g.class_id ? Json(*g.class_id) : Json()},
         {"class_name", g.class_id && l.classes.count(*g.class_id) ? Json(l.classes.at(*g.class_id)) : Json()},
         {"grades", grades},
         {"size", p.activities[i].size},
         {"room_type", ""},
         {"teacher_staff_id", sup_id ? Json(*sup_id) : Json()},
         {"teacher", sup},
         {"supervisor", true},
         {"backup_staff_id", Json()},
         {"backup", ""},
         {"room_id", pl.room >= 0 ? Json(tp.room_ids[static_cast<size_t>(pl.room)]) : Json()},
         {"room", pl.room >= 0 ? p.rooms[static_cast<size_t>(pl.room)].name : ""},
         {"locked", true},
         {"movable", false}};
  AddSlot(j, tp, pl);
  return j;
}

Json ItemJson(const Loaded& l, size_t i, const Placement& pl) {
  const TermProblem& tp = l.g.tp;
  const Problem& p = tp.problem;
  const Activity& x = p.activities[i];
  const auto& s = tp.sessions[i];
  if (s.group_id) return GroupItemJson(l, i, pl);
  const auto& staff = tp.previous_staff;
  const int backup = staff.size() == p.activities.size() ? staff[i].backup : -1;
  auto m = l.sections.find(s.section_id);
  const SectionMeta meta = m == l.sections.end() ? SectionMeta{} : m->second;
  Json j{{"kind", "section"},
         {"section_id", s.section_id},
         {"session_no", s.session_no},
         {"course", meta.course.empty() ? x.subject : meta.course},
         {"section", meta.name},
         {"class_id", meta.class_id ? Json(*meta.class_id) : Json()},
         {"class_name", meta.class_id && l.classes.count(*meta.class_id) ? Json(l.classes.at(*meta.class_id)) : Json()},
         {"grades", meta.grades},
         {"size", x.size},
         {"room_type", x.room_type},
         {"teacher_staff_id", x.teachers.empty() ? Json() : Json(tp.teacher_ids[static_cast<size_t>(x.teachers[0])])},
         {"teacher", x.teachers.empty() ? "" : p.teachers[static_cast<size_t>(x.teachers[0])].name},
         {"room_id", pl.room >= 0 ? Json(tp.room_ids[static_cast<size_t>(pl.room)]) : Json()},
         {"room", pl.room >= 0 ? p.rooms[static_cast<size_t>(pl.room)].name : ""},
         {"supervisor", false},
         {"backup_staff_id", backup >= 0 ? Json(tp.teacher_ids[static_cast<size_t>(backup)]) : Json()},
         {"backup", backup >= 0 ? p.teachers[static_cast<size_t>(backup)].name : ""},
         {"locked", l.g.locked[i] != 0},
         {"movable", true}};
  AddSlot(j, tp, pl);
  return j;
}

bool InView(const Json& item, const GridView& v) {
  if (v.view == "school" || !v.id) return true;
  if (v.view == "grade") {
    for (const auto& g : item["grades"])
      if (g.get<int64_t>() == *v.id) return true;
    return false;
  }
  const char* key = v.view == "class" ? "class_id" : v.view == "teacher" ? "teacher_staff_id" : "room_id";
  return !item[key].is_null() && item[key].get<int64_t>() == *v.id;
}

// Short names of the hard rules, for the reasons of unplaced sessions.
const char* RuleLabel(const std::string& rule) {
  static const std::map<std::string, const char*> kLabels = {
      {"teacher_clash", "教师冲突"},        {"class_clash", "班级冲突"},
      {"student_clash", "学生冲突"},        {"room_clash", "教室冲突"},
      {"teacher_days", "教师每周天数"},     {"willingness", "教师参与意愿"},
      {"band_not_allowed", "课程时段不符"}, {"room_fit", "教室不合适"},
      {"group_days", "同课须分日"},         {"locked", "已锁定"}};
  auto it = kLabels.find(rule);
  return it == kLabels.end() ? "其他" : it->second;
}

// Why a session is not placed: how many of the week's slots each hard rule rules out, most first,
// and one example.
std::string UnplacedReason(const GridTerm& g, size_t i) {
  if (!g.stored) return "尚未排课";
  const TermProblem& tp = g.tp;
  std::map<std::string, std::pair<int, std::string>> seen;
  int slots = 0, free = 0;
  for (int wd : tp.weekdays)
    for (const auto& band : tp.bands) {
      ++slots;
      bool broken = false;
      MoveTarget m{tp.sessions[i].section_id, tp.sessions[i].session_no, wd, band, std::nullopt, std::nullopt, false};
      auto v = MoveViolations(g, m);
      if (!v.ok()) continue;
      for (const auto& x : *v)
        if (!x.soft) {
          auto& e = seen[x.rule];
          ++e.first;
          if (e.second.empty()) e.second = x.zh;
          broken = true;
          break;
        }
      free += broken ? 0 : 1;
    }
  if (free > 0) return "有 " + std::to_string(free) + " 个空闲时段，可拖入课表或重新排课";
  std::vector<std::pair<int, std::string>> order;
  for (auto& [rule, e] : seen) order.push_back({e.first, rule});
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string out = std::to_string(slots) + " 个时段都违反硬约束：";
  for (size_t k = 0; k < order.size() && k < 3; ++k)
    out += (k ? "，" : "") + std::string(RuleLabel(order[k].second)) + " " + std::to_string(order[k].first) + " 个";
  // The example: the rule of the fewest slots (what would free one), not the obvious one.
  return out + "（例：" + seen[order.back().second].second + "）";
}

Json Frame(const TermProblem& tp) {
  Json days = Json::array(), bands = Json::array();
  for (size_t d = 0; d < tp.weekdays.size(); ++d)
    days.push_back({{"index", d}, {"weekday", tp.weekdays[d]}, {"label", tp.problem.days[d]}});
  for (size_t h = 0; h < tp.bands.size(); ++h)
    bands.push_back({{"index", h}, {"code", tp.bands[h]}, {"label", tp.problem.hours[h]}});
  return {{"days", days}, {"bands", bands}};
}

Result<GridView> CheckView(const GridView& v) {
  static const std::set<std::string> kViews = {"school", "grade", "class", "teacher", "room"};
  if (!kViews.count(v.view))
    return Error::Invalid("视图应为 school、grade、class、teacher 或 room",
                          "view is school, grade, class, teacher or room", "view");
  if (v.view != "school" && !v.id) return Error::Invalid("请选择要查看的对象", "choose what to show", "id");
  return v;
}

Json BuildGrid(const Loaded& l, const GridView& v) {
  const GridTerm& g = l.g;
  const TermProblem& tp = g.tp;
  const Problem& p = tp.problem;
  Json out = Frame(tp);
  out["term_id"] = tp.term_id;
  out["stored"] = g.stored;
  out["view"] = v.view;
  out["id"] = v.id ? Json(*v.id) : Json();
  Json items = Json::array(), unplaced = Json::array();
  std::set<int> grades;
  std::map<int64_t, std::string> classes;
  for (size_t i = 0; i < p.activities.size(); ++i) {
    Json it = ItemJson(l, i, g.current[i]);
    for (const auto& gr : it["grades"]) grades.insert(gr.get<int>());
    if (!it["class_id"].is_null())
      classes[it["class_id"].get<int64_t>()] = it["class_name"].is_null() ? "" : it["class_name"].get<std::string>();
    if (!InView(it, v)) continue;
    if (g.current[i].slot >= 0) {
      items.push_back(std::move(it));
    } else {
      it["reason"] = UnplacedReason(g, i);
      unplaced.push_back(std::move(it));
    }
  }
  Json teachers = Json::array(), rooms = Json::array(), cls = Json::array();
  for (size_t t = 0; t < tp.teacher_ids.size(); ++t)
    teachers.push_back({{"id", tp.teacher_ids[t]}, {"name", p.teachers[t].name}});
  for (size_t r = 0; r < tp.room_ids.size(); ++r)
    rooms.push_back({{"id", tp.room_ids[r]},
                     {"name", p.rooms[r].name},
                     {"capacity", p.rooms[r].capacity},
                     {"kind", p.rooms[r].type}});
  for (const auto& [id, name] : classes) cls.push_back({{"id", id}, {"name", name}});
  const Report rep = Evaluate(p, g.current, g.tp.previous_staff, {});  // with the stored supervisors and backups
  out["items"] = std::move(items);
  out["unplaced"] = std::move(unplaced);
  out["options"] = {{"grades", grades}, {"classes", cls}, {"teachers", teachers}, {"rooms", rooms}};
  out["report"] = {{"hard", rep.Hard()},
                   {"soft", rep.Soft(Weights{})},
                   {"teaching_days", rep.teaching_days},
                   {"text", rep.Describe()}};
  return out;
}

// Exports: a basic-service group marked as such ("【基础托管】name"), its teacher as the supervisor
// ("看管 name"); a section with its AB backup ("name / AB岗 backup").
std::string ExportLabel(const Json& it) {
  if (it.value("kind", "section") == "basic") return "【基础托管】" + it["section"].get<std::string>();
  return it["course"].get<std::string>() + "（" + it["section"].get<std::string>() + "）";
}
std::string ExportTeacher(const Json& it) {
  const std::string t = it["teacher"].get<std::string>();
  if (it.value("kind", "section") == "basic") return t.empty() ? "" : "看管 " + t;
  const std::string b = it.value("backup", std::string());
  return b.empty() ? t : t + " / AB岗 " + b;
}

std::string ViewLabel(const Json& grid, const GridView& v) {
  if (v.view == "school" || !v.id) return "全校";
  if (v.view == "grade") return std::to_string(*v.id) + " 年级";
  const char* list = v.view == "class" ? "classes" : v.view == "teacher" ? "teachers" : "rooms";
  for (const auto& o : grid["options"][list])
    if (o["id"].get<int64_t>() == *v.id) return o["name"].get<std::string>();
  return v.view + " " + std::to_string(*v.id);
}

}  // namespace

Result<Json> TermGrid(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t term_id,
                      const GridView& view) {
  KEHOU_ASSIGN_OR_RETURN(GridView v, CheckView(view));
  KEHOU_ASSIGN_OR_RETURN(int64_t sid, ResolveGridSchool(db, who, school));
  KEHOU_ASSIGN_OR_RETURN(Loaded l, Load(db, who, sid, term_id, true));
  Json out = BuildGrid(l, v);
  const auto term = db.Read([&](db::Conn& c) { return school::TermOf(c, sid, term_id); });
  out["term_name"] = term ? term->name : "";
  return out;
}

Result<Json> MyWeek(db::Db& db, const auth::Principal& who) {
  if (!who.staff_id) return Error::Forbidden("只有任课教师有自己的课表", "only a teacher has a week", "");
  KEHOU_ASSIGN_OR_RETURN(int64_t sid, ResolveGridSchool(db, who, std::nullopt));
  auto term = school::CurrentTerm(db, sid);
  if (!term)
    return Json{{"term", nullptr}, {"items", Json::array()}, {"days", Json::array()}, {"bands", Json::array()}};
  KEHOU_ASSIGN_OR_RETURN(Loaded l, Load(db, who, sid, term->id, false));
  const auto bands = db.Read([&](db::Conn& c) { return school::BandsOfTerm(c, sid, term->id); });
  Json out = Frame(l.g.tp);
  for (auto& b : out["bands"]) {  // the band's hours (the first of its kind)
    for (const auto& sb : bands)
      if (school::BandKindName(sb.kind) == b["code"].get<std::string>()) {
        b["start"] = FormatTimeOfDay(sb.start);
        b["end"] = FormatTimeOfDay(sb.end);
        break;
      }
  }
  Json items = Json::array();
  const GridView mine{"teacher", *who.staff_id};
  for (size_t i = 0; i < l.g.tp.problem.activities.size(); ++i) {
    if (l.g.current[i].slot < 0) continue;
    Json it = ItemJson(l, i, l.g.current[i]);
    if (InView(it, mine)) items.push_back(std::move(it));
  }
  std::sort(items.begin(), items.end(), [](const Json& a, const Json& b) {
    return std::make_pair(a["day"].get<int>(), a["hour"].get<int>()) <
           std::make_pair(b["day"].get<int>(), b["hour"].get<int>());
  });
  out["term"] = {{"id", term->id}, {"name", term->name}};
  out["stored"] = l.g.stored;
  out["items"] = std::move(items);
  return out;
}

Result<FileOut> ExportGrid(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t term_id,
                           const GridView& view, const std::string& format) {
  if (format != "xlsx" && format != "pdf")
    return Error::Invalid("格式应为 xlsx 或 pdf", "format is xlsx or pdf", "format");
  KEHOU_ASSIGN_OR_RETURN(Json grid, TermGrid(db, who, school, term_id, view));
  const std::string label = ViewLabel(grid, view);
  std::vector<std::string> headers = {"时段"};
  for (const auto& d : grid["days"]) headers.push_back(d["label"].get<std::string>());
  std::vector<std::vector<std::string>> rows;
  for (const auto& b : grid["bands"]) {
    std::vector<std::string> row = {b["label"].get<std::string>()};
    for (const auto& d : grid["days"]) {
      std::string cell;
      for (const auto& it : grid["items"])
        if (it["day"] == d["index"] && it["hour"] == b["index"]) {
          if (!cell.empty()) cell += format == "pdf" ? "；" : "\n";
          cell += ExportLabel(it) + (it["teacher"].get<std::string>().empty() ? "" : " " + ExportTeacher(it)) +
                  (it["room"].get<std::string>().empty() ? "" : " @" + it["room"].get<std::string>());
        }
      row.push_back(cell);
    }
    rows.push_back(std::move(row));
  }
  for (const auto& u : grid["unplaced"])
    rows.push_back({"未排", u["course"].get<std::string>() + "（" + u["section"].get<std::string>() + "）",
                    u["reason"].get<std::string>()});
  for (auto& r : rows) r.resize(headers.size());
  const std::string title = "课表 " + label;
  if (format == "xlsx") {
    KEHOU_ASSIGN_OR_RETURN(std::string bytes, people::BuildXlsx("课表", headers, rows));
    return FileOut{std::move(bytes), std::string(people::kXlsxContentType), title + ".xlsx"};
  }
  // The printable PDF lists one session a row (a week grid's cells would be cut after two lines).
  pdf::TableDocument d;
  d.title = title;
  d.subtitles = {"学期：" + grid.value("term_name", std::string()) + "　　已排 " +
                 std::to_string(grid["items"].size()) + " 课次，未排 " + std::to_string(grid["unplaced"].size())};
  d.columns = {
      {"星期", 0.6, pdf::Align::kCenter}, {"时段", 0.8}, {"课程（教学班）", 2.0}, {"教师", 0.9}, {"场地", 0.9}};
  std::vector<Json> items(grid["items"].begin(), grid["items"].end());
  std::stable_sort(items.begin(), items.end(), [](const Json& a, const Json& b) {
    return std::make_pair(a["day"].get<int>(), a["hour"].get<int>()) <
           std::make_pair(b["day"].get<int>(), b["hour"].get<int>());
  });
  for (const auto& it : items)
    d.rows.push_back({grid["days"][it["day"].get<size_t>()]["label"].get<std::string>(),
                      grid["bands"][it["hour"].get<size_t>()]["label"].get<std::string>(), ExportLabel(it),
                      ExportTeacher(it), it["room"].get<std::string>()});
  for (const auto& u : grid["unplaced"])
    d.rows.push_back({"未排", "", u["course"].get<std::string>() + "（" + u["section"].get<std::string>() + "）",
                      u["teacher"].get<std::string>(), u["reason"].get<std::string>()});
  d.footer_left = "打印时间 " + FormatLocalMinute(NowMs()) + "（北京时间）";
  d.empty_text = "本视图暂无课程";
  KEHOU_ASSIGN_OR_RETURN(auto doc, pdf::RenderTable(d));
  return FileOut{std::move(doc.bytes), std::string(pdf::kPdfContentType), title + ".pdf"};
}

}  // namespace kehou::timetable
