// cmd_serve.cpp: `kehou serve`, the web server, with the 30-second clock that expires
// waiting-list offers and releases the seats of exits on their day, and the notification outbox's
// delivery worker (notify/worker.h).
#include <malloc.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

#include "app/cli.h"
#include "app/routes.h"
#include "auth/service.h"
#include "core/time.h"
#include "fees/scheduler.h"
#include "http/server.h"
#include "notify/channels.h"
#include "notify/worker.h"
#include "pickup/service.h"
#include "select/service.h"

namespace kehou::app {
namespace {

struct ServeOptions {
  std::string listen = Env("KEHOU_LISTEN", "127.0.0.1:8080");
  std::string web_dir = Env("KEHOU_WEB", "web/dist");
  bool no_migrate = false, quiet = false;
  unsigned workers = 4;  // CPU-bound reads on a 2-core box: more threads only switch more
  // 0: by database (http::WriteWorkers). SQLite: 32 (one writer connection runs every write, so
  // the threads only wait, and those waiting together share one commit). PostgreSQL: as many as
  // read workers (every write thread is a busy backend on the same cores: session 13 measured 32
  // of them slowing the status reads; session 15 measured 12 making the status p99 ten times worse
  // on a quiet machine, http/server.h).
  unsigned write_workers = 0;
  unsigned device_batch_workers = 0;  // 0: http::DeviceBatchWorkers (write workers - 1, at most the cores)
  bool trust_proxy = Env("KEHOU_TRUST_PROXY", "") == "1";
  bool no_write_lane = Env("KEHOU_WRITE_LANE", "") == "0";
};

// Waiting-list offers expire on the clock, not only when someone next touches the list; exits
// reaching their effective date release their seats on the same clock. Joined however Serve
// ends (a busy port throws), before the database closes.
class OfferClock {
 public:
  explicit OfferClock(db::Db& db) : db_(db), thread_([this] { Run(); }) {}
  ~OfferClock() { Stop(); }
  void Stop() {
    running_ = false;
    if (thread_.joinable()) thread_.join();
  }

 private:
  static constexpr auto kOfferSweep = std::chrono::seconds(30);
  void Run() {
    auto next = std::chrono::steady_clock::now() + kOfferSweep;
    while (running_.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      if (std::chrono::steady_clock::now() < next) continue;
      next += kOfferSweep;
      try {
        select::ExpireOffers(db_, NowMs());
      } catch (const std::exception& e) {
        spdlog::warn("expiring waiting-list offers failed: {}", e.what());
      }
      try {  // exits recorded ahead of their date release the seats on the day
        select::ReleaseDueExits(db_, TodayLocal(), NowMs());
      } catch (const std::exception& e) {
        spdlog::warn("releasing the seats of exits failed: {}", e.what());
      }
      try {  // children not collected after their batch: escalation steps (pickup, issue 13 §3)
        pickup::EscalateLate(db_, NowMs());
      } catch (const std::exception& e) {
        spdlog::warn("pickup escalation failed: {}", e.what());
      }
    }
  }
  db::Db& db_;
  std::atomic<bool> running_{true};
  std::thread thread_;
};

int RunServe(const CliContext& ctx, const ServeOptions& so) {
  auto db = OpenCliDb(ctx.db_url);
  // Fewer glibc arenas and no trimming after every request burst (madvise showed in profiles).
  mallopt(M_ARENA_MAX, 4);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  // Setting the trim threshold also freezes the mmap threshold at 128 KiB; cairo copies a 15 MB
  // font table per PDF, which then became a fresh mapping each time (PDF rosters 5x slower).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  if (!so.no_migrate) {
    auto applied = db::Migrate(*db);
    if (!applied.empty()) spdlog::info("applied {} migrations", applied.size());
  }
  if (size_t warmed = select::WarmTakePath(*db))  // PostgreSQL: before the first request is answered
    spdlog::info("warmed {} database connections for the take path", warmed);
  http::ServerOptions o;
  if (!http::ParseListen(so.listen, o.host, o.port)) {
    std::cerr << "bad --listen: " << so.listen << "\n";
    return 1;
  }
  o.workers = so.workers;
  o.write_workers =
      so.write_workers ? so.write_workers : http::WriteWorkers(db->dialect() == db::Dialect::kSqlite, so.workers);
  o.device_batch_workers = so.device_batch_workers;
  // PostgreSQL: a gate's batch is a busy backend a person's write would queue behind (session 18);
  // SQLite: it joins the same group commit, so writes keep their arrival order there.
  o.persons_first = db->dialect() != db::Dialect::kSqlite;
  o.access_log = !so.quiet;
  o.trust_proxy = so.trust_proxy;
  auth::AuthService auth(*db);
  http::Router router;
  RegisterAllRoutes(router, *db, auth);
  http::Hooks hooks;
  hooks.authenticate = [&auth](std::string_view token) { return auth.Authenticate(token); };
  if (db->HasSharedTransactions() && !so.no_write_lane)
    hooks.shared_write = [&db](const std::function<void()>& body) { return db->SharedTransaction(body); };
  if (std::filesystem::exists(std::filesystem::path(so.web_dir) / "index.html")) hooks.web_dir = so.web_dir;
  else spdlog::warn("no built pages in {} (run `make web`); serving the API only", so.web_dir);
  o.on_listening = [&] { spdlog::info("Kehou serving http://{}:{} on {}", o.host, o.port, db->Describe()); };
  {
    OfferClock clock(*db);
    notify::ChannelSender channels(*db);
    notify::Worker delivery(*db, channels);  // the outbox's delivery; joined before the database closes
    fees::ReminderScheduler reminders(*db);  // the daily payment reminders (s11-money)
    http::Serve(o, router, hooks);
  }
  spdlog::info("stopped; closing the database");
  db.reset();
  return 0;
}

}  // namespace

CliRun ServeCommand(CLI::App& serve) {
  auto so = std::make_shared<ServeOptions>();
  serve.add_option("--listen", so->listen, "host:port (env KEHOU_LISTEN)");
  serve.add_option("--web", so->web_dir, "folder of the built pages (env KEHOU_WEB)");
  serve.add_flag("--no-migrate", so->no_migrate, "do not apply pending migrations at start");
  serve.add_option("--workers", so->workers, "worker threads for reads (GET, HEAD)");
  serve.add_option("--write-workers", so->write_workers,
                   "worker threads for writes (default: 32 on SQLite, where writes waiting together share one "
                   "commit; on PostgreSQL as many as --workers)");
  serve.add_option("--device-batch-workers", so->device_batch_workers,
                   "at most this many write workers run devices' batches (a gate's swipes) at once; persons' writes "
                   "go first (PostgreSQL; default: write workers - 1, at most the cores)");
  serve.add_flag("--quiet", so->quiet, "no access log");
  serve.add_flag("--trust-proxy", so->trust_proxy,
                 "behind nginx on loopback: client address from X-Real-IP (env KEHOU_TRUST_PROXY=1)");
  serve.add_flag("--no-write-lane", so->no_write_lane,
                 "SQLite: answer short writes (taking a seat) on the worker pool instead of the batched write lane "
                 "(env KEHOU_WRITE_LANE=0; for comparison benchmarks)");
  return [so](const CliContext& ctx) { return RunServe(ctx, *so); };
}

}  // namespace kehou::app
