// cli.h: the subcommands of the `kehou` binary. main.cpp holds one table of Commands; each
// Command's Setup adds its options to its CLI11 subcommand and returns the function that runs it
// once the command line is parsed (exit code: 0 done, 1 an error printed, others as the command
// says). A new subcommand is one row in main.cpp's kCommands plus its Setup function, e.g. in
// src/<module>/cli.cpp. Thread-safety: called from main() only.
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "core/result.h"
#include "db/db.h"

namespace CLI {
class App;
}

namespace kehou::app {

// What every subcommand may read from the parent's options (filled when the line is parsed).
struct CliContext {
  std::string db_url;  // --db, env KEHOU_DB
};

using CliRun = std::function<int(const CliContext&)>;
using CliSetup = CliRun (*)(CLI::App& sub);

struct Command {
  const char* name;
  const char* help;
  CliSetup setup;
};

// The environment variable, or `fallback` when unset or empty.
std::string Env(const char* name, std::string fallback);
// Opens the database (creating a SQLite file's folder first).
std::unique_ptr<db::Db> OpenCliDb(const std::string& url);
// Prints the error (Chinese, then English) to stderr; returns 1.
int CliFail(const Error& e);

// The subcommands of this folder (cmd_serve.cpp, cmd_admin.cpp, cmd_allocate.cpp).
CliRun ServeCommand(CLI::App& sub);
CliRun MigrateCommand(CLI::App& sub);
CliRun DemoCommand(CLI::App& sub);
CliRun ImportCommand(CLI::App& sub);
CliRun UserCommand(CLI::App& sub);
CliRun SchoolCommand(CLI::App& sub);
CliRun BackupCommand(CLI::App& sub);
CliRun AllocateCommand(CLI::App& sub);

}  // namespace kehou::app
