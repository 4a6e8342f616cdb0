// The grid's use cases on the demo school (SQLite and, with KEHOU_TEST_PG, PostgreSQL): a move
// refused for each hard rule with the rule named, soft goals refused unless overridden, moves and
// locks stored with their audit rows, and a solve job's lifecycle (progress, one per term, cancel,
// locked placements kept).
#include "timetable/grid.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "db/testing.h"
#include "demo/demo.h"
#include "timetable/grid_internal.h"
#include "timetable/solver.h"

namespace kehou::timetable {
namespace {

auth::Principal Office(int64_t school) {
  auth::Principal p;
  p.role = auth::Role::kOfficeDirector;
  p.scope = auth::Scope::kSchool;
  p.school_id = school;
  p.user_id = 1;
  p.login = "test";
  return p;
}

int64_t Count(db::Db& d, const std::string& sql, const db::Params& p = {}) {
  return d.Read([&](db::Conn& c) { return c.QueryOne(sql, p)->Int(0); });
}

struct Fixture {
  db::TestDb t;
  int64_t school = 0, term = 0;
};

class Grid : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    f_.t = db::MakeTestDb(GetParam());
    if (!f_.t.db) GTEST_SKIP() << "no " << GetParam();
    ASSERT_TRUE(demo::CreateDemo(*f_.t.db).ok());
    auto row = f_.t.db->Read([](db::Conn& c) {
      return c.QueryOne("SELECT id, school_id FROM terms WHERE is_current = 1 ORDER BY school_id LIMIT 1");
    });
    ASSERT_TRUE(row);
    f_.term = row->Int(0);
    f_.school = row->Int(1);
  }
  void TearDown() override { WaitForSolveJobs(); }
  db::Db& Db() { return *f_.t.db; }
  GridTerm Load() {
    auto g = LoadGridTerm(Db(), Office(f_.school), f_.school, f_.term);
    EXPECT_TRUE(g.ok());
    return *g;
  }
  Fixture f_;
};

// The target of moving activity i to slot (day index, hour index) of the term.
MoveTarget To(const GridTerm& g, size_t i, int slot, std::optional<int64_t> room = std::nullopt) {
  const auto& tp = g.tp;
  return {tp.sessions[i].section_id,
          tp.sessions[i].session_no,
          tp.weekdays[static_cast<size_t>(slot / tp.problem.Hours())],
          tp.bands[static_cast<size_t>(slot % tp.problem.Hours())],
          room,
          std::nullopt,
          false};
}

std::string FirstHard(const std::vector<Violation>& v) {
  for (const auto& x : v)
    if (!x.soft) return x.rule;
  return "";
}

TEST_P(Grid, DemoTermIsSolvedAndStoredWithoutBrokenRules) {
  GridTerm g = Load();
  ASSERT_TRUE(g.stored);
  // With the stored supervisors and AB backups (tt-core): nothing broken.
  const Report rep = Evaluate(g.tp.problem, g.current, g.tp.previous_staff, {});
  EXPECT_EQ(rep.Hard(), 0) << rep.Describe();
  auto grid = TermGrid(Db(), Office(f_.school), std::nullopt, f_.term, {});
  ASSERT_TRUE(grid.ok());
  EXPECT_EQ((*grid)["items"].size(), g.tp.problem.activities.size());
  EXPECT_TRUE((*grid)["unplaced"].empty());
}

TEST_P(Grid, EachHardRuleRefusesAMoveByName) {
  GridTerm g = Load();
  const Problem& p = g.tp.problem;
  const size_t n = p.activities.size();
  ASSERT_GE(n, 2u);
  // teacher clash: onto the slot of another activity of the same teacher (its own room kept).
  bool seen_teacher = false, seen_room = false, seen_class = false, seen_fit = false, seen_will = false;
  for (size_t a = 0; a < n; ++a)
    for (size_t b = 0; b < n; ++b) {
      if (a == b || g.current[a].slot == g.current[b].slot) continue;
      const auto& xa = p.activities[a];
      const auto& xb = p.activities[b];
      if (!seen_teacher && !xa.teachers.empty() && xa.teachers == xb.teachers) {
        auto v = MoveViolations(g, To(g, a, g.current[b].slot));
        ASSERT_TRUE(v.ok());
        bool has = false;
        for (auto& x : *v) has = has || x.rule == "teacher_clash";
        EXPECT_TRUE(has) << FirstHard(*v);
        seen_teacher = true;
      }
      if (!seen_room && xa.teachers != xb.teachers && g.current[b].room >= 0 && RoomFits(p, xa, g.current[b].room)) {
        auto v = MoveViolations(g, To(g, a, g.current[b].slot, g.tp.room_ids[static_cast<size_t>(g.current[b].room)]));
        ASSERT_TRUE(v.ok());
        bool has = false;
        for (auto& x : *v) has = has || x.rule == "room_clash";
        EXPECT_TRUE(has);
        seen_room = true;
      }
      if (!seen_class && xa.sets == xb.sets) {
        auto v = MoveViolations(g, To(g, a, g.current[b].slot));
        ASSERT_TRUE(v.ok());
        bool has = false;
        for (auto& x : *v) has = has || x.rule == "class_clash" || x.rule == "student_clash";
        EXPECT_TRUE(has);
        seen_class = true;
      }
    }
  EXPECT_TRUE(seen_teacher);
  EXPECT_TRUE(seen_room);
  // room type/capacity: a room smaller than the section.
  for (size_t a = 0; a < n && !seen_fit; ++a)
    for (size_t r = 0; r < p.rooms.size() && !seen_fit; ++r)
      if (!RoomFits(p, p.activities[a], static_cast<int>(r))) {
        auto v = MoveViolations(g, To(g, a, g.current[a].slot, g.tp.room_ids[r]));
        ASSERT_TRUE(v.ok());
        EXPECT_EQ(FirstHard(*v), "room_fit");
        seen_fit = true;
      }
  EXPECT_TRUE(seen_fit);
  // willingness: a slot the teacher is not willing to serve.
  for (size_t a = 0; a < n && !seen_will; ++a) {
    if (p.activities[a].teachers.empty()) continue;
    const auto& un = p.teachers[static_cast<size_t>(p.activities[a].teachers[0])].unavailable;
    for (int s = 0; s < p.Slots() && !seen_will; ++s)
      if (!un.empty() && un[static_cast<size_t>(s)]) {
        auto v = MoveViolations(g, To(g, a, s));
        ASSERT_TRUE(v.ok());
        bool has = false;
        for (auto& x : *v) has = has || x.rule == "willingness";
        EXPECT_TRUE(has);
        seen_will = true;
      }
  }
  EXPECT_TRUE(seen_will);
}

// The 2-days rule and the class clash on a made-up timetable of the term: a teacher on two days,
// a third day refused (at the limit: a second session on one of their days passes that rule).
TEST_P(Grid, TwoDaysRuleAtItsLimit) {
  GridTerm g = Load();
  Problem& p = g.tp.problem;
  ASSERT_GE(p.Days(), 3);
  // Three activities of one teacher, willing everywhere, no other clashes: other activities unplaced.
  for (auto& t : p.teachers) t.unavailable.clear();
  for (auto& at : p.atoms) at.unavailable.clear();
  for (auto& x : p.activities) x.sets.clear(), x.teachers = {0};
  p.groups.clear();
  for (auto& pl : g.current) pl = Placement{};
  g.current[0] = {0 * p.Hours(), -1};
  g.current[1] = {1 * p.Hours(), -1};
  for (size_t i = 0; i < 3; ++i) p.activities[i].needs_room = false;
  auto third_day = MoveViolations(g, To(g, 2, 2 * p.Hours()));
  ASSERT_TRUE(third_day.ok());
  EXPECT_EQ(FirstHard(*third_day), "teacher_days");
  if (p.Hours() >= 2) {
    auto same_day = MoveViolations(g, To(g, 2, 1 * p.Hours() + 1));
    ASSERT_TRUE(same_day.ok());
    EXPECT_EQ(FirstHard(*same_day), "");
  }
}

// The class clash and the course's bands on a made-up timetable of the term: two sessions of one
// administrative class at one time are refused as class_clash; a band the class may not take
// (the course's bands, evening only for junior-middle grades) as band_not_allowed.
TEST_P(Grid, ClassClashAndBandNotAllowed) {
  GridTerm g = Load();
  Problem& p = g.tp.problem;
  ASSERT_GE(p.activities.size(), 5u);
  ASSERT_GE(p.Slots(), 3);
  p.groups.clear();
  p.atoms = {{"班级 1", std::vector<bool>(static_cast<size_t>(p.Slots()), false)}};
  p.atoms[0].unavailable[2] = true;  // e.g. the evening band of a primary grade
  p.sets = {{"班级 1", 30, {0}, 0, -1}};
  for (auto& t : p.teachers) t.unavailable.clear();
  for (auto& x : p.activities) x.sets.clear(), x.teachers.clear(), x.needs_room = false;
  for (auto& pl : g.current) pl = Placement{};
  p.activities[3].sets = p.activities[4].sets = {0};
  g.current[3] = {0, -1};
  g.current[4] = {1, -1};
  auto clash = MoveViolations(g, To(g, 4, 0));
  ASSERT_TRUE(clash.ok());
  EXPECT_EQ(FirstHard(*clash), "class_clash");
  auto band = MoveViolations(g, To(g, 4, 2));
  ASSERT_TRUE(band.ok());
  EXPECT_EQ(FirstHard(*band), "band_not_allowed");
  // Unknown session, weekday and band are refused as input, not as rules.
  MoveTarget bad = To(g, 4, 1);
  bad.band = "midnight";
  EXPECT_EQ(MoveViolations(g, bad).error().code, ErrorCode::kInvalid);
  bad = To(g, 4, 1);
  bad.section_id = 0;
  EXPECT_EQ(MoveViolations(g, bad).error().code, ErrorCode::kNotFound);
}

TEST_P(Grid, MoveStoresWithAuditAndSoftNeedsOverride) {
  GridTerm g = Load();
  // With the stored duties the demo's sections have no free move (each teacher's two days are
  // full of teaching and supervision, MoveMeetsSupervisorsAndBackupsDuties): the groups'
  // supervisors are cleared first (the next solve chooses them again), the AB backups stay.
  bool any_free = false;
  for (size_t a = 0; a < g.tp.problem.activities.size() && !any_free; ++a)
    for (int s = 0; s < g.tp.problem.Slots() && !any_free; ++s)
      if (s != g.current[a].slot && !g.tp.sessions[a].group_id)
        any_free = FirstHard(*MoveViolations(g, To(g, a, s))).empty();
  if (!any_free) {
    Db().Write([&](db::Conn& c) {
      c.Exec("UPDATE timetable_groups SET supervisor_staff_id = NULL WHERE school_id = $1", {f_.school});
    });
    g = Load();
  }
  const Problem& p = g.tp.problem;
  // A free move: find an activity and a slot with no hard violation.
  for (size_t a = 0; a < p.activities.size(); ++a)
    for (int s = 0; s < p.Slots(); ++s) {
      if (s == g.current[a].slot || g.tp.sessions[a].group_id) continue;  // a group moves with its children
      MoveTarget m = To(g, a, s);
      auto v = MoveViolations(g, m);
      ASSERT_TRUE(v.ok());
      if (!FirstHard(*v).empty()) continue;
      Json body{{"section_id", m.section_id}, {"session_no", m.session_no}, {"weekday", m.weekday}, {"band", m.band}};
      if (!v->empty()) {  // a soft goal worse: refused without the override
        auto refused = MovePlacement(Db(), Office(f_.school), std::nullopt, f_.term, body);
        ASSERT_FALSE(refused.ok());
        EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
        EXPECT_EQ(refused.error().field.rfind("soft_", 0), 0u);
        body["override_soft"] = true;
      }
      auto moved = MovePlacement(Db(), Office(f_.school), std::nullopt, f_.term, body);
      ASSERT_TRUE(moved.ok()) << moved.error().message << " " << moved.error().field << " a=" << a << " s=" << s;
      EXPECT_EQ(Count(Db(), "SELECT COUNT(*) FROM audit_log WHERE action = 'move' AND entity = 'timetable_placement'"),
                1);
      GridTerm after = Load();
      EXPECT_EQ(after.current[a].slot, s);
      // Its AB backup is chosen again at the new place (not dropped until the next solve): stored,
      // answered, and every stored duty still keeps the backup rules.
      if (p.activities[a].needs_backup) {
        ASSERT_EQ(after.tp.previous_staff.size(), p.activities.size());
        const int b = after.tp.previous_staff[a].backup;
        if ((*moved)["backup_staff_id"].is_null()) {
          EXPECT_EQ(b, -1);
          ASSERT_EQ((*moved)["warnings"].size(), 1u);
          EXPECT_EQ((*moved)["warnings"][0]["code"], "no_backup");
        } else {
          ASSERT_GE(b, 0);
          EXPECT_EQ(after.tp.teacher_ids[static_cast<size_t>(b)], (*moved)["backup_staff_id"].get<int64_t>());
          EXPECT_TRUE((*moved)["warnings"].empty());
          EXPECT_EQ(Evaluate(after.tp.problem, after.current, after.tp.previous_staff, {}).backup, 0);
        }
        EXPECT_EQ(b, ChooseBackup(p, after.current, g.tp.previous_staff, static_cast<int>(a)));
      }
      // Lock it: a further move is refused as locked; a solve keeps it.
      Json lock{{"section_id", m.section_id}, {"session_no", m.session_no}, {"locked", true}};
      ASSERT_TRUE(SetLock(Db(), Office(f_.school), std::nullopt, f_.term, lock).ok());
      GridTerm locked = Load();
      ASSERT_TRUE(locked.locked[a]);
      auto again = MoveViolations(locked, To(locked, a, g.current[a].slot));
      ASSERT_TRUE(again.ok());
      EXPECT_EQ(FirstHard(*again), "locked");
      return;
    }
  std::string why;
  for (size_t a = 0; a < p.activities.size(); ++a)
    for (int s = 0; s < p.Slots(); ++s) {
      if (g.tp.sessions[a].group_id) continue;
      auto v = MoveViolations(g, To(g, a, s));
      why += std::to_string(a) + "@" + std::to_string(s) + ":";
      for (const auto& x : *v) why += x.rule + ",";
      why += " ";
    }
  FAIL() << "no free slot for any activity " << why;
}

// The live check with the stored duties (session 12): a section dragged onto a slot where its
// teacher supervises a basic-service group, or backs up another session, or where its own AB
// backup teaches, is shown by name and refused (hard: no override). The duties are stored first
// (the solver gives them to teachers without a section when it can).
TEST_P(Grid, MoveMeetsSupervisorsAndBackupsDuties) {
  GridTerm g = Load();
  const Problem& p = g.tp.problem;
  auto section = [&](size_t a) {
    return !g.tp.sessions[a].group_id && !p.activities[a].teachers.empty() && !g.locked[a] && g.current[a].slot >= 0;
  };
  auto staff_of = [&](size_t a) { return g.tp.teacher_ids[static_cast<size_t>(p.activities[a].teachers[0])]; };
  // a: a section; o: a group at another slot; c: a section of another teacher at a third slot;
  // d: a section of another teacher at a fourth slot (all apart from a's own slot).
  size_t a = 0;
  while (a < p.activities.size() && !section(a)) ++a;
  ASSERT_LT(a, p.activities.size());
  const int home = g.current[a].slot;
  std::vector<int> used{home};
  auto pick = [&](auto pred) -> size_t {
    for (size_t x = 0; x < p.activities.size(); ++x)
      if (x != a && pred(x) && std::find(used.begin(), used.end(), g.current[x].slot) == used.end()) {
        used.push_back(g.current[x].slot);
        return x;
      }
    return p.activities.size();
  };
  // Slots where a's teacher teaches nothing (else the teacher clash is named first).
  auto free_then = [&](size_t x) {
    for (size_t y = 0; y < p.activities.size(); ++y)
      if (g.current[y].slot == g.current[x].slot && !p.activities[y].teachers.empty() &&
          p.activities[y].teachers[0] == p.activities[a].teachers[0])
        return false;
    return true;
  };
  const size_t o =
      pick([&](size_t x) { return g.tp.sessions[x].group_id != 0 && g.current[x].slot >= 0 && free_then(x); });
  const size_t c = pick([&](size_t x) { return section(x) && staff_of(x) != staff_of(a) && free_then(x); });
  const size_t d = pick([&](size_t x) { return section(x) && staff_of(x) != staff_of(a) && free_then(x); });
  ASSERT_LT(o, p.activities.size());
  ASSERT_LT(c, p.activities.size());
  ASSERT_LT(d, p.activities.size());
  Db().Write([&](db::Conn& cn) {
    cn.Exec("UPDATE timetable_groups SET supervisor_staff_id = $1 WHERE school_id = $2 AND id = $3",
            {staff_of(a), f_.school, g.tp.sessions[o].group_id});
    const char* backup =
        "UPDATE timetable_placements SET backup_staff_id = $1 WHERE school_id = $2 AND section_id = $3 AND session_no "
        "= $4";
    cn.Exec(backup, {staff_of(a), f_.school, g.tp.sessions[c].section_id, int64_t{g.tp.sessions[c].session_no}});
    cn.Exec(backup, {staff_of(d), f_.school, g.tp.sessions[a].section_id, int64_t{g.tp.sessions[a].session_no}});
  });
  g = Load();
  auto hard = [&](int slot, const std::string& rule) {
    auto v = MoveViolations(g, To(g, a, slot));
    ASSERT_TRUE(v.ok());
    bool has = false;
    for (const auto& x : *v) has = has || (x.rule == rule && !x.soft);
    EXPECT_TRUE(has) << rule << ": " << FirstHard(*v);
    MoveTarget m = To(g, a, slot);
    Json body{{"section_id", m.section_id},
              {"session_no", m.session_no},
              {"weekday", m.weekday},
              {"band", m.band},
              {"override_soft", true}};
    auto r = MovePlacement(Db(), Office(f_.school), std::nullopt, f_.term, body);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kConflict);
    EXPECT_EQ(r.error().field, FirstHard(*v)) << r.error().message;
  };
  hard(g.current[o].slot, "supervise_clash");
  hard(g.current[c].slot, "backup_clash");
  hard(g.current[d].slot, "backup_busy");
  // Nothing was stored by the refused moves.
  EXPECT_EQ(Count(Db(), "SELECT COUNT(*) FROM audit_log WHERE action = 'move' AND entity = 'timetable_placement'"), 0);
}

TEST_P(Grid, SolveJobRunsOncePerTermStoresAndKeepsLocks) {
  const auto who = Office(f_.school);
  GridTerm g = Load();
  ASSERT_TRUE(
      SetLock(
          Db(), who, std::nullopt, f_.term,
          {{"section_id", g.tp.sessions[0].section_id}, {"session_no", g.tp.sessions[0].session_no}, {"locked", true}})
          .ok());
  const int64_t solves = Count(Db(), "SELECT COUNT(*) FROM audit_log WHERE action = 'solve'");
  auto job = StartSolve(Db(), who, std::nullopt, f_.term, {{"seconds", 5}});
  ASSERT_TRUE(job.ok()) << job.error().message;
  auto second = StartSolve(Db(), who, std::nullopt, f_.term, Json::object());
  ASSERT_TRUE(second.ok());
  if ((*second)["already_running"].get<bool>()) {
    EXPECT_EQ((*second)["id"], (*job)["id"]);
  }
  WaitForSolveJobs();
  auto done = SolveJob(Db(), who, std::nullopt, (*job)["id"].get<int64_t>());
  ASSERT_TRUE(done.ok());
  EXPECT_EQ((*done)["state"], "done") << done->dump();
  EXPECT_EQ((*done)["percent"], 100);
  EXPECT_EQ((*done)["best_hard"], 0);
  EXPECT_TRUE((*done)["saved"].get<bool>());
  EXPECT_GT(Count(Db(), "SELECT COUNT(*) FROM audit_log WHERE action = 'solve'"), solves);
  GridTerm after = Load();
  EXPECT_EQ(after.current[0], g.current[0]);  // locked: stays
  // Another school's job is not found; bad limits are refused.
  auto other = who;
  other.school_id = f_.school + 1000;
  EXPECT_FALSE(SolveJob(Db(), other, std::nullopt, (*job)["id"].get<int64_t>()).ok());
  EXPECT_FALSE(StartSolve(Db(), who, std::nullopt, f_.term, {{"seconds", 121}}).ok());
}

TEST_P(Grid, CancelledJobStoresNothing) {
  const auto who = Office(f_.school);
  // The progress callback cancels at its first report: the search stops and nothing is stored.
  GridTerm g = Load();
  SolveOptions o;
  int calls = 0;
  o.progress = [&](const Progress& pr) {
    ++calls;
    EXPECT_GE(pr.fraction, 0.0);
    return false;
  };
  auto r = Solve(g.tp.problem, o);
  EXPECT_GE(calls, 1);
  EXPECT_GE(r.iterations, 0);
  auto job = StartSolve(Db(), who, std::nullopt, f_.term, Json::object());
  ASSERT_TRUE(job.ok());
  auto c = CancelSolve(Db(), who, std::nullopt, (*job)["id"].get<int64_t>());
  ASSERT_TRUE(c.ok());
  WaitForSolveJobs();
  auto st = SolveJob(Db(), who, std::nullopt, (*job)["id"].get<int64_t>());
  ASSERT_TRUE(st.ok());
  // The demo term may finish before the cancel lands; then it is stored, else nothing is.
  EXPECT_TRUE((*st)["state"] == "cancelled" || (*st)["state"] == "done");
  EXPECT_EQ((*st)["saved"].get<bool>(), (*st)["state"] == "done");
}

TEST_P(Grid, BasicServiceGroupsShowOnEveryViewWithTheirSupervisor) {
  auto all = TermGrid(Db(), Office(f_.school), std::nullopt, f_.term, {});
  ASSERT_TRUE(all.ok());
  const Json* group = nullptr;
  int basic = 0, sections = 0;
  for (const auto& it : (*all)["items"]) {
    if (it["kind"] == "basic") {
      ++basic;
      EXPECT_GT(it["group_id"].get<int64_t>(), 0);
      EXPECT_FALSE(it["movable"].get<bool>());
      EXPECT_TRUE(it["supervisor"].get<bool>());
      EXPECT_FALSE(it["teacher"].get<std::string>().empty()) << it.dump();  // its supervising teacher
      if (!group && !it["class_id"].is_null()) group = &it;
    } else {
      ++sections;
      EXPECT_EQ(it["kind"], "section");
      EXPECT_TRUE(it["movable"].get<bool>());
    }
  }
  ASSERT_GT(basic, 0) << "the demo term has basic-service groups";
  ASSERT_GT(sections, 0);
  ASSERT_NE(group, nullptr);
  // The group is on its grade's, its class's, its supervisor's and its room's views.
  auto holds = [&](const std::string& view, int64_t id) {
    auto v = TermGrid(Db(), Office(f_.school), std::nullopt, f_.term, {view, id});
    EXPECT_TRUE(v.ok());
    for (const auto& it : (*v)["items"])
      if (it["kind"] == "basic" && it["group_id"] == (*group)["group_id"]) return true;
    return false;
  };
  EXPECT_TRUE(holds("grade", (*group)["grades"][0].get<int64_t>()));
  EXPECT_TRUE(holds("class", (*group)["class_id"].get<int64_t>()));
  EXPECT_TRUE(holds("teacher", (*group)["teacher_staff_id"].get<int64_t>()));
  if (!(*group)["room_id"].is_null()) {
    EXPECT_TRUE(holds("room", (*group)["room_id"].get<int64_t>()));
  }
  // Both exports carry them.
  for (const char* f : {"xlsx", "pdf"}) {
    auto out = ExportGrid(Db(), Office(f_.school), std::nullopt, f_.term, {}, f);
    ASSERT_TRUE(out.ok());
    EXPECT_GT(out->bytes.size(), 100u);
  }
}

INSTANTIATE_TEST_SUITE_P(Db, Grid, ::testing::ValuesIn(db::TestDialects()));

}  // namespace
}  // namespace kehou::timetable
