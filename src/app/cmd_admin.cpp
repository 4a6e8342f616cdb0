// cmd_admin.cpp: the administration subcommands of `kehou`: migrate, demo, import, user, school,
// backup (app/cli.h).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/cli.h"
#include "app/setup.h"
#include "auth/service.h"
#include "demo/demo.h"
#include "people/service.h"

namespace kehou::app {

std::string Env(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

std::unique_ptr<db::Db> OpenCliDb(const std::string& url) {
  if (url.rfind("sqlite:", 0) == 0) {
    auto path = std::filesystem::path(url.substr(7));
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  }
  return db::Db::Open(url);
}

int CliFail(const Error& e) {
  std::cerr << "错误 / error: " << e.message << (e.message_en.empty() ? "" : " (" + e.message_en + ")") << "\n";
  return 1;
}

CliRun MigrateCommand(CLI::App&) {
  return [](const CliContext& ctx) {
    auto db = OpenCliDb(ctx.db_url);
    auto applied = db::Migrate(*db);
    std::cout << "migrations applied: " << applied.size() << " (database " << db->Describe() << ")\n";
    return 0;
  };
}

namespace {

int PrintDemoAccounts() {
  nlohmann::json out = nlohmann::json::array();
  for (auto& a : demo::DemoAccounts())
    out.push_back({{"role", a.role},
                   {"role_label", a.role_label},
                   {"login", a.login},
                   {"password", a.password},
                   {"display_name", a.display_name},
                   {"note", a.note}});
  std::cout << out.dump() << "\n";
  return 0;
}

int RunDemo(const CliContext& ctx) {
  auto db = OpenCliDb(ctx.db_url);
  db::Migrate(*db);
  if (demo::DemoExists(*db)) {
    std::cout << "演示数据已存在 / the demo is already in " << db->Describe() << "\n";
  } else {
    auto r = demo::CreateDemo(*db, [](std::string_view step, int pct) {
      std::cout << "  [" << pct << "%] " << step << "\n" << std::flush;
    });
    if (!r.ok()) return CliFail(r.error());
    std::cout << "演示学校已创建 / demo created: " << r->main_students << " students, " << r->main_classes
              << " classes, " << r->main_staff << " staff, " << r->main_applications_approved
              << " approved applications (" << r->main_applications_pending << " awaiting review) in the main school; "
              << r->schools << " schools in " << r->elapsed_ms << " ms\n";
  }
  std::cout << demo::FormatAccounts(demo::DemoAccounts());
  return 0;
}

}  // namespace

CliRun DemoCommand(CLI::App& demo) {
  auto json_only = std::make_shared<bool>(false);
  demo.add_flag("--accounts-json", *json_only, "only print the demo accounts as JSON (creates nothing)");
  return [json_only](const CliContext& ctx) { return *json_only ? PrintDemoAccounts() : RunDemo(ctx); };
}

CliRun ImportCommand(CLI::App& import) {
  struct Options {
    std::string kind, file;
    int64_t school = 0;
    bool dry = false;
  };
  auto o = std::make_shared<Options>();
  import.add_option("kind", o->kind, "students or staff")->required()->check(CLI::IsMember({"students", "staff"}));
  import.add_option("file", o->file, "CSV file, UTF-8, Chinese headers as in the template")
      ->required()
      ->check(CLI::ExistingFile);
  import.add_option("--school", o->school, "school id")->required();
  import.add_flag("--dry-run", o->dry, "only check and report errors");
  return [o](const CliContext& ctx) {
    auto db = OpenCliDb(ctx.db_url);
    db::Migrate(*db);
    std::ifstream in(o->file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const auth::Principal cli = CliPrincipal(o->school, "命令行导入");
    nlohmann::json body = {{"csv", ss.str()}};
    nlohmann::json answer;
    if (o->dry) {
      auto r = people::PreviewImport(*db, cli, o->kind, body, o->school);
      if (!r.ok()) return CliFail(r.error());
      answer = r.value();
    } else {
      auto r = people::RunImport(*db, cli, o->kind, body, o->school);
      if (!r.ok()) return CliFail(r.error());
      answer = r->body;
    }
    std::cout << answer.dump(2) << "\n";
    return answer.value("ok", false) ? 0 : 2;
  };
}

CliRun UserCommand(CLI::App& user) {
  struct Options {
    std::string login, name, role, password;
    int64_t school = 0, area = 0;
    CLI::App *create = nullptr, *reset = nullptr, *disable = nullptr;
  };
  auto o = std::make_shared<Options>();
  user.require_subcommand(1);
  o->create = user.add_subcommand("create", "create an account");
  o->create->add_option("--login", o->login)->required();
  o->create->add_option("--name", o->name)->required();
  o->create->add_option("--role", o->role, "e.g. principal, sysadmin, county_officer")->required();
  o->create->add_option("--password", o->password, "initial password (must be changed at first login)")->required();
  o->create->add_option("--school", o->school, "school id (school roles)");
  o->create->add_option("--area", o->area, "area id (officers)");
  o->reset = user.add_subcommand("reset-password", "set a temporary password, to be changed at next login");
  o->reset->add_option("--login", o->login)->required();
  o->disable = user.add_subcommand("disable", "disable an account and end its sessions");
  o->disable->add_option("--login", o->login)->required();
  user.add_subcommand("enable", "enable an account")->add_option("--login", o->login)->required();
  return [o](const CliContext& ctx) {
    auto db = OpenCliDb(ctx.db_url);
    db::Migrate(*db);
    auth::AuthService auth(*db);
    if (o->create->parsed()) {
      auto role = auth::ParseRole(o->role);
      if (!role) return CliFail(Error::Invalid("角色无效：" + o->role, "unknown role"));
      auto r =
          auth.CreateUserDirect(o->login, o->name, *role, o->school ? std::optional<int64_t>(o->school) : std::nullopt,
                                o->area ? std::optional<int64_t>(o->area) : std::nullopt, o->password, true);
      if (!r.ok()) return CliFail(r.error());
      std::cout << "created user " << o->login << " (id " << r.value()
                << "), password must be changed at first login\n";
    } else if (o->reset->parsed()) {
      auto r = auth.ResetPasswordDirect(o->login);
      if (!r.ok()) return CliFail(r.error());
      std::cout << "temporary password for " << o->login << ": " << r.value() << "\n";
    } else {
      bool disable = o->disable->parsed();
      auto s = auth.SetDisabledDirect(o->login, disable);
      if (!s.ok()) return CliFail(s.error());
      std::cout << o->login << (disable ? " disabled\n" : " enabled\n");
    }
    return 0;
  };
}

CliRun SchoolCommand(CLI::App& school) {
  auto ns = std::make_shared<NewSchool>(NewSchool{"", "", "17:00", "", "", "public"});
  school.require_subcommand(1);
  auto* create = school.add_subcommand("create", "create a school with its grades");
  create->add_option("--city", ns->city, "city, e.g. 临江市");
  create->add_option("--county", ns->county, "county, e.g. 青山县")->required();
  create->add_option("--office-close", ns->office_close, "the county's office closing time HH:MM (default 17:00)");
  create->add_option("--name", ns->name, "school name")->required();
  create->add_option("--level", ns->level, "primary | junior | nine_year")->required();
  create->add_option("--type", ns->type, "public | private | private_boarding (default public)");
  return [ns](const CliContext& ctx) {
    auto db = OpenCliDb(ctx.db_url);
    db::Migrate(*db);
    auto r = CreateSchool(*db, *ns);
    if (!r.ok()) return CliFail(r.error());
    std::cout << "school " << ns->name << " created: school_id=" << r->school_id << " county_id=" << r->county_id
              << (r->city_id ? " city_id=" + std::to_string(r->city_id) : std::string()) << "\n"
              << "next: build/kehou user create --login ... --role principal --school " << r->school_id
              << " --name ... --password ...\n";
    return 0;
  };
}

CliRun BackupCommand(CLI::App& backup) {
  auto to = std::make_shared<std::string>();
  backup.add_option("--to", *to, "backup file (SQLite)");
  return [to](const CliContext& ctx) {
    if (ctx.db_url.rfind("postgres", 0) == 0) {
      std::cout << "pg_dump --format=custom --file=kehou-$(date +%F).dump '" << ctx.db_url << "'\n"
                << "# restore: pg_restore --clean --if-exists --dbname='" << ctx.db_url << "' kehou-YYYY-MM-DD.dump\n";
      return 0;
    }
    if (to->empty()) return CliFail(Error::Invalid("请用 --to 指定备份文件", "--to is required"));
    auto db = OpenCliDb(ctx.db_url);
    auto s = db->BackupTo(*to);
    if (!s.ok()) return CliFail(s.error());
    std::cout << "backup written to " << *to << "\n";
    return 0;
  };
}

}  // namespace kehou::app
