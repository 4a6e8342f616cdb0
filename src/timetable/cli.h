// cli.h: `kehou timetable solve --fet FILE.fet --out RESULT.csv [--seconds N] [--seed S]
// [--previous OLD.csv]`: reads a FET file, solves it with our solver, writes one
// `activity_id,day,hour,room` row per activity (names as in the file) and prints a summary (last
// line JSON). `kehou timetable solve --db URL --term ID [--school N]`: the term's sections from the
// database, solved (near the stored timetable, if any) and stored (sql/0060), figures printed.
// --export-fet FILE writes the problem read (from either) as a FET 6.8 file, for fet-cl.
// Exit 0 solved, 2 impossible or unsolved (the hard rule named on stderr), 1 bad input.
// Thread-safety: one command per process.
#pragma once
#include <cstdint>
#include <istream>
#include <string>

#include "timetable/model.h"

namespace CLI {
class App;
}

namespace kehou::timetable {

// The result CSV of p: a header, then `activity_id,day,hour,room` per placed activity.
std::string ResultCsv(const Problem& p, const Assignment& a);
// Reads such a CSV back (rows naming unknown activities, days, hours are skipped).
Assignment ReadResultCsv(const Problem& p, std::istream& in);

class Cli {
 public:
  explicit Cli(CLI::App& timetable);  // adds `solve` under the `timetable` subcommand (main.cpp's kCommands row)
  int Run(const std::string& db_url) const;

 private:
  int RunTerm(const std::string& db_url) const;
  bool ExportFet(const Problem& p) const;  // --export-fet: true when written (or not asked for)
  int64_t term_ = 0, school_ = 1;
  CLI::App* solve_ = nullptr;
  std::string fet_, out_, previous_, export_fet_;
  double seconds_ = 60;
  uint64_t seed_ = 1;
};

}  // namespace kehou::timetable
