// exits.cpp (enroll): exits (准出) from the service, with the hook that releases seats (select).
#include <atomic>
#include <set>

#include "enroll/internal.h"
#include "enroll/service.h"

namespace kehou::enroll {

using namespace internal;

Result<Json> ListExits(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id) {
  return db.Read([&](Conn& c) -> Result<Json> {
    Json items = Json::array();
    auto add = [&](const store::ExitRow& e) {
      auto st = store::LoadStudent(c, e.student_id);
      if (!st || !SeeStudent(c, who, school, *st).ok()) return;
      Json j = ExitJson(e);
      j["student"] = StudentJson(*st);
      items.push_back(std::move(j));
    };
    if (IsGuardianScope(who)) {
      if (!who.guardian_id) return Items(items);
      std::set<int64_t> schools;
      for (const auto& k : store::ChildrenOf(c, *who.guardian_id)) schools.insert(k.school_id);
      for (int64_t sid : schools)
        for (const auto& e : store::ExitsOf(c, sid, term_id)) add(e);
      return Items(items);
    }
    auto sid = IsClassScope(who) && who.school_id ? Result<int64_t>(*who.school_id) : StaffSchool(c, who, school);
    if (!sid) return sid.error();
    for (const auto& e : store::ExitsOf(c, *sid, term_id)) add(e);
    return Items(items);
  });
}

namespace {
std::atomic<ExitHook> g_exit_hook{nullptr};
}  // namespace

void SetExitHook(ExitHook hook) { g_exit_hook.store(hook); }

Result<Json> CreateExit(db::Db& db, const Principal& who, SchoolArg school, const Json& body, const Date& today) {
  BodyReader in(body);
  auto app_id = in.Id("application_id", {.required = true, .label = "申请"});
  auto eff = in.Date("effective_date", {.required = true, .label = "退出生效日期"});
  std::string reason = Trim(in.Text("reason", {.multiline = true, .label = "退出原因"}).value_or(""));
  KEHOU_TRY(in.Finish());
  if (auto r = CheckReason(reason, false); !r) return r.error();
  bool office = IsOffice(who);
  if (!office && !IsGuardianScope(who))
    return MakeError(kForbidden, "只有监护人或学校办公室可以办理退出", "only a guardian or the office ends a service");
  try {
    return db.Write([&](Conn& c) -> Result<Json> {
      auto v = VisibleApplication(c, who, school, *app_id);
      if (!v) return v.error();
      auto& [app, st] = v.value();
      if (app.status != AppStatus::kApproved)
        return Error::RuleBroken("只有已通过的申请才能办理退出", "only an approved application can be ended",
                                 "application_id");
      auto term = school::TermOf(c, app.school_id, app.term_id);
      if (!term) return TermNotFound();
      if (auto r = CheckExitDate(*eff, today, term->dates.start, term->dates.end, office); !r) return r.error();
      if (auto old = store::ExitFor(c, app.school_id, app.id))
        return Error::Conflict("该申请已办理退出（" + FormatDate(old->effective_date) + " 起）",
                               "this application already has an exit", "application_id");
      store::ExitRow e;
      e.school_id = app.school_id;
      e.term_id = app.term_id;
      e.student_id = app.student_id;
      e.application_id = app.id;
      e.effective_date = *eff;
      e.reason = reason;
      e.user_id = who.user_id ? std::optional<int64_t>(who.user_id) : std::nullopt;
      e.user_name = WhoName(who);
      e.role = std::string(auth::RoleName(who.role));
      e.id = store::InsertExit(c, e);
      auto saved = store::LoadExit(c, e.id);
      Json out = ExitJson(*saved);
      auth::Audit(c, who, {"create", "exit", e.id, nullptr, &out, app.school_id});
      if (auto hook = g_exit_hook.load())
        hook(c, who, ExitEvent{e.id, app.school_id, app.term_id, app.student_id, *eff, today});
      out["student"] = StudentJson(st);
      return out;
    });
  } catch (const db::DbError& e) {
    if (e.unique_violation)
      return Error::Conflict("该申请已办理退出", "this application already has an exit", "application_id");
    throw;
  }
}

Result<Json> GetExit(db::Db& db, const Principal& who, SchoolArg school, int64_t id) {
  return db.Read([&](Conn& c) -> Result<Json> {
    auto e = store::LoadExit(c, id);
    auto nf = [] { return Error::NotFound("退出记录不存在", "no such exit"); };
    if (!e) return nf();
    auto st = store::LoadStudent(c, e->student_id);
    if (!st || !SeeStudent(c, who, school, *st).ok()) return nf();
    Json j = ExitJson(*e);
    j["student"] = StudentJson(*st);
    return j;
  });
}

}  // namespace kehou::enroll
