// json.cpp (enroll): the JSON codecs of enroll: its own body shapes read with BodyReader, and
// the JSON of its rows as the pages see them.
#include "core/text.h"
#include "enroll/internal.h"

namespace kehou::enroll::internal {

// ---- JSON input ----------------------------------------------------------------------------------
// Bodies are read with core/body.h's BodyReader; these two read enroll's own shapes with it.

// Small integer lists (grades, weekdays).
std::optional<std::vector<int>> SmallInts(BodyReader& in, std::string_view key, bool required, std::string_view label) {
  auto v = in.IntList(key, {.required = required, .min = -1000, .max = 1000, .label = label});
  if (!v) return std::nullopt;
  return std::vector<int>(v->begin(), v->end());
}
// Time bands by name ("morning", "noon", ...).
std::optional<std::vector<Band>> Bands(BodyReader& in, std::string_view key, bool required) {
  auto w = in.TextList(key, {.required = required, .label = "时段"});
  if (!w) return std::nullopt;
  std::vector<Band> out;
  for (const auto& s : *w) {
    auto b = ParseBand(s);
    if (!b) {
      in.Fail(key, "未知的时段：" + s, "unknown time band " + s);
      return std::nullopt;
    }
    out.push_back(*b);
  }
  return out;
}

// ---- JSON output ---------------------------------------------------------------------------------
Json BandsJson(const std::vector<Band>& bs) {
  Json a = Json::array();
  for (Band b : bs) a.push_back(std::string(BandName(b)));
  return a;
}
Json BandOptions(const std::vector<Band>& bs) {
  Json a = Json::array();
  for (Band b : bs) a.push_back({{"kind", BandName(b)}, {"label", BandLabelZh(b)}});
  return a;
}
Json InterestOptions(const std::vector<std::string>& is) {
  Json a = Json::array();
  for (const auto& i : is) a.push_back({{"name", i}, {"label", InterestLabelZh(i)}});
  return a;
}
Json DayOptions() {
  Json a = Json::array();
  for (int d = kFirstServiceDay; d <= kLastServiceDay; ++d) a.push_back({{"day", d}, {"label", kWeekdayZh[d]}});
  return a;
}
Json StudentJson(const store::StudentRow& s) {
  return {{"id", s.id},
          {"name", s.name},
          {"student_no", s.student_no},
          {"class_id", s.class_id},
          {"class_name", s.class_name},
          {"grade", s.grade},
          {"class_teacher_id", s.class_teacher_id ? Json(*s.class_teacher_id) : Json()}};
}
Json SurveyJson(const store::SurveyRow& s, const Date& today) {
  return {{"id", s.id},
          {"school_id", s.school_id},
          {"term_id", s.term_id},
          {"term_name", s.term_name},
          {"title", s.title},
          {"note", s.note},
          {"grades", s.def.grades},
          {"bands", BandOptions(s.def.bands)},
          {"interests", InterestOptions(s.def.interests)},
          {"days", DayOptions()},
          {"opens_on", FormatDate(s.def.opens_on)},
          {"closes_on", FormatDate(s.def.closes_on)},
          {"open", SurveyOpen(today, s.def.opens_on, s.def.closes_on)}};
}
Json AnswerJson(const store::AnswerRow& a) {
  return {{"student_id", a.student_id},
          {"wants_service", a.answer.wants_service},
          {"days", a.answer.days},
          {"bands", BandsJson(a.answer.bands)},
          {"interests", a.answer.interests},
          {"free_text", a.answer.free_text},
          {"updated_at", FormatInstant(a.updated_at)}};
}
Json BatchJson(const store::BatchRow& b) {
  return {{"id", b.id}, {"name", b.name}, {"leave_time", b.leave_time}, {"active", b.active}};
}
Json AgreementJson(const store::AgreementRow& a, bool with_body) {
  Json j{{"id", a.id},
         {"school_id", a.school_id},
         {"term_id", a.term_id},
         {"version", a.version},
         {"title", a.title},
         {"body_hash", a.body_hash},
         {"body_chars", Utf8Length(a.body)},
         {"is_current", a.is_current},
         {"created_at", FormatInstant(a.created_at)}};
  if (with_body) j["body"] = a.body;
  return j;
}
Json SignatureJson(const store::SignatureRow& s) {
  return {{"id", s.id},
          {"application_version", s.application_version},
          {"agreement_id", s.agreement_id},
          {"agreement_version", s.agreement_version},
          {"text_hash", s.text_hash},
          {"signer_name", s.signer_name},
          {"guardian_id", s.guardian_id ? Json(*s.guardian_id) : Json(nullptr)},
          {"device", s.device},
          {"client", s.client},
          {"signed_at", FormatInstant(s.signed_at)},
          {"form", Json::parse(s.form_json, nullptr, false)}};
}
std::string_view DecisionLabelZh(std::string_view action) {
  if (action == "submit") return "提交申请";
  if (action == "class_approve") return "班主任审核通过";
  if (action == "class_return") return "班主任退回";
  if (action == "approve") return "校长审定通过";
  if (action == "return") return "校长退回";
  if (action == "reject") return "未予通过";
  return "";
}
Json DecisionJson(const store::DecisionRow& d) {
  auto role = auth::ParseRole(d.role);
  return {{"action", d.action},
          {"label", DecisionLabelZh(d.action)},
          {"application_version", d.application_version},
          {"from_status", d.from_status},
          {"to_status", d.to_status},
          {"reason", d.reason},
          {"user_name", d.user_name},
          {"role", d.role},
          {"role_label", role ? std::string(auth::RoleLabelZh(*role)) : std::string()},
          {"at", FormatInstant(d.at)}};
}
Json ExitJson(const store::ExitRow& e) {
  return {{"id", e.id},
          {"school_id", e.school_id},
          {"term_id", e.term_id},
          {"student_id", e.student_id},
          {"application_id", e.application_id},
          {"effective_date", FormatDate(e.effective_date)},
          {"reason", e.reason},
          {"user_name", e.user_name},
          {"role", e.role},
          {"created_at", FormatInstant(e.created_at)}};
}
Json FormJson(const store::ApplicationRow& a) {
  Json pickup{{"mode", PickupName(a.pickup.mode)}};
  if (a.pickup.mode == PickupMode::kGuardian)
    pickup["guardian_id"] = a.pickup.guardian_id ? Json(*a.pickup.guardian_id) : Json(nullptr);
  if (a.pickup.mode == PickupMode::kProxy) {
    pickup["proxy_name"] = a.pickup.proxy_name;
    pickup["proxy_mobile"] = a.pickup.proxy_mobile;
  }
  return {{"version", a.version},
          {"days", a.days},
          {"bands", BandsJson(a.bands)},
          {"pickup", pickup},
          {"dismissal_batch_id", a.dismissal_batch_id ? Json(*a.dismissal_batch_id) : Json(nullptr)},
          {"note", a.note}};
}

// The application as the pages see it; detail adds signatures, history, exit and enrolment.
Json AppJson(Conn& c, const store::ApplicationRow& a, const store::StudentRow& s, bool detail, const Date& today) {
  Json j = FormJson(a);
  j["id"] = a.id;
  j["school_id"] = a.school_id;
  j["term_id"] = a.term_id;
  j["student"] = StudentJson(s);
  j["status"] = StatusName(a.status);
  j["status_label"] = StatusLabelZh(a.status);
  j["editable"] = Editable(a.status);
  j["created_at"] = FormatInstant(a.created_at);
  j["updated_at"] = FormatInstant(a.updated_at);
  j["submitted_at"] = a.submitted_at ? Json(FormatInstant(*a.submitted_at)) : Json(nullptr);
  if (a.pickup.mode == PickupMode::kGuardian && a.pickup.guardian_id)
    j["pickup"]["guardian_name"] = store::GuardianName(c, *a.pickup.guardian_id);
  if (a.dismissal_batch_id)
    if (auto b = store::LoadBatch(c, *a.dismissal_batch_id)) j["dismissal_batch"] = BatchJson(*b);
  auto sig = store::SignatureFor(c, a.school_id, a.id, a.version);
  j["signed_current_version"] = sig.has_value();
  j["signature"] = sig ? SignatureJson(*sig) : Json(nullptr);
  if (!detail) return j;
  Json sigs = Json::array();
  for (const auto& x : store::SignaturesOf(c, a.school_id, a.id)) sigs.push_back(SignatureJson(x));
  j["signatures"] = sigs;
  Json history = Json::array();
  for (const auto& d : store::DecisionsOf(c, a.school_id, a.id)) history.push_back(DecisionJson(d));
  j["history"] = history;
  auto ex = store::ExitFor(c, a.school_id, a.id);
  j["exit"] = ex ? ExitJson(*ex) : Json(nullptr);
  auto term = school::TermOf(c, a.school_id, a.term_id);
  if (term) {
    j["term_name"] = term->name;
    j["enrolled_today"] =
        EnrolledOn(a.status, sig.has_value(), ex ? std::optional<Date>(ex->effective_date) : std::nullopt,
                   term->dates.start, term->dates.end, today);
  }
  auto cur = store::CurrentAgreement(c, a.school_id, a.term_id);
  j["current_agreement"] = cur ? AgreementJson(*cur, false) : Json(nullptr);
  return j;
}

Json Items(Json items) { return Json{{"items", std::move(items)}}; }

}  // namespace kehou::enroll::internal
