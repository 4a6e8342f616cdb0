#include "workbench/service.h"

#include "auth/audit.h"
#include "school/service.h"
#include "workbench/rules.h"

namespace kehou::workbench {
namespace {
using auth::Role;

Json TermJson(const enroll::TermCounts& t) {
  return {{"students", t.students},
          {"draft", t.draft},
          {"submitted", t.submitted},
          {"class_approved", t.class_approved},
          {"approved", t.approved},
          {"returned", t.returned},
          {"rejected", t.rejected},
          {"exited", t.exited},
          {"rate_permille", EnrolmentPermille(t)}};
}

Json RoundJson(const select::RoundFigures& r) {
  return {{"id", r.id},
          {"name", r.name},
          {"mode", r.mode},
          {"phase", r.phase},
          {"opens_at", r.opens_at},
          {"closes_at", r.closes_at},
          {"children", r.children},
          {"seats", r.seats},
          {"taken", r.taken}};
}

Json SchoolView(db::Conn& c, const auth::Principal& who, int64_t school_id, int64_t now_ms) {
  Figures f;
  auto term = school::CurrentTerm(c, school_id);
  std::optional<int64_t> own_classes;
  if (who.role == Role::kClassTeacher) own_classes = who.staff_id.value_or(-1);  // no staff record: no class
  if (term) {
    f.has_term = true;
    f.term = enroll::CountTerm(c, school_id, term->id, own_classes);
  }
  f.proposals = catalog::CountProposals(c, school_id);
  f.rounds = select::ActiveRounds(c, school_id, now_ms);
  Json todo = Json::array();
  for (const auto& t : TodosFor(who.role, f))
    todo.push_back({{"key", t.key}, {"count", t.count}, {"page", t.page}, {"label", t.zh}, {"label_en", t.en}});
  Json rounds = Json::array();
  for (const auto& r : f.rounds) rounds.push_back(RoundJson(r));
  return {{"view", "school"},
          {"school_id", school_id},
          {"term", term ? Json{{"id", term->id}, {"name", term->name}} : Json(nullptr)},
          {"scope", own_classes ? "own_classes" : "school"},
          {"enrolment", f.has_term ? TermJson(f.term) : Json(nullptr)},
          {"todo", std::move(todo)},
          {"rounds", std::move(rounds)}};
}

Json AreaView(db::Conn& c, const Json& schools, int64_t now_ms) {
  Json rows = Json::array();
  enroll::TermCounts total;
  int64_t open_rounds = 0;
  for (const auto& s : schools) {
    const int64_t id = s.at("id").get<int64_t>();
    auto term = school::CurrentTerm(c, id);
    enroll::TermCounts t;
    if (term) t = enroll::CountTerm(c, id, term->id);
    else t.students = enroll::CountTerm(c, id, -1).students;
    int64_t open = 0;
    for (const auto& r : select::ActiveRounds(c, id, now_ms)) open += r.phase == "open" ? 1 : 0;
    open_rounds += open;
    total.students += t.students;
    total.approved += t.approved;
    total.submitted += t.submitted;
    total.class_approved += t.class_approved;
    total.exited += t.exited;
    rows.push_back({{"school_id", id},
                    {"name", s.value("name", "")},
                    {"term", term ? Json(term->name) : Json(nullptr)},
                    {"students", t.students},
                    {"approved", t.approved},
                    {"waiting", t.submitted + t.class_approved},
                    {"exited", t.exited},
                    {"rate_permille", EnrolmentPermille(t)},
                    {"open_rounds", open}});
  }
  return {{"view", "area"},
          {"schools", std::move(rows)},
          {"totals",
           {{"schools", static_cast<int64_t>(schools.size())},
            {"students", total.students},
            {"approved", total.approved},
            {"waiting", total.submitted + total.class_approved},
            {"exited", total.exited},
            {"rate_permille", EnrolmentPermille(total)},
            {"open_rounds", open_rounds}}}};
}
}  // namespace

Result<Json> Workbench(db::Db& db, const auth::Principal& who, std::optional<int64_t> school_id, int64_t now_ms) {
  const bool over_schools = auth::IsAreaRole(who.role) || who.role == Role::kSysAdmin;
  if (over_schools && !school_id) {
    KEHOU_ASSIGN_OR_RETURN(Json list, school::ListSchools(db, who));
    return db.Read([&](db::Conn& c) -> Result<Json> { return AreaView(c, list.at("items"), now_ms); });
  }
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t school, auth::ResolveSchool(c, who, school_id));
    return SchoolView(c, who, school, now_ms);
  });
}

}  // namespace kehou::workbench
