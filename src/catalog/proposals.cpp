#include "catalog/proposals.h"

#include <sodium.h>

#include "auth/audit.h"
#include "catalog/internal.h"
#include "core/body.h"
#include "core/text.h"
#include "core/time.h"

namespace kehou::catalog {
namespace {

using namespace internal;

// School-scope roles (course group, office, leadership, sysadmin) see every proposal of the
// school; proposers (teachers, institution staff) their own.
bool SeesAll(const auth::Principal& who) {
  return who.scope == auth::Scope::kSchool || who.scope == auth::Scope::kAll || who.scope == auth::Scope::kArea;
}

std::string_view ProposerKind(const auth::Principal& who) {
  switch (who.role) {
    case auth::Role::kExternalStaff: return "institution";
    case auth::Role::kTeacher:
    case auth::Role::kClassTeacher:
    case auth::Role::kGradeLeader: return "teacher";
    default: return "school";
  }
}

Json Instant(const std::optional<int64_t>& ms) { return ms ? Json(FormatInstant(*ms)) : Json(); }

std::optional<db::Row> ProposalRow(db::Conn& c, const auth::Principal& who, int64_t school, int64_t id) {
  auto r = c.QueryOne(kProposalById, {id, school});
  if (r && !SeesAll(who) && r->Int("proposer_user_id") != who.user_id) return std::nullopt;
  return r;
}

Json ProposalJson(const db::Row& r) {
  std::string state = r.Text("state");
  return {
      {"id", r.Int("id")},
      {"course_id", r.Int("course_id")},
      {"course_name", r.Text("course_name")},
      {"category", r.Text("category")},
      {"category_label", std::string(CategoryLabelZh(r.Text("category")))},
      {"teacher_name", r.Text("teacher_name")},
      {"institution", r.Text("institution")},
      {"course_status", r.Text("course_status")},
      {"state", state},
      {"state_label", std::string(ProposalStateLabelZh(state))},
      {"proposer",
       {{"user_id", r.Int("proposer_user_id")}, {"name", r.Text("proposer_name")}, {"kind", r.Text("proposer_kind")}}},
      {"submitted_at", Instant(r.OptInt("submitted_at"))},
      {"review",
       {{"by", r.OptInt("reviewed_by") ? Json(*r.OptInt("reviewed_by")) : Json()},
        {"by_name", r.Text("reviewed_by_name")},
        {"at", Instant(r.OptInt("reviewed_at"))},
        {"reason", r.Text("review_reason")}}},
      {"decision",
       {{"by", r.OptInt("decided_by") ? Json(*r.OptInt("decided_by")) : Json()},
        {"by_name", r.Text("decided_by_name")},
        {"at", Instant(r.OptInt("decided_at"))},
        {"reason", r.Text("decide_reason")}}},
      {"has_plan", r.OptInt("plan_id").has_value()},
      {"created_at", FormatInstant(r.Int("created_at"))},
      {"updated_at", FormatInstant(r.Int("updated_at"))}};
}

// The proposal, its course, its plan's description and its decisions.
Json FullJson(db::Conn& c, const db::Row& r) {
  Json out = ProposalJson(r);
  int64_t school = r.Int("school_id"), id = r.Int("id");
  if (auto course = CourseRow(c, school, r.Int("course_id"))) out["course"] = CourseJson(*course);
  out["plan"] = nullptr;
  if (auto p = c.QueryOne(kPlanMeta, {school, id}))
    out["plan"] = {{"id", p->Int("id")},
                   {"filename", p->Text("filename")},
                   {"content_type", p->Text("content_type")},
                   {"size_bytes", p->Int("size_bytes")},
                   {"sha256", p->Text("sha256")},
                   {"uploaded_at", FormatInstant(p->Int("created_at"))}};
  Json history = Json::array();
  for (auto& d : c.Query(kProposalDecisions, {school, id}))
    history.push_back({{"step", d.Text("step")},
                       {"decision", d.Text("decision")},
                       {"reason", d.Text("reason")},
                       {"by_name", d.Text("by_name")},
                       {"at", FormatInstant(d.Int("at"))}});
  out["decisions"] = history;
  return out;
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return ToHex(h, sizeof h);
}

// The body's plan {filename, content_base64}, checked (size, type, name) and hashed; nullopt if
// the body has none.
Result<std::optional<LessonPlan>> PlanOf(const Json& b) {
  if (!b.contains("plan") || b["plan"].is_null()) return std::optional<LessonPlan>();
  const Json& p = b["plan"];
  if (!p.is_object() || !p.contains("content_base64") || !p["content_base64"].is_string())
    return Error::Invalid("教案文件格式有误（应为 {filename, content_base64}）",
                          "plan must be {filename, content_base64}", "plan");
  std::string_view text = p["content_base64"].get_ref<const std::string&>();
  if (text.rfind("data:", 0) == 0) {  // a data: URL from the browser's FileReader
    auto comma = text.find(',');
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  // Refuse an oversized file before decoding it (4 base64 characters carry 3 bytes).
  if (text.size() / 4 * 3 > kMaxLessonPlanBytes + 3)
    return MakeError(kTooLarge, "教案文件过大（上限 " + std::to_string(kMaxLessonPlanBytes >> 20) + " MB）",
                     "the lesson plan is too large", "plan");
  auto bytes = DecodeBase64(text);
  if (!bytes)
    return Error::Invalid("教案文件内容无法读取（不是有效的 base64）", "content_base64 is not base64", "plan");
  std::string filename = p.contains("filename") && p["filename"].is_string() ? p["filename"].get<std::string>() : "";
  auto check = CheckLessonPlan(filename, *bytes);
  if (!check.ok()) return check.error();
  LessonPlan out{check->filename, check->content_type, Sha256Hex(*bytes), std::move(*bytes)};
  return std::optional<LessonPlan>(std::move(out));
}

bool HasCourseFields(const Json& b) {
  for (auto& [k, v] : b.items())
    if (k != "plan" && k != "submit" && k != "reason" && k != "status" && k != "term_id") return true;
  return false;
}

void RecordDecision(db::Conn& c, const auth::Principal& who, int64_t school, int64_t id, const char* step,
                    const std::string& decision, const std::string& reason, int64_t now) {
  c.Exec(kInsertDecision, {school, id, std::string(step), decision, reason,
                           who.user_id ? db::Value(who.user_id) : db::Null(), who.display_name, now});
}

void SetCourseStatus(db::Conn& c, int64_t school, int64_t course_id, std::string_view state, int64_t now) {
  c.Exec(kSetCourseStatus, {course_id, school, std::string(CourseStatusForProposal(state)), now});
}

Result<Json> Step(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id, const Json& body,
                  bool review) {
  BodyReader b(body);
  std::string decision = b.Text("decision", {.label = "结论"}).value_or("");
  std::string reason = b.Text("reason", {.multiline = true, .label = "理由"}).value_or("");
  KEHOU_TRY(b.Finish());
  std::optional<ProposalAction> action;
  if (review && decision == "approve") action = ProposalAction::kReviewApprove;
  if (review && decision == "return") action = ProposalAction::kReviewReturn;
  if (!review && decision == "approve") action = ProposalAction::kDecideApprove;
  if (!review && decision == "reject") action = ProposalAction::kDecideReject;
  if (!action)
    return Error::Invalid(
        review ? "审核结论应为 approve（通过）或 return（退回）" : "审批结论应为 approve（通过）或 reject（不通过）",
        review ? "decision is approve or return" : "decision is approve or reject", "decision");
  if (auto s = CheckDecisionReason(*action, reason); !s.ok()) return s.error();
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    auto r = ProposalRow(c, who, *sid, id);
    if (!r) return Error::NotFound("课程申报不存在或无权访问", "no such proposal");
    std::string from = r->Text("state");
    auto next = NextProposalState(from, *action);
    if (!next.ok()) return next.error();
    Json before = ProposalJson(*r);
    int64_t now = NowMs();
    // Conditional on the state read above: two reviewers at once, one wins, the other conflicts.
    int64_t n = c.Exec(
        review ? kReviewProposal : kDecideProposal,
        {id, *sid, *next, who.user_id ? db::Value(who.user_id) : db::Null(), who.display_name, now, reason, from});
    if (n != 1)
      return MakeError(kConflict, "申报状态已被他人更新，请刷新后重试", "the proposal changed meanwhile", "state");
    SetCourseStatus(c, *sid, r->Int("course_id"), *next, now);
    std::string what = *next == "reviewed" || *next == "approved" ? "approved" : *next;
    RecordDecision(c, who, *sid, id, review ? "review" : "decide", what, reason, now);
    Json after = FullJson(c, *ProposalRow(c, who, *sid, id));
    Json after_short = ProposalJson(*ProposalRow(c, who, *sid, id));
    auth::Audit(c, who, {review ? "review" : "decide", "course_proposal", id, &before, &after_short, *sid});
    return after;
  });
}

}  // namespace

Result<Json> ListProposals(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& filters) {
  std::string state = filters.value("state", "");
  if (!state.empty() && !IsProposalState(state))
    return Error::Invalid("申报状态无效", "unknown proposal state", "state");
  std::string q = filters.value("q", "");
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    int64_t own = SeesAll(who) ? 0 : (who.user_id ? who.user_id : -1);
    Json items = Json::array();
    for (auto& r : c.Query(kListProposals, {*sid, state, own, q})) items.push_back(ProposalJson(r));
    Json counts = Json::object();
    for (auto& r : c.Query(kProposalStates, {*sid, own})) counts[r.Text("state")] = r.Int("n");
    Json out{{"items", items}, {"total", items.size()}, {"counts", counts}};
    return out;
  });
}

Result<Json> GetProposal(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    auto r = ProposalRow(c, who, *sid, id);
    if (!r) return Error::NotFound("课程申报不存在或无权访问", "no such proposal");
    return FullJson(c, *r);
  });
}

Result<Json> CreateProposal(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& body) {
  auto plan = PlanOf(body);
  if (!plan.ok()) return plan.error();
  BodyReader b(body);
  bool submit = b.Bool("submit", {.label = "提交"}).value_or(true);
  auto term = b.Id("term_id", {.label = "学期"});
  KEHOU_TRY(b.Finish());
  if (submit && !*plan) return Error::Invalid("提交申报时请上传教案", "a lesson plan is required to submit", "plan");
  Json course_body = body;
  course_body.erase("plan");
  // A teacher proposes a course they teach; institution staff name their institution.
  if (!course_body.contains("teacher_staff_id") && who.staff_id) course_body["teacher_staff_id"] = *who.staff_id;
  auto in = CourseOf(course_body);
  if (!in.ok()) return in.error();
  if (!SeesAll(who) && in->teacher_staff_id && in->teacher_staff_id != who.staff_id)
    return MakeError(kForbidden, "只能以本人作为授课教师申报课程", "you may propose only courses you teach",
                     "teacher_staff_id");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    if (auto s = CheckCourseRefs(c, *sid, *in, term); !s.ok()) return s.error();
    int64_t now = NowMs();
    std::string state = submit ? "submitted" : "draft";
    int64_t course_id =
        c.Insert(kInsertCourse, {*sid, db::Opt(term), in->name, in->category, in->description, FormatGrades(in->grades),
                                 in->capacity, in->venue_kind, db::Opt(in->teacher_staff_id), in->institution,
                                 in->sessions_per_week, FormatSlots(in->slots), in->fee_fen, int64_t{in->subject_qa},
                                 std::string(CourseStatusForProposal(state)), now, in->subject});
    int64_t id = c.Insert(kInsertProposal, {*sid, course_id, state, who.user_id, who.display_name,
                                            std::string(ProposerKind(who)), submit ? db::Value(now) : db::Null(), now});
    if (*plan) InsertLessonPlan(c, *sid, id, **plan, who.user_id, now);
    if (submit) RecordDecision(c, who, *sid, id, "submit", "submitted", "", now);
    auto row = ProposalRow(c, who, *sid, id);
    Json out = FullJson(c, *row);
    Json audit = ProposalJson(*row);
    auth::Audit(c, who, {"create", "course_proposal", id, nullptr, &audit, *sid});
    return out;
  });
}

// A course the school posts (POST /courses: office, course group, leadership) is reviewed with its
// lesson plan like a teacher's proposal (issue 11): it is created with its proposal row. A leader
// (principal, vice principal) who posts it with its plan decides it there and then: the course is
// approved (or closed, if asked) with the plan stored and the decision recorded. Anyone else, or a
// leader without a plan: submitted with a plan (the course group reviews, leadership decides), a
// draft without one. Sections open only once the course is approved (CheckCourseOpen).
Result<Json> CreateCourse(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& body) {
  auto plan = PlanOf(body);
  if (!plan.ok()) return plan.error();
  Json course_body = body;
  course_body.erase("plan");
  auto in = CourseOf(course_body);
  if (!in.ok()) return in.error();
  BodyReader b(body);
  auto term = b.Id("term_id", {.label = "学期"});
  std::string status = b.Text("status", {.label = "状态"}).value_or("approved");
  std::string reason = b.Text("reason", {.multiline = true, .label = "审批意见"}).value_or("");
  KEHOU_TRY(b.Finish());
  const bool leader = who.role == auth::Role::kPrincipal || who.role == auth::Role::kVicePrincipal;
  const bool decided = leader && plan->has_value();
  if (decided && status != "approved")
    if (auto s = CheckCourseStatusEdit("approved", status); !s.ok()) return s.error();
  if (auto s = CheckDecisionReason(ProposalAction::kDecideApprove, reason); !s.ok()) return s.error();
  const std::string state = decided ? "approved" : *plan ? "submitted" : "draft";
  const std::string course_status = decided ? status : std::string(CourseStatusForProposal(state));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    KEHOU_TRY(CheckCourseRefs(c, *sid, *in, term));
    KEHOU_TRY(CheckCourseSchedule(c, *sid, *in, term));
    if (in->teacher_staff_id && course_status == "approved")
      KEHOU_TRY(
          CheckTeacherAssignment(c, *sid, {*in->teacher_staff_id, term, in->slots, in->subject_qa, std::nullopt}));
    int64_t now = NowMs();
    int64_t id =
        c.Insert(kInsertCourse,
                 {*sid, db::Opt(term), in->name, in->category, in->description, FormatGrades(in->grades), in->capacity,
                  in->venue_kind, db::Opt(in->teacher_staff_id), in->institution, in->sessions_per_week,
                  FormatSlots(in->slots), in->fee_fen, int64_t{in->subject_qa}, course_status, now, in->subject});
    int64_t pid = c.Insert(kInsertProposal, {*sid, id, state, who.user_id, who.display_name,
                                             std::string(ProposerKind(who)), *plan ? db::Value(now) : db::Null(), now});
    if (*plan) {
      InsertLessonPlan(c, *sid, pid, **plan, who.user_id, now);
      RecordDecision(c, who, *sid, pid, "submit", "submitted", "", now);
    }
    if (decided) {
      c.Exec(kRecordDecided,
             {pid, *sid, who.user_id ? db::Value(who.user_id) : db::Null(), who.display_name, now, reason});
      RecordDecision(c, who, *sid, pid, "decide", "approved", reason, now);
    }
    Json out = CourseJson(*CourseRow(c, *sid, id));
    Json proposal = ProposalJson(*ProposalRow(c, who, *sid, pid));
    auth::Audit(c, who, {"create", "course", id, nullptr, &out, *sid});
    auth::Audit(c, who, {"create", "course_proposal", pid, nullptr, &proposal, *sid});
    if (decided) auth::Audit(c, who, {"decide", "course_proposal", pid, nullptr, &proposal, *sid});
    out["proposal_id"] = pid;
    out["proposal_state"] = state;
    return out;
  });
}

Result<Json> SubmitProposal(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id,
                            const Json& body) {
  auto plan = PlanOf(body);
  if (!plan.ok()) return plan.error();
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    auto r = ProposalRow(c, who, *sid, id);
    if (!r) return Error::NotFound("课程申报不存在或无权访问", "no such proposal");
    std::string from = r->Text("state");
    auto next = NextProposalState(from, ProposalAction::kSubmit);
    if (!next.ok()) return next.error();
    if (!*plan && !r->OptInt("plan_id"))
      return Error::Invalid("提交申报时请上传教案", "a lesson plan is required", "plan");
    Json before = ProposalJson(*r);
    int64_t now = NowMs();
    int64_t course_id = r->Int("course_id");
    if (HasCourseFields(body)) {
      auto course = CourseRow(c, *sid, course_id);
      Json changes = body;
      changes.erase("plan");
      auto in = Merge(*course, changes);
      if (!in.ok()) return in.error();
      if (!SeesAll(who) && in->teacher_staff_id && in->teacher_staff_id != who.staff_id)
        return MakeError(kForbidden, "只能以本人作为授课教师申报课程", "you may propose only courses you teach",
                         "teacher_staff_id");
      if (auto s = CheckStaff(c, *sid, in->teacher_staff_id, "teacher_staff_id"); !s.ok()) return s.error();
      if (auto s = CheckCourseFee(c, *sid, in->fee_fen); !s.ok()) return s.error();
      c.Exec(kUpdateCourse, {course_id, *sid, in->name, in->category, in->description, FormatGrades(in->grades),
                             in->capacity, in->venue_kind, db::Opt(in->teacher_staff_id), in->institution,
                             in->sessions_per_week, FormatSlots(in->slots), in->fee_fen, int64_t{in->subject_qa},
                             std::string(CourseStatusForProposal(*next)), now, in->subject});
    }
    int64_t n = c.Exec(kResubmitProposal, {id, *sid, *next, now, from});
    if (n != 1)
      return MakeError(kConflict, "申报状态已被他人更新，请刷新后重试", "the proposal changed meanwhile", "state");
    SetCourseStatus(c, *sid, course_id, *next, now);
    if (*plan) InsertLessonPlan(c, *sid, id, **plan, who.user_id, now);
    RecordDecision(c, who, *sid, id, "submit", "submitted", "", now);
    auto row = ProposalRow(c, who, *sid, id);
    Json after = ProposalJson(*row);
    auth::Audit(c, who, {"submit", "course_proposal", id, &before, &after, *sid});
    return FullJson(c, *row);
  });
}

Result<Json> ReviewProposal(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id,
                            const Json& body) {
  return Step(db, who, school, id, body, /*review=*/true);
}

Result<Json> DecideProposal(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id,
                            const Json& body) {
  return Step(db, who, school, id, body, /*review=*/false);
}

Json LessonPlanBody(std::string_view filename, std::string_view bytes) {
  return {{"filename", std::string(filename)}, {"content_base64", EncodeBase64(bytes)}};
}

Result<FileOut> LessonPlanFile(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id) {
  return db.Read([&](db::Conn& c) -> Result<FileOut> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    if (!ProposalRow(c, who, *sid, id)) return Error::NotFound("课程申报不存在或无权访问", "no such proposal");
    auto plan = LoadLessonPlan(c, *sid, id);
    if (!plan) return Error::NotFound("教案不存在或无权访问", "no such lesson plan");
    return FileOut{std::move(plan->bytes), plan->content_type, plan->filename};
  });
}

}  // namespace kehou::catalog
