// agreements.cpp (enroll): the school's service agreement (托管协议) and its versions.
#include "enroll/internal.h"
#include "enroll/service.h"

namespace kehou::enroll {

using namespace internal;

Result<Json> ListAgreements(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id) {
  return db.Read([&](Conn& c) -> Result<Json> {
    auto sid = StaffSchool(c, who, school);
    if (!sid) return sid.error();
    Json items = Json::array();
    for (const auto& a : store::AgreementsOf(c, *sid, term_id)) {
      Json j = AgreementJson(a, false);
      j["signatures"] = c.QueryOne(store::kCountSignatures, {*sid, a.id})->Int("n");
      items.push_back(std::move(j));
    }
    return Items(items);
  });
}

Result<Json> CreateAgreement(db::Db& db, const Principal& who, SchoolArg school, const Json& body) {
  BodyReader in(body);
  auto term_id = in.Id("term_id", {.required = true, .label = "学期"});
  std::string title = Trim(in.Text("title", {.required = true, .label = "协议标题"}).value_or(""));
  std::string text =
      in.Text("body", {.required = true, .multiline = true, .trim = false, .label = "协议正文"}).value_or("");
  KEHOU_TRY(in.Finish());
  if (auto st = CheckText(title, kMaxTitleChars, true, "title", "协议标题"); !st) return st.error();
  if (auto st = CheckText(text, kMaxAgreementChars, true, "body", "协议正文"); !st) return st.error();
  try {
    return db.Write([&](Conn& c) -> Result<Json> {
      auto sid = StaffSchool(c, who, school);
      if (!sid) return sid.error();
      auto term = TermOf(c, *sid, term_id);
      if (!term) return term.error();
      auto a = store::InsertAgreementVersion(c, *sid, term->id, title, text, who.user_id);
      Json out = AgreementJson(a, true);
      Json audit = AgreementJson(a, false);
      auth::Audit(c, who, {"create", "agreement", a.id, nullptr, &audit, *sid});
      return out;
    });
  } catch (const db::DbError& e) {
    if (e.unique_violation)
      return Error::Conflict("同时有人在发布协议，请重试", "another version was published at the same time");
    throw;
  }
}

Result<Json> GetAgreement(db::Db& db, const Principal& who, SchoolArg school, int64_t id) {
  return db.Read([&](Conn& c) -> Result<Json> {
    auto a = store::LoadAgreement(c, id);
    auto nf = [] { return Error::NotFound("协议不存在", "no such agreement"); };
    if (!a) return nf();
    if (IsGuardianScope(who)) {
      bool mine = false;
      if (who.guardian_id)
        for (const auto& k : store::ChildrenOf(c, *who.guardian_id)) mine = mine || k.school_id == a->school_id;
      if (!mine) return nf();
    } else if (IsClassScope(who)) {
      if (!who.school_id || *who.school_id != a->school_id) return nf();
    } else if (!SeeSchool(c, who, school, a->school_id)) {
      return nf();
    }
    return AgreementJson(*a, true);
  });
}

Result<Json> CurrentAgreement(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id,
                              std::optional<int64_t> student_id) {
  return db.Read([&](Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, SchoolOfRequest(c, who, school, student_id, true));
    auto term = TermOf(c, sid, term_id);
    if (!term) return term.error();
    auto a = store::CurrentAgreement(c, sid, term->id);
    if (!a) return Error::NotFound("学校尚未发布本学期的托管协议", "no agreement published for this term");
    return AgreementJson(*a, true);
  });
}

}  // namespace kehou::enroll
