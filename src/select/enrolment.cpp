#include "select/enrolment.h"

#include <mutex>
#include <unordered_map>

#include "enroll/rules.h"
#include "enroll/service.h"
#include "school/service.h"

namespace kehou::select {
namespace {

struct PairHash {
  size_t operator()(const std::pair<int64_t, int64_t>& k) const noexcept {
    return std::hash<int64_t>{}(k.first * 1'000'003 + k.second);
  }
};
std::mutex g_mu;
// (student, term) -> when it was last known enrolled
std::unordered_map<std::pair<int64_t, int64_t>, int64_t, PairHash> g_enrolled;
constexpr size_t kMaxCached = 500'000;
// PostgreSQL: (school, term) -> when the whole school's enrolled children were last read into
// g_enrolled (kWholeSchool), or kFilling while one thread reads them.
std::unordered_map<std::pair<int64_t, int64_t>, int64_t, PairHash> g_school_filled;
constexpr int64_t kFilling = -1;

}  // namespace

Error NotEnrolled() {
  return MakeError(
      kRuleBroken, "该学生尚未报名本学期课后服务：请先在线报名并签署托管协议，经班主任和学校审核通过后再选课",
      "the child is not enrolled in the service for this term (apply, sign and be approved first)", "student_id");
}

Result<RoundTerm> TermOfRound(db::Conn& c, int64_t school_id, const Round& r) {
  // Terms through school's door: TermOf answers only the school's own term. Without a term the
  // round counts for the term the school marked current (school's fallback to the term dated
  // today does not open selection).
  std::optional<school::Term> t =
      r.term_id ? school::TermOf(c, school_id, r.term_id) : school::CurrentTerm(c, school_id);
  if (!t || (!r.term_id && !t->is_current))
    return MakeError(kRuleBroken, "学校尚未设置当前学期，不能选课", "the school has no current term", "term_id");
  return RoundTerm{t->id, t->dates.start, t->dates.end};
}

Date SelectionDay(const RoundTerm& t, int64_t now_ms) {
  Date today = LocalDate(now_ms);
  return today < t.start ? t.start : today;
}

namespace {
bool Cached(int64_t student_id, int64_t term_id, int64_t now_ms) {
  std::lock_guard lock(g_mu);
  auto it = g_enrolled.find({student_id, term_id});
  return it != g_enrolled.end() && now_ms - it->second < kEnrolledCacheMs;
}

// The children (or the one child) enrolled for the term on the selection day: enroll's own rule
// (enroll::EnrolledOn) over its approved applications, with the term already loaded.
std::set<int64_t> Enrolled(db::Conn& c, int64_t school_id, const RoundTerm& term, int64_t now_ms,
                           std::optional<int64_t> student_id) {
  Date day = SelectionDay(term, now_ms);
  std::set<int64_t> out;
  for (const auto& e : enroll::ApprovedOf(c, school_id, term.id, student_id))
    if (enroll::EnrolledOn(enroll::AppStatus::kApproved, e.signed_current_version, e.exit_effective, term.start,
                           term.end, day))
      out.insert(e.student_id);
  return out;
}
}  // namespace

namespace {
// PostgreSQL, where every read is a round trip: on a miss, the first thread reads all the
// school's enrolled children for the term in one statement and caches them (each entry dated
// now, so the same kEnrolledCacheMs applies); threads missing meanwhile read their own child as
// before. A child not in that set is still read on its own (never cached as "not enrolled").
void FillSchool(db::Conn& c, int64_t school_id, const RoundTerm& term, int64_t now_ms) {
  if (c.dialect() != db::Dialect::kPostgres) return;
  std::pair<int64_t, int64_t> key{school_id, term.id};
  {
    std::lock_guard lock(g_mu);
    auto it = g_school_filled.find(key);
    if (it != g_school_filled.end() && (it->second == kFilling || now_ms - it->second < kEnrolledCacheMs)) return;
    g_school_filled[key] = kFilling;
  }
  std::set<int64_t> all;
  try {
    all = Enrolled(c, school_id, term, now_ms, std::nullopt);
  } catch (...) {
    std::lock_guard lock(g_mu);
    g_school_filled.erase(key);
    throw;
  }
  std::lock_guard lock(g_mu);
  if (g_enrolled.size() + all.size() >= kMaxCached) g_enrolled.clear();
  for (int64_t id : all) g_enrolled[{id, term.id}] = now_ms;
  g_school_filled[key] = now_ms;
}
}  // namespace

Status CheckEnrolled(db::Conn& c, int64_t school_id, int64_t student_id, const Round& r, int64_t now_ms) {
  // (a round's term is the school's: the cache answers before any read)
  if (r.term_id && Cached(student_id, r.term_id, now_ms)) return Ok();
  auto term = TermOfRound(c, school_id, r);
  if (!term.ok()) return term.error();
  if (Cached(student_id, term->id, now_ms)) return Ok();
  FillSchool(c, school_id, *term, now_ms);
  if (Cached(student_id, term->id, now_ms)) return Ok();
  if (Enrolled(c, school_id, *term, now_ms, student_id).empty()) return NotEnrolled();
  std::lock_guard lock(g_mu);
  if (g_enrolled.size() >= kMaxCached) g_enrolled.clear();
  g_enrolled[{student_id, term->id}] = now_ms;
  return Ok();
}

Status CheckEnrolled(db::Db& db, int64_t school_id, int64_t student_id, const Round& r, int64_t now_ms) {
  if (r.term_id && Cached(student_id, r.term_id, now_ms)) return Ok();
  return db.Direct([&](db::Conn& c) { return CheckEnrolled(c, school_id, student_id, r, now_ms); });
}

Result<std::set<int64_t>> EnrolledChildren(db::Conn& c, int64_t school_id, const Round& r, int64_t now_ms) {
  auto term = TermOfRound(c, school_id, r);
  if (!term.ok()) return term.error();
  return Enrolled(c, school_id, *term, now_ms, std::nullopt);
}

void ClearEnrolledCache() {
  std::lock_guard lock(g_mu);
  g_enrolled.clear();
  g_school_filled.clear();
}

}  // namespace kehou::select
