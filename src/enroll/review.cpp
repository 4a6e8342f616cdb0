// review.cpp (enroll): the class teacher's and the principal's review of applications.
#include "enroll/service.h"

#include "enroll/internal.h"

namespace kehou::enroll {

using namespace internal;

Result<Json> ClassReview(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Json& body,
                         const Date& today) {
  BodyReader in(body);
  std::string decision = Trim(in.Text("decision", {.required = true, .label = "审核意见"}).value_or(""));
  std::string reason = Trim(in.Text("reason", {.multiline = true, .label = "理由"}).value_or(""));
  KEHOU_TRY(in.Finish());
  Step step;
  if (decision == "approve") step = Step::kClassApprove;
  else if (decision == "return") step = Step::kClassReturn;
  else return Error::Invalid("审核意见应为 approve（通过）或 return（退回）", "decision must be approve or return", "decision");
  if (auto r = CheckReason(reason, NeedsReason(step)); !r) return r.error();
  return db.Write([&](Conn& c) -> Result<Json> {
    auto v = VisibleApplication(c, who, school, id);
    if (!v) return v.error();
    auto& [app, st] = v.value();
    Actor actor = Actor::kOther;
    if (IsClassScope(who)) actor = Actor::kClassTeacher;  // VisibleApplication proved it is their class
    else if (IsOffice(who) && !st.class_teacher_id) actor = Actor::kOfficeFallback;
    if (auto m = MayTake(actor, step); !m) return m.error();
    auto to = Transition(app.status, step);
    if (!to) return to.error();
    if (!store::SignatureFor(c, app.school_id, app.id, app.version))
      return Error::RuleBroken("该申请没有监护人签署的协议，不能审核", "the application carries no signature", "signature");
    if (!store::MoveStatus(c, app.id, app.version, app.status, *to, false)) return Stale();
    Decide(c, who, app, step, *to, reason);
    return AppJson(c, *store::LoadApplication(c, id), st, true, today);
  });
}

Result<Json> PrincipalReview(db::Db& db, const Principal& who, SchoolArg school, const Json& body) {
  BodyReader in(body);
  std::string decision = Trim(in.Text("decision", {.required = true, .label = "审定意见"}).value_or(""));
  std::string reason = Trim(in.Text("reason", {.multiline = true, .label = "理由"}).value_or(""));
  KEHOU_TRY(in.Finish());
  if (!in.Present("ids")) return Error::Invalid("请选择要审定的申请（ids）", "ids must be a list of application ids", "ids");
  auto ids_in = in.IdList("ids", {.label = "申请编号"});
  KEHOU_TRY(in.Finish());
  std::vector<int64_t> ids = std::move(*ids_in);
  if (ids.empty()) return Error::Invalid("请至少选择一份申请", "choose at least one application", "ids");
  if (ids.size() > kMaxReviewBatch)
    return Error::Invalid("一次最多审定 " + std::to_string(kMaxReviewBatch) + " 份申请",
                   "at most " + std::to_string(kMaxReviewBatch) + " applications per batch", "ids");
  if (std::set<int64_t>(ids.begin(), ids.end()).size() != ids.size())
    return Error::Invalid("申请编号重复", "an id is repeated", "ids");
  Step step;
  if (decision == "approve") step = Step::kApprove;
  else if (decision == "return") step = Step::kReturn;
  else if (decision == "reject") step = Step::kReject;
  else return Error::Invalid("审定意见应为 approve、return 或 reject", "decision must be approve, return or reject", "decision");
  if (auto r = CheckReason(reason, NeedsReason(step)); !r) return r.error();
  bool leader = who.scope == Scope::kSchool && (who.role == Role::kPrincipal || who.role == Role::kVicePrincipal);
  if (auto m = MayTake(leader ? Actor::kLeader : Actor::kOther, step); !m) return m.error();
  return db.Write([&](Conn& c) -> Result<Json> {
    auto sid = StaffSchool(c, who, school);
    if (!sid) return sid.error();
    Json items = Json::array();
    for (int64_t id : ids) {
      auto a = store::LoadApplication(c, id);
      if (!a || a->school_id != *sid)
        return Error::NotFound("申请 " + std::to_string(id) + " 不存在", "no such application " + std::to_string(id), "ids");
      auto to = Transition(a->status, step);
      if (!to) {
        Error e = to.error();
        e.message = "申请 " + std::to_string(id) + "：" + e.message;
        e.message_en = "application " + std::to_string(id) + ": " + e.message_en;
        e.field = "ids";
        return e;
      }
      if (step == Step::kApprove && !store::SignatureFor(c, a->school_id, a->id, a->version))
        return Error::RuleBroken("申请 " + std::to_string(id) + " 没有监护人签署的协议，不能通过",
                    "application " + std::to_string(id) + " carries no signature", "ids");
      if (!store::MoveStatus(c, a->id, a->version, a->status, *to, false)) return Stale();
      Decide(c, who, *a, step, *to, reason);
      items.push_back({{"id", id}, {"status", StatusName(*to)}, {"status_label", StatusLabelZh(*to)}});
    }
    return Json{{"decided", items.size()}, {"items", items}};
  });
}

}  // namespace kehou::enroll
