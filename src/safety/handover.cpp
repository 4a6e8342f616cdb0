// Shift handover (交接班, issue 13 §2, R-DAY-4): a record signed by the giver (their authenticated
// session writes it), acknowledged by the receiver (their own session, with the time).
#include <set>

#include "auth/audit.h"
#include "safety/internal.h"
#include "safety/rules.h"
#include "safety/store.h"

namespace kehou::safety {
namespace {

using namespace internal;

// A handover with its children's names (student_ids is a JSON array in the row).
Json HandoverJson(db::Conn& c, int64_t school, const db::Row& r) {
  Json j = RowJson(r);
  Json ids = Json::parse(r.Text("student_ids"), nullptr, false);
  Json children = Json::array();
  if (ids.is_array())
    for (const auto& id : ids)
      if (auto s = store::Student(c, school, id.get<int64_t>()))
        children.push_back(
            {{"student_id", s->Int("id")}, {"name", s->Text("name")}, {"class_name", s->Text("class_name")}});
  j.erase("student_ids");
  j["children"] = children;
  j["children_text"] = [&] {
    std::string t;
    for (const auto& ch : children) t += (t.empty() ? "" : "、") + ch["name"].get<std::string>();
    return t;
  }();
  return j;
}

}  // namespace

Result<Json> ListHandovers(db::Db& db, const auth::Principal& who, SchoolArg school, const ListQuery& q) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto [from, to] = Range(q);
    db::Rows rows;
    if (IsOffice(who)) {
      rows = c.Query(store::kHandoversInRange, {sid, from, to, q.size, (q.page - 1) * q.size});
    } else {  // their own: given or received in the range, and any still waiting for them
      rows = c.Query(store::kHandoversOfUser, {sid, from, to, who.user_id});
    }
    Json items = Json::array();
    for (const auto& r : rows) items.push_back(HandoverJson(c, sid, r));
    Json recipients = RowsJson(c.Query(store::kRecipients, {sid}));
    int64_t pending = c.QueryOne(store::kPendingHandovers, {sid, who.user_id})->Int("n");
    return Json{{"items", items}, {"total", items.size()}, {"recipients", recipients}, {"pending_for_me", pending}};
  });
}

Result<Json> CreateHandover(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body,
                            int64_t now_ms) {
  BodyReader r(body);
  auto to = r.Id("to_user_id", {.required = true, .label = "接班人"});
  auto day = r.Date("date", {.label = "日期"});
  auto section = r.Id("section_id", {.label = "课程"});
  auto place = r.Text("place", {.required = true, .max_len = 100, .label = "地点"});
  auto children = r.IdList("student_ids", {.required = true, .label = "学生", .max_items = 1000});
  auto watch = r.Text("watch", {.max_len = kMaxNoteChars, .multiline = true, .label = "注意事项"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  const Date today = LocalDate(now_ms);
  HandoverIn in{who.user_id, *to, *children, *place, day.value_or(today), today};
  KEHOU_TRY(CheckHandover(in));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto receiver = c.QueryOne(store::kRecipient, {sid, *to});
    if (!receiver) return Error::NotFound("接班人不存在或不是本校教职工", "no such staff member", "to_user_id");
    if (section && !c.QueryOne(store::kSectionOfSchool, {sid, *section}))
      return Error::NotFound("课程不存在", "no such section", "section_id");
    for (int64_t id : *children)
      if (!store::Student(c, sid, id)) return Error::NotFound("学生不存在", "no such student", "student_ids");
    Json ids = *children;
    int64_t id = c.Insert(store::kHandoverInsert,
                          {sid, who.user_id, who.display_name, *to, receiver->Text("display_name"), db::Opt(section),
                           FormatDate(in.day), *place, ids.dump(), watch.value_or(""), now_ms});
    Json after = {{"to_user_id", *to}, {"place", *place}, {"children", children->size()}, {"date", FormatDate(in.day)}};
    auth::Audit(c, who, {"handover", "safety_handover", id, nullptr, &after, sid});
    return HandoverJson(c, sid, *c.QueryOne(store::kHandoverById, {sid, id}));
  });
}

Result<Json> AcknowledgeHandover(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t id, const Json& body,
                                 int64_t now_ms) {
  BodyReader r(body);
  auto note = r.Text("note", {.max_len = kMaxNoteChars, .label = "说明"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    const char* one = store::kHandoverById;
    auto h = c.QueryOne(one, {sid, id});
    // Someone who neither gave nor receives it (and is not the office) does not learn it exists.
    if (!h || (!IsOffice(who) && h->Int("from_user_id") != who.user_id && h->Int("to_user_id") != who.user_id))
      return NotFound("交接记录", "handover");
    KEHOU_TRY(CheckAcknowledge(h->Int("to_user_id"), h->Text("status") == "pending", who.user_id));
    c.Exec(store::kHandoverAck, {sid, id, now_ms, note.value_or("")});
    Json b = {{"status", "pending"}}, a = {{"status", "acknowledged"}, {"ack_at", now_ms}};
    auth::Audit(c, who, {"handover_ack", "safety_handover", id, &b, &a, sid});
    return HandoverJson(c, sid, *c.QueryOne(one, {sid, id}));
  });
}

}  // namespace kehou::safety
