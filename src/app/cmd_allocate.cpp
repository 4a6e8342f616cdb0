// cmd_allocate.cpp: `kehou allocate`, anyone's re-run of a preference round's allocation: print
// it from the published JSON (--input FILE) and compare it with the stored result (--verify).
// Exit 0: identical (or computed); 3: a difference (named); 1: nothing could be checked.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli.h"
#include "select/verify.h"

namespace kehou::app {
namespace {

struct AllocateOptions {
  bool verify = false, all = false;
  int64_t round = 0;
  std::string input;
};

// From the published JSON (GET /api/v1/rounds/:id/verification); no database.
int FromFile(const AllocateOptions& o) {
  std::ifstream in(o.input, std::ios::binary);
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) return CliFail(Error::Invalid("文件不是有效的 JSON", "the file is not valid JSON"));
  auto rec = select::RecordFromJson(j);
  if (!rec.ok()) return CliFail(rec.error());
  // Without --verify: the allocation this input gives with the revealed seed and the round's
  // named rule, printed so anyone can re-run a round (JSON on stdout).
  if (!o.verify || !rec->claimed) {
    auto computed = select::Recompute(*rec);
    if (!computed.ok()) return CliFail(computed.error());
    std::cout << select::AllocationText(select::AllocationJson(*rec, *computed)) << "\n";
    return 0;
  }
  auto v = select::VerifyRecord(*rec);
  std::cout << select::Describe(v) << "\n";
  return v.identical ? 0 : 3;
}

// The stored rounds of the database (read only: no migrations from a checker).
int FromDatabase(const CliContext& ctx, const AllocateOptions& o) {
  auto db = db::Db::Open(ctx.db_url);
  std::vector<int64_t> rounds = {o.round};
  if (o.all) rounds = db->Read([](db::Conn& c) { return select::AllocatedRounds(c); });
  int rc = 0, checked = 0;
  for (int64_t id : rounds) {
    auto rec = db->Read([&](db::Conn& c) { return select::LoadRecord(c, id); });
    if (!rec.ok()) {
      if (!o.all) return CliFail(rec.error());
      std::cout << "跳过第 " << id << " 轮 / skipped round " << id << ": " << rec.error().message << " ("
                << rec.error().message_en << ")\n";
      continue;
    }
    auto v = select::VerifyRecord(*rec);
    std::cout << select::Describe(v) << "\n";
    ++checked;
    if (!v.identical) rc = 3;
  }
  if (o.all) std::cout << "共复核 " << checked << " 轮 / rounds verified: " << checked << "\n";
  return rc;
}

}  // namespace

CliRun AllocateCommand(CLI::App& allocate) {
  auto o = std::make_shared<AllocateOptions>();
  allocate.add_flag("--verify", o->verify, "recompute with the revealed seed and compare with the stored result");
  auto* round_opt = allocate.add_option("--round", o->round, "round id (with --db)");
  auto* all_opt = allocate.add_flag("--all", o->all, "every allocated preference round in the database");
  auto* input_opt =
      allocate
          .add_option("--input", o->input,
                      "the published JSON (GET /api/v1/rounds/:id/verification): prints the allocation it "
                      "computes; with --verify compares it with the file's result; no database")
          ->check(CLI::ExistingFile);
  round_opt->excludes(all_opt)->excludes(input_opt);
  all_opt->excludes(input_opt);
  return [o](const CliContext& ctx) {
    if (!o->input.empty()) return FromFile(*o);
    if (!o->verify)
      return CliFail(Error::Invalid("--round / --all 需与 --verify 一起使用", "--round and --all go with --verify"));
    if (o->round == 0 && !o->all)
      return CliFail(
          Error::Invalid("请指定 --round N、--all 或 --input FILE", "give --round N, --all or --input FILE"));
    return FromDatabase(ctx, *o);
  };
}

}  // namespace kehou::app
