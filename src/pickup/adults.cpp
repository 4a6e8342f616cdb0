// adults.cpp (pickup): a child's authorised adults: proxies, restrictions, the permission to leave
// alone, and the dismissal batch a guardian chooses.
#include <sodium.h>

#include <algorithm>
#include <cctype>

#include "auth/audit.h"
#include "core/body.h"
#include "core/ids.h"
#include "enroll/service.h"
#include "pickup/internal.h"
#include "pickup/service.h"

namespace kehou::pickup {

using namespace internal;

namespace {

constexpr size_t kMaxNameChars = 30, kMaxRelationChars = 20, kMaxReasonChars = 200, kMaxFileNameChars = 120;

bool Base64(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '+' || ch == '/' ||
           ch == '=';
  });
}

struct FileIn {
  std::string name, type, data;
};
// A file in the body: {name, type, data (base64)}; PDF or an image.
Result<std::optional<FileIn>> ReadFile(BodyReader& r, std::string_view key, std::string_view label) {
  auto raw = r.Raw(key, false, label, Json::value_t::object);
  if (!raw) return std::optional<FileIn>{};
  BodyReader f(*raw, std::string(key) + ".");
  FileIn out;
  out.name = f.Text("name", {.required = true, .max_len = kMaxFileNameChars, .label = "文件名"}).value_or("");
  out.type = f.Text("type", {.required = true, .max_len = 60, .label = "文件类型"}).value_or("");
  out.data = f.Text("data", {.required = true, .label = label}).value_or("");
  KEHOU_TRY(f.Finish());
  if (out.type != "application/pdf" && out.type != "image/jpeg" && out.type != "image/png")
    return Error::Invalid(std::string(label) + "应为 PDF、JPG 或 PNG 文件", "the file must be PDF, JPEG or PNG",
                          std::string(key) + ".type");
  if (out.data.size() > kMaxFormBytes)
    return Error::Invalid(std::string(label) + "过大（上限 " + std::to_string(kMaxFormBytes / 1024 / 1024) + " MB）",
                          "the file is too large", std::string(key) + ".data");
  if (!Base64(out.data))
    return Error::Invalid(std::string(label) + "内容不是有效的 base64", "the file is not base64",
                          std::string(key) + ".data");
  return std::optional<FileIn>{out};
}

Result<std::string> ReadPhoto(BodyReader& r) {
  auto photo = r.Text("photo", {.label = "照片"}).value_or("");
  if (photo.empty()) return photo;
  if (photo.size() > kMaxPhotoBytes)
    return Error::Invalid("照片过大（上限 " + std::to_string(kMaxPhotoBytes / 1024) + " KB）", "the photo is too large",
                          "photo");
  for (const char* prefix : {"data:image/jpeg;base64,", "data:image/png;base64,", "data:image/webp;base64,"})
    if (photo.rfind(prefix, 0) == 0 && Base64(std::string_view(photo).substr(std::string_view(prefix).size())))
      return photo;
  return Error::Invalid("照片应为 JPG、PNG 或 WebP 图片", "the photo must be a JPEG, PNG or WebP data URL", "photo");
}

std::string_view ProxyStatus(const store::Proxy& p, const Date& today) {
  if (p.revoked) return "revoked";
  auto from = ParseDate(p.valid_from), to = ParseDate(p.valid_to);
  if (from && DaysFromCivil(today) < DaysFromCivil(*from)) return "not_yet_valid";
  if (!to || DaysFromCivil(today) > DaysFromCivil(*to)) return "expired";
  return "valid";
}
std::string_view ProxyStatusZh(std::string_view s) {
  if (s == "revoked") return "已撤销";
  if (s == "not_yet_valid") return "未生效";
  if (s == "expired") return "已过期";
  return "有效";
}

Json ProxyJson(const store::Proxy& p, const Date& today) {
  auto st = ProxyStatus(p, today);
  return {{"id", p.id},
          {"student_id", p.student_id},
          {"name", p.name},
          {"relation", p.relation},
          {"id_last4", p.id_last4},
          {"mobile", MaskMobile(p.mobile)},
          {"valid_from", p.valid_from},
          {"valid_to", p.valid_to},
          {"status", st},
          {"status_label", ProxyStatusZh(st)},
          {"has_photo", p.has_photo},
          {"photo", p.photo},
          {"has_form", !p.form_name.empty()},
          {"form_name", p.form_name},
          {"revoked", p.revoked},
          {"revoke_reason", p.revoke_reason}};
}

}  // namespace

Result<Json> ChildAdults(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t student_id, int64_t now_ms) {
  const Date today = LocalDate(now_ms);
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, SchoolForChild(c, who, school, student_id));
    auto child = store::ChildOf(c, sid, student_id);
    auto cards = store::CardsOf(c, sid, student_id);
    auto card_of = [&](std::string_view kind, int64_t id) -> Json {
      for (const auto& k : cards)
        if (k.adult_kind == kind && k.adult_id == id) return CardJson(k);
      return nullptr;
    };
    auto rs = store::RestrictionsOf(c, sid, student_id);
    auto restricted = [&](std::string_view kind, int64_t id) {
      return std::any_of(rs.begin(), rs.end(), [&](const auto& r) { return r.adult_kind == kind && r.adult_id == id; });
    };
    Json guardians = Json::array(), proxies = Json::array(), restrictions = Json::array();
    for (const auto& g : store::GuardiansOf(c, sid, student_id))
      guardians.push_back({{"id", g.id},
                           {"name", g.name},
                           {"relation", g.relation},
                           {"mobile", MaskMobile(g.mobile)},
                           {"primary", g.primary},
                           {"restricted", restricted("guardian", g.id)},
                           {"card", card_of("guardian", g.id)}});
    for (const auto& p : store::ProxiesOf(c, sid, student_id, true)) {
      Json j = ProxyJson(p, today);
      j["restricted"] = restricted("proxy", p.id);
      j["card"] = card_of("proxy", p.id);
      proxies.push_back(j);
    }
    if (!IsGuardian(who))  // the court's details are the office's; a guardian sees only the flag
      for (const auto& r : rs)
        restrictions.push_back({{"id", r.id},
                                {"adult_kind", r.adult_kind},
                                {"adult_id", r.adult_id},
                                {"reason", r.reason},
                                {"document", r.document}});
    auto sl = store::SelfLeaveOf(c, sid, student_id);
    Json batches = Json::array();
    for (const auto& [id, b] : Batches(c, sid))
      batches.push_back({{"id", id}, {"name", b.name}, {"leave_time", b.leave_time}});
    auto today_batch = BatchOfChild(c, sid, student_id, today);
    auto default_batch = store::ChosenBatch(c, sid, student_id, "");
    return Json{{"child", ChildJson(*child)},
                {"guardians", guardians},
                {"proxies", proxies},
                {"restrictions", restrictions},
                {"self_leave", {{"allowed", sl && sl->active}, {"form_name", sl ? sl->form_name : ""}}},
                {"batch",
                 {{"today", today_batch ? Json(*today_batch) : Json()},
                  {"default", default_batch ? Json(*default_batch) : Json()},
                  {"batches", batches}}}};
  });
}

Result<Json> CreateProxy(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms) {
  const Date today = LocalDate(now_ms);
  BodyReader r(body);
  auto student = r.Id("student_id", {.required = true, .label = "学生"});
  store::ProxyIn in;
  in.name = r.Text("name", {.required = true, .max_len = kMaxNameChars, .label = "代接人姓名"}).value_or("");
  in.relation =
      r.Text("relation", {.required = true, .max_len = kMaxRelationChars, .label = "与学生关系"}).value_or("");
  in.id_last4 = r.Text("id_last4", {.required = true, .max_len = 4, .label = "身份证后四位"}).value_or("");
  in.mobile = r.Text("mobile", {.max_len = 11, .label = "手机号"}).value_or("");
  auto from = r.Date("valid_from", {.required = true, .label = "授权开始日期"});
  auto to = r.Date("valid_to", {.required = true, .label = "授权结束日期"});
  auto photo = ReadPhoto(r);
  auto form = ReadFile(r, "form", "签字授权书");
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (!photo.ok()) return photo.error();
  if (!form.ok()) return form.error();
  if (!*form)
    return Error::Invalid("请上传监护人签字的代接授权书", "the signed authorisation form is required", "form");
  if (!ValidIdLast4(in.id_last4))
    return Error::Invalid("身份证后四位应为 4 位数字（最后一位可为 X）", "id_last4: four digits (the last may be X)",
                          "id_last4");
  if (!in.mobile.empty() && !ValidMobile(in.mobile))
    return Error::Invalid("手机号格式不正确", "invalid mobile", "mobile");
  KEHOU_TRY(CheckProxyDates(*from, *to, today));
  in.id_last4[3] = static_cast<char>(std::toupper(static_cast<unsigned char>(in.id_last4[3])));
  in.valid_from = FormatDate(*from);
  in.valid_to = FormatDate(*to);
  in.photo = *photo;
  in.form_name = (*form)->name;
  in.form_type = (*form)->type;
  in.form_data = (*form)->data;
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, SchoolForChild(c, who, school, *student));
    int active = 0;
    for (const auto& p : store::ProxiesOf(c, sid, *student, false))
      active += ProxyStatus(p, today) != "revoked" && ProxyStatus(p, today) != "expired";
    if (active >= kMaxProxiesPerChild)
      return Error::RuleBroken("每个学生最多登记 " + std::to_string(kMaxProxiesPerChild) + " 位有效的代接人",
                               "too many proxies for this child", "student_id");
    int64_t id = store::InsertProxy(c, sid, *student, in, who.user_id, now_ms);
    auto card = IssueCardIn(c, sid, *student, "proxy", id, now_ms);
    auto p = store::LoadProxy(c, id, false);
    Json out = ProxyJson(*p, today);
    Json audit = out;
    audit["card_id"] = card.id;
    auth::Audit(c, who, {"create", "pickup_proxy", id, nullptr, &audit, sid});
    out["card"] = CardJson(card);
    return out;
  });
}

Result<Json> RevokeProxy(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t id, const Json& body,
                         int64_t now_ms) {
  BodyReader r(body);
  auto reason = r.Text("reason", {.required = true, .max_len = kMaxReasonChars, .label = "撤销原因"});
  KEHOU_TRY(r.Finish());
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto p = store::LoadProxy(c, id, false);
    if (!p) return Error::NotFound("代接人不存在或无权访问", "no such proxy", "id");
    auto sid = SchoolForChild(c, who, school, p->student_id);
    if (!sid.ok() || *sid != p->school_id) return Error::NotFound("代接人不存在或无权访问", "no such proxy", "id");
    if (p->revoked) return Error::Conflict("此代接授权已撤销", "already revoked", "id");
    store::RevokeProxy(c, id, *reason, now_ms);
    int64_t cards = store::RevokeCards(c, p->school_id, p->student_id, "proxy", id, now_ms);
    auto after = store::LoadProxy(c, id, false);
    Json before = ProxyJson(*p, LocalDate(now_ms)), out = ProxyJson(*after, LocalDate(now_ms));
    Json audit = out;
    audit["cards_revoked"] = cards;
    auth::Audit(c, who, {"revoke", "pickup_proxy", id, &before, &audit, p->school_id});
    return out;
  });
}

Result<FileOut> ProxyForm(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t id) {
  return db.Read([&](db::Conn& c) -> Result<FileOut> {
    auto p = store::LoadProxy(c, id, false);
    if (!p) return Error::NotFound("代接人不存在或无权访问", "no such proxy", "id");
    auto sid = SchoolForChild(c, who, school, p->student_id);
    if (!sid.ok() || *sid != p->school_id) return Error::NotFound("代接人不存在或无权访问", "no such proxy", "id");
    auto f = store::ProxyForm(c, id);
    if (!f) return Error::NotFound("未上传授权书", "no form", "id");
    std::string bytes;
    {  // base64 decode (validated when uploaded)
      size_t len = 0;
      bytes.resize((*f)[2].size());
      if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), (*f)[2].data(),
                            (*f)[2].size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
        return Error::Invalid("授权书文件已损坏", "the stored form is not valid base64", "id");
      bytes.resize(len);
    }
    return FileOut{std::move(bytes), (*f)[1], (*f)[0]};
  });
}

Result<Json> ListProxies(db::Db& db, const auth::Principal& who, SchoolArg school, const std::string& q, int64_t page,
                         int64_t size, int64_t now_ms) {
  const Date today = LocalDate(now_ms);
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    int64_t total = 0;
    auto rows = store::SchoolProxies(c, sid, q, (page - 1) * size, size, &total);
    Json items = Json::array();
    for (const auto& p : rows) {
      Json j = ProxyJson(p, today);
      if (auto ch = store::ChildOf(c, sid, p.student_id)) j["child"] = ChildJson(*ch);
      items.push_back(j);
    }
    return Json{{"items", items}, {"total", total}};
  });
}

Result<Json> CreateRestriction(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body,
                               int64_t now_ms) {
  BodyReader r(body);
  store::Restriction x;
  x.student_id = r.Id("student_id", {.required = true, .label = "学生"}).value_or(0);
  x.adult_kind = r.Text("adult_kind", {.required = true, .label = "成人类别"}).value_or("");
  x.adult_id = r.Id("adult_id", {.required = true, .label = "成人"}).value_or(0);
  x.reason = r.Text("reason", {.required = true, .max_len = kMaxReasonChars, .label = "限制原因"}).value_or("");
  x.document = r.Text("document", {.required = true, .max_len = kMaxReasonChars, .label = "文书编号"}).value_or("");
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (x.adult_kind != "guardian" && x.adult_kind != "proxy")
    return Error::Invalid("成人类别应为 guardian 或 proxy", "adult_kind: guardian or proxy", "adult_kind");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, SchoolForChild(c, who, school, x.student_id));
    auto a = AdultOf(c, sid, x.student_id, *ParseAdultKind(x.adult_kind), x.adult_id, false);
    if (!a.auth.linked)
      return Error::NotFound("该成人不是此学生的监护人或代接人", "not an adult of this child", "adult_id");
    x.id = store::InsertRestriction(c, sid, x, who.user_id, now_ms);
    Json out = {
        {"id", x.id},           {"student_id", x.student_id}, {"adult_kind", x.adult_kind}, {"adult_id", x.adult_id},
        {"adult_name", a.name}, {"reason", x.reason},         {"document", x.document}};
    auth::Audit(c, who, {"create", "pickup_restriction", x.id, nullptr, &out, sid});
    return out;
  });
}

Result<Json> PutSelfLeave(db::Db& db, const auth::Principal& who, const Json& body, int64_t now_ms) {
  BodyReader r(body);
  auto student = r.Id("student_id", {.required = true, .label = "学生"});
  auto allowed = r.Bool("allowed", {.required = true, .label = "允许独自离校"});
  auto form = ReadFile(r, "form", "签字许可书");
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (!form.ok()) return form.error();
  if (*allowed && !*form)
    return Error::Invalid("请上传监护人签字的独自离校许可书", "the signed permission is required", "form");
  if (!who.guardian_id) return ChildNotFound();
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, SchoolForChild(c, who, std::nullopt, *student));
    auto before_row = store::SelfLeaveOf(c, sid, *student);
    FileIn f = *form ? **form : FileIn{before_row ? before_row->form_name : "", "", ""};
    store::PutSelfLeave(c, sid, *student, *who.guardian_id, *allowed, f.name, f.type, f.data, now_ms);
    Json before = {{"allowed", before_row && before_row->active}};
    Json out = {{"student_id", *student}, {"allowed", *allowed}, {"form_name", f.name}};
    auth::Audit(c, who, {"update", "pickup_self_leave", *student, &before, &out, sid});
    return out;
  });
}

Result<Json> ChooseBatch(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms) {
  const Date today = LocalDate(now_ms);
  BodyReader r(body);
  auto student = r.Id("student_id", {.required = true, .label = "学生"});
  auto batch = r.Id("batch_id", {.required = true, .label = "放学批次"});
  auto day = r.Date("date", {.label = "日期"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (day && DaysFromCivil(*day) < DaysFromCivil(today))
    return Error::Invalid("不能更改过去日期的放学批次", "the day has passed", "date");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, SchoolForChild(c, who, school, *student));
    auto batches = Batches(c, sid);
    auto b = batches.find(*batch);
    if (b == batches.end()) return Error::NotFound("放学批次不存在或未启用", "no such batch", "batch_id");
    const std::string key = day ? FormatDate(*day) : "";
    if (day && store::HandoverOf(c, sid, key, *student))
      return Error::Conflict("学生今天已离校，不能再改批次", "the child has left already", "date");
    auto before_id = store::ChosenBatch(c, sid, *student, key);
    store::PutBatchChoice(c, sid, *student, key, *batch, who.user_id, now_ms);
    Json before = {{"batch_id", before_id ? Json(*before_id) : Json()}};
    Json out = {{"student_id", *student},
                {"date", day ? Json(key) : Json()},
                {"batch_id", *batch},
                {"batch", b->second.name},
                {"leave_time", b->second.leave_time}};
    auth::Audit(c, who, {"choose", "pickup_batch", *student, &before, &out, sid});
    return out;
  });
}

}  // namespace kehou::pickup
