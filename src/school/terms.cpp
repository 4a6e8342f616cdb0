// terms.cpp (school): terms and their service bands; the current term for other modules.
#include "school/internal.h"
#include "school/service.h"
#include "school/term_bands.h"

namespace kehou::school {

using namespace internal;

// ---- for other modules ---------------------------------------------------------------------------

std::optional<Term> CurrentTerm(db::Conn& c, int64_t school_id) {
  auto t = store::LoadCurrentTerm(c, school_id);
  if (!t) t = store::LoadTermOn(c, school_id, TodayLocal());
  if (!t) return std::nullopt;
  return ToTerm(*t);
}

std::optional<Term> CurrentTerm(db::Db& db, int64_t school_id) {
  return db.Read([&](db::Conn& c) { return CurrentTerm(c, school_id); });
}

std::optional<TermWithBands> CurrentTermWithBands(db::Conn& c, int64_t school_id) {
  return db::FetchOne(c, CurrentTermWithBandsFetch(school_id));
}

db::Fetch<std::optional<TermWithBands>> CurrentTermWithBandsFetch(int64_t school_id) {
  auto f = store::CurrentTermBandsFetch(school_id, TodayLocal());
  return {std::move(f.stmt), [make = std::move(f.make)](const db::Rows& rows) -> std::optional<TermWithBands> {
            auto t = make(rows);
            if (!t) return std::nullopt;
            return TermWithBands{ToTerm(t->term), Bands(t->bands)};
          }};
}

std::optional<Term> TermOf(db::Conn& c, int64_t school_id, int64_t term_id) {
  auto t = store::LoadTerm(c, school_id, term_id);
  if (!t) return std::nullopt;
  return ToTerm(*t);
}

std::vector<Term> TermsOf(db::Conn& c, int64_t school_id) {
  std::vector<Term> out;
  for (const auto& t : store::LoadTerms(c, school_id)) out.push_back(ToTerm(t));
  return out;
}

std::optional<Term> TermOverlapping(db::Conn& c, int64_t school_id, const Date& from, const Date& to) {
  auto t = store::LoadTermOverlapping(c, school_id, from, to);
  if (!t) return std::nullopt;
  return ToTerm(*t);
}

std::vector<Band> BandsOfTerm(db::Conn& c, int64_t school_id, int64_t term_id) {
  return Bands(store::LoadBands(c, school_id, term_id));
}

// ---- terms and bands -----------------------------------------------------------------------------

Result<Json> ListTerms(db::Db& db, const Principal& who, std::optional<int64_t> school_id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    Json items = Json::array();
    for (const auto& t : store::LoadTerms(c, s->id)) items.push_back(TermJson(c, t));
    return ListJson(std::move(items), {});
  });
}

namespace {

// Applies the input to a term row, checks the term rules, the name's uniqueness and that the
// term's existing bands still keep the rules.
Status ApplyTerm(db::Conn& c, const store::SchoolRow& s, const TermInput& in, store::TermRow& t) {
  if (in.name) t.name = *in.name;
  if (in.start) t.dates.start = *in.start;
  if (in.end) t.dates.end = *in.end;
  if (in.winter_from) t.dates.winter_from = *in.winter_from;
  if (in.summer_from) t.dates.summer_from = *in.summer_from;
  if (in.excluded_weekdays) t.dates.excluded_weekdays = *in.excluded_weekdays;
  if (in.holidays) t.dates.holidays = *in.holidays;
  if (in.is_current) t.is_current = *in.is_current;
  if (auto st = CheckTerm(t.dates); !st) return st;
  if (auto other = store::TermIdByName(c, s.id, t.name); other && *other != t.id)
    return Error::Conflict("已有同名学期「" + t.name + "」", "a term with this name exists", "name");
  if (t.id) {
    auto st = CheckBands(Bands(store::LoadBands(c, s.id, t.id)), ContextOf(s, t.dates));
    if (!st)
      return Because(st.error(), "本学期已设置的服务时段将不再符合规则，请先调整服务时段。",
                     "the term's bands would break a rule; change them first. ",
                     in.winter_from   ? "winter_from"
                     : in.summer_from ? "summer_from"
                                      : "start_date");
  }
  return Ok();
}

void ClearOthers(db::Conn& c, const Principal& who, int64_t school_id, int64_t term_id) {
  for (int64_t other : store::ClearOtherCurrent(c, school_id, term_id)) {
    Json b{{"is_current", true}}, a{{"is_current", false}};
    auth::Audit(c, who, {"update", "term", other, &b, &a, school_id});
  }
}

}  // namespace

Result<Json> CreateTerm(db::Db& db, const Principal& who, std::optional<int64_t> school_id, const TermInput& in) {
  if (auto st = WriteAllowed(who); !st) return st.error();
  if (!in.name || !in.start || !in.end)
    return Error::Invalid("请填写学期名称、开始日期和结束日期", "name, start_date and end_date are required",
                          !in.name    ? "name"
                          : !in.start ? "start_date"
                                      : "end_date");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    store::TermRow t;
    t.school_id = s->id;
    // The school's first current term: a new term is current unless told otherwise.
    t.is_current = !store::LoadCurrentTerm(c, s->id).has_value();
    if (auto st = ApplyTerm(c, *s, in, t); !st) return st.error();
    // Others stop being current first: the index terms_one_current allows one per school.
    // (An error below rolls this back with the rest.)
    if (t.is_current) ClearOthers(c, who, s->id, 0);
    try {
      t.id = store::InsertTerm(c, s->id, t);
    } catch (const db::DbError& e) {
      if (!e.unique_violation) throw;
      return Error::Conflict("已有同名学期「" + t.name + "」", "a term with this name exists", "name");
    }
    store::ReplaceHolidays(c, s->id, t.id, t.dates.holidays);
    auto fresh = store::LoadTerm(c, s->id, t.id);
    Json after = TermAuditJson(*fresh);
    auth::Audit(c, who, {"create", "term", t.id, nullptr, &after, s->id});
    return TermJson(c, *fresh);
  });
}

Result<Json> UpdateTerm(db::Db& db, const Principal& who, std::optional<int64_t> school_id, int64_t term_id,
                        const TermInput& in) {
  if (auto st = WriteAllowed(who); !st) return st.error();
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    auto old = store::LoadTerm(c, s->id, term_id);
    if (!old) return TermNotFound();
    store::TermRow t = *old;
    if (auto st = ApplyTerm(c, *s, in, t); !st) return st.error();
    if (t.is_current && !old->is_current) ClearOthers(c, who, s->id, t.id);  // before: one current per school
    try {
      store::UpdateTerm(c, t);
    } catch (const db::DbError& e) {
      if (!e.unique_violation) throw;
      return Error::Conflict("已有同名学期「" + t.name + "」", "a term with this name exists", "name");
    }
    if (in.holidays) store::ReplaceHolidays(c, s->id, t.id, t.dates.holidays);
    auto fresh = store::LoadTerm(c, s->id, t.id);
    LogChange(c, who, "term", t.id, TermAuditJson(*old), TermAuditJson(*fresh), s->id);
    return TermJson(c, *fresh);
  });
}

Result<Json> GetBands(db::Db& db, const Principal& who, std::optional<int64_t> school_id, int64_t term_id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    auto t = store::LoadTerm(c, s->id, term_id);
    if (!t) return TermNotFound();
    return BandsAnswer(c, *s, *t);
  });
}

Result<Json> PutBands(db::Db& db, const Principal& who, std::optional<int64_t> school_id, int64_t term_id,
                      const std::vector<Band>& bands) {
  if (auto st = WriteAllowed(who); !st) return st.error();
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    auto t = store::LoadTerm(c, s->id, term_id);
    if (!t) return TermNotFound();
    if (auto st = CheckBands(bands, ContextOf(*s, t->dates)); !st) return st.error();
    Json before{{"bands", BandsAuditJson(Bands(store::LoadBands(c, s->id, t->id)))}};
    store::ReplaceBands(c, s->id, t->id, bands);
    Json after{{"bands", BandsAuditJson(Bands(store::LoadBands(c, s->id, t->id)))}};
    if (before != after) auth::Audit(c, who, {"update", "service_bands", t->id, &before, &after, s->id});
    return BandsAnswer(c, *s, *t);
  });
}

}  // namespace kehou::school
