// store_surveys.cpp (enroll): the SQL of needs surveys and their answers, dismissal batches and
// agreements (store.h declares them; store.cpp holds the rest).
#include <algorithm>

#include "core/text.h"
#include "enroll/store.h"

namespace kehou::enroll::store {
namespace {

using db::Conn;
using db::Opt;
using db::Params;
using db::Row;
using db::Value;

Date D(const std::string& s) { return ParseDate(s).value_or(Date{}); }

// ---- surveys -------------------------------------------------------------------------------------
constexpr const char* kSurveyCols =
    "SELECT v.id, v.school_id, v.term_id, t.name, v.title, v.note, v.grades, v.bands, v.interests, v.opens_on,"
    " v.closes_on, v.created_at, v.updated_at FROM surveys v JOIN terms t ON t.id = v.term_id";
SurveyRow SurveyOf(const Row& r) {
  SurveyRow s;
  s.id = r.Int(0);
  s.school_id = r.Int(1);
  s.term_id = r.Int(2);
  s.term_name = r.Text(3);
  s.title = r.Text(4);
  s.note = r.Text(5);
  s.def.title = s.title;
  s.def.grades = SplitInts(r.Text(6));
  s.def.bands = SplitBands(r.Text(7));
  s.def.interests = SplitWords(r.Text(8));
  s.def.opens_on = D(r.Text(9));
  s.def.closes_on = D(r.Text(10));
  s.created_at = r.Int(11);
  s.updated_at = r.Int(12);
  return s;
}

constexpr const char* kAnswerCols =
    "SELECT id, student_id, wants_service, days, bands, interests, free_text, guardian_id, updated_at"
    " FROM survey_answers";
AnswerRow AnswerOf(const Row& r) {
  AnswerRow a;
  a.id = r.Int(0);
  a.student_id = r.Int(1);
  a.answer.wants_service = r.Int(2) != 0;
  a.answer.days = SplitInts(r.Text(3));
  a.answer.bands = SplitBands(r.Text(4));
  a.answer.interests = SplitWords(r.Text(5));
  a.answer.free_text = r.Text(6);
  a.guardian_id = r.OptInt(7);
  a.updated_at = r.Int(8);
  return a;
}

// ---- batches, agreements -------------------------------------------------------------------------
constexpr const char* kBatchCols = "SELECT id, school_id, name, leave_time, active FROM dismissal_batches";
BatchRow BatchOf(const Row& r) { return BatchRow{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Int(4) != 0}; }

constexpr const char* kAgreementCols =
    "SELECT id, school_id, term_id, version, title, body, body_hash, is_current, created_at FROM agreements";
AgreementRow AgreementOf(const Row& r) {
  AgreementRow a;
  a.id = r.Int(0);
  a.school_id = r.Int(1);
  a.term_id = r.Int(2);
  a.version = static_cast<int>(r.Int(3));
  a.title = r.Text(4);
  a.body = r.Text(5);
  a.body_hash = r.Text(6);
  a.is_current = r.Int(7) != 0;
  a.created_at = r.Int(8);
  return a;
}

}  // namespace

// ---- surveys -------------------------------------------------------------------------------------

std::optional<SurveyRow> LoadSurvey(Conn& c, int64_t id) {
  auto r = c.QueryOne(std::string(kSurveyCols) + " WHERE v.id = $1", {id});
  if (!r) return std::nullopt;
  return SurveyOf(*r);
}

std::vector<SurveyRow> SurveysOf(Conn& c, int64_t school_id, std::optional<int64_t> term_id) {
  std::string sql = std::string(kSurveyCols) + " WHERE v.school_id = $1";
  Params p{school_id};
  if (term_id) {
    sql += " AND v.term_id = $2";
    p.emplace_back(*term_id);
  }
  sql += " ORDER BY v.opens_on DESC, v.id DESC";
  std::vector<SurveyRow> out;
  for (const auto& r : c.Query(sql, p)) out.push_back(SurveyOf(r));
  return out;
}

int64_t InsertSurvey(Conn& c, const SurveyRow& s, int64_t user_id) {
  int64_t now = NowMs();
  return c.Insert(
      "INSERT INTO surveys (school_id, term_id, title, note, grades, bands, interests, opens_on, closes_on,"
      " created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
      {s.school_id, s.term_id, s.title, s.note, JoinInts(s.def.grades), JoinBands(s.def.bands),
       JoinWords(s.def.interests), FormatDate(s.def.opens_on), FormatDate(s.def.closes_on),
       user_id ? Value(user_id) : db::Null(), now});
}

void UpdateSurvey(Conn& c, const SurveyRow& s) {
  c.Exec(
      "UPDATE surveys SET title = $2, note = $3, grades = $4, bands = $5, interests = $6, opens_on = $7,"
      " closes_on = $8, updated_at = $9 WHERE id = $1",
      {s.id, s.title, s.note, JoinInts(s.def.grades), JoinBands(s.def.bands), JoinWords(s.def.interests),
       FormatDate(s.def.opens_on), FormatDate(s.def.closes_on), NowMs()});
}

int64_t CountAnswers(Conn& c, int64_t school_id, int64_t survey_id) {
  return c
      .QueryOne("SELECT COUNT(*) FROM survey_answers WHERE school_id = $1 AND survey_id = $2", {school_id, survey_id})
      ->Int(0);
}

std::optional<AnswerRow> LoadAnswer(Conn& c, int64_t school_id, int64_t survey_id, int64_t student_id) {
  auto r = c.QueryOne(std::string(kAnswerCols) + " WHERE school_id = $1 AND survey_id = $2 AND student_id = $3",
                      {school_id, survey_id, student_id});
  if (!r) return std::nullopt;
  return AnswerOf(*r);
}

std::vector<AnswerRow> AnswersOf(Conn& c, int64_t school_id, int64_t survey_id) {
  std::vector<AnswerRow> out;
  for (const auto& r :
       c.Query(std::string(kAnswerCols) + " WHERE school_id = $1 AND survey_id = $2 ORDER BY student_id",
               {school_id, survey_id}))
    out.push_back(AnswerOf(r));
  return out;
}

int64_t UpsertAnswer(Conn& c, int64_t school_id, int64_t survey_id, int64_t student_id, const SurveyAnswer& a,
                     std::optional<int64_t> guardian_id) {
  int64_t now = NowMs();
  return c.Insert(
      "INSERT INTO survey_answers (school_id, survey_id, student_id, wants_service, days, bands, interests,"
      " free_text, guardian_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)"
      " ON CONFLICT (school_id, survey_id, student_id) DO UPDATE SET wants_service = excluded.wants_service,"
      " days = excluded.days, bands = excluded.bands, interests = excluded.interests,"
      " free_text = excluded.free_text, guardian_id = excluded.guardian_id, updated_at = excluded.updated_at"
      " RETURNING id",
      {school_id, survey_id, student_id, int64_t{a.wants_service ? 1 : 0}, JoinInts(a.days), JoinBands(a.bands),
       JoinWords(a.interests), a.free_text, Opt(guardian_id), now});
}

// ---- dismissal batches ---------------------------------------------------------------------------

std::vector<BatchRow> BatchesOf(Conn& c, int64_t school_id, bool include_inactive) {
  std::string sql = std::string(kBatchCols) + " WHERE school_id = $1";
  if (!include_inactive) sql += " AND active = 1";
  sql += " ORDER BY leave_time, name";
  std::vector<BatchRow> out;
  for (const auto& r : c.Query(sql, {school_id})) out.push_back(BatchOf(r));
  return out;
}

std::optional<BatchRow> LoadBatch(Conn& c, int64_t id) {
  auto r = c.QueryOne(std::string(kBatchCols) + " WHERE id = $1", {id});
  if (!r) return std::nullopt;
  return BatchOf(*r);
}

int64_t InsertBatch(Conn& c, const BatchRow& b) {
  return c.Insert(
      "INSERT INTO dismissal_batches (school_id, name, leave_time, active, created_at) VALUES ($1, $2, $3, $4, $5)"
      " RETURNING id",
      {b.school_id, b.name, b.leave_time, int64_t{b.active ? 1 : 0}, NowMs()});
}

void UpdateBatch(Conn& c, const BatchRow& b) {
  c.Exec("UPDATE dismissal_batches SET name = $2, leave_time = $3, active = $4 WHERE id = $1",
         {b.id, b.name, b.leave_time, int64_t{b.active ? 1 : 0}});
}

// ---- agreements ----------------------------------------------------------------------------------

std::optional<AgreementRow> LoadAgreement(Conn& c, int64_t id) {
  auto r = c.QueryOne(std::string(kAgreementCols) + " WHERE id = $1", {id});
  if (!r) return std::nullopt;
  return AgreementOf(*r);
}

std::optional<AgreementRow> CurrentAgreement(Conn& c, int64_t school_id, int64_t term_id) {
  auto r = c.QueryOne(std::string(kAgreementCols) + " WHERE school_id = $1 AND term_id = $2 AND is_current = 1",
                      {school_id, term_id});
  if (!r) return std::nullopt;
  return AgreementOf(*r);
}

std::vector<AgreementRow> AgreementsOf(Conn& c, int64_t school_id, std::optional<int64_t> term_id) {
  std::string sql = std::string(kAgreementCols) + " WHERE school_id = $1";
  Params p{school_id};
  if (term_id) {
    sql += " AND term_id = $2";
    p.emplace_back(*term_id);
  }
  sql += " ORDER BY term_id DESC, version DESC";
  std::vector<AgreementRow> out;
  for (const auto& r : c.Query(sql, p)) out.push_back(AgreementOf(r));
  return out;
}

AgreementRow InsertAgreementVersion(Conn& c, int64_t school_id, int64_t term_id, const std::string& title,
                                    const std::string& body, int64_t user_id) {
  auto v = c.QueryOne("SELECT COALESCE(MAX(version), 0) FROM agreements WHERE school_id = $1 AND term_id = $2",
                      {school_id, term_id});
  AgreementRow a;
  a.school_id = school_id;
  a.term_id = term_id;
  a.version = static_cast<int>(v->Int(0)) + 1;
  a.title = title;
  a.body = body;
  a.body_hash = TextHash(body);
  a.is_current = true;
  a.created_at = NowMs();
  c.Exec("UPDATE agreements SET is_current = 0 WHERE school_id = $1 AND term_id = $2 AND is_current = 1",
         {school_id, term_id});
  a.id = c.Insert(
      "INSERT INTO agreements (school_id, term_id, version, title, body, body_hash, is_current, created_by,"
      " created_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) RETURNING id",
      {school_id, term_id, int64_t{a.version}, title, body, a.body_hash, user_id ? Value(user_id) : db::Null(),
       a.created_at});
  return a;
}

}  // namespace kehou::enroll::store
