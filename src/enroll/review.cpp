// review.cpp (enroll): the class teacher's and the principal's review of applications.
#include "enroll/internal.h"
#include "enroll/service.h"

namespace kehou::enroll {

using namespace internal;

namespace {

// The ids, decision and reason of a batch review: 1..kMaxReviewBatch distinct ids.
struct BatchInput {
  std::vector<int64_t> ids;
  std::string decision, reason;
};
Result<BatchInput> ReadBatch(const Json& body, std::string_view decision_label) {
  BodyReader in(body);
  BatchInput b;
  b.decision = Trim(in.Text("decision", {.required = true, .label = decision_label}).value_or(""));
  b.reason = Trim(in.Text("reason", {.multiline = true, .label = "理由"}).value_or(""));
  KEHOU_TRY(in.Finish());
  if (!in.Present("ids"))
    return Error::Invalid("请选择要审核的申请（ids）", "ids must be a list of application ids", "ids");
  auto ids_in = in.IdList("ids", {.label = "申请编号"});
  KEHOU_TRY(in.Finish());
  b.ids = std::move(*ids_in);
  if (b.ids.empty()) return Error::Invalid("请至少选择一份申请", "choose at least one application", "ids");
  if (b.ids.size() > kMaxReviewBatch)
    return Error::Invalid("一次最多审核 " + std::to_string(kMaxReviewBatch) + " 份申请",
                          "at most " + std::to_string(kMaxReviewBatch) + " applications per batch", "ids");
  if (std::set<int64_t>(b.ids.begin(), b.ids.end()).size() != b.ids.size())
    return Error::Invalid("申请编号重复", "an id is repeated", "ids");
  return b;
}

// An error about one application of a batch: names it, points at ids.
Error OfApplication(int64_t id, Error e) {
  e.message = "申请 " + std::to_string(id) + "：" + e.message;
  e.message_en = "application " + std::to_string(id) + ": " + e.message_en;
  e.field = "ids";
  return e;
}

Result<Step> ClassStep(std::string_view decision) {
  if (decision == "approve") return Step::kClassApprove;
  if (decision == "return") return Step::kClassReturn;
  return Error::Invalid("审核意见应为 approve（通过）或 return（退回）", "decision must be approve or return",
                        "decision");
}

// The class review of one application in the caller's transaction: the class teacher of the
// child's class (the office only for a class without one), from submitted, signed.
Result<std::pair<store::ApplicationRow, store::StudentRow>> ClassReviewIn(Conn& c, const Principal& who,
                                                                          SchoolArg school, int64_t id, Step step,
                                                                          const std::string& reason) {
  auto v = VisibleApplication(c, who, school, id);
  if (!v) return v.error();
  auto& [app, st] = v.value();
  Actor actor = Actor::kOther;
  if (IsClassScope(who)) actor = Actor::kClassTeacher;  // VisibleApplication proved it is their class
  // A grade leader who is also the class teacher of the child's class reviews as class teacher
  // (issue 11); the other classes of their grade they read only.
  else if (IsGradeScope(who) && who.staff_id && st.class_teacher_id == who.staff_id) actor = Actor::kClassTeacher;
  else if (IsOffice(who) && !st.class_teacher_id) actor = Actor::kOfficeFallback;
  if (auto m = MayTake(actor, step); !m) return m.error();
  auto to = Transition(app.status, step);
  if (!to) return to.error();
  if (!store::SignatureFor(c, app.school_id, app.id, app.version))
    return Error::RuleBroken("该申请没有监护人签署的协议，不能审核", "the application carries no signature",
                             "signature");
  if (!store::MoveStatus(c, app.id, app.version, app.status, *to, false)) return Stale();
  Decide(c, who, app, step, *to, reason);
  return std::make_pair(*store::LoadApplication(c, id), st);
}

}  // namespace

Result<Json> ClassReview(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Json& body,
                         const Date& today) {
  BodyReader in(body);
  std::string decision = Trim(in.Text("decision", {.required = true, .label = "审核意见"}).value_or(""));
  std::string reason = Trim(in.Text("reason", {.multiline = true, .label = "理由"}).value_or(""));
  KEHOU_TRY(in.Finish());
  KEHOU_ASSIGN_OR_RETURN(Step step, ClassStep(decision));
  if (auto r = CheckReason(reason, NeedsReason(step)); !r) return r.error();
  return db.Write([&](Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(auto done, ClassReviewIn(c, who, school, id, step, reason));
    return AppJson(c, done.first, done.second, true, today);
  });
}

Result<Json> ClassReviewBatch(db::Db& db, const Principal& who, SchoolArg school, const Json& body) {
  KEHOU_ASSIGN_OR_RETURN(BatchInput b, ReadBatch(body, "审核意见"));
  KEHOU_ASSIGN_OR_RETURN(Step step, ClassStep(b.decision));
  if (auto r = CheckReason(b.reason, NeedsReason(step)); !r) return r.error();
  return db.Write([&](Conn& c) -> Result<Json> {  // all or nothing
    Json items = Json::array();
    for (int64_t id : b.ids) {
      auto done = ClassReviewIn(c, who, school, id, step, b.reason);
      if (!done.ok()) return OfApplication(id, done.error());
      AppStatus to = done->first.status;
      items.push_back({{"id", id}, {"status", StatusName(to)}, {"status_label", StatusLabelZh(to)}});
    }
    return Json{{"decided", items.size()}, {"items", items}};
  });
}

Result<Json> PrincipalReview(db::Db& db, const Principal& who, SchoolArg school, const Json& body) {
  KEHOU_ASSIGN_OR_RETURN(BatchInput b, ReadBatch(body, "审定意见"));
  Step step;
  if (b.decision == "approve") step = Step::kApprove;
  else if (b.decision == "return") step = Step::kReturn;
  else if (b.decision == "reject") step = Step::kReject;
  else
    return Error::Invalid("审定意见应为 approve、return 或 reject", "decision must be approve, return or reject",
                          "decision");
  if (auto r = CheckReason(b.reason, NeedsReason(step)); !r) return r.error();
  bool leader = who.scope == Scope::kSchool && (who.role == Role::kPrincipal || who.role == Role::kVicePrincipal);
  if (auto m = MayTake(leader ? Actor::kLeader : Actor::kOther, step); !m) return m.error();
  return db.Write([&](Conn& c) -> Result<Json> {
    auto sid = StaffSchool(c, who, school);
    if (!sid) return sid.error();
    Json items = Json::array();
    for (int64_t id : b.ids) {
      auto a = store::LoadApplication(c, id);
      if (!a || a->school_id != *sid)
        return Error::NotFound("申请 " + std::to_string(id) + " 不存在", "no such application " + std::to_string(id),
                               "ids");
      auto to = Transition(a->status, step);
      if (!to) return OfApplication(id, to.error());
      if (step == Step::kApprove && !store::SignatureFor(c, a->school_id, a->id, a->version))
        return Error::RuleBroken("申请 " + std::to_string(id) + " 没有监护人签署的协议，不能通过",
                                 "application " + std::to_string(id) + " carries no signature", "ids");
      if (!store::MoveStatus(c, a->id, a->version, a->status, *to, false)) return Stale();
      Decide(c, who, *a, step, *to, b.reason);
      items.push_back({{"id", id}, {"status", StatusName(*to)}, {"status_label", StatusLabelZh(*to)}});
    }
    return Json{{"decided", items.size()}, {"items", items}};
  });
}

}  // namespace kehou::enroll
