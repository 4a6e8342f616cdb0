// fet_cli.h: `kehou timetable solve --fet FILE.fet --out RESULT.csv [--seconds N] [--seed S]
// [--previous OLD.csv] [--export-fet FILE]`: reads a FET file, solves it with our solver, writes one
// `activity_id,day,hour,room` row per activity (names as in the file) and prints a summary (last
// line JSON). No database: this is all the lean `kehou` front binary links (app/front.cpp), and
// the platform's `timetable solve` (cli.h) adds its --term path on top of the same options.
// Exit 0 solved, 2 impossible or unsolved (the hard rule named on stderr), 1 bad input.
// Thread-safety: one command per process.
#pragma once
#include <cstdint>
#include <istream>
#include <string>

#include "timetable/model.h"
#include "timetable/solver.h"

namespace CLI {
class App;
}  // namespace CLI

namespace kehou::timetable {

// The result CSV of p: a header, then `activity_id,day,hour,room` per placed activity.
std::string ResultCsv(const Problem& p, const Assignment& a);
// Reads such a CSV back (rows naming unknown activities, days, hours are skipped).
Assignment ReadResultCsv(const Problem& p, std::istream& in);
// Writes text to path over what is there, then cuts the file to its length; false when it cannot.
bool WriteOver(const std::string& path, const std::string& text);
// Prints `错误 / error: zh (en)` on stderr; returns 1 (the exit code of bad input).
int CliError(const std::string& zh, const std::string& en);

class FetSolveCommand {
 public:
  // Adds `solve` with the options above under `timetable` (which then requires a subcommand); the
  // platform adds --term to what this returns, excluding --fet.
  CLI::App* AddSolve(CLI::App& timetable);
  int Run() const;                         // solves --fet into --out
  bool ExportFet(const Problem& p) const;  // --export-fet: true when written (or not asked for)
  SolveOptions Options() const;            // --seed, --seconds
  const std::string& out() const { return out_; }
  const std::string& export_fet() const { return export_fet_; }

 private:
  std::string fet_, out_, previous_, export_fet_;
  double seconds_ = 60;
  uint64_t seed_ = 1;
};

}  // namespace kehou::timetable
