// kehou-platform: every command (serve | migrate | demo | import | user | school | backup | allocate --verify |
// timetable solve); `kehou` (front.cpp) hands them here. Each subcommand is one row of kCommands (app/cli.h says how to
// add one).
#include <sodium.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <vector>

#include "app/cli.h"
#include "enroll/service.h"
#include "select/service.h"
#include "timetable/cli.h"

namespace {

using namespace kehou::app;

// `kehou timetable solve ...` (src/timetable/cli.cpp): the Cli adds `solve` under `timetable`.
CliRun TimetableCommand(CLI::App& sub) {
  auto cli = std::make_shared<kehou::timetable::Cli>(sub);
  return [cli](const CliContext& ctx) { return cli->Run(ctx.db_url); };
}

// The subcommands, in the order `kehou --help` lists them.
const Command kCommands[] = {
    {"serve", "run the web server", ServeCommand},
    {"migrate", "apply pending database migrations", MigrateCommand},
    {"demo", "create the demo county and school (if not there) and print its accounts", DemoCommand},
    {"import", "import students or staff from a CSV file (all rows or none)", ImportCommand},
    {"user", "manage accounts", UserCommand},
    {"school", "create a school (its county and city are created if new)", SchoolCommand},
    {"backup", "online backup (SQLite) or print the pg_dump command (PostgreSQL)", BackupCommand},
    {"allocate", "re-run a preference round's allocation: print it (--input FILE) and compare (--verify); anyone can",
     AllocateCommand},
    {"timetable", "weekly timetable: solve a FET file (or a term of the database) with our solver", TimetableCommand},
};

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) {
    std::cerr << "libsodium failed to initialise\n";
    return 1;
  }
  // An exit releases the child's seats of the term from its effective date (issue 11): enroll
  // records the exit, select releases the seats, wired here because select depends on enroll.
  kehou::enroll::SetExitHook(&kehou::select::OnExitRecorded);
  CLI::App app{"Kehou 课后服务管理平台"};
  app.require_subcommand(1);
  app.fallthrough();  // `kehou demo --db X`: the parent's --db after a subcommand
  CliContext ctx{Env("KEHOU_DB", "sqlite:var/kehou.db")};
  app.add_option("--db", ctx.db_url, "database: sqlite:PATH or postgresql://... (env KEHOU_DB)");
  std::vector<std::pair<CLI::App*, CliRun>> runs;
  for (const Command& c : kCommands) {
    CLI::App* sub = app.add_subcommand(c.name, c.help);
    runs.emplace_back(sub, c.setup(*sub));
  }
  CLI11_PARSE(app, argc, argv);
  try {
    for (auto& [sub, run] : runs)
      if (sub->parsed()) return run(ctx);
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
