// cli.h: the platform's `kehou timetable solve`: a FET file (fet_cli.h, the same options and run
// as the lean front binary's), or `--db URL --term ID [--school N]`: the term's sections from the
// database, solved (near the stored timetable, if any) and stored (sql/0060), figures printed.
// --export-fet FILE writes the problem read (from either) as a FET 6.8 file, for fet-cl.
// Exit 0 solved, 2 impossible or unsolved (the hard rule named on stderr), 1 bad input.
// Thread-safety: one command per process.
#pragma once
#include <cstdint>
#include <string>

#include "timetable/fet_cli.h"

namespace kehou::timetable {

class Cli {
 public:
  explicit Cli(CLI::App& timetable);  // adds `solve` under the `timetable` subcommand (main.cpp's kCommands row)
  int Run(const std::string& db_url) const;

 private:
  int RunTerm(const std::string& db_url) const;
  FetSolveCommand fet_;
  int64_t term_ = 0, school_ = 1;
};

}  // namespace kehou::timetable
