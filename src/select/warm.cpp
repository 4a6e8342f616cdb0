// warm.cpp (select): WarmTakePath (service.h).
#include "core/time.h"
#include "db/dedicated.h"
#include "select/enrolment.h"
#include "select/service.h"
#include "select/store.h"
#include "select/take_cache.h"

namespace kehou::select {
namespace {

// PostgreSQL plans a statement anew for each of its first five runs in a backend before it may
// keep one plan.
constexpr int kWarmRuns = 6;

// One take (the read, the enrolment check, the write), undone with the transaction WarmConnections
// rolls back, the write kWarmRuns times. The read (kTakeLoadPg, a top-level statement
// reading tables that start empty on a round's first night) runs once: its plans stay per run
// until the tables have grown.
void WarmRun(db::Conn& c, const store::WarmPick& w) {
  int64_t now = NowMs();
  store::TakeLoad load = store::LoadTakePg(c, w.guardian, "", w.student, w.round, w.section);
  if (!load.child || !load.round || !load.section) return;
  int64_t school = load.child->school_id;
  if (take_cache::ChildFillDue(school, now)) take_cache::PutChildren(store::ChildrenOfSchool(c, school));
  (void)CheckEnrolled(c, school, w.student, *load.round, now);  // fills the school's enrolment cache
  db::Params take{w.guardian,
                  std::string("kehou-warm-up"),
                  school,
                  w.student,
                  w.round,
                  w.section,
                  take_cache::ChildFacts(*load.child),
                  load.round_facts,
                  load.section_facts,
                  load.held_json.empty() ? "[]" : load.held_json,
                  now,
                  db::Null(),
                  std::string("warm-up"),
                  std::string("kehou serve"),
                  std::string("warm-up"),
                  std::string(R"({"status":"confirmed"})"),
                  std::string("{}"),
                  int64_t{409},
                  std::string("{}"),
                  std::string("")};
  // The function's first run compiles it; the next five get PostgreSQL past planning each of its
  // statements per run (custom plans) to the plans it keeps (sql/0600, sql/0610: by key). Each is undone
  // before the next, so each takes the seat.
  for (int i = 0; i < kWarmRuns; ++i) {
    c.Exec("SAVEPOINT warm");
    store::TakeWritePg(c, take);
    c.Exec("ROLLBACK TO SAVEPOINT warm");
  }
}

}  // namespace

size_t WarmTakePath(db::Db& db) {
  if (db.dialect() != db::Dialect::kPostgres) return 0;
  // Every section of the rounds still to run, so their first takes need no read either.
  db.Read([&](db::Conn& c) {
    for (int64_t round : store::OpenFcfsRounds(c, NowMs()))
      for (auto& o : store::OffersOfRound(c, round))
        take_cache::PutOffer(round, o.section.id,
                             {o.school_id, std::move(o.round), std::move(o.round_facts), std::move(o.section),
                              std::move(o.section_facts)});
  });
  std::optional<std::optional<store::WarmPick>> pick;
  return db::WarmConnections(db, [&](db::Conn& c) {
    if (!pick) pick = store::PickWarmTake(c);
    if (*pick) WarmRun(c, **pick);
  });
}

}  // namespace kehou::select
