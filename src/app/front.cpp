// kehou: the command. `kehou timetable solve --fet FILE ...` (a FET file, no database) runs here;
// every other command (serve, migrate, demo, import, ..., `timetable solve --term`) is the
// platform's: this process becomes `kehou-platform` from the same folder (execv, so the process,
// its id and its signals stay the same), which parses and runs it (main.cpp).
// Why two programs: the platform links everything a school needs (OpenSSL, the HTTP server, every
// module), and starting it costs ~10 ms on this VM (page faults of its relocated tables and its
// static set-up, docs/ARCHITECTURE.md note 24); the solver alone starts in ~4 ms, which is most of
// what solving a 200-section file takes. A command the platform runs pays ~2 ms more.
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>
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

// The solve's heap on transparent huge pages. A page touched for the first time costs ~12-16 us on
// this VM, and the solve touches 60-70 heap pages (more for larger files): ~1 ms of a 7-15 ms solve;
// a 2 MB huge page costs one fault of ~150 us (ARCHITECTURE note 24). glibc's malloc stays the
// allocator, with three settings: the heap grows by 8 MB at once (M_TOP_PAD), never shrinks
// (M_TRIM_THRESHOLD) and serves large blocks too (M_MMAP_THRESHOLD), so the solve's memory is one
// contiguous heap; one block that is never used fills the heap up to the next 2 MB boundary (its
// pages are never touched, so never backed) and the heap past it is marked MADV_HUGEPAGE. Where a
// step does not hold (no THP, no room to grow the heap) the solve runs on 4 KB pages as before.
void HeapOnHugePages() {
  constexpr size_t kHuge = size_t{2} << 20;
  constexpr int kPad = 8 << 20;
  constexpr int kLarge = 32 << 20;  // glibc's largest M_MMAP_THRESHOLD on 64-bit
  if (::mallopt(M_TOP_PAD, kPad) == 0 || ::mallopt(M_TRIM_THRESHOLD, kLarge) == 0 ||
      ::mallopt(M_MMAP_THRESHOLD, kLarge) == 0)
    return;
  const auto top_end = reinterpret_cast<uintptr_t>(::sbrk(0));
  const size_t top = ::mallinfo2().keepcost;  // the free block at the heap's top, which malloc carves next
  if (top_end == static_cast<uintptr_t>(-1) || top > top_end) return;
  const uintptr_t top_start = top_end - top;
  size_t fill = ((top_start + kHuge - 1) & ~(kHuge - 1)) - top_start;
  if (fill < 4096) fill += kHuge;
  void* filler = std::malloc(fill - 32);  // its 16-byte header and the next block's: the rest lands past the boundary
  if (filler == nullptr) return;
  const auto start = (reinterpret_cast<uintptr_t>(filler) + fill) & ~(kHuge - 1);
  const auto end = reinterpret_cast<uintptr_t>(::sbrk(0)) & ~(kHuge - 1);
  if (end > start) ::madvise(reinterpret_cast<void*>(start), end - start, MADV_HUGEPAGE);
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
  HeapOnHugePages();
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
