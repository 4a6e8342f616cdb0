// institutions.cpp (staff): the county's approved list of external institutions and the schools'
// contracts with them (R-STF-3); declared in service.h.
#include "auth/audit.h"
#include "core/body.h"
#include "core/text.h"
#include "staff/service.h"
#include "staff/store.h"

namespace kehou::staff {
namespace {

Error InstitutionNotFound() { return Error::NotFound("机构不存在或无权访问", "no such institution", "id"); }

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : s + ",") {
    if (ch == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  return out;
}
std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

Json InstitutionJson(const db::Row& r) {
  return {{"id", r.Int("id")},
          {"area_id", r.Int("area_id")},
          {"name", r.Text("name")},
          {"licence_no", r.Text("licence_no")},
          {"filing_no", r.Text("filing_no")},
          {"categories", Split(r.Text("categories"))},
          {"listed", r.Int("listed") != 0},
          {"review_date", r.Text("review_date")},
          {"removed_reason", r.Text("removed_reason")}};
}
Json ContractJson(const db::Row& r) {
  return {{"id", r.Int("id")},
          {"institution_id", r.Int("institution_id")},
          {"institution_name", r.Text("institution_name")},
          {"start_date", r.Text("start_date")},
          {"end_date", r.Text("end_date")},
          {"no_promotion", r.Int("no_promotion") != 0},
          {"safety_duties", r.Int("safety_duties") != 0},
          {"assistant_staff_id", r.OptInt("assistant_staff_id") ? Json(*r.OptInt("assistant_staff_id")) : Json()},
          {"assistant_name", r.Text("assistant_name")},
          {"exited_on", r.OptText("exited_on") ? Json(*r.OptText("exited_on")) : Json()},
          {"exit_reason", r.Text("exit_reason")},
          {"status", r.OptText("exited_on") ? "exited" : "active"}};
}

// An officer's own area: the list they keep. Others (school roles) may not write it.
Result<int64_t> OfficerArea(const auth::Principal& who) {
  if (!auth::IsAreaRole(who.role) || !who.area_id)
    return Error::Forbidden("机构遴选名单由县（市）教育局维护", "the approved list belongs to the county", "");
  return *who.area_id;
}

struct InstitutionInput {
  std::optional<std::string> name, licence_no, filing_no;
  std::optional<std::vector<std::string>> categories;
  std::optional<Date> review_date;
  std::optional<bool> listed;
  std::optional<std::string> removed_reason;
};
Result<InstitutionInput> InstitutionOf(const Json& body, bool create) {
  BodyReader b(body);
  InstitutionInput in;
  in.name = b.Text("name", {.required = create, .max_len = 60, .label = "机构名称"});
  in.licence_no = b.Text("licence_no", {.required = create, .max_len = 60, .label = "许可证号"});
  in.filing_no = b.Text("filing_no", {.required = create, .max_len = 60, .label = "备案号"});
  in.categories = b.TextList("categories", {.max_len = 20, .label = "课程类别"}, 20);
  in.review_date = b.Date("review_date", {.required = create, .label = "复核日期"});
  if (!create) {
    in.listed = b.Bool("listed", {.label = "在名单内"});
    in.removed_reason = b.Text("removed_reason", {.max_len = kMaxTextLength, .label = "移出原因"});
  }
  KEHOU_TRY(b.Finish(UnknownFields::kRefuse));
  if (create || in.categories)
    KEHOU_TRY(CheckInstitutionCategories(in.categories.value_or(std::vector<std::string>{})));
  return in;
}

}  // namespace

Result<Json> ListInstitutions(db::Db& db, const auth::Principal& who, std::optional<int64_t> school) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    Json items = Json::array();
    if (auth::IsAreaRole(who.role) && !school) {
      if (!who.area_id) return Error::Forbidden("没有所属区域", "no area", "");
      for (auto& r : c.Query(store::kInstitutionsOfArea, {*who.area_id})) {
        Json j = InstitutionJson(r);
        Json schools = Json::array();
        for (auto& s : c.Query(store::kAffectedSchools, {r.Int("id")}))
          schools.push_back({{"id", s.Int("id")}, {"name", s.Text("name")}});
        j["schools"] = schools;
        items.push_back(std::move(j));
      }
      return Json{{"items", items}, {"total", items.size()}, {"scope", "area"}};
    }
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto areas = c.QueryOne(store::kSchoolAreas, {sid});
    for (auto& r : c.Query(store::kInstitutionsOfAreas, {areas->Int("id"), areas->OptInt("parent_id").value_or(-1)})) {
      Json j = InstitutionJson(r);
      Json contracts = Json::array();
      for (auto& k : c.Query(store::kContractsOf, {sid, r.Int("id")})) contracts.push_back(ContractJson(k));
      j["contracts"] = contracts;
      items.push_back(std::move(j));
    }
    return Json{{"items", items}, {"total", items.size()}, {"scope", "school"}};
  });
}

Result<Json> CreateInstitution(db::Db& db, const auth::Principal& who, const Json& body) {
  KEHOU_ASSIGN_OR_RETURN(int64_t area, OfficerArea(who));
  KEHOU_ASSIGN_OR_RETURN(InstitutionInput in, InstitutionOf(body, true));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    if (c.QueryOne(store::kInstitutionNamed, {area, *in.name}))
      return Error::Conflict("名单中已有同名机构", "an institution of that name is listed", "name");
    const int64_t now = NowMs();
    int64_t id = c.Insert(store::kInsertInstitution, {area, *in.name, *in.licence_no, *in.filing_no,
                                                      Join(*in.categories), FormatDate(*in.review_date), now});
    Json out = InstitutionJson(*c.QueryOne(store::kInstitutionById, {id}));
    auth::Audit(c, who, {"create", "institution", id, nullptr, &out, std::nullopt});
    return out;
  });
}

Result<Json> UpdateInstitution(db::Db& db, const auth::Principal& who, int64_t id, const Json& body) {
  KEHOU_ASSIGN_OR_RETURN(int64_t area, OfficerArea(who));
  KEHOU_ASSIGN_OR_RETURN(InstitutionInput in, InstitutionOf(body, false));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto r = c.QueryOne(store::kInstitutionOfOfficer, {id, area});
    if (!r) return InstitutionNotFound();
    Json before = InstitutionJson(*r);
    const bool listed = in.listed.value_or(r->Int("listed") != 0);
    std::string reason = in.removed_reason.value_or(listed ? "" : r->Text("removed_reason"));
    if (!listed && r->Int("listed") != 0) KEHOU_TRY(CheckExitReason(reason));
    c.Exec(store::kUpdateInstitution,
           {id, in.name.value_or(r->Text("name")), in.licence_no.value_or(r->Text("licence_no")),
            in.filing_no.value_or(r->Text("filing_no")), in.categories ? Join(*in.categories) : r->Text("categories"),
            int64_t{listed}, in.review_date ? FormatDate(*in.review_date) : r->Text("review_date"),
            listed ? "" : reason, NowMs()});
    Json after = InstitutionJson(*c.QueryOne(store::kInstitutionById, {id}));
    Json schools = Json::array();
    for (auto& s : c.Query(store::kAffectedSchools, {id}))
      schools.push_back({{"id", s.Int("id")}, {"name", s.Text("name")}});
    auth::Audit(c, who, {listed ? "update" : "remove_listing", "institution", id, &before, &after, std::nullopt});
    after["affected_schools"] = schools;
    return after;
  });
}

Result<Json> CreateContract(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& body) {
  BodyReader b(body);
  auto inst = b.Id("institution_id", {.required = true, .label = "机构"});
  auto start = b.Date("start_date", {.required = true, .label = "开始日期"});
  auto end = b.Date("end_date", {.required = true, .label = "结束日期"});
  auto no_promo = b.Bool("no_promotion", {.label = "不宣传推销"});
  auto safety = b.Bool("safety_duties", {.label = "安全责任"});
  auto assistant = b.Id("assistant_staff_id", {.label = "本校助教"});
  KEHOU_TRY(b.Finish(UnknownFields::kRefuse));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto areas = c.QueryOne(store::kSchoolAreas, {sid});
    auto i = c.QueryOne(store::kInstitutionListing, {*inst, areas->Int("id"), areas->OptInt("parent_id").value_or(-1)});
    if (!i) return Error::NotFound("机构不存在或不在本县（市）名单内", "no such institution", "institution_id");
    if (assistant && !c.QueryOne(store::kInSchoolTeacher, {*assistant, sid}))
      return Error::NotFound("本校助教应为本校在职教师", "the assistant is one of the school's teachers",
                             "assistant_staff_id");
    InstitutionContract k{i->Int("listed") != 0,  *start,   *end, no_promo.value_or(false),
                          safety.value_or(false), assistant};
    KEHOU_TRY(CheckInstitutionContract(k));
    int64_t id =
        c.Insert(store::kInsertContract, {sid, *inst, FormatDate(*start), FormatDate(*end), int64_t{k.no_promotion},
                                          int64_t{k.safety_duties}, *assistant, NowMs()});
    Json out = ContractJson(*c.QueryOne(store::kContractById, {id}));
    auth::Audit(c, who, {"create", "institution_contract", id, nullptr, &out, sid});
    return out;
  });
}

Result<Json> ExitContract(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id,
                          const Json& body) {
  BodyReader b(body);
  auto reason = b.Text("reason", {.required = true, .max_len = kMaxTextLength, .label = "退出原因"});
  auto on = b.Date("on", {.label = "退出日期"});
  KEHOU_TRY(b.Finish(UnknownFields::kRefuse));
  KEHOU_TRY(CheckExitReason(*reason));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto r = c.QueryOne(store::kContractOfSchool, {id, sid});
    if (!r) return Error::NotFound("合作合同不存在或无权访问", "no such contract", "id");
    if (r->OptText("exited_on")) return Error::Conflict("该机构已退出", "the institution has already exited", "id");
    Json before = ContractJson(*r);
    c.Exec(store::kExitContract, {id, sid, FormatDate(on.value_or(TodayLocal())), *reason});
    Json after = ContractJson(*c.QueryOne(store::kContractOfSchool, {id, sid}));
    auth::Audit(c, who, {"exit", "institution_contract", id, &before, &after, sid});
    return after;
  });
}

}  // namespace kehou::staff
