// The three concerns (三个关注) of a session and the unwell reports (issue 13 §2, R-DAY-3).
#include <set>

#include "auth/audit.h"
#include "notify/outbox.h"
#include "safety/internal.h"
#include "safety/rules.h"
#include "safety/store.h"

namespace kehou::safety {
namespace {

using namespace internal;

struct SessionKey {
  int64_t school = 0, section = 0;
  std::string day, band;
};

// The session's roster (the principal's visibility applied by attendance) and its key.
struct Loaded {
  Json roster;
  SessionKey key;
  int start = 0;
};
Result<Loaded> Load(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t section_id,
                    std::optional<Date> day, const std::string& band, int64_t now_ms) {
  KEHOU_ASSIGN_OR_RETURN(Json roster, SessionRoster(db, who, school, section_id, day, band, now_ms));
  Loaded l{std::move(roster), {}, 0};
  l.key.section = section_id;
  l.key.day = l.roster["session"]["date"].get<std::string>();
  l.key.band = l.roster["session"]["band"].get<std::string>();
  l.start = ParseTimeOfDay(l.roster["session"]["start"].get<std::string>()).value_or(0);
  KEHOU_ASSIGN_OR_RETURN(l.key.school, db.Read([&](db::Conn& c) { return auth::ResolveSchool(c, who, school); }));
  return l;
}

bool Unexcused(const Json& child) { return child["mark"] == "absent" && !child["on_leave"].get<bool>(); }

Json ConcernsAnswer(db::Conn& c, const Loaded& l) {
  const auto& k = l.key;
  Json roster = Json::array();
  for (const auto& it : l.roster["items"])
    roster.push_back({{"student_id", it["student_id"]},
                      {"name", it["name"]},
                      {"class_name", it["class_name"]},
                      {"status", it["status"]},
                      {"on_leave", it["on_leave"]},
                      {"unexcused", Unexcused(it)}});
  Json concerns = nullptr;
  if (auto row = c.QueryOne(store::kConcern, {k.school, k.section, k.day, k.band})) {
    concerns = RowJson(*row);
    concerns["all_on_time"] = row->Int("all_on_time") != 0;
    concerns["absent"] = Json::array();
    concerns["late_pickup"] = Json::array();
    for (auto& i : c.Query(store::kConcernItems, {k.school, row->Int("id")}))
      concerns[i.Text("kind")].push_back(
          {{"student_id", i.Int("student_id")}, {"name", i.Text("name")}, {"note", i.Text("note")}});
  }
  Json unwell = RowsJson(c.Query(store::kUnwellOfSession, {k.school, k.section, k.day, k.band}));
  return {{"session", l.roster["session"]}, {"roster", roster}, {"concerns", concerns}, {"unwell", unwell}};
}

// The unwell report's message to the guardians.
void QueueUnwell(db::Conn& c, int64_t school, int64_t id, const db::Row& child, const std::string& symptom,
                 const std::vector<std::string>& actions, int64_t now_ms) {
  std::string done;
  for (const auto& a : actions) done += (done.empty() ? "" : "、") + UnwellActionLabelZh(a);
  const std::string body =
      child.Text("name") + " 在课后服务中身体不适（" + symptom + "），学校已处理：" + done + "。如有疑问请联系学校。";
  for (int64_t g : store::Guardians(c, school, child.Int("id")))
    notify::Enqueue(c, school, "unwell:" + std::to_string(id), {"guardian", g}, "身体不适提醒", body, now_ms);
}

}  // namespace

Result<Json> SessionConcerns(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t section_id,
                             std::optional<Date> day, const std::string& band, int64_t now_ms) {
  KEHOU_ASSIGN_OR_RETURN(Loaded l, Load(db, who, school, section_id, day, band, now_ms));
  return db.Read([&](db::Conn& c) { return ConcernsAnswer(c, l); });
}

Result<Json> SaveConcerns(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t section_id,
                          const Json& body, int64_t now_ms) {
  BodyReader r(body);
  auto day = r.Date("date", {.required = true, .label = "日期"});
  auto band = r.Text("band", {.max_len = 20, .label = "时段"});
  auto absent = ReadChildNotes(r, "absent");
  auto late = ReadChildNotes(r, "late_pickup");
  auto on_time = r.Bool("all_on_time", {.required = true, .label = "是否全部按时接走"});
  auto note = r.Text("note", {.max_len = kMaxNoteChars, .multiline = true, .label = "备注"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  KEHOU_ASSIGN_OR_RETURN(Loaded l, Load(db, who, school, section_id, day, band.value_or(""), now_ms));
  ConcernCheck check;
  for (const auto& it : l.roster["items"]) {
    check.roster.insert(it["student_id"].get<int64_t>());
    if (Unexcused(it)) check.unexcused_absent.insert(it["student_id"].get<int64_t>());
  }
  for (auto& [id, n] : absent) check.absent.push_back({id, n});
  for (auto& [id, n] : late) check.late_pickup.push_back({id, n});
  check.all_on_time = *on_time;
  KEHOU_TRY(CheckRecordWindow(*day, l.start, now_ms));
  KEHOU_TRY(CheckConcerns(check));
  const auto& k = l.key;
  return db.Write([&](db::Conn& c) -> Result<Json> {
    int64_t id = c.Insert(store::kUpsertConcern, {k.school, k.section, k.day, k.band, int64_t{*on_time ? 1 : 0},
                                                  note.value_or(""), who.user_id, who.display_name, now_ms});
    c.Exec(store::kClearConcernItems, {k.school, id});
    for (const auto& it : check.absent)
      c.Exec(store::kInsertConcernItem, {k.school, id, it.student_id, std::string("absent"), it.note});
    for (const auto& it : check.late_pickup)
      c.Exec(store::kInsertConcernItem, {k.school, id, it.student_id, std::string("late_pickup"), it.note});
    Json after = {{"section_id", k.section},
                  {"date", k.day},
                  {"band", k.band},
                  {"all_on_time", *on_time},
                  {"absent", check.absent.size()},
                  {"late_pickup", check.late_pickup.size()}};
    auth::Audit(c, who, {"record_concerns", "safety_concerns", id, nullptr, &after, k.school});
    return ConcernsAnswer(c, l);
  });
}

Result<Json> ReportUnwell(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t section_id,
                          const Json& body, int64_t now_ms) {
  BodyReader r(body);
  auto day = r.Date("date", {.required = true, .label = "日期"});
  auto band = r.Text("band", {.max_len = 20, .label = "时段"});
  auto student = r.Id("student_id", {.required = true, .label = "学生"});
  auto symptom = r.Text("symptom", {.required = true, .max_len = kMaxSymptom, .label = "症状"});
  auto actions = r.TextList("actions", {.max_len = 40, .label = "处理措施"}, 10);
  auto note = r.Text("note", {.max_len = kMaxNoteChars, .multiline = true, .label = "说明"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  std::vector<std::string> acts = actions.value_or(std::vector<std::string>{});
  KEHOU_TRY(CheckUnwellActions(acts));
  KEHOU_ASSIGN_OR_RETURN(Loaded l, Load(db, who, school, section_id, day, band.value_or(""), now_ms));
  KEHOU_TRY(CheckRecordWindow(*day, l.start, now_ms));
  bool on_roster = false;
  for (const auto& it : l.roster["items"]) on_roster = on_roster || it["student_id"] == *student;
  if (!on_roster)
    return Error::Invalid("该学生不在本课次名单中", "the child is not on this session's roster", "student_id");
  std::string joined;
  for (const auto& a : acts) joined += (joined.empty() ? "" : ",") + a;
  const auto& k = l.key;
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto child = store::Student(c, k.school, *student);
    if (!child) return NotFound("学生", "student");
    int64_t id = c.Insert(store::kUnwellInsert, {k.school, k.section, k.day, k.band, *student, *symptom, joined,
                                                 note.value_or(""), who.user_id, who.display_name, now_ms});
    QueueUnwell(c, k.school, id, *child, *symptom, acts, now_ms);
    Json after = {{"student_id", *student},
                  {"symptom", *symptom},
                  {"actions", joined},
                  {"section_id", k.section},
                  {"date", k.day}};
    auth::Audit(c, who, {"report_unwell", "safety_unwell", id, nullptr, &after, k.school});
    return RowJson(*c.QueryOne(store::kUnwellById, {k.school, id}));
  });
}

Result<Json> ListUnwell(db::Db& db, const auth::Principal& who, SchoolArg school, const ListQuery& q) {
  if (q.status && *q.status != "open" && *q.status != "seen")
    return Error::Invalid("状态应为 open 或 seen", "status is open or seen", "status");
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto [from, to] = Range(q);
    Json items =
        RowsJson(c.Query(store::kUnwellInRange, {sid, from, to, q.status.value_or(""), q.size, (q.page - 1) * q.size}));
    int64_t total = c.QueryOne(store::kUnwellCountInRange, {sid, from, to, q.status.value_or("")})->Int("n");
    int64_t open = c.QueryOne(store::kUnwellOpenCount, {sid})->Int("n");
    return Json{{"items", items}, {"total", total}, {"open", open}};
  });
}

Result<Json> SeeUnwell(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t id, const Json& body,
                       int64_t now_ms) {
  BodyReader r(body);
  auto note = r.Text("note", {.max_len = kMaxNoteChars, .multiline = true, .label = "校医意见"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    const char* one = store::kUnwellById;
    auto before = c.QueryOne(one, {sid, id});
    if (!before) return NotFound("身体不适记录", "unwell report");
    if (before->Text("status") == "seen") return Error::Conflict("该记录已由校医确认", "already seen");
    c.Exec(store::kUnwellSeen, {sid, id, note.value_or(""), who.user_id, now_ms});
    Json b = {{"status", "open"}}, a = {{"status", "seen"}, {"doctor_note", note.value_or("")}};
    auth::Audit(c, who, {"see_unwell", "safety_unwell", id, &b, &a, sid});
    return RowJson(*c.QueryOne(one, {sid, id}));
  });
}

}  // namespace kehou::safety
