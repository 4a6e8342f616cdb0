// kehou: the command. `kehou timetable solve --fet FILE ...` (a FET file, no database) runs here;
// every other command (serve, migrate, demo, import, ..., `timetable solve --term`) is the
// platform's: this process becomes `kehou-platform` from the same folder (execv, so the process,
// its id and its signals stay the same), which parses and runs it (main.cpp).
// Why two programs: the platform links everything a school needs (OpenSSL, the HTTP server, every
// module), and starting it costs ~10 ms on this VM (page faults of its relocated tables and its
// static set-up, docs/ARCHITECTURE.md note 24); the solver alone starts in ~4 ms, which is most of
// what solving a 200-section file takes. A command the platform runs pays ~2 ms more.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <climits>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>

#include "timetable/fet_cli.h"

namespace {

// True for `kehou timetable solve ...` with a FET file and nothing that needs the platform (the
// term of a database, or the help text, which lists --term too).
bool SolvesHere(int argc, char** argv) {
  if (argc < 4 || std::string_view(argv[1]) != "timetable" || std::string_view(argv[2]) != "solve") return false;
  bool fet = false;
  for (int i = 3; i < argc; ++i) {
    const std::string_view a(argv[i]);
    if (a == "--fet" || a.starts_with("--fet=")) fet = true;
    if (a == "--term" || a.starts_with("--term=") || a == "--school" || a.starts_with("--school=") || a == "--db" ||
        a.starts_with("--db=") || a == "-h" || a == "--help")
      return false;
  }
  return fet;
}

// The platform program beside this one (the folder of /proc/self/exe).
std::string PlatformPath() {
  char self[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  std::string dir = n > 0 ? std::string(self, static_cast<size_t>(n)) : std::string();
  const size_t slash = dir.rfind('/');
  dir = slash == std::string::npos ? std::string(".") : dir.substr(0, slash);
  return dir + "/kehou-platform";
}

}  // namespace

int main(int argc, char** argv) {
  if (!SolvesHere(argc, argv)) {
    const std::string platform = PlatformPath();
    ::execv(platform.c_str(), argv);
    std::cerr << "错误 / error: 无法启动 " << platform << "（" << std::strerror(errno)
              << "）(cannot start the platform)\n";
    return 127;
  }
  CLI::App app{"Kehou 课后服务管理平台"};
  app.require_subcommand(1);
  kehou::timetable::FetSolveCommand fet;
  fet.AddSolve(*app.add_subcommand("timetable", "weekly timetable"));
  CLI11_PARSE(app, argc, argv);
  try {
    return fet.Run();
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
