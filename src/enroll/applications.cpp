// applications.cpp (enroll): a family's application: the form, signing and submitting it.
#include "core/text.h"
#include "enroll/internal.h"
#include "enroll/service.h"

namespace kehou::enroll {

using namespace internal;

namespace {

struct FormIn {
  std::optional<std::vector<int>> days;
  std::optional<std::vector<Band>> bands;
  std::optional<Pickup> pickup;
  bool has_batch = false;
  std::optional<int64_t> batch;
  std::optional<std::string> note;
};

Result<FormIn> ReadForm(const Json& body, bool create) {
  BodyReader in(body);
  FormIn f;
  f.days = SmallInts(in, "days", create, "服务日");
  f.bands = Bands(in, "bands", create);
  if (in.Present("pickup")) {
    const Json& pj = body.at("pickup");
    if (!pj.is_object()) return Error::Invalid("接送方式格式不正确", "pickup must be an object", "pickup");
    BodyReader p(pj, "pickup.");
    Pickup pk;
    auto mode = p.Text("mode", {.required = true, .label = "接送方式"});
    KEHOU_TRY(p.Finish());
    auto m = ParsePickup(Trim(*mode));
    if (!m)
      return Error::Invalid("接送方式应为 self、guardian 或 proxy", "pickup.mode must be self, guardian or proxy",
                            "pickup.mode");
    pk.mode = *m;
    pk.guardian_id = p.Id("guardian_id", {.label = "接送监护人"});
    pk.proxy_name = Trim(p.Text("proxy_name", {.label = "受托接送人姓名"}).value_or(""));
    pk.proxy_mobile = Trim(p.Text("proxy_mobile", {.label = "受托接送人手机"}).value_or(""));
    KEHOU_TRY(p.Finish());
    if (pk.mode != PickupMode::kGuardian) pk.guardian_id.reset();
    if (pk.mode != PickupMode::kProxy) pk.proxy_name.clear(), pk.proxy_mobile.clear();
    f.pickup = pk;
  } else if (create) {
    return Error::Invalid("请填写接送方式", "pickup is required", "pickup");
  }
  f.has_batch = in.Has("dismissal_batch_id");
  f.batch = in.Id("dismissal_batch_id", {.label = "放学批次"});
  f.note = in.Text("note", {.multiline = true, .label = "备注"});
  KEHOU_TRY(in.Finish());
  return f;
}

// Applies the form onto app and checks it against the child, the term and the school's lists.
Status ApplyForm(Conn& c, store::ApplicationRow& app, const FormIn& f, const store::StudentRow& st,
                 const school::Term& term) {
  if (f.days) app.days = *f.days;
  if (f.bands) app.bands = *f.bands;
  if (f.pickup) app.pickup = *f.pickup;
  if (f.has_batch) app.dismissal_batch_id = f.batch;
  if (f.note) app.note = *f.note;
  std::sort(app.days.begin(), app.days.end());
  if (auto s = CheckDays(app.days, term.dates.excluded_weekdays, false); !s) return s;
  if (auto s = CheckBands(app.bands, st.grade, store::OfferedBands(c, app.school_id, app.term_id), false); !s) return s;
  if (auto s = CheckPickup(app.pickup, store::GuardiansOf(c, st.id)); !s) return s;
  if (auto s = CheckText(app.note, kMaxNoteChars, false, "note", "备注"); !s) return s;
  auto batches = store::BatchesOf(c, app.school_id, false);
  if (app.dismissal_batch_id) {
    auto b = store::LoadBatch(c, *app.dismissal_batch_id);
    if (!b || b->school_id != app.school_id || !b->active)
      return Error::Invalid("放学批次不存在或已停用", "no such dismissal batch", "dismissal_batch_id");
  } else if (!batches.empty()) {
    bool late = std::any_of(app.bands.begin(), app.bands.end(),
                            [](Band b) { return b == Band::kAfterSchool || b == Band::kEvening; });
    if (late) return Error::Invalid("请选择放学批次", "choose a dismissal batch", "dismissal_batch_id");
  }
  return Ok();
}

}  // namespace

Result<Json> ListApplications(db::Db& db, const Principal& who, SchoolArg school, const ApplicationQuery& q) {
  store::ApplicationFilter f;
  f.term_id = q.term_id;
  f.class_id = q.class_id;
  f.student_id = q.student_id;
  f.q = Trim(q.q);
  if (!q.status.empty()) {
    f.status = ParseStatus(q.status);
    if (!f.status) return Error::Invalid("状态不正确", "unknown status", "status");
  }
  int64_t size = std::clamp<int64_t>(q.page_size, 1, 200);
  int64_t page = std::max<int64_t>(q.page, 1);
  f.limit = size;
  f.offset = (page - 1) * size;
  return db.Read([&](Conn& c) -> Result<Json> {
    Json items = Json::array();
    int64_t total = 0;
    auto emit = [&](int64_t sid) {
      int64_t t = 0;
      for (const auto& r : store::ListApplications(c, sid, f, &t))
        items.push_back(AppJson(c, r.app, r.student, false, TodayLocal()));
      total += t;
    };
    if (IsGuardianScope(who)) {
      if (who.guardian_id) {
        auto kids = store::ChildrenOf(c, *who.guardian_id);
        std::map<int64_t, std::vector<int64_t>> by_school;
        for (const auto& k : kids) by_school[k.school_id].push_back(k.id);
        f.restrict_students = true;
        for (auto& [sid, ids] : by_school) {
          f.student_ids = ids;
          emit(sid);
        }
      }
    } else {
      const bool bounded = IsClassScope(who) || IsGradeScope(who);
      auto sid = bounded && who.school_id ? Result<int64_t>(*who.school_id) : StaffSchool(c, who, school);
      if (!sid) return sid.error();
      if (bounded) {
        f.class_ids = IsGradeScope(who) ? store::ClassesOfGradeLeader(c, *sid, who.staff_id.value_or(-1))
                                        : store::ClassesOfTeacher(c, *sid, who.staff_id.value_or(-1));
        if (f.class_ids.empty()) return Json{{"items", items}, {"total", 0}, {"page", page}, {"page_size", size}};
      }
      emit(*sid);
    }
    return Json{{"items", items}, {"total", total}, {"page", page}, {"page_size", size}};
  });
}

Result<Json> CreateApplication(db::Db& db, const Principal& who, const Json& body, const Date& today) {
  BodyReader in(body);
  auto student_id = in.Id("student_id", {.required = true, .label = "学生"});
  auto term_id = in.Id("term_id", {.label = "学期"});
  KEHOU_TRY(in.Finish());
  auto form = ReadForm(body, true);
  if (!form) return form.error();
  try {
    return db.Write([&](Conn& c) -> Result<Json> {
      if (!IsGuardianScope(who)) return MakeError(kForbidden, "只有监护人可以提交报名", "only guardians apply");
      auto st = VisibleStudent(c, who, std::nullopt, *student_id);
      if (!st) return st.error();
      if (!st->active) return StudentNotFound();
      auto term = TermOf(c, st->school_id, term_id);
      if (!term) return term.error();
      if (term->dates.end < today) return Error::RuleBroken("该学期已结束，不能报名", "the term has ended", "term_id");
      if (auto old = store::ApplicationFor(c, st->school_id, term->id, st->id))
        return Error::Conflict(
            "该学生本学期已有报名申请（编号 " + std::to_string(old->id) + "），请在原申请上修改",
            "the child already has an application for this term (id " + std::to_string(old->id) + ")", "student_id");
      store::ApplicationRow a;
      a.school_id = st->school_id;
      a.term_id = term->id;
      a.student_id = st->id;
      if (auto s = ApplyForm(c, a, *form, *st, *term); !s) return s.error();
      a.id = store::InsertApplication(c, a, who.user_id);
      auto saved = store::LoadApplication(c, a.id);
      Json out = AppJson(c, *saved, *st, true, today);
      Json audit = FormJson(*saved);
      audit["student_id"] = st->id;
      audit["term_id"] = term->id;
      auth::Audit(c, who, {"create", "application", a.id, nullptr, &audit, st->school_id});
      return out;
    });
  } catch (const db::DbError& e) {
    if (e.unique_violation)
      return Error::Conflict("该学生本学期已有报名申请，请在原申请上修改",
                             "the child already has an application for this term", "student_id");
    throw;
  }
}

Result<Json> GetApplication(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Date& today) {
  return db.Read([&](Conn& c) -> Result<Json> {
    auto v = VisibleApplication(c, who, school, id);
    if (!v) return v.error();
    return AppJson(c, v->first, v->second, true, today);
  });
}

Result<Json> UpdateApplication(db::Db& db, const Principal& who, int64_t id, const Json& body, const Date& today) {
  auto form = ReadForm(body, false);
  if (!form) return form.error();
  BodyReader in(body);
  auto version = in.Id("version", {.label = "版本"});
  KEHOU_TRY(in.Finish());
  return db.Write([&](Conn& c) -> Result<Json> {
    if (!IsGuardianScope(who)) return MakeError(kForbidden, "只有监护人可以修改报名", "only guardians edit");
    auto v = VisibleApplication(c, who, std::nullopt, id);
    if (!v) return v.error();
    auto& [app, st] = v.value();
    if (!Editable(app.status))
      return Error::RuleBroken("申请当前状态为「" + std::string(StatusLabelZh(app.status)) + "」，不能修改",
                               "only a draft or returned application can be edited", "status");
    if (version && *version != app.version) return Stale();
    auto term = school::TermOf(c, app.school_id, app.term_id);
    if (!term) return TermNotFound();
    Json before = FormJson(app);
    store::ApplicationRow n = app;
    if (auto s = ApplyForm(c, n, *form, st, *term); !s) return s.error();
    if (!store::UpdateApplicationForm(c, n, app.version, who.user_id)) return Stale();
    auto saved = store::LoadApplication(c, id);
    Json after = FormJson(*saved);
    auth::Audit(c, who, {"update", "application", id, &before, &after, app.school_id});
    return AppJson(c, *saved, st, true, today);
  });
}

Result<Json> SignApplication(db::Db& db, const Principal& who, int64_t id, const Json& body, const SignContext& ctx,
                             const Date& today) {
  BodyReader in(body);
  auto agreement_id = in.Id("agreement_id", {.required = true, .label = "协议"});
  auto hash = in.Text("agreement_hash", {.label = "协议摘要"});
  KEHOU_TRY(in.Finish());
  try {
    return db.Write([&](Conn& c) -> Result<Json> {
      if (!IsGuardianScope(who)) return MakeError(kForbidden, "只有监护人可以签署协议", "only guardians sign");
      auto v = VisibleApplication(c, who, std::nullopt, id);
      if (!v) return v.error();
      auto& [app, st] = v.value();
      if (!Editable(app.status))
        return Error::RuleBroken("申请当前状态为「" + std::string(StatusLabelZh(app.status)) + "」，不能签署",
                                 "only a draft or returned application can be signed", "status");
      auto cur = store::CurrentAgreement(c, app.school_id, app.term_id);
      if (!cur)
        return Error::RuleBroken("学校尚未发布本学期的托管协议", "no agreement published for this term",
                                 "agreement_id");
      if (*agreement_id != cur->id || (hash && Trim(*hash) != cur->body_hash))
        return Error::Conflict("托管协议已更新，请阅读最新版本后再签署",
                               "the agreement changed; read the current version and sign it", "agreement_id");
      if (store::SignatureFor(c, app.school_id, app.id, app.version))
        return Error::Conflict("本版本申请已经签署，无需重复签署", "this version of the application is already signed");
      store::SignatureRow s;
      s.application_id = app.id;
      s.application_version = app.version;
      s.agreement_id = cur->id;
      s.agreement_version = cur->version;
      s.text_hash = TextHash(cur->body);  // of the exact text stored, not what the client claims
      s.form_json = FormJson(app).dump();
      s.user_id = who.user_id ? std::optional<int64_t>(who.user_id) : std::nullopt;
      s.guardian_id = who.guardian_id;
      s.signer_name = who.guardian_id ? store::GuardianName(c, *who.guardian_id) : std::string();
      if (s.signer_name.empty()) s.signer_name = WhoName(who);
      s.device = TruncateUtf8(ValidUtf8(ctx.device) ? ctx.device : std::string(), kMaxDeviceChars);
      s.client = TruncateUtf8(ctx.client, kMaxDeviceChars);
      s.signed_at = NowMs();
      s.id = store::InsertSignature(c, app.school_id, s);
      Json audit = SignatureJson(s);
      auth::Audit(c, who, {"sign", "application", app.id, nullptr, &audit, app.school_id});
      return AppJson(c, app, st, true, today);
    });
  } catch (const db::DbError& e) {
    if (e.unique_violation)
      return Error::Conflict("本版本申请已经签署，无需重复签署", "this version of the application is already signed");
    throw;
  }
}

Result<Json> SubmitApplication(db::Db& db, const Principal& who, int64_t id, const Date& today) {
  return db.Write([&](Conn& c) -> Result<Json> {
    if (auto m = MayTake(IsGuardianScope(who) ? Actor::kGuardian : Actor::kOther, Step::kSubmit); !m) return m.error();
    auto v = VisibleApplication(c, who, std::nullopt, id);
    if (!v) return v.error();
    auto& [app, st] = v.value();
    auto to = Transition(app.status, Step::kSubmit);
    if (!to) return to.error();
    auto sig = store::SignatureFor(c, app.school_id, app.id, app.version);
    if (!sig)
      return Error::RuleBroken("请先阅读并签署托管协议，再提交申请", "sign the agreement before submitting",
                               "signature");
    auto cur = store::CurrentAgreement(c, app.school_id, app.term_id);
    if (!cur || cur->id != sig->agreement_id)
      return Error::RuleBroken("托管协议已更新，请阅读最新版本并重新签署",
                               "the agreement changed since signing; sign the current version", "signature");
    if (!store::MoveStatus(c, app.id, app.version, app.status, *to, true)) return Stale();
    Decide(c, who, app, Step::kSubmit, *to, "");
    return AppJson(c, *store::LoadApplication(c, id), st, true, today);
  });
}

}  // namespace kehou::enroll
