#include "staff/store.h"

#include "school/service.h"

namespace kehou::staff::store {
namespace {

std::optional<Date> DateOf(const db::Row& r, const char* col) {
  auto t = r.OptText(col);
  return t ? ParseDate(*t) : std::nullopt;
}

}  // namespace

StaffRecord GateRecordOf(const db::Row& r) {
  StaffRecord g;
  g.staff_id = r.Int("staff_id");
  g.name = r.Text("name");
  g.active = r.Int("active") != 0;
  auto cd = DateOf(r, "check_date");
  auto cv = DateOf(r, "check_valid_until");
  if (cd && cv && r.OptText("check_result"))
    g.check = BackgroundCheck{*cd, r.Text("check_result") == "passed", r.Text("check_certificate"), *cv};
  auto s = DateOf(r, "contract_start");
  auto e = DateOf(r, "contract_end");
  if (s && e) g.contract = Contract{*s, *e, r.Int("hourly_rate_fen")};
  if (r.OptInt("institution_id")) {
    g.institution = r.Text("institution_name");
    g.institution_exited = r.Int("contracts") > 0 && r.Int("open_contracts") == 0;
    g.institution_uncontracted = r.Int("contracts") == 0;
  }
  return g;
}

std::optional<db::Row> FindRecord(db::Conn& c, int64_t school, int64_t staff_id) {
  return c.QueryOne(std::string(kRecordSelect) + " AND s.id = $2", {school, staff_id});
}

std::vector<db::Row> ListRecords(db::Conn& c, int64_t school, const std::string& q, const std::string& kind) {
  return c.Query(std::string(kRecordSelect) +
                     " AND ($2 = '' OR s.name LIKE '%' || $2 || '%' OR s.subjects LIKE '%' || $2 || '%')"
                     " AND ($3 = '' OR s.kind = $3) ORDER BY s.active DESC, s.name, s.id",
                 {school, q, kind});
}

std::optional<Term> FindTerm(db::Conn& c, int64_t school, std::optional<int64_t> term_id) {
  auto t = term_id ? school::TermOf(c, school, *term_id) : school::CurrentTerm(c, school);
  if (!t) return std::nullopt;
  return Term{t->id, t->name, {t->dates.start, t->dates.end}};
}

RecordFields FieldsOf(const db::Row& r) {
  RecordFields f;
  f.qualifications = r.Text("qualifications");
  f.institution_id = r.OptInt("institution_id");
  f.check_date = r.OptText("check_date");
  f.check_result = r.OptText("check_result");
  f.check_certificate = r.Text("check_certificate");
  f.check_valid_until = r.OptText("check_valid_until");
  f.health_valid_until = r.OptText("health_valid_until");
  f.contract_start = r.OptText("contract_start");
  f.contract_end = r.OptText("contract_end");
  f.hourly_rate_fen = r.Int("hourly_rate_fen");
  f.will_weekdays = r.Text("will_weekdays");
  f.will_bands = r.Text("will_bands");
  f.will_content = r.Text("will_content");
  f.will_max_hours = r.Int("will_max_hours");
  return f;
}

void SaveRecord(db::Conn& c, int64_t school, int64_t staff_id, const RecordFields& f, int64_t now) {
  db::Params p{school,
               staff_id,
               f.qualifications,
               db::Opt(f.institution_id),
               db::Opt(f.check_date),
               db::Opt(f.check_result),
               f.check_certificate,
               db::Opt(f.check_valid_until),
               db::Opt(f.health_valid_until),
               db::Opt(f.contract_start),
               db::Opt(f.contract_end),
               f.hourly_rate_fen,
               f.will_weekdays,
               f.will_bands,
               f.will_content,
               f.will_max_hours,
               now};
  if (c.QueryOne(kFindRecordId, {school, staff_id})) c.Exec(kUpdateRecord, p);
  else c.Insert(kInsertRecord, p);
}

}  // namespace kehou::staff::store
