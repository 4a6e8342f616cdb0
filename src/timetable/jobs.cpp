// jobs.cpp (timetable): the term's solve as a background job. Jobs live in this process (a map
// under one mutex; each runs on its own thread, joined by WaitForSolveJobs and at exit): one
// running job per school and term, progress from the solver's callback, cancel through it. The
// result is stored only when the search ends without a broken hard rule (SaveTermTimetable: one
// Tx with its "solve" audit row). A job is not shared between app servers: its id answers
// not_found on another server or after a restart.
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "core/body.h"
#include "timetable/grid_internal.h"
#include "timetable/solver.h"

namespace kehou::timetable {
namespace {

struct Job {
  int64_t id = 0, school_id = 0, term_id = 0;
  std::string state = "running", phase = "construct", error;
  int percent = 0;
  int64_t best_hard = -1, best_soft = -1, iterations = 0, placed = 0, activities = 0;
  double seconds_limit = 0, seconds_used = 0;
  bool saved = false;
  Json reasons = Json::array();
  Json warnings = Json::array();  // solved all the same: each section session left without an AB backup
  std::atomic<bool> cancel{false};
};

class Registry {
 public:
  ~Registry() { JoinAll(); }
  std::mutex mu;
  std::map<int64_t, std::shared_ptr<Job>> jobs;
  int64_t next_id = 1;
  std::map<int64_t, std::thread> threads;  // by job id, until joined

  void JoinAll() {
    std::map<int64_t, std::thread> ts;
    {
      std::lock_guard l(mu);
      ts.swap(threads);
    }
    for (auto& [id, t] : ts)
      if (t.joinable()) t.join();
  }
  // Joins the threads of finished jobs (their last step was under mu); call with mu held.
  void Reap() {
    for (auto it = threads.begin(); it != threads.end();) {
      auto j = jobs.find(it->first);
      if (j != jobs.end() && j->second->state == "running") {
        ++it;
        continue;
      }
      if (it->second.joinable()) it->second.join();
      it = threads.erase(it);
    }
  }
};

Registry& Jobs() {
  static Registry r;
  return r;
}

Json JobJson(const Job& j) {
  return {{"id", j.id},
          {"term_id", j.term_id},
          {"state", j.state},
          {"phase", j.phase},
          {"percent", j.percent},
          {"best_hard", j.best_hard < 0 ? Json() : Json(j.best_hard)},
          {"best_soft", j.best_soft < 0 ? Json() : Json(j.best_soft)},
          {"iterations", j.iterations},
          {"activities", j.activities},
          {"placed", j.placed},
          {"seconds_limit", j.seconds_limit},
          {"seconds", j.seconds_used},
          {"saved", j.saved},
          {"reasons", j.reasons},
          {"warnings", j.warnings},
          {"error", j.error}};
}

// Each section session the stored timetable leaves without an AB backup, named with its place, so
// the office can fix it (add a gated teacher, widen a willingness, move the session).
Json MissingBackupWarnings(const TermProblem& tp, const SolveResult& r) {
  Json out = Json::array();
  const Problem& p = tp.problem;
  if (r.staff.size() != p.activities.size()) return out;
  for (size_t i = 0; i < p.activities.size(); ++i) {
    const Placement pl = r.assignment[i];
    if (!p.activities[i].needs_backup || r.staff[i].backup >= 0 || pl.slot < 0 || tp.sessions[i].group_id) continue;
    const std::string when =
        p.days[static_cast<size_t>(pl.slot / p.Hours())] + " " + p.hours[static_cast<size_t>(pl.slot % p.Hours())];
    const std::string name = p.activities[i].subject;
    out.push_back(
        {{"rule", "no_backup"},
         {"section_id", tp.sessions[i].section_id},
         {"session_no", tp.sessions[i].session_no},
         {"name", name},
         {"weekday", tp.weekdays[static_cast<size_t>(pl.slot / p.Hours())]},
         {"band", tp.bands[static_cast<size_t>(pl.slot % p.Hours())]},
         {"message", "「" + name + "」第 " + std::to_string(tp.sessions[i].session_no) + " 次课（" + when +
                         "）没有 AB 岗备岗教师：当时没有另一位通过准入、空闲、愿意服务且未超每周服务天数的教师"},
         {"message_en", name + " session " + std::to_string(tp.sessions[i].session_no) + " (" + when +
                            ") has no AB backup: no other gated teacher free, willing and within the day limit then"}});
  }
  return out;
}

void Run(db::Db& db, auth::Principal who, std::shared_ptr<Job> job, GridTerm g, SolveOptions o) {
  Registry& reg = Jobs();
  o.progress = [&](const Progress& pr) {
    std::lock_guard l(reg.mu);
    job->phase = pr.phase;
    job->percent = std::max(job->percent, std::min(99, static_cast<int>(pr.fraction * 100)));
    job->best_hard = pr.best_hard;
    job->best_soft = pr.best_soft;
    job->iterations = pr.iterations;
    return !job->cancel.load();
  };
  SolveResult r;
  std::string error;
  bool saved = false;
  try {
    r = Solve(g.tp.problem, o);
    if (r.solved && !job->cancel.load()) {
      // The search's own backups (with backups_best_effort some sections may have none).
      auto s = r.staff.size() == r.assignment.size() ? SaveTermTimetable(db, who, g.tp, r.assignment, r.staff)
                                                     : SaveTermTimetable(db, who, g.tp, r.assignment);
      if (s.ok()) saved = true;
      else error = s.error().message;
    }
  } catch (const std::exception& e) {
    error = std::string("排课失败：") + e.what();
  }
  std::lock_guard l(reg.mu);
  job->seconds_used = r.seconds;
  job->iterations = r.iterations;
  job->best_hard = r.report.Hard();
  job->best_soft = r.report.Soft(o.weights);
  job->placed = 0;
  for (const auto& pl : r.assignment) job->placed += pl.slot >= 0;
  for (const auto& x : r.reasons) job->reasons.push_back({{"rule", x.rule}, {"message", x.zh}, {"message_en", x.en}});
  job->saved = saved;
  job->error = error;
  if (saved) job->warnings = MissingBackupWarnings(g.tp, r);
  if (job->cancel.load()) job->state = "cancelled";
  else if (saved) job->state = "done", job->percent = 100, job->phase = "done";
  else job->state = "failed";
}

Result<std::shared_ptr<Job>> Find(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id) {
  KEHOU_ASSIGN_OR_RETURN(int64_t sid, ResolveGridSchool(db, who, school));
  std::lock_guard l(Jobs().mu);
  auto it = Jobs().jobs.find(id);
  if (it == Jobs().jobs.end() || it->second->school_id != sid)
    return Error::NotFound("排课任务不存在", "no such solve job", "id");
  return it->second;
}

}  // namespace

Result<Json> StartSolve(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t term_id,
                        const Json& body) {
  KEHOU_ASSIGN_OR_RETURN(int64_t sid, ResolveGridSchool(db, who, school));
  BodyReader r(body);
  const auto secs =
      r.Int("seconds", {.min = 1, .max = static_cast<int64_t>(kMaxSolveSeconds), .label = "时间限制（秒）"});
  const auto seed = r.Int("seed", {.min = 0, .label = "随机种子"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  {
    std::lock_guard l(Jobs().mu);
    for (const auto& [id, j] : Jobs().jobs)
      if (j->school_id == sid && j->term_id == term_id && j->state == "running") {
        Json out = JobJson(*j);
        out["already_running"] = true;
        return out;
      }
  }
  KEHOU_ASSIGN_OR_RETURN(GridTerm g, LoadGridTerm(db, who, sid, term_id));
  SolveOptions o;
  o.seconds = secs ? static_cast<double>(*secs) : kDefaultSolveSeconds;
  o.seed = seed ? static_cast<uint64_t>(*seed) : 1;
  if (g.stored) o.previous = g.current, o.previous_staff = g.tp.previous_staff;
  o.backups_best_effort = true;  // a missing backup is a named warning of the job, not a refusal
  Registry& reg = Jobs();
  std::lock_guard l(reg.mu);
  for (const auto& [id, j] : reg.jobs)  // a start that raced this one
    if (j->school_id == sid && j->term_id == term_id && j->state == "running") {
      Json out = JobJson(*j);
      out["already_running"] = true;
      return out;
    }
  auto job = std::make_shared<Job>();
  job->id = reg.next_id++;
  job->school_id = sid;
  job->term_id = term_id;
  job->seconds_limit = o.seconds;
  job->activities = static_cast<int64_t>(g.tp.problem.activities.size());
  reg.jobs[job->id] = job;
  Json out = JobJson(*job);
  out["already_running"] = false;
  reg.Reap();
  reg.threads.emplace(job->id, std::thread(Run, std::ref(db), who, job, std::move(g), std::move(o)));
  return out;
}

Result<Json> SolveJob(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t job_id) {
  KEHOU_ASSIGN_OR_RETURN(auto job, Find(db, who, school, job_id));
  std::lock_guard l(Jobs().mu);
  return JobJson(*job);
}

Result<Json> CancelSolve(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t job_id) {
  KEHOU_ASSIGN_OR_RETURN(auto job, Find(db, who, school, job_id));
  job->cancel.store(true);
  std::lock_guard l(Jobs().mu);
  return JobJson(*job);
}

void WaitForSolveJobs() { Jobs().JoinAll(); }

}  // namespace kehou::timetable
