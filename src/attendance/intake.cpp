// intake.cpp (attendance): what comes in from outside the roll call: card swipes from devices,
// the devices and cards themselves (the office), and guardians' leave requests.
#include <sodium.h>

#include <memory>
#include <set>

#include "attendance/internal.h"
#include "attendance/service.h"
#include "attendance/store.h"
#include "attendance/swipe_group.h"
#include "auth/audit.h"
#include "core/body.h"

namespace kehou::attendance {
namespace {

struct Device {
  int64_t id = 0, school_id = 0;
  std::string name;
};

Error BadDevice() {
  return Error::Unauthenticated("设备未认证：请在 Authorization 头中提供 Device <编号>.<密钥>",
                                "device not authenticated: send Authorization: Device <id>.<key>");
}

// "Device 12.secret" -> the active device whose key hash matches.
Result<Device> AuthenticateDevice(db::Conn& c, const std::string& header) {
  constexpr std::string_view kScheme = "Device ";
  if (header.size() <= kScheme.size() || header.compare(0, kScheme.size(), kScheme) != 0) return BadDevice();
  std::string token = header.substr(kScheme.size());
  auto dot = token.find('.');
  if (dot == std::string::npos || dot == 0 || dot > 18) return BadDevice();
  int64_t id = 0;
  for (size_t i = 0; i < dot; ++i) {
    if (token[i] < '0' || token[i] > '9') return BadDevice();
    id = id * 10 + (token[i] - '0');
  }
  auto row = store::DeviceById(c, id);
  if (!row || !row->active) return BadDevice();
  const std::string& want = row->key_hash;
  std::string got = store::HashKey(token.substr(dot + 1));
  if (want.size() != got.size() || sodium_memcmp(want.data(), got.data(), want.size()) != 0) return BadDevice();
  return Device{id, row->school_id, row->name};
}

std::string NewSecret() {
  unsigned char raw[24];
  randombytes_buf(raw, sizeof raw);
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (unsigned char b : raw) {
    s += hex[b >> 4];
    s += hex[b & 15];
  }
  return s;
}

Json DeviceJson(const store::DeviceRow& d) {
  return {{"id", d.id},
          {"name", d.name},
          {"active", d.active},
          {"created_at", FormatInstant(d.created_at)},
          {"last_seen_at", d.last_seen_at ? Json(FormatInstant(*d.last_seen_at)) : Json()}};
}

// Each row of the body read and checked on its own: a bad row is answered "rejected", never the batch.
void ReadSwipes(const Json& list, int64_t now_ms, std::vector<SwipeIn>& batch,
                std::vector<std::optional<Error>>& row_error) {
  for (size_t i = 0; i < list.size(); ++i) {
    const Json& j = list[i];
    SwipeIn s;
    std::optional<Error> err;
    if (!j.is_object()) {
      err = Error::Invalid("刷卡记录格式不对", "a swipe must be an object", "swipes");
    } else {
      BodyReader sr(j, "swipes[" + std::to_string(i) + "].");
      auto uid = sr.Text("uid", {.required = true, .max_len = kMaxSwipeIdLength, .trim = false, .label = "刷卡编号"});
      auto card = sr.Text("card_no", {.required = true, .max_len = kMaxSwipeIdLength, .trim = false, .label = "卡号"});
      auto at = sr.Int("at_ms", {.required = true, .min = 0, .label = "刷卡时间"});
      if (auto st = sr.Finish(UnknownFields::kRefuse); !st.ok()) {
        err = st.error();
        s.uid = uid.value_or("");
      } else {
        s = {*uid, *card, *at};
        if (auto chk = CheckSwipe(s, now_ms); !chk.ok()) err = chk.error();
      }
    }
    batch.push_back(std::move(s));
    row_error.push_back(std::move(err));
  }
}

// Each row's answer from what was stored now (a uid missing from `stored` was stored before: a
// resend), and the counts.
Json SwipeAnswer(const std::vector<SwipeIn>& batch, const std::vector<std::optional<Error>>& row_error,
                 const std::vector<size_t>& first, const std::map<std::string, std::optional<int64_t>>& stored) {
  Json results = Json::array();
  int accepted = 0, duplicate = 0, rejected = 0, unknown = 0;
  for (size_t i = 0; i < batch.size(); ++i) {
    Json one{{"uid", batch[i].uid}};
    if (row_error[i]) {
      one["result"] = "rejected";
      one["error"] = {{"code", ErrorCodeName(row_error[i]->code)},
                      {"message", row_error[i]->message},
                      {"field", row_error[i]->field}};
      ++rejected;
    } else if (first[i] != i) {
      one["result"] = "duplicate";
      ++duplicate;
    } else if (auto it = stored.find(batch[i].uid); it != stored.end()) {
      one["result"] = it->second ? "accepted" : "unknown_card";
      it->second ? ++accepted : ++unknown;
    } else {
      one["result"] = "duplicate";
      ++duplicate;
    }
    results.push_back(std::move(one));
  }
  return Json{{"results", results},
              {"accepted", accepted},
              {"unknown_card", unknown},
              {"duplicate", duplicate},
              {"rejected", rejected}};
}

}  // namespace

namespace {

// A batch authenticated, read and checked: what to store and how to answer each row.
struct PreparedSwipes {
  Device device;
  int64_t now_ms = 0;
  std::vector<SwipeIn> batch;
  std::vector<std::optional<Error>> row_error;
  std::vector<size_t> first;
  std::vector<const SwipeIn*> fresh;  // into batch: the first of each uid, when it passed its checks
  store::SwipeBatchAudit audit;

  store::SwipeBatchIn In() const { return {device.school_id, device.id, now_ms, &fresh, &audit}; }
  Json Answer(const std::map<std::string, std::optional<int64_t>>& stored) const {
    return SwipeAnswer(batch, row_error, first, stored);
  }
};

Result<std::unique_ptr<PreparedSwipes>> PrepareSwipes(db::Db& db, const std::string& authorization,
                                                      const std::string& client, const Json& body, int64_t now_ms) {
  // Authenticate first (a stranger learns nothing about the body's checks).
  auto device = db.Read([&](db::Conn& c) { return AuthenticateDevice(c, authorization); });
  if (!device.ok()) return device.error();
  BodyReader r(body);
  const Json* list = r.Raw("swipes", true, "刷卡记录", Json::value_t::array);
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (list->empty()) return Error::Invalid("刷卡记录不能为空", "swipes is empty", "swipes");
  if (list->size() > kMaxSwipeBatch)
    return Error::TooLarge("一次最多上传 " + std::to_string(kMaxSwipeBatch) + " 条刷卡记录",
                           "at most " + std::to_string(kMaxSwipeBatch) + " swipes per request", "swipes");
  auto p = std::make_unique<PreparedSwipes>();
  p->device = std::move(*device);
  p->now_ms = now_ms;
  ReadSwipes(*list, now_ms, p->batch, p->row_error);
  // What to store: the first of each uid, when it passed its checks (a repeat is a duplicate).
  p->first = FirstOfUid(p->batch);
  p->audit = {.user_name = "设备 " + p->device.name, .client = client, .request_id = ""};
  for (size_t i = 0; i < p->batch.size(); ++i) {
    if (p->row_error[i]) ++p->audit.rejected;
    else if (p->first[i] != i) ++p->audit.duplicate;
    else p->fresh.push_back(&p->batch[i]);
  }
  return p;
}

}  // namespace

Result<Json> IngestSwipes(db::Db& db, const std::string& authorization, const std::string& client, const Json& body,
                          int64_t now_ms) {
  KEHOU_ASSIGN_OR_RETURN(auto p, PrepareSwipes(db, authorization, client, body, now_ms));
  // PostgreSQL: stored with the other gates' batches waiting now, one call and one commit for all
  // (swipe_group.h, session 20); SQLite: one transaction of its own (the writer shares commits).
  return p->Answer(StoreSwipeBatch(db, p->In()));
}

std::vector<Result<Json>> IngestSwipeBatches(db::Db& db, const std::vector<SwipeUpload>& uploads, int64_t now_ms) {
  std::vector<std::optional<Error>> refused(uploads.size());
  std::vector<std::unique_ptr<PreparedSwipes>> ready(uploads.size());
  std::vector<size_t> place;  // group[k] is uploads[place[k]]
  std::vector<store::SwipeBatchIn> group;
  for (size_t i = 0; i < uploads.size(); ++i) {
    auto p = PrepareSwipes(db, uploads[i].authorization, uploads[i].client, uploads[i].body, now_ms);
    if (!p.ok()) {
      refused[i] = p.error();
      continue;
    }
    ready[i] = std::move(*p);
    place.push_back(i);
    group.push_back(ready[i]->In());
  }
  auto stored = StoreSwipeGroup(db, group);
  std::vector<std::optional<StoredBatch>> of(uploads.size());
  for (size_t k = 0; k < place.size(); ++k) of[place[k]] = std::move(stored[k]);
  std::vector<Result<Json>> out;
  for (size_t i = 0; i < uploads.size(); ++i) {
    if (refused[i]) out.push_back(*refused[i]);
    else if (of[i]->error)
      out.push_back(Error::Unavailable("刷卡记录未能保存，请重新上传", "the batch was not stored: send it again"));
    else out.push_back(ready[i]->Answer(of[i]->stored));
  }
  return out;
}

Result<Json> ListDevices(db::Db& db, const auth::Principal& who, std::optional<int64_t> school) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    Json items = Json::array();
    for (const auto& d : store::DevicesOf(c, sid)) items.push_back(DeviceJson(d));
    return Json{{"items", items}, {"total", items.size()}};
  });
}

Result<Json> CreateDevice(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& body) {
  BodyReader r(body);
  auto name = r.Text("name", {.required = true, .max_len = 40, .label = "设备名称"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  const std::string secret = NewSecret();
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    int64_t id = store::InsertDevice(c, sid, *name, store::HashKey(secret), NowMs());
    Json a{{"name", *name}};
    auth::Audit(c, who, {"create", "attendance_device", id, nullptr, &a, sid});
    // The key is shown this once; only its hash is stored.
    return Json{{"id", id}, {"name", *name}, {"active", true}, {"key", std::to_string(id) + "." + secret}};
  });
}

Result<Json> DisableDevice(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id) {
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto row = store::DeviceById(c, id);
    if (!row || row->school_id != sid) return Error::NotFound("设备不存在", "no such device", "id");
    store::DisableDevice(c, sid, id);
    Json b{{"active", row->active}}, a{{"active", false}};
    auth::Audit(c, who, {"disable", "attendance_device", id, &b, &a, sid});
    return Json{{"id", id}, {"active", false}};
  });
}

Result<Json> PutCard(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& body) {
  BodyReader r(body);
  auto card = r.Text("card_no", {.required = true, .max_len = kMaxSwipeIdLength, .label = "卡号"});
  auto student = r.Id("student_id", {.required = true, .label = "学生"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  KEHOU_TRY(CheckSwipe({"x", *card, NowMs()}, NowMs()));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    if (!store::StudentInSchool(c, sid, *student))
      return Error::NotFound("学生不存在", "no such student", "student_id");
    auto old = store::StudentOfCard(c, sid, *card);
    store::PutCard(c, sid, *card, *student, old.has_value(), NowMs());
    Json b{{"student_id", old ? Json(*old) : Json()}}, a{{"card_no", *card}, {"student_id", *student}};
    auth::Audit(c, who, {"put", "attendance_card", *student, &b, &a, sid});
    return Json{{"card_no", *card}, {"student_id", *student}};
  });
}

Result<Json> ListLeaves(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                        std::optional<Date> day) {
  const Date d = day.value_or(TodayLocal());
  const bool guardian = who.role == auth::Role::kGuardian;
  int64_t sid = 0;
  auto out = db.Read([&](db::Conn& c) -> Result<Json> {
    std::vector<store::LeaveRow> rows;
    if (guardian) {
      // A guardian: their children's requests, whatever the school (a guardian may have children in two).
      rows = store::LeavesOfGuardian(c, who.guardian_id.value_or(-1), AddDays(d, -kMaxLeaveDays));
    } else {
      KEHOU_ASSIGN_OR_RETURN(sid, auth::ResolveSchool(c, who, school));
      // Staff below the school's scope: the children of their own class, and of the sections they teach.
      const bool own = who.scope != auth::Scope::kSchool && who.scope != auth::Scope::kAll;
      rows = store::LeavesOfSchool(c, sid, d, own ? std::optional<int64_t>(who.staff_id.value_or(-1)) : std::nullopt);
    }
    Json items = Json::array();
    for (const auto& l : rows)
      items.push_back({{"id", l.id},
                       {"student_id", l.student_id},
                       {"student_name", l.student_name},
                       {"class_name", l.class_name},
                       {"from_date", l.from_date},
                       {"to_date", l.to_date},
                       {"section_ids", l.sections},
                       {"reason", l.reason},
                       {"status", l.status},
                       {"created_at", FormatLocalMinute(l.created_at)}});
    return Json{{"date", FormatDate(d)}, {"items", items}, {"total", items.size()}};
  });
  // Staff reading children's leave (names, classes, reasons) is a list read of personal data.
  if (out.ok() && !guardian)
    auth::LogListRead(
        db, who, {"leave_requests", "date=" + FormatDate(d), static_cast<int64_t>((*out)["items"].size()), "", sid});
  return out;
}

Result<Json> CreateLeave(db::Db& db, const auth::Principal& who, const Json& body, int64_t now_ms) {
  BodyReader r(body);
  auto student = r.Id("student_id", {.required = true, .label = "孩子"});
  auto from = r.Date("from_date", {.required = true, .label = "开始日期"});
  auto to = r.Date("to_date", {.required = true, .label = "结束日期"});
  auto sections = r.IdList("section_ids", {.label = "课程"});
  auto reason =
      r.Text("reason", {.required = true, .max_len = kMaxLeaveReason, .multiline = true, .label = "请假原因"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  Leave leave{*from, *to, sections.value_or(std::vector<int64_t>{}), now_ms};
  KEHOU_TRY(CheckLeave(leave, LocalDate(now_ms)));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto child_school = store::SchoolOfGuardiansChild(c, who.guardian_id.value_or(-1), *student);
    if (!child_school) return Error::NotFound("孩子不存在", "no such child", "student_id");
    const int64_t sid = *child_school;
    std::string list;
    for (int64_t x : leave.sections) {
      if (!store::SectionInSchool(c, sid, x)) return Error::NotFound("课程不存在", "no such section", "section_ids");
      list += (list.empty() ? "" : ",") + std::to_string(x);
    }
    store::LeaveRow row;
    row.student_id = *student;
    row.from_date = FormatDate(*from);
    row.to_date = FormatDate(*to);
    row.sections = list;
    row.reason = *reason;
    row.created_at = now_ms;
    int64_t id = store::InsertLeave(c, sid, row, *who.guardian_id);
    Json a{{"student_id", *student},
           {"from_date", FormatDate(*from)},
           {"to_date", FormatDate(*to)},
           {"section_ids", list},
           {"reason", *reason}};
    auth::Audit(c, who, {"create", "leave_request", id, nullptr, &a, sid});
    return Json{{"id", id},
                {"student_id", *student},
                {"from_date", FormatDate(*from)},
                {"to_date", FormatDate(*to)},
                {"section_ids", list},
                {"reason", *reason},
                {"status", "active"}};
  });
}

}  // namespace kehou::attendance
