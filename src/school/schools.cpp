// schools.cpp (school): schools and areas: the list, one school, its settings, an area's overview,
// and creating a school with its grades (setup, demo).
#include "school/internal.h"
#include "school/service.h"

namespace kehou::school {

using namespace internal;

// ---- schools and areas ---------------------------------------------------------------------------

Result<Json> ListSchools(db::Db& db, const Principal& who) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    std::vector<store::SchoolRow> rows;
    if (who.role == auth::Role::kSysAdmin) {
      rows = store::SchoolsAll(c);
    } else if (auth::IsAreaRole(who.role)) {
      if (who.area_id) rows = store::SchoolsByArea(c, *who.area_id);
    } else if (who.role == auth::Role::kGuardian) {
      if (who.guardian_id) rows = store::SchoolsOfGuardian(c, *who.guardian_id);
    } else if (who.school_id) {
      if (auto s = store::LoadSchool(c, *who.school_id)) rows.push_back(*s);
    }
    Json items = Json::array();
    for (const auto& s : rows) {
      Json j = SchoolJson(s);
      if (who.role == auth::Role::kGuardian) {  // a family needs the school, not its figures
        for (const char* k : {"student_count", "class_count", "staff_count"}) j.erase(k);
      }
      items.push_back(std::move(j));
    }
    return ListJson(std::move(items), {});
  });
}

Result<Json> GetSchool(db::Db& db, const Principal& who, int64_t school_id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    Json j = SchoolJson(*s);
    auto t = CurrentTerm(c, s->id);
    j["current_term"] = t ? Json{{"id", t->id}, {"name", t->name}} : Json(nullptr);
    return j;
  });
}

Result<Json> UpdateSchool(db::Db& db, const Principal& who, int64_t school_id, const SchoolPatch& p) {
  if (auto st = WriteAllowed(who); !st) return st.error();
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto old = SchoolFor(c, who, school_id);
    if (!old) return old.error();
    store::SchoolRow s = *old;
    if (p.name) s.name = *p.name;
    if (p.address) s.address = *p.address;
    if (p.type) s.type = std::string(SchoolTypeName(*p.type));
    if (p.level) s.level = std::string(LevelName(*p.level));
    if (p.office_close_time) s.office_close_time = FormatTimeOfDay(*p.office_close_time);
    Level level = ParseLevel(s.level).value_or(Level::kNineYear);

    // Grades follow the level: a grade that no longer fits must have no classes.
    if (s.level != old->level) {
      for (const auto& g : store::LoadGrades(c, s.id)) {
        if (GradeFitsLevel(level, g.number)) continue;
        if (g.classes > 0) {
          auto st = CheckGradeFitsLevel(level, g.number, "level");
          return Because(st.error(), g.name + "还有" + std::to_string(g.classes) + "个班级，不能改变学段。",
                         g.name + " still has classes. ", "level");
        }
        store::DeleteGrade(c, s.id, g.id);
      }
      EnsureGrades(c, s.id, level);
    }
    // The current term's bands must still keep the rules (evening, after-school end).
    if (s.level != old->level || s.office_close_time != old->office_close_time) {
      auto t = store::LoadCurrentTerm(c, s.id);
      if (!t) t = store::LoadTermOn(c, s.id, TodayLocal());
      if (t) {
        auto st = CheckBands(Bands(store::LoadBands(c, s.id, t->id)), ContextOf(s, t->dates));
        if (!st)
          return Because(st.error(), "当前学期的服务时段将不再符合规则，请先调整服务时段。",
                         "the current term's bands would break a rule; change them first. ",
                         s.office_close_time != old->office_close_time ? "office_close_time" : "level");
      }
    }
    store::UpdateSchool(c, s);
    if (s.office_close_time != old->office_close_time) store::UpdateOfficeClose(c, s.id, s.office_close_time);
    LogChange(c, who, "school", s.id, SchoolAuditJson(*old), SchoolAuditJson(s), s.id);
    auto fresh = store::LoadSchool(c, s.id);
    Json j = SchoolJson(*fresh);
    auto t = CurrentTerm(c, s.id);
    j["current_term"] = t ? Json{{"id", t->id}, {"name", t->name}} : Json(nullptr);
    return j;
  });
}

Result<Json> AreaOverview(db::Db& db, const Principal& who, int64_t area_id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto not_found = Error::NotFound("地区不存在或无权访问", "no such area", "id");
    auto area = store::LoadArea(c, area_id);
    if (!area) return not_found;
    if (who.role != auth::Role::kSysAdmin) {
      if (!auth::IsAreaRole(who.role) || !who.area_id) return not_found;
      if (area->id != *who.area_id && area->parent_id != who.area_id) return not_found;
    }
    Json schools = Json::array();
    int64_t students = 0, classes = 0, staff = 0;
    auto rows = store::SchoolsByArea(c, area->id);
    for (const auto& s : rows) {
      auto level = ParseLevel(s.level);
      auto type = ParseSchoolType(s.type);
      schools.push_back(Json{{"id", s.id},
                             {"name", s.name},
                             {"level", s.level},
                             {"level_label", level ? LevelLabelZh(*level) : ""},
                             {"type", s.type},
                             {"type_label", type ? SchoolTypeLabelZh(*type) : ""},
                             {"area_id", s.area_id},
                             {"area_name", s.area_name},
                             {"students", s.students},
                             {"classes", s.classes},
                             {"staff", s.staff}});
      students += s.students;
      classes += s.classes;
      staff += s.staff;
    }
    return Json{{"area",
                 {{"id", area->id},
                  {"kind", area->kind},
                  {"name", area->name},
                  {"parent_id", OptId(area->parent_id)},
                  {"office_close_time", area->office_close_time}}},
                {"schools", std::move(schools)},
                {"totals",
                 {{"schools", static_cast<int64_t>(rows.size())},
                  {"students", students},
                  {"classes", classes},
                  {"staff", staff}}}};
  });
}

bool SchoolChargesFee(db::Conn& c, int64_t school_id) {
  auto r = c.QueryOne(store::kSchoolType, {school_id});
  return r && ChargesServiceFee(r->Text("type"));
}

Result<int64_t> CreateSchool(db::Conn& c, const NewSchool& s) {
  if (!store::LoadArea(c, s.area_id)) return Error::NotFound("地区不存在", "no such area", "area_id");
  auto name = CheckName(s.name, "name", "学校名称");
  if (!name) return name.error();
  auto address = CheckName(s.address, "address", "地址", kMaxTextLength, false);
  if (!address) return address.error();
  int64_t id = store::InsertSchool(c, s.area_id, *name, std::string(LevelName(s.level)),
                                   std::string(SchoolTypeName(s.type)), *address);
  EnsureGrades(c, id, s.level);
  return id;
}

int EnsureGrades(db::Conn& c, int64_t school_id, Level level) {
  auto have = store::LoadGrades(c, school_id);
  int added = 0;
  for (int n = FirstGrade(level); n <= LastGrade(level); ++n) {
    bool exists = std::any_of(have.begin(), have.end(), [&](const store::GradeRow& g) { return g.number == n; });
    if (exists) continue;
    store::InsertGrade(c, school_id, n, GradeName(n));
    ++added;
  }
  return added;
}

}  // namespace kehou::school
