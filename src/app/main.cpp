// kehou: one binary. serve | migrate | demo | import | user | school | backup | allocate --verify.
#include <malloc.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <nlohmann/json.hpp>

#include "app/routes.h"
#include "app/setup.h"
#include "auth/service.h"
#include "core/text.h"
#include "db/db.h"
#include "demo/demo.h"
#include "http/server.h"
#include "people/service.h"
#include "select/service.h"
#include "select/verify.h"
#include "timetable/cli.h"
#include "core/time.h"
#include <atomic>
#include <thread>

namespace {

std::string Env(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

std::unique_ptr<kehou::db::Db> OpenDb(const std::string& url) {
  if (url.rfind("sqlite:", 0) == 0) {
    auto path = std::filesystem::path(url.substr(7));
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  }
  return kehou::db::Db::Open(url);
}

int Fail(const kehou::Error& e) {
  std::cerr << "错误 / error: " << e.message << (e.message_en.empty() ? "" : " (" + e.message_en + ")") << "\n";
  return 1;
}

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
  std::string db_url = Env("KEHOU_DB", "sqlite:var/kehou.db");
  app.add_option("--db", db_url, "database: sqlite:PATH or postgresql://... (env KEHOU_DB)");

  auto* serve = app.add_subcommand("serve", "run the web server");
  std::string listen = Env("KEHOU_LISTEN", "127.0.0.1:8080");
  std::string web_dir = Env("KEHOU_WEB", "web/dist");
  bool no_migrate = false, quiet = false;
  unsigned workers = 4;  // CPU-bound reads on a 2-core box: more threads only switch more
  serve->add_option("--listen", listen, "host:port (env KEHOU_LISTEN)");
  serve->add_option("--web", web_dir, "folder of the built pages (env KEHOU_WEB)");
  serve->add_flag("--no-migrate", no_migrate, "do not apply pending migrations at start");
  serve->add_option("--workers", workers, "request worker threads");
  serve->add_flag("--quiet", quiet, "no access log");
  bool trust_proxy = Env("KEHOU_TRUST_PROXY", "") == "1";
  serve->add_flag("--trust-proxy", trust_proxy, "behind nginx on loopback: client address from X-Real-IP (env KEHOU_TRUST_PROXY=1)");
  bool no_write_lane = Env("KEHOU_WRITE_LANE", "") == "0";
  serve->add_flag("--no-write-lane", no_write_lane,
                  "SQLite: answer short writes (taking a seat) on the worker pool instead of the batched write lane "
                  "(env KEHOU_WRITE_LANE=0; for comparison benchmarks)");

  auto* migrate = app.add_subcommand("migrate", "apply pending database migrations");

  auto* demo = app.add_subcommand("demo", "create the demo county and school (if not there) and print its accounts");
  bool demo_json = false;
  demo->add_flag("--accounts-json", demo_json, "only print the demo accounts as JSON (creates nothing)");

  auto* import = app.add_subcommand("import", "import students or staff from a CSV file (all rows or none)");
  std::string import_kind, import_file;
  int64_t import_school = 0;
  bool import_dry = false;
  import->add_option("kind", import_kind, "students or staff")->required()->check(CLI::IsMember({"students", "staff"}));
  import->add_option("file", import_file, "CSV file, UTF-8, Chinese headers as in the template")->required()->check(CLI::ExistingFile);
  import->add_option("--school", import_school, "school id")->required();
  import->add_flag("--dry-run", import_dry, "only check and report errors");

  auto* user = app.add_subcommand("user", "manage accounts");
  user->require_subcommand(1);
  auto* user_create = user->add_subcommand("create", "create an account");
  std::string u_login, u_name, u_role, u_password;
  int64_t u_school = 0, u_area = 0;
  user_create->add_option("--login", u_login)->required();
  user_create->add_option("--name", u_name)->required();
  user_create->add_option("--role", u_role, "e.g. principal, sysadmin, county_officer")->required();
  user_create->add_option("--password", u_password, "initial password (must be changed at first login)")->required();
  user_create->add_option("--school", u_school, "school id (school roles)");
  user_create->add_option("--area", u_area, "area id (officers)");
  auto* user_reset = user->add_subcommand("reset-password", "set a temporary password, to be changed at next login");
  user_reset->add_option("--login", u_login)->required();
  auto* user_disable = user->add_subcommand("disable", "disable an account and end its sessions");
  user_disable->add_option("--login", u_login)->required();
  auto* user_enable = user->add_subcommand("enable", "enable an account");
  user_enable->add_option("--login", u_login)->required();

  auto* school = app.add_subcommand("school", "create a school (its county and city are created if new)");
  school->require_subcommand(1);
  auto* school_create = school->add_subcommand("create", "create a school with its grades");
  kehou::app::NewSchool ns{"", "", "17:00", "", "", "public"};
  school_create->add_option("--city", ns.city, "city, e.g. 临江市");
  school_create->add_option("--county", ns.county, "county, e.g. 青山县")->required();
  school_create->add_option("--office-close", ns.office_close, "the county's office closing time HH:MM (default 17:00)");
  school_create->add_option("--name", ns.name, "school name")->required();
  school_create->add_option("--level", ns.level, "primary | junior | nine_year")->required();
  school_create->add_option("--type", ns.type, "public | private | private_boarding (default public)");

  auto* backup = app.add_subcommand("backup", "online backup (SQLite) or print the pg_dump command (PostgreSQL)");
  std::string backup_to;
  backup->add_option("--to", backup_to, "backup file (SQLite)");

  auto* allocate = app.add_subcommand(
      "allocate", "re-run a preference round's allocation: print it (--input FILE) and compare (--verify); anyone can");
  bool alloc_verify = false, alloc_all = false;
  int64_t alloc_round = 0;
  std::string alloc_input;
  allocate->add_flag("--verify", alloc_verify, "recompute with the revealed seed and compare with the stored result");
  auto* alloc_round_opt = allocate->add_option("--round", alloc_round, "round id (with --db)");
  auto* alloc_all_opt = allocate->add_flag("--all", alloc_all, "every allocated preference round in the database");
  auto* alloc_input_opt = allocate->add_option("--input", alloc_input,
                                               "the published JSON (GET /api/v1/rounds/:id/verification): prints the allocation it "
                                               "computes; with --verify compares it with the file's result; no database")
                              ->check(CLI::ExistingFile);
  alloc_round_opt->excludes(alloc_all_opt)->excludes(alloc_input_opt);
  alloc_all_opt->excludes(alloc_input_opt);

  kehou::timetable::Cli timetable_cli(app);  // `kehou timetable solve ...` (src/timetable/cli.cpp)
  CLI11_PARSE(app, argc, argv);

  try {
    if (timetable_cli.Chosen()) return timetable_cli.Run(db_url);
    if (*backup && (db_url.rfind("postgres", 0) == 0)) {
      std::cout << "pg_dump --format=custom --file=kehou-$(date +%F).dump '" << db_url << "'\n"
                << "# restore: pg_restore --clean --if-exists --dbname='" << db_url << "' kehou-YYYY-MM-DD.dump\n";
      return 0;
    }
    if (*allocate) {
      // Exit 0: identical (or computed); 3: a difference (named); 1: nothing could be checked.
      if (!alloc_input.empty()) {
        std::ifstream in(alloc_input, std::ios::binary);
        auto j = nlohmann::json::parse(in, nullptr, false);
        if (j.is_discarded())
          return Fail(kehou::MakeError(kehou::kInvalid, "文件不是有效的 JSON", "the file is not valid JSON"));
        auto rec = kehou::select::RecordFromJson(j);
        if (!rec.ok()) return Fail(rec.error());
        // Without --verify: the allocation this input gives with the revealed seed and the round's
        // named rule, printed so anyone can re-run a round (JSON on stdout).
        if (!alloc_verify || !rec->claimed) {
          auto computed = kehou::select::Recompute(*rec);
          if (!computed.ok()) return Fail(computed.error());
          std::cout << kehou::select::AllocationText(kehou::select::AllocationJson(*rec, *computed)) << "\n";
          return 0;
        }
        auto v = kehou::select::VerifyRecord(*rec);
        std::cout << kehou::select::Describe(v) << "\n";
        return v.identical ? 0 : 3;
      }
      if (!alloc_verify)
        return Fail(kehou::MakeError(kehou::kInvalid, "--round / --all 需与 --verify 一起使用",
                                     "--round and --all go with --verify"));
      if (alloc_round == 0 && !alloc_all)
        return Fail(kehou::MakeError(kehou::kInvalid, "请指定 --round N、--all 或 --input FILE",
                                     "give --round N, --all or --input FILE"));
      auto db = kehou::db::Db::Open(db_url);  // read only: no migrations from a checker
      std::vector<int64_t> rounds = {alloc_round};
      if (alloc_all) rounds = db->Read([](kehou::db::Conn& c) { return kehou::select::AllocatedRounds(c); });
      int rc = 0, checked = 0;
      for (int64_t id : rounds) {
        auto rec = db->Read([&](kehou::db::Conn& c) { return kehou::select::LoadRecord(c, id); });
        if (!rec.ok()) {
          if (!alloc_all) return Fail(rec.error());
          std::cout << "跳过第 " << id << " 轮 / skipped round " << id << ": " << rec.error().message << " ("
                    << rec.error().message_en << ")\n";
          continue;
        }
        auto v = kehou::select::VerifyRecord(*rec);
        std::cout << kehou::select::Describe(v) << "\n";
        ++checked;
        if (!v.identical) rc = 3;
      }
      if (alloc_all) std::cout << "共复核 " << checked << " 轮 / rounds verified: " << checked << "\n";
      return rc;
    }
    auto db = OpenDb(db_url);
    if (*migrate) {
      auto applied = kehou::db::Migrate(*db);
      std::cout << "migrations applied: " << applied.size() << " (database " << db->Describe() << ")\n";
      return 0;
    }
    if (*demo && demo_json) {
      nlohmann::json out = nlohmann::json::array();
      for (auto& a : kehou::demo::DemoAccounts())
        out.push_back({{"role", a.role}, {"role_label", a.role_label}, {"login", a.login}, {"password", a.password},
                       {"display_name", a.display_name}, {"note", a.note}});
      std::cout << out.dump() << "\n";
      return 0;
    }
    if (*demo) {
      kehou::db::Migrate(*db);
      if (kehou::demo::DemoExists(*db)) {
        std::cout << "演示数据已存在 / the demo is already in " << db->Describe() << "\n";
      } else {
        auto r = kehou::demo::CreateDemo(*db, [](std::string_view step, int pct) {
          std::cout << "  [" << pct << "%] " << step << "\n" << std::flush;
        });
        if (!r.ok()) return Fail(r.error());
        std::cout << "演示学校已创建 / demo created: " << r->main_students << " students, " << r->main_classes
                  << " classes, " << r->main_staff << " staff, " << r->main_applications_approved
                  << " approved applications (" << r->main_applications_pending
                  << " awaiting review) in the main school; " << r->schools << " schools in " << r->elapsed_ms
                  << " ms\n";
      }
      std::cout << kehou::demo::FormatAccounts(kehou::demo::DemoAccounts());
      return 0;
    }
    if (*import) {
      kehou::db::Migrate(*db);
      std::ifstream in(import_file, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      const kehou::auth::Principal cli = kehou::app::CliPrincipal(import_school, "命令行导入");
      nlohmann::json body = {{"csv", ss.str()}};
      nlohmann::json answer;
      if (import_dry) {
        auto r = kehou::people::PreviewImport(*db, cli, import_kind, body, import_school);
        if (!r.ok()) return Fail(r.error());
        answer = r.value();
      } else {
        auto r = kehou::people::RunImport(*db, cli, import_kind, body, import_school);
        if (!r.ok()) return Fail(r.error());
        answer = r->body;
      }
      std::cout << answer.dump(2) << "\n";
      return answer.value("ok", false) ? 0 : 2;
    }
    if (*user) {
      kehou::db::Migrate(*db);
      kehou::auth::AuthService auth(*db);
      if (*user_create) {
        auto role = kehou::auth::ParseRole(u_role);
        if (!role) return Fail(kehou::MakeError(kehou::kInvalid, "角色无效：" + u_role, "unknown role"));
        auto r = auth.CreateUserDirect(u_login, u_name, *role, u_school ? std::optional<int64_t>(u_school) : std::nullopt,
                                       u_area ? std::optional<int64_t>(u_area) : std::nullopt, u_password, true);
        if (!r.ok()) return Fail(r.error());
        std::cout << "created user " << u_login << " (id " << r.value() << "), password must be changed at first login\n";
      } else if (*user_reset) {
        auto r = auth.ResetPasswordDirect(u_login);
        if (!r.ok()) return Fail(r.error());
        std::cout << "temporary password for " << u_login << ": " << r.value() << "\n";
      } else {
        auto s = auth.SetDisabledDirect(u_login, user_disable->parsed());
        if (!s.ok()) return Fail(s.error());
        std::cout << u_login << (user_disable->parsed() ? " disabled\n" : " enabled\n");
      }
      return 0;
    }
    if (*school) {
      kehou::db::Migrate(*db);
      auto r = kehou::app::CreateSchool(*db, ns);
      if (!r.ok()) return Fail(r.error());
      std::cout << "school " << ns.name << " created: school_id=" << r->school_id << " county_id=" << r->county_id
                << (r->city_id ? " city_id=" + std::to_string(r->city_id) : std::string()) << "\n"
                << "next: build/kehou user create --login ... --role principal --school " << r->school_id
                << " --name ... --password ...\n";
      return 0;
    }
    if (*backup) {
      if (backup_to.empty()) return Fail(kehou::MakeError(kehou::kInvalid, "请用 --to 指定备份文件", "--to is required"));
      auto s = db->BackupTo(backup_to);
      if (!s.ok()) return Fail(s.error());
      std::cout << "backup written to " << backup_to << "\n";
      return 0;
    }
    // serve
    // Fewer glibc arenas and no trimming after every request burst (madvise showed in profiles).
    mallopt(M_ARENA_MAX, 4);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    // Setting the trim threshold also freezes the mmap threshold at 128 KiB; cairo copies a 15 MB
    // font table per PDF, which then became a fresh mapping each time (PDF rosters 5x slower).
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    if (!no_migrate) {
      auto applied = kehou::db::Migrate(*db);
      if (!applied.empty()) spdlog::info("applied {} migrations", applied.size());
    }
    kehou::http::ServerOptions o;
    if (!kehou::http::ParseListen(listen, o.host, o.port)) {
      std::cerr << "bad --listen: " << listen << "\n";
      return 1;
    }
    o.workers = workers;
    o.access_log = !quiet;
    o.trust_proxy = trust_proxy;
    kehou::auth::AuthService auth(*db);
    kehou::http::Router router;
    kehou::app::RegisterAllRoutes(router, *db, auth);
    kehou::http::Hooks hooks;
    hooks.authenticate = [&auth](std::string_view token) { return auth.Authenticate(token); };
    if (db->HasSharedTransactions() && !no_write_lane)
      hooks.shared_write = [&db](const std::function<void()>& body) { return db->SharedTransaction(body); };
    if (std::filesystem::exists(std::filesystem::path(web_dir) / "index.html")) hooks.web_dir = web_dir;
    else spdlog::warn("no built pages in {} (run `make web`); serving the API only", web_dir);
    o.on_listening = [&] {
      spdlog::info("Kehou serving http://{}:{} on {}", o.host, o.port, db->Describe());
    };
    // Waiting-list offers expire on the clock, not only when someone next touches the list; exits
    // reaching their effective date release their seats on the same clock.
    std::atomic<bool> running{true};
    std::thread offer_clock([&] {
      constexpr auto kOfferSweep = std::chrono::seconds(30);
      auto next = std::chrono::steady_clock::now() + kOfferSweep;
      while (running.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        if (std::chrono::steady_clock::now() < next) continue;
        next += kOfferSweep;
        try {
          kehou::select::ExpireOffers(*db, kehou::NowMs());
        } catch (const std::exception& e) {
          spdlog::warn("expiring waiting-list offers failed: {}", e.what());
        }
        try {  // exits recorded ahead of their date release the seats on the day
          kehou::select::ReleaseDueExits(*db, kehou::TodayLocal(), kehou::NowMs());
        } catch (const std::exception& e) {
          spdlog::warn("releasing the seats of exits failed: {}", e.what());
        }
      }
    });
    struct StopClock {  // joins the clock however Serve ends (a busy port throws)
      std::atomic<bool>& running;
      std::thread& clock;
      void Stop() {
        running = false;
        if (clock.joinable()) clock.join();
      }
      ~StopClock() { Stop(); }
    } stop_clock{running, offer_clock};
    kehou::http::Serve(o, router, hooks);
    stop_clock.Stop();  // before the database closes
    spdlog::info("stopped; closing the database");
    db.reset();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
