#include "activation/service.h"

#include <sodium.h>

#include <set>

#include "activation/letters.h"
#include "activation/rules.h"
#include "activation/store.h"
#include "auth/audit.h"
#include "core/ids.h"
#include "core/text.h"
#include "core/time.h"
#include "notify/outbox.h"

namespace kehou::activation {
namespace {
using auth::Principal;
using auth::Role;
using auth::Scope;

constexpr size_t kMaxSmsKeys = 100'000;  // in-memory SMS counters are cleared beyond this many mobiles

std::string NewCode(int digits) {
  std::string out;
  for (int i = 0; i < digits; ++i) out.push_back(static_cast<char>('0' + randombytes_uniform(10)));
  return out;
}
std::string CodeHash(std::string_view mobile, std::string_view code) {
  return auth::AuthService::TokenHash(std::string(mobile) + ":" + std::string(code));
}
Json Generic() {
  return {{"sent", true},
          {"message", "如果该手机号是学生监护人登记的号码且尚未激活，验证码已通过短信发送，10 分钟内有效"},
          {"retry_after", kSmsMinIntervalMs / 1000}};
}
Error NotFoundClass() { return Error::NotFound("班级不存在或无权查看", "no such class", "id"); }

// The school of the request, and the class teacher's own classes only.
Result<store::ClassRow> VisibleClass(db::Conn& c, const Principal& who, int64_t school, int64_t class_id) {
  auto k = store::LoadClass(c, school, class_id);
  if (!k) return NotFoundClass();
  if (who.scope == Scope::kOwnClass && (!who.staff_id || k->class_teacher_id != who.staff_id)) return NotFoundClass();
  return *k;
}
// The guardians of a class's children who have no account yet, each once (a guardian of two
// children of the class gets one letter and one reminder).
std::vector<store::GuardianRow> PendingGuardians(db::Conn& c, int64_t school, int64_t class_id) {
  std::vector<store::GuardianRow> out;
  std::set<int64_t> seen;
  for (auto& g : store::ClassGuardians(c, school, class_id))
    if (!g.activated && seen.insert(g.guardian_id).second) out.push_back(std::move(g));
  return out;
}
std::optional<int64_t> OwnClassTeacher(const Principal& who) {
  if (who.scope != Scope::kOwnClass) return std::nullopt;
  return who.staff_id.value_or(-1);
}
}  // namespace

ActivationService::ActivationService(db::Db& db)
    : db_(db), code_throttle_(db, "code"), sms_per_address_(kSmsPerAddressPerSecond, kSmsPerAddressBurst) {}

Result<Json> ActivationService::RequestSms(std::string_view mobile_in, std::string_view client, int64_t now_ms) {
  std::string mobile = Trim(mobile_in);
  if (!ValidMobile(mobile))
    return Error::Invalid("请输入正确的 11 位手机号", "enter an 11-digit mobile number", "mobile");
  if (int wait = sms_per_address_.Take(static_cast<int64_t>(std::hash<std::string_view>{}(client)), now_ms); wait > 0) {
    Error e = Error::Make(ErrorCode::kRateLimited, "此网络请求验证码过于频繁，请 " + std::to_string(wait) + " 秒后再试",
                          "too many codes asked from this address, retry in " + std::to_string(wait) + " s");
    e.retry_after = wait;
    return e;
  }
  {
    std::lock_guard lock(sms_mu_);
    if (sms_.size() > kMaxSmsKeys) sms_.clear();
    Sent& s = sms_[mobile];
    if (now_ms - s.day_start_ms >= kDayMs) s = Sent{s.last_ms, 0, now_ms};
    KEHOU_TRY(MaySendSms(s.last_ms, s.count, now_ms));
    s.last_ms = now_ms;
    ++s.count;
  }
  const std::string code = NewCode(kSmsCodeDigits);
  auto r = db_.Write([&](db::Conn& c) -> Status {
    auto g = store::GuardianByMobile(c, mobile);
    if (!g || !g->school_id || store::HasAccount(c, mobile, g->id)) return Ok();  // nothing to send
    auto since = store::SmsSentSince(c, g->id, now_ms - kDayMs);                  // the durable count, across restarts
    KEHOU_TRY(MaySendSms(since.last_ms, since.count, now_ms));
    int64_t id = store::InsertCode(c, g->id, *g->school_id, "sms", CodeHash(mobile, code), std::nullopt, now_ms,
                                   now_ms + kSmsCodeTtlMs);
    notify::Enqueue(c, *g->school_id, "activation:" + std::to_string(id), {"guardian", g->id}, "课后服务账号激活",
                    "【课后服务】您的激活验证码是 " + code + "，10 分钟内有效。请勿告诉他人。", now_ms,
                    std::string_view("sms"));  // a code goes by SMS whatever the channel chosen later
    Principal self;
    self.login = mobile;
    self.client = std::string(client);
    Json after{{"channel", "sms"}, {"guardian_id", g->id}};
    auth::Audit(c, self, {"activation_code", "guardian", g->id, nullptr, &after, *g->school_id});
    return Ok();
  });
  if (!r.ok()) return r.error();
  return Generic();
}

Result<Json> ActivationService::Complete(std::string_view mobile_in, std::string_view code_in,
                                         std::string_view password, std::string_view client, int64_t now_ms) {
  std::string mobile = Trim(mobile_in);
  std::string code = NormaliseCode(code_in);
  if (!ValidMobile(mobile))
    return Error::Invalid("请输入正确的 11 位手机号", "enter an 11-digit mobile number", "mobile");
  if (code.empty()) return Error::Invalid("请输入验证码", "enter the code", "code");
  KEHOU_TRY(auth::CheckPasswordStrength(password, "password", mobile));
  const std::string address(client);
  if (int64_t wait = code_throttle_.WaitSeconds(mobile, address, now_ms); wait > 0) {
    Error e = Error::Make(ErrorCode::kRateLimited, "尝试次数过多，请 " + std::to_string(wait) + " 秒后再试",
                          "too many attempts, retry in " + std::to_string(wait) + " s");
    e.retry_after = static_cast<int>(wait);
    return e;
  }
  auto wrong = [&] {
    code_throttle_.Failure(mobile, address, now_ms);
    return Error::Invalid("验证码无效或已过期", "the code is wrong or expired", "code");
  };
  const std::string hash = CodeHash(mobile, code);
  if (!db_.Read([&](db::Conn& c) { return store::FindValidCode(c, mobile, hash, now_ms).has_value(); })) return wrong();
  const std::string password_hash = auth::HashPassword(password);  // outside the write
  auto r = db_.Write([&](db::Conn& c) -> Result<Json> {
    auto v = store::FindValidCode(c, mobile, hash, now_ms);
    if (!v) return Error::Invalid("验证码无效或已过期", "the code is wrong or expired", "code");
    store::UseCodes(c, v->guardian_id, now_ms);
    if (store::HasAccount(c, mobile, v->guardian_id))
      return Error::Conflict("该手机号已激活，请直接登录；忘记密码请联系学校", "this mobile already has an account",
                             "mobile");
    int64_t user =
        store::InsertGuardianUser(c, mobile, password_hash, v->guardian_name, v->school_id, v->guardian_id, now_ms);
    Principal self;
    self.user_id = user;
    self.login = mobile;
    self.client = address;
    Json after{{"login", mobile}, {"guardian_id", v->guardian_id}, {"code_id", v->code_id}};
    auth::Audit(c, self, {"activate", "user", user, nullptr, &after, v->school_id});
    return Json{{"login", mobile}, {"display_name", v->guardian_name}};
  });
  if (!r.ok()) {
    if (r.error().code != ErrorCode::kConflict) code_throttle_.Failure(mobile, address, now_ms);
    return r;
  }
  code_throttle_.Success(mobile, address);
  return r;
}

Result<Json> ActivationService::Classes(const Principal& who, std::optional<int64_t> school) {
  return db_.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    Json items = Json::array();
    int64_t guardians = 0, activated = 0;
    for (const auto& k : store::ClassSummary(c, sid, OwnClassTeacher(who))) {
      items.push_back({{"class_id", k.class_id},
                       {"class_name", k.class_name},
                       {"guardians", k.guardians},
                       {"activated", k.activated}});
      guardians += k.guardians;
      activated += k.activated;
    }
    return Json{{"items", std::move(items)}, {"guardians", guardians}, {"activated", activated}};
  });
}

Result<Json> ActivationService::ClassGuardians(const Principal& who, std::optional<int64_t> school, int64_t class_id) {
  return db_.Write([&](db::Conn& c) -> Result<Json> {  // a write: the read of mobiles is logged
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(auto k, VisibleClass(c, who, sid, class_id));
    Json items = Json::array();
    for (const auto& g : store::ClassGuardians(c, sid, class_id))
      items.push_back({{"guardian_id", g.guardian_id},
                       {"guardian_name", g.guardian_name},
                       {"mobile", g.mobile},
                       {"relation", g.relation},
                       {"student_id", g.student_id},
                       {"student_name", g.student_name},
                       {"student_no", g.student_no},
                       {"activated", g.activated},
                       {"last_code_at", g.last_code_at ? Json(g.last_code_at) : Json(nullptr)},
                       {"last_channel", g.last_channel.empty() ? Json(nullptr) : Json(g.last_channel)},
                       {"letter_expires_at", g.letter_expires_at ? Json(g.letter_expires_at) : Json(nullptr)}});
    Json what{{"class_id", class_id}, {"rows", items.size()}};
    auth::Audit(c, who, {"read_personal", "activation_class", class_id, nullptr, &what, sid});
    return Json{{"class", {{"id", k.id}, {"name", k.name}}}, {"items", std::move(items)}};
  });
}

Result<FileOut> ActivationService::Letters(const Principal& who, std::optional<int64_t> school, int64_t class_id,
                                           std::string_view base_url, int64_t now_ms) {
  std::vector<Letter> letters;
  std::string class_name, school_name;
  auto r = db_.Write([&](db::Conn& c) -> Status {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(auto k, VisibleClass(c, who, sid, class_id));
    class_name = k.name;
    school_name = store::SchoolName(c, sid);
    for (const auto& g : PendingGuardians(c, sid, class_id)) {
      store::ExpireLetters(c, g.guardian_id, now_ms);
      const std::string code = NewCode(kLetterCodeDigits);
      store::InsertCode(c, g.guardian_id, sid, "letter", CodeHash(g.mobile, code),
                        who.user_id ? std::optional<int64_t>(who.user_id) : std::nullopt, now_ms,
                        now_ms + kLetterCodeTtlMs);
      Letter l;
      l.school = school_name;
      l.class_name = k.name;
      l.guardian = g.guardian_name + "（" + g.relation + "）";
      l.student = g.student_name;
      l.mobile = auth::MaskMobile(g.mobile);
      l.code = code;
      l.expires = FormatDate(LocalDate(now_ms + kLetterCodeTtlMs));
      l.url = std::string(base_url) + "/m/activate?mobile=" + g.mobile + "&code=" + code;
      letters.push_back(std::move(l));
    }
    if (letters.empty())
      return Error::RuleBroken("本班所有家长都已激活账号，没有需要打印的激活函",
                               "every guardian of the class has an account");
    Json what{{"class_id", class_id}, {"letters", letters.size()}};
    auth::Audit(c, who, {"print_letters", "activation_class", class_id, nullptr, &what, sid});
    return Ok();
  });
  if (!r.ok()) return r.error();
  KEHOU_ASSIGN_OR_RETURN(std::string pdf, RenderLetters(school_name + " " + class_name + " 家长账号激活函", letters));
  return FileOut{std::move(pdf), "application/pdf", class_name + "-激活函.pdf"};
}

Result<Json> ActivationService::Remind(const Principal& who, std::optional<int64_t> school, int64_t class_id,
                                       int64_t now_ms) {
  return db_.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(auto k, VisibleClass(c, who, sid, class_id));
    const std::string school_name = store::SchoolName(c, sid);
    const std::string day = FormatDate(LocalDate(now_ms));
    const auto pending_guardians = PendingGuardians(c, sid, class_id);
    const auto pending = static_cast<int64_t>(pending_guardians.size());
    int64_t queued = 0;
    for (const auto& g : pending_guardians) {
      if (notify::Enqueue(c, sid, "activation-remind:" + std::to_string(g.guardian_id) + ":" + day,
                          {"guardian", g.guardian_id}, "请激活课后服务账号",
                          "【" + school_name + "】" + g.guardian_name +
                              "您好，请打开课后服务家长端，用本手机号获取验证码激活账号，"
                              "以便报名、选课和查看孩子的考勤。",
                          now_ms))
        ++queued;
    }
    Json what{{"class_id", class_id}, {"queued", queued}};
    auth::Audit(c, who, {"remind_activation", "activation_class", class_id, nullptr, &what, sid});
    return Json{{"class", {{"id", k.id}, {"name", k.name}}}, {"pending", pending}, {"queued", queued}};
  });
}

}  // namespace kehou::activation
