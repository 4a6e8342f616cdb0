// cards.cpp (pickup): pickup cards (接送卡): issue, revoke, print a class's cards as PDF.
#include "pdf/cards.h"

#include "auth/audit.h"
#include "core/body.h"
#include "pickup/internal.h"
#include "pickup/service.h"

namespace kehou::pickup {

using namespace internal;

Result<Json> IssueCard(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms) {
  BodyReader r(body);
  auto student = r.Id("student_id", {.required = true, .label = "学生"});
  auto kind_text = r.Text("adult_kind", {.required = true, .label = "成人类别"});
  auto adult = r.Id("adult_id", {.required = true, .label = "成人"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  auto kind = ParseAdultKind(*kind_text);
  if (!kind || *kind == AdultKind::kSelf)
    return Error::Invalid("成人类别应为 guardian 或 proxy", "adult_kind: guardian or proxy", "adult_kind");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, SchoolForChild(c, who, school, *student));
    auto a = AdultOf(c, sid, *student, *kind, *adult, false);
    if (!a.auth.linked)
      return Error::NotFound("该成人不是此学生的监护人或代接人", "not an adult of this child", "adult_id");
    if (auto st = CheckAuthorisation(a.auth, LocalDate(now_ms)); !st.ok())
      return Error::RuleBroken("不能发卡：" + st.error().message, "cannot issue a card: not authorised", "adult_id");
    auto card = IssueCardIn(c, sid, *student, *kind_text, *adult, now_ms);
    Json out = CardJson(card);
    out["adult"] = a.json;
    Json audit = {{"student_id", *student}, {"adult_kind", *kind_text}, {"adult_id", *adult}, {"code", card.code}};
    auth::Audit(c, who, {"issue", "pickup_card", card.id, nullptr, &audit, sid});
    return out;
  });
}

Result<Json> RevokeCard(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t id, int64_t now_ms) {
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto k = store::LoadCard(c, id);
    if (!k) return Error::NotFound("接送卡不存在或无权访问", "no such card", "id");
    auto sid = SchoolForChild(c, who, school, k->student_id);
    if (!sid.ok() || *sid != k->school_id) return Error::NotFound("接送卡不存在或无权访问", "no such card", "id");
    if (k->revoked) return Error::Conflict("此接送卡已作废", "already revoked", "id");
    store::RevokeCards(c, k->school_id, k->student_id, k->adult_kind, k->adult_id, now_ms);
    Json before = {{"revoked", false}}, after = {{"revoked", true}, {"code", k->code}};
    auth::Audit(c, who, {"revoke", "pickup_card", id, &before, &after, k->school_id});
    return Json{{"id", id}, {"code", k->code}, {"revoked", true}};
  });
}

Result<FileOut> PrintCards(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t class_id,
                           const std::string& base_url, int64_t now_ms) {
  const Date today = LocalDate(now_ms);
  std::string class_name;
  auto cards = db.Write([&](db::Conn& c) -> Result<std::vector<pdf::Card>> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto children = store::ChildrenOfClass(c, sid, class_id);
    if (children.empty()) return Error::NotFound("班级不存在或没有学生", "no such class or no children", "class_id");
    class_name = children.front().class_name;
    std::vector<pdf::Card> out;
    int issued = 0;
    for (const auto& ch : children) {
      auto existing = store::CardsOf(c, sid, ch.id);
      for (const auto& a : AdultsOf(c, sid, ch.id, false)) {
        if (!CheckAuthorisation(a.auth, today).ok()) continue;  // no card for who may not collect
        const std::string kind(AdultKindName(a.kind));
        std::optional<store::Card> card;
        for (const auto& k : existing)
          if (k.adult_kind == kind && k.adult_id == *a.id) card = k;
        if (!card) {
          card = IssueCardIn(c, sid, ch.id, kind, *a.id, now_ms);
          ++issued;
        }
        pdf::Card pc;
        pc.heading = "接送卡 · " + ch.class_name;
        pc.lines = {"学生：" + ch.name + "（" + ch.student_no + "）", "接送人：" + a.name + "（" + a.relation + "）"};
        if (a.kind == AdultKind::kProxy)
          pc.lines.push_back("授权有效期：" + a.json.value("valid_from", "") + " 至 " + a.json.value("valid_to", ""));
        pc.qr_payload = base_url.empty() ? card->token : base_url + "/m/card?token=" + card->token;
        pc.big = card->code;
        pc.footnote = "放学时请向门卫或老师出示此卡；遗失请立即在手机上作废。";
        out.push_back(std::move(pc));
      }
    }
    if (out.empty())
      return Error::RuleBroken("该班没有可发卡的接送人", "no authorised adults in this class", "class_id");
    Json audit = {{"class_id", class_id}, {"cards", out.size()}, {"issued", issued}};
    auth::Audit(c, who, {"print", "pickup_card", class_id, nullptr, &audit, sid});
    return out;
  });
  if (!cards.ok()) return cards.error();
  KEHOU_ASSIGN_OR_RETURN(auto pdf, pdf::RenderCards(class_name + " 接送卡", *cards));
  return FileOut{std::move(pdf.bytes), "application/pdf", class_name + "接送卡.pdf"};
}

}  // namespace kehou::pickup
