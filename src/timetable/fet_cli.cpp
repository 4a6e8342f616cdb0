#include "timetable/fet_cli.h"

#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "core/mapped_file.h"
#include "timetable/fet.h"
#include "timetable/solver.h"

namespace kehou::timetable {
namespace {

std::string Csv(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

// Splits one CSV line (quotes as Csv writes them).
std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> out(1);
  bool q = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (q && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      out.back() += '"';
      ++i;
    } else if (c == '"') {
      q = !q;
    } else if (c == ',' && !q) {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

}  // namespace

// Writes text to path over what is there and then cuts the file to its new length, instead of
// truncating it first: a result written again over the previous one (re-solving, the benchmark's
// repeated runs) keeps its blocks, where truncating to 0 first freed them all, each free a discard
// on a filesystem mounted with `discard`. False when the file cannot be written.
bool WriteOver(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const bool ok = done == text.size() && ::ftruncate(fd, static_cast<off_t>(text.size())) == 0;
  return ::close(fd) == 0 && ok;
}

int CliError(const std::string& zh, const std::string& en) {
  std::cerr << "错误 / error: " << zh << " (" << en << ")\n";
  return 1;
}

// The result CSV of Problem p: header, then one row per activity.
std::string ResultCsv(const Problem& p, const Assignment& a) {
  std::ostringstream o;
  o << "activity_id,day,hour,room\n";
  for (size_t i = 0; i < p.activities.size(); ++i) {
    const Placement pl = a[i];
    if (pl.slot < 0) continue;
    o << p.activities[i].id << "," << Csv(p.days[static_cast<size_t>(pl.slot / p.Hours())]) << ","
      << Csv(p.hours[static_cast<size_t>(pl.slot % p.Hours())]) << ","
      << (pl.room >= 0 ? Csv(p.rooms[static_cast<size_t>(pl.room)].name) : "") << "\n";
  }
  return o.str();
}

// Reads a result CSV back into an assignment of p (rows of unknown activities are skipped).
Assignment ReadResultCsv(const Problem& p, std::istream& in) {
  std::map<int64_t, size_t> by_id;
  for (size_t i = 0; i < p.activities.size(); ++i) by_id[p.activities[i].id] = i;
  Assignment a(p.activities.size());
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    auto f = SplitCsv(line);
    if (f.size() < 4) continue;
    auto it = by_id.find(std::strtoll(f[0].c_str(), nullptr, 10));
    if (it == by_id.end()) continue;
    auto d = std::find(p.days.begin(), p.days.end(), f[1]);
    auto h = std::find(p.hours.begin(), p.hours.end(), f[2]);
    if (d == p.days.end() || h == p.hours.end()) continue;
    Placement pl{static_cast<int>(d - p.days.begin()) * p.Hours() + static_cast<int>(h - p.hours.begin()), -1};
    for (size_t r = 0; r < p.rooms.size(); ++r)
      if (p.rooms[r].name == f[3]) pl.room = static_cast<int>(r);
    a[it->second] = pl;
  }
  return a;
}

CLI::App* FetSolveCommand::AddSolve(CLI::App& timetable) {
  timetable.require_subcommand(1);
  CLI::App& solve = *timetable.add_subcommand("solve", "solve a .fet file, write activity_id,day,hour,room rows");
  solve.add_option("--fet", fet_, "FET 6.8 input file")->check(CLI::ExistingFile);
  solve.add_option("--out", out_, "result CSV");
  solve.add_option("--export-fet", export_fet_, "also write the problem as a FET 6.8 file (for fet-cl)");
  solve.add_option("--seconds", seconds_, "time limit in seconds")->check(CLI::PositiveNumber);
  solve.add_option("--seed", seed_, "random seed (same seed, same result)");
  solve.add_option("--previous", previous_, "an earlier result CSV: re-solve moving as little as possible")
      ->check(CLI::ExistingFile);
  return &solve;
}

SolveOptions FetSolveCommand::Options() const {
  SolveOptions opt;
  opt.seed = seed_;
  opt.seconds = seconds_;
  return opt;
}

bool FetSolveCommand::ExportFet(const Problem& p) const {
  if (export_fet_.empty()) return true;
  std::ofstream out(export_fet_, std::ios::binary | std::ios::trunc);
  out << WriteFet(p);
  return static_cast<bool>(out);
}

int FetSolveCommand::Run() const {
  if (fet_.empty() || out_.empty())
    return CliError("请给出 --fet 文件和 --out 结果文件，或 --term 学期",
                    "give --fet FILE and --out RESULT, or --term ID");
  auto file = MappedFile::Open(fet_);  // mapped, not copied: a large file touches no new memory
  if (!file.ok()) return CliError(file.error().message, file.error().message_en);
  auto data = ReadFet(file->bytes());
  if (!data.ok()) return CliError(data.error().message, data.error().message_en);
  const Problem& p = data->problem;
  for (const auto& k : data->ignored) std::cerr << "未使用的约束 / constraint not applied: " << k << "\n";
  if (!ExportFet(p)) return CliError("无法写入 " + export_fet_, "cannot write " + export_fet_);
  SolveOptions opt = Options();
  if (!previous_.empty()) {
    std::ifstream prev(previous_);
    opt.previous = ReadResultCsv(p, prev);
  }
  const SolveResult r = Solve(p, opt);
  for (const auto& why : r.reasons)
    std::cerr << "无法排课 / impossible [" << why.rule << "]: " << why.zh << " (" << why.en << ")\n";
  if (r.solved && !WriteOver(out_, ResultCsv(p, r.assignment)))
    return CliError("无法写入 " + out_, "cannot write " + out_);
  std::cout << r.report.Describe() << "\n";
  std::cout << "{\"solved\":" << (r.solved ? "true" : "false") << ",\"activities\":" << p.activities.size()
            << ",\"seconds\":" << r.seconds << ",\"iterations\":" << r.iterations << ",\"hard\":" << r.report.Hard()
            << ",\"soft\":" << r.report.Soft(opt.weights) << ",\"moved\":" << r.report.moved << ",\"rule\":\""
            << (r.reasons.empty() ? "" : r.reasons.front().rule) << "\"}\n";
  return r.solved ? 0 : 2;
}

}  // namespace kehou::timetable
