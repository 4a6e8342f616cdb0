#include "timetable/cli.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>

#include "access/principal.h"
#include "db/db.h"
#include "timetable/service.h"
#include "timetable/solver.h"

namespace kehou::timetable {

Cli::Cli(CLI::App& timetable) {
  CLI::App* solve = fet_.AddSolve(timetable);
  auto* term = solve->add_option("--term", term_, "solve this term of the database (--db) and store it");
  solve->get_option("--fet")->excludes(term);
  solve->add_option("--school", school_, "the term's school (with --term)");
}

int Cli::Run(const std::string& db_url) const { return term_ > 0 ? RunTerm(db_url) : fet_.Run(); }

int Cli::RunTerm(const std::string& db_url) const {
  const auto start = std::chrono::steady_clock::now();
  auto db = db::Db::Open(db_url);
  db::Migrate(*db);
  auth::Principal who;  // the command line acts as the system administrator, audited as "cli"
  who.role = auth::Role::kSysAdmin;
  who.scope = auth::Scope::kAll;
  who.school_id = school_;
  who.login = "cli";
  who.display_name = "命令行排课";
  auto tp = LoadTermProblem(*db, who, school_, term_);
  if (!tp.ok()) return CliError(tp.error().message, tp.error().message_en);
  if (!fet_.ExportFet(tp->problem))
    return CliError("无法写入 " + fet_.export_fet(), "cannot write " + fet_.export_fet());
  SolveOptions opt = fet_.Options();
  opt.previous = tp->previous;
  opt.previous_staff = tp->previous_staff;
  const SolveResult r = Solve(tp->problem, opt);
  for (const auto& why : r.reasons)
    std::cerr << "无法排课 / impossible [" << why.rule << "]: " << why.zh << " (" << why.en << ")\n";
  if (r.solved) {
    auto saved = SaveTermTimetable(*db, who, *tp, r.assignment, r.staff);
    if (!saved.ok()) return CliError(saved.error().message, saved.error().message_en);
    if (!fet_.out().empty()) WriteOver(fet_.out(), ResultCsv(tp->problem, r.assignment));
  }
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << r.report.Describe() << "\n";
  std::cout << "{\"solved\":" << (r.solved ? "true" : "false") << ",\"term\":" << term_
            << ",\"sections\":" << tp->sections << ",\"activities\":" << tp->problem.activities.size()
            << ",\"rooms\":" << tp->problem.rooms.size() << ",\"teachers\":" << tp->problem.teachers.size()
            << ",\"solve_seconds\":" << r.seconds << ",\"seconds\":" << total << ",\"hard\":" << r.report.Hard()
            << ",\"moved\":" << r.report.moved << ",\"rule\":\"" << (r.reasons.empty() ? "" : r.reasons.front().rule)
            << "\"}\n";
  return r.solved ? 0 : 2;
}

}  // namespace kehou::timetable
