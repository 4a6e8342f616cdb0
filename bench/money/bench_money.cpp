// make bench-money (issue 14 §6): the money of a term under load, on SQLite.
//  1. bill run: one school with 2,400 enrolled children (the fixture's school, sized as the demo
//     school), fee standards, fees::IssueBills timed in-process (one transaction, as the office).
//  2. callbacks: `kehou serve` on that database; 2,400 WeChat Pay v3 notifications signed and
//     encrypted by the school's local test provider (made before the clock starts), plus 10 %
//     resent duplicates and 1 % forged (one byte of the body changed), shuffled and posted at once
//     from kThreads connections to the real public callback endpoint. callbacks_per_s = verified
//     callbacks answered (paid or duplicate) / wall time. forged_accepted = forged answered 200;
//     duplicate_payments = payments beyond one per bill.
//  3. county close: 100 schools each with 10 teachers, 10 daily sections, last month's roll calls
//     and 24 WeChat Pay payments today; the close of each school = the pay run of last month
//     (computed and approved: posted to the ledger) + today's reconciliation against the test
//     provider's statement. county_close_s is the 100 schools in sequence.
//  4. disclosure: the office's disclosure page for the current month of the bench school (its bills,
//     payments and their ledger entries, ~4,800), ledger::PreviewDisclosure in-process (what
//     GET /ledger/disclosure-preview answers), kDisclosureCalls calls; disclosure_p99_ms is the
//     99th percentile of the calls' wall times.
//  ledger_imbalance_fen: sum(debits) - sum(credits) over every ledger line of the database.
// Last line: {"bench":"money","bill_run_s":X,"callbacks_per_s":N,"county_close_s":X,
// "disclosure_p99_ms":N,"ledger_imbalance_fen":0,"forged_accepted":0,"duplicate_payments":0}
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "catalog/test_fixture.h"
#include "db/db.h"
#include "fees/service.h"
#include "ledger/service.h"
#include "pay/service.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;
using namespace kehou;

constexpr int kChildren = 2400;
constexpr int kDuplicatePercent = 10;
constexpr int kForgedPercent = 1;
constexpr int kThreads = 16;
constexpr int kCountySchools = 100;
constexpr int kTeachersPerSchool = 10;
constexpr int kPaymentsPerSchool = 24;
constexpr int kDisclosureCalls = 200;

double Secs(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// One request on a fresh connection: the status.
int Post(int port, const std::string& path, const std::vector<std::pair<std::string, std::string>>& headers,
         const std::string& body, const std::string& method = "POST") {
  int fd = Connect(port);
  if (fd < 0) return 0;
  std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty()) req += "Content-Type: application/json\r\n";
  req += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  if (write(fd, req.data(), req.size()) < 0) {
    close(fd);
    return 0;
  }
  std::string in;
  char buf[8192];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) in.append(buf, static_cast<size_t>(n));
  close(fd);
  return in.size() < 12 ? 0 : std::atoi(in.c_str() + 9);
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

pid_t Spawn(const std::vector<std::string>& args, const std::string& log) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) != 0)
    throw std::runtime_error("cannot start " + args[0]);
  posix_spawn_file_actions_destroy(&fa);
  return pid;
}

// A county school for the close: term over last month, after-school band, 10 teachers with a
// contract rate, one section each meeting Monday to Friday, a roll call (one mark) of every session
// of last month, 24 children with a bill each paid by WeChat Pay today.
void MakeCountySchool(db::Conn& c, int64_t area, int i, const pay::Month& month) {
  const int64_t now = NowMs();
  const Date today = TodayLocal();
  int64_t s = c.Insert(
      "INSERT INTO schools (area_id, name, level, type, created_at) VALUES ($1, $2, 'primary', 'public', $3)"
      " RETURNING id",
      {area, "县校" + std::to_string(i), now});
  int64_t term = c.Insert(
      "INSERT INTO terms (school_id, name, start_date, end_date, is_current) VALUES ($1, '本学期', $2, $3, 1)"
      " RETURNING id",
      {s, FormatDate(AddDays(month.First(), -20)), FormatDate(AddDays(today, 60))});
  c.Exec(
      "INSERT INTO service_bands (school_id, term_id, kind, start_time, end_time) VALUES ($1, $2, 'after_school', "
      "'15:30', '17:00')",
      {s, term});
  int64_t g = c.Insert("INSERT INTO grades (school_id, number, name) VALUES ($1, 3, '三年级') RETURNING id", {s});
  int64_t cl = c.Insert(
      "INSERT INTO classes (school_id, grade_id, name, number) VALUES ($1, $2, '三年级(1)班', 1) RETURNING id", {s, g});
  std::vector<int64_t> sections;
  for (int k = 0; k < kTeachersPerSchool; ++k) {
    int64_t st = c.Insert(
        "INSERT INTO staff (school_id, name, kind, mobile, created_at, updated_at) VALUES ($1, $2, 'in_school', $3, "
        "$4, $4)"
        " RETURNING id",
        {s, "教师" + std::to_string(k), "139" + std::to_string(10000000 + i * 100 + k), now});
    c.Exec(
        "INSERT INTO staff_records (school_id, staff_id, hourly_rate_fen, contract_start, contract_end, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        {s, st, int64_t{5000 + 500 * k}, FormatDate(AddDays(month.First(), -30)), FormatDate(AddDays(today, 60)), now});
    int64_t co = c.Insert(
        "INSERT INTO courses (school_id, term_id, name, category, grades, capacity, teacher_staff_id, slots,"
        " created_at, updated_at) VALUES ($1, $2, $3, 'interest', '3', 40, $4,"
        " '1:after_school,2:after_school,3:after_school,4:after_school,5:after_school', $5, $5) RETURNING id",
        {s, term, "课程" + std::to_string(k), st, now});
    sections.push_back(
        c.Insert("INSERT INTO sections (school_id, course_id, name, capacity, taken, created_at)"
                 " VALUES ($1, $2, '1班', 40, 1, $3) RETURNING id",
                 {s, co, now}));
  }
  std::vector<int64_t> kids;
  for (int k = 0; k < kPaymentsPerSchool; ++k)
    kids.push_back(
        c.Insert("INSERT INTO students (school_id, student_no, name, gender, class_id, created_at, updated_at)"
                 " VALUES ($1, $2, '学生', 'M', $3, $4, $4) RETURNING id",
                 {s, "S" + std::to_string(k), cl, now}));
  for (Date d = month.First(); d <= month.Last(); d = AddDays(d, 1)) {
    if (IsoWeekday(d) > 5) continue;
    for (int64_t sec : sections)
      c.Exec(
          "INSERT INTO attendance_marks (school_id, section_id, day, band, student_id, status, updated_at)"
          " VALUES ($1, $2, $3, 'after_school', $4, 'present', $5)",
          {s, sec, FormatDate(d), kids[0], now});
  }
  for (size_t k = 0; k < kids.size(); ++k) {
    int64_t bill = c.Insert(
        "INSERT INTO fee_bills (school_id, term_id, student_id, gross_fen, reduction_fen, paid_fen, status,"
        " issued_at, updated_at) VALUES ($1, $2, $3, 30000, 0, 30000, 'paid', $4, $4) RETURNING id",
        {s, term, kids[k], now});
    c.Exec(
        "INSERT INTO fee_payments (school_id, bill_id, channel, transaction_id, amount_fen, paid_at, created_at)"
        " VALUES ($1, $2, 'wechat', $3, 30000, $4, $4)",
        {s, bill, "42" + std::to_string(i * 1000 + static_cast<int>(k)),
         LocalInstant(today, 600 + static_cast<int>(k))});
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string kehou_bin = argc > 1 ? argv[1] : "build/kehou";
  std::string dir = std::filesystem::temp_directory_path() / ("kehou_bench_money_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string url = "sqlite:" + dir + "/money.db";
  Json out{{"bench", "money"}};
  testing::MiniSchool m;
  std::vector<std::pair<Json, int>> calls;  // notification, kind (0 first, 1 duplicate, 2 forged)
  {
    auto db = db::Db::Open(url);
    db::Migrate(*db);
    auto t0 = Clock::now();
    m = testing::MakeMiniSchool(*db, kChildren);
    std::cerr << "setup: " << kChildren << " enrolled children in " << Secs(Clock::now() - t0) << " s\n";
    db->Write([&](db::Conn& c) { (void)fees::EnsureTestMerchant(c, m.school_id); });
    for (auto [kind, fen] : {std::pair{"basic", 30000}, std::pair{"materials", 2000}})
      (void)fees::CreateStandard(*db, m.office, std::nullopt,
                                 {{"term_id", m.term_id}, {"kind", kind}, {"amount_fen", fen}, {"doc_ref", "bench"}});
    // 1. The bill run.
    t0 = Clock::now();
    auto issued = fees::IssueBills(*db, m.office, std::nullopt, {{"term_id", m.term_id}}, TodayLocal());
    out["bill_run_s"] = std::round(Secs(Clock::now() - t0) * 1000) / 1000;
    if (!issued.ok() || (*issued)["created"] != kChildren) {
      std::cerr << "bill run failed: " << (issued.ok() ? issued->dump() : issued.error().message) << "\n";
      return 1;
    }
    // 2. The notifications, signed before the clock starts.
    auto bills = db->Read([&](db::Conn& c) {
      return c.Query("SELECT id, gross_fen - reduction_fen FROM fee_bills WHERE school_id = $1 ORDER BY id",
                     {m.school_id});
    });
    t0 = Clock::now();
    std::mt19937 rng(14);
    for (size_t i = 0; i < bills.size(); ++i) {
      auto n = fees::MakeTestNotification(*db, m.office, std::nullopt,
                                          {{"bill_id", bills[i].Int(0)}, {"amount_fen", bills[i].Int(1)}});
      if (!n.ok()) {
        std::cerr << "notification: " << n.error().message << "\n";
        return 1;
      }
      calls.push_back({*n, 0});
      if (static_cast<int>(i % 100) < kDuplicatePercent) calls.push_back({*n, 1});
      if (static_cast<int>(i % 100) < kForgedPercent) {
        Json f = *n;
        std::string body = f["body"];
        body[body.size() / 2] = static_cast<char>(body[body.size() / 2] ^ 1);
        f["body"] = body;
        calls.push_back({f, 2});
      }
    }
    std::shuffle(calls.begin(), calls.end(), rng);
    std::cerr << "signed " << calls.size() << " notifications in " << Secs(Clock::now() - t0) << " s\n";
  }
  const int port = FreePort();
  pid_t server = Spawn({kehou_bin, "--db", url, "serve", "--listen", "127.0.0.1:" + std::to_string(port), "--quiet",
                        "--web", "/nonexistent"},
                       dir + "/server.log");
  for (int i = 0; i < 500 && Post(port, "/api/v1/health", {}, "", "GET") != 200; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::atomic<size_t> next{0};
  std::atomic<int> verified{0}, forged_ok{0}, failed{0};
  const std::string path = "/api/v1/fees/callback/wechatpay/" + std::to_string(m.school_id);
  auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (size_t i; (i = next++) < calls.size();) {
        const Json& n = calls[i].first;
        std::vector<std::pair<std::string, std::string>> h;
        for (auto& [k, v] : n["headers"].items()) h.push_back({k, v.get<std::string>()});
        int st = Post(port, path, h, n["body"].get<std::string>());
        if (calls[i].second == 2) {
          if (st == 200) ++forged_ok;
        } else if (st == 200) {
          ++verified;
        } else {
          ++failed;
        }
      }
    });
  for (auto& t : threads) t.join();
  double secs = Secs(Clock::now() - t0);
  kill(server, SIGTERM);
  waitpid(server, nullptr, 0);
  std::cerr << "callbacks: " << verified << " verified, " << failed << " failed, in " << secs << " s\n";
  out["callbacks_per_s"] = static_cast<int64_t>(verified / secs);

  auto db = db::Db::Open(url);
  int64_t dup = db->Read([&](db::Conn& c) {
    return c
        .QueryOne("SELECT COUNT(*) - COUNT(DISTINCT bill_id) FROM fee_payments WHERE school_id = $1", {m.school_id})
        ->Int(0);
  });
  int64_t paid = db->Read([&](db::Conn& c) {
    return c.QueryOne("SELECT COUNT(*) FROM fee_bills WHERE school_id = $1 AND status = 'paid'", {m.school_id})->Int(0);
  });
  std::cerr << "bills paid: " << paid << " of " << kChildren << "\n";
  // 3. The county month-end close.
  const pay::Month month = pay::PreviousMonth(pay::MonthOf(TodayLocal()));
  int64_t area = db->Read(
      [&](db::Conn& c) { return c.QueryOne("SELECT area_id FROM schools WHERE id = $1", {m.school_id})->Int(0); });
  std::vector<int64_t> schools;
  db->Write([&](db::Conn& c) {
    for (int i = 0; i < kCountySchools; ++i) MakeCountySchool(c, area, i, month);
    for (auto& r : c.Query("SELECT id FROM schools WHERE name LIKE '县校%' ORDER BY id")) schools.push_back(r.Int(0));
  });
  t0 = Clock::now();
  int closed = 0;
  for (int64_t s : schools) {
    bool ok = db->Write([&](db::Conn& c) -> bool {
      auto run = pay::ComputeRun(c, s, month, std::nullopt);
      if (!run.ok() || !pay::ApproveRunOn(c, s, *run, 0, "bench").ok()) return false;
      auto rec =
          fees::ImportStatementOn(c, s, TodayLocal(), fees::TestProviderStatement(c, s, TodayLocal()), std::nullopt);
      return rec.ok() && (*rec)["ok"].get<bool>() && (*rec)["matched"] == kPaymentsPerSchool;
    });
    closed += ok;
  }
  out["county_close_s"] = std::round(Secs(Clock::now() - t0) * 1000) / 1000;
  std::cerr << "county close: " << closed << " of " << schools.size() << " schools in " << out["county_close_s"]
            << " s\n";
  // 4. The disclosure page of the bench school's current month.
  {
    const std::string this_month = ledger::FormatMonth(ledger::Month{TodayLocal().y, TodayLocal().m});
    std::vector<double> ms;
    for (int i = 0; i < kDisclosureCalls; ++i) {
      auto d0 = Clock::now();
      auto d = ledger::PreviewDisclosure(*db, m.office, std::nullopt, this_month, m.term_id, TodayLocal());
      ms.push_back(Secs(Clock::now() - d0) * 1000);
      if (!d.ok()) {
        std::cerr << "disclosure: " << d.error().message << "\n";
        return 1;
      }
    }
    std::sort(ms.begin(), ms.end());
    out["disclosure_p99_ms"] = std::round(ms[ms.size() * 99 / 100] * 10) / 10;
    std::cerr << "disclosure: median " << ms[ms.size() / 2] << " ms, p99 " << out["disclosure_p99_ms"] << " ms\n";
  }
  out["ledger_imbalance_fen"] = db->Read([&](db::Conn& c) {
    return c.QueryOne("SELECT COALESCE(SUM(debit_fen), 0) - COALESCE(SUM(credit_fen), 0) FROM ledger_lines")->Int(0);
  });
  out["forged_accepted"] = forged_ok.load();
  out["duplicate_payments"] = dup;
  std::filesystem::remove_all(dir);
  const bool ok = failed == 0 && paid == kChildren && closed == kCountySchools;
  std::cout << out.dump() << std::endl;
  return ok ? 0 : 1;
}
