// The server's per-request trace (diagnosis only; server.cpp). Included by server.cpp alone.
#pragma once
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "db/trace.h"
#include "http/http.h"

namespace kehou::http {

// KEHOU_TRACE=<file>: one line per request run on the read or write workers (diagnosis only,
// db/trace.h): wall ms, method, path, status, total us, queued us before a worker took it, the
// handler's us, then the drivers' figures (pool wait, statements and their us, commit, SQLite's
// writer queue, its group's run, own function, group size; PostgreSQL round trips).
class TraceLog {
 public:
  TraceLog() {
    if (const char* path = std::getenv("KEHOU_TRACE"); path && *path) f_ = std::fopen(path, "a");
  }
  ~TraceLog() {
    if (f_) std::fclose(f_);
  }
  bool on() const { return f_ != nullptr; }
  void Write(const Request& req, int status, std::chrono::steady_clock::time_point started, int64_t t_run,
             int64_t t_handled, const db::trace::Record& r) {
    const int64_t t_end = db::trace::NowUs();
    const int64_t t0 = std::chrono::duration_cast<std::chrono::microseconds>(started.time_since_epoch()).count();
    const int64_t wall =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    std::lock_guard l(mu_);
    std::fprintf(f_, "%lld %s %s %d %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld\n",
                 static_cast<long long>(wall), req.method.c_str(), req.path.c_str(), status,
                 static_cast<long long>(t_end - t0), static_cast<long long>(t_run - t0),
                 static_cast<long long>(t_handled - t_run), static_cast<long long>(r.pool_wait_us),
                 static_cast<long long>(r.stmts), static_cast<long long>(r.stmt_us),
                 static_cast<long long>(r.commit_us), static_cast<long long>(r.writer_wait_us),
                 static_cast<long long>(r.group_us), static_cast<long long>(r.own_us),
                 static_cast<long long>(r.group_size), static_cast<long long>(r.round_trips));
    std::fflush(f_);
  }

 private:
  std::FILE* f_ = nullptr;
  std::mutex mu_;
};

}  // namespace kehou::http
