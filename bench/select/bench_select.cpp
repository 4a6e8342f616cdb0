// bench_select: the selection-night rush (make bench-select).
//
//   kehou_bench_select --kehou build/kehou --db sqlite|postgres [--seconds 30] [--conns 256]
//
// 1. setup: a fresh database with 20,000 children each with one guardian account (direct
//    inserts with one precomputed argon2id hash), logged-in sessions (token hashes stored as the
//    login would), 400 sections (15,000 seats) of 200 courses, one open FCFS round.
// 2. starts `kehou serve` (two processes on PostgreSQL), logs in for real with a few accounts
//    and warms every session with GET /auth/me (untimed);
// 3. the rush over real HTTP on loopback, one epoll thread, keep-alive connections: each
//    guardian takes up to three courses, drops one and adds another while seats last, retries
//    (same idempotency key), double-taps (the same request twice, pipelined), races for the last
//    seat; at least --seconds of timed load;
// 4. checks: oversold = sections whose confirmed seats exceed capacity (or differ from `taken`);
//    lost = success answers whose seat is not in the database;
// 5. again on a fresh database with `kill -9` of the server(s) mid-rush and a restart;
// 6. PostgreSQL: again with an immediate stop of the database mid-rush (`pg_ctl stop -m
//    immediate`, then start; the servers keep running), and pgbench's TPC-B-like load (16
//    clients, prepared) on the same cluster in the same run, for scale: run it under
//    `KEHOU_PG_DURABLE=1 scripts/with-postgres` (fsync and synchronous_commit on).
// 7. open loop (session 12): again on a fresh database with arrivals at a fixed mean rate
//    (Poisson), --open-fraction (0.5) of the tps pgbench reached in this same run (SQLite: of this
//    run's closed-loop writes/s), whatever the answers. Why: the closed loop above keeps 256
//    requests in flight, so its p99 measures the queue it builds itself (Little's law: p99 ~
//    256 / throughput); it gives the maximum writes/s and ratio_to_pgbench. A family's latency is
//    that of a request arriving at a rate the system sustains: each request has a scheduled send
//    time and its latency counts from that time, so a request that waited for a free connection
//    or was retried is not hidden (no coordinated omission). The rate is derived from the run's
//    own reference, never a constant tuned to a target. (--open-rate N gives the rate instead, only
//    to compare two builds at one rate side by side; the JSON then says so.)
// Servers listen on free ports the bench picks.
// KEHOU_BENCH_LATENCY_SERIES=1 also prints each run's latencies by the second their requests started
// (session 22: the open loop's p99 was its first seconds, the cold start, not its steady state).
// Last line: {"bench":"select","db":...,"writes_per_s":N,"confirmed_per_s":N,"p99_ms":N,"oversold":0,"lost":0,
// "unanswered_at_drain":N,"drop_in_flight":N} (requests still unanswered when a run's 20 s drain
// timed out, counted as errors; believed seats gone whose drop was among them: not lost, since
// that drop may have committed. Each run also checks that lost can fail: a seat planted as held
// but absent from the database must count as lost, or the bench fails.)
// (PostgreSQL adds "pgbench_tps" and "ratio_to_pgbench" = writes_per_s / pgbench_tps; both add
// "open_loop_rate" (offered arrivals/s), "open_loop_achieved_per_s" (writes answered/s),
// "open_loop_p50_ms", "open_loop_p99_ms" of the open loop.)
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sodium.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "auth/service.h"
#include "catalog/rules.h"
#include "core/text.h"
#include "core/time.h"
#include "db/db.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
using kehou::db::Conn;
using kehou::db::Db;
using Json = nlohmann::json;

struct Options {
  std::string kehou = "build/kehou";
  std::string db = "sqlite";
  int seconds = 30;
  int conns = 256;
  int guardians = 20000;
  int sections = 400;
  int seats = 15000;
  int workers = 128;
  bool kill_run = true;
  bool db_crash_run = true;    // PostgreSQL: pg_ctl stop -m immediate mid-rush, then start
  int pgbench_seconds = -1;    // PostgreSQL: pgbench's duration (default: --seconds; 0 skips it)
  bool baseline = true;        // SQLite: first the same rush without the write lane (worker pool + group commit)
  bool lane = true;            // this run's server uses the write lane
  bool open_loop = true;       // a fourth run at a fixed arrival rate (latency as a family sees it)
  double open_fraction = 0.5;  // its rate: this share of pgbench's tps (SQLite: of the closed loop's writes/s)
  double open_rate = 0;        // --open-rate N: a given rate instead (A/B runs of two builds at one rate)
  std::string work_dir;
};

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// ------------------------------------------------------------------ setup

struct Child {
  int64_t student_id = 0;
  int grade = 0;
  std::string token;
};
struct SectionSpec {
  int64_t id = 0;
  int capacity = 0;
  int64_t course_id = 0;
  int slot = 0;  // index into the 10 weekday x band slots
  int grade_lo = 1, grade_hi = 6;
  double weight = 1;
};
struct World {
  int64_t school_id = 0;
  int64_t round_id = 0;
  std::vector<Child> children;
  std::vector<SectionSpec> sections;
};

const char* kBands[] = {"after_school", "noon"};

World Setup(Db& db, const Options& o) {
  World w;
  std::mt19937_64 rng(20260901);
  std::string hash = kehou::auth::HashPassword("Bench@2026a");  // one argon2id hash, reused
  db.Write([&](Conn& c) {
    int64_t now = kehou::NowMs();
    int64_t area = c.Insert("INSERT INTO areas (kind, name) VALUES ('county', '压测县') RETURNING id", {});
    w.school_id = c.Insert(
        "INSERT INTO schools (area_id, name, level, type, created_at) VALUES ($1, '压测小学', 'primary', 'public', $2)"
        " RETURNING id",
        {area, now});
    std::vector<int64_t> grade_ids(7);
    for (int g = 1; g <= 6; ++g)
      grade_ids[static_cast<size_t>(g)] =
          c.Insert("INSERT INTO grades (school_id, number, name) VALUES ($1, $2, $3) RETURNING id",
                   {w.school_id, int64_t{g}, std::to_string(g) + "年级"});
    int per_class = 45;
    int classes = (o.guardians + per_class - 1) / per_class;
    std::vector<std::pair<int64_t, int>> class_ids;  // id, grade
    for (int k = 0; k < classes; ++k) {
      int g = 1 + k % 6;
      class_ids.emplace_back(
          c.Insert("INSERT INTO classes (school_id, grade_id, name, number) VALUES ($1, $2, $3, $4) RETURNING id",
                   {w.school_id, grade_ids[static_cast<size_t>(g)],
                    std::to_string(g) + "年级(" + std::to_string(k / 6 + 1) + ")班", int64_t{k / 6 + 1}}),
          g);
    }
    // Every child is enrolled for the term (approved application, signed): selection requires it
    // (select/enrolment.h), so the rush pays for that check too.
    kehou::Date today = kehou::TodayLocal();
    int64_t term = c.Insert(
        "INSERT INTO terms (school_id, name, start_date, end_date, is_current)"
        " VALUES ($1, '压测学期', $2, $3, 1) RETURNING id",
        {w.school_id, kehou::FormatDate(kehou::AddDays(today, -30)), kehou::FormatDate(kehou::AddDays(today, 150))});
    int64_t agreement = c.Insert(
        "INSERT INTO agreements (school_id, term_id, version, title, body, body_hash, is_current,"
        " created_at) VALUES ($1, $2, 1, '托管协议', '压测协议', 'bench', 1, $3) RETURNING id",
        {w.school_id, term, now});
    int64_t staff = c.Insert(
        "INSERT INTO staff (school_id, name, kind, mobile, created_at, updated_at)"
        " VALUES ($1, '李老师', 'in_school', '13700000000', $2, $2) RETURNING id",
        {w.school_id, now});
    for (int i = 0; i < o.guardians; ++i) {
      auto [cls, grade] = class_ids[static_cast<size_t>(i / per_class)];
      Child ch;
      ch.grade = grade;
      ch.student_id = c.Insert(
          "INSERT INTO students (school_id, student_no, name, gender, class_id, created_at, updated_at)"
          " VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
          {w.school_id, "B" + std::to_string(100000 + i), "学生" + std::to_string(i), std::string(i % 2 ? "F" : "M"),
           cls, now});
      std::string mobile = "139" + std::to_string(10000000 + i);
      int64_t gid = c.Insert("INSERT INTO guardians (mobile, name, created_at) VALUES ($1, $2, $3) RETURNING id",
                             {mobile, "家长" + std::to_string(i), now});
      c.Exec(
          "INSERT INTO student_guardians (school_id, student_id, guardian_id, relation, is_primary)"
          " VALUES ($1, $2, $3, '母亲', 1)",
          {w.school_id, ch.student_id, gid});
      int64_t app = c.Insert(
          "INSERT INTO applications (school_id, term_id, student_id, status, version, days, bands, pickup_mode,"
          " pickup_guardian_id, created_at, updated_at, submitted_at)"
          " VALUES ($1,$2,$3,'approved',1,'1,2,3,4,5','after_school','guardian',$4,$5,$5,$5) RETURNING id",
          {w.school_id, term, ch.student_id, gid, now});
      c.Exec(
          "INSERT INTO application_signatures (school_id, application_id, application_version, agreement_id,"
          " agreement_version, text_hash, form_json, guardian_id, signer_name, signed_at)"
          " VALUES ($1,$2,1,$3,1,'bench','{}',$4,$5,$6)",
          {w.school_id, app, agreement, gid, "家长" + std::to_string(i), now});
      int64_t uid = c.Insert(
          "INSERT INTO users (login, password_hash, display_name, role, school_id, guardian_id, created_at, updated_at)"
          " VALUES ($1, $2, $3, 'guardian', $4, $5, $6, $6) RETURNING id",
          {mobile, hash, "家长" + std::to_string(i), w.school_id, gid, now});
      unsigned char tok[32];  // as the login makes them (auth::kTokenBytes)
      for (auto& b : tok) b = static_cast<unsigned char>(rng());
      ch.token = kehou::ToHex(tok, sizeof tok);
      c.Exec(
          "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, client)"
          " VALUES ($1, $2, $3, $4, $5, 'bench')",
          {kehou::auth::AuthService::TokenHash(ch.token), uid, std::string("csrf"), now, now + 86400000LL});
      w.children.push_back(std::move(ch));
    }
    // 200 courses x 2 sections; capacities 35 and 40 -> 15,000 seats for 400 sections.
    int courses = o.sections / 2;
    const char* cats[] = {"science", "sports", "arts", "labour", "reading", "film", "interest", "club"};
    for (int k = 0; k < courses; ++k) {
      int slot = k % 10;
      int span = k % 3;  // grades 1-3, 4-6 or 1-6
      int lo = span == 1 ? 4 : 1, hi = span == 0 ? 3 : 6;
      std::string grades;
      for (int g = lo; g <= hi; ++g) grades += (grades.empty() ? "" : ",") + std::to_string(g);
      std::string slots = std::to_string(1 + slot % 5) + ":" + kBands[slot / 5];
      int64_t cid = c.Insert(
          "INSERT INTO courses (school_id, name, category, grades, capacity, teacher_staff_id, sessions_per_week, "
          "slots,"
          " fee_fen, status, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,1,$7,$8,'approved',$9,$9) RETURNING id",
          {w.school_id, "课程" + std::to_string(k), std::string(cats[k % 8]), grades, int64_t{90}, staff, slots,
           int64_t{20000}, now});
      for (int s = 0; s < 2; ++s) {
        SectionSpec sp;
        sp.capacity = (k * 2 + s) % 2 ? 40 : 35;
        sp.course_id = cid;
        sp.slot = slot;
        sp.grade_lo = lo;
        sp.grade_hi = hi;
        sp.weight = k % 5 == 0 ? 6.0 : 1.0;  // a fifth of the courses draw most of the demand
        sp.id = c.Insert(
            "INSERT INTO sections (school_id, course_id, name, formation, capacity, taken, created_at)"
            " VALUES ($1,$2,$3,'mixed',$4,0,$5) RETURNING id",
            {w.school_id, cid, std::to_string(s + 1) + "班", int64_t{sp.capacity}, now});
        w.sections.push_back(sp);
      }
    }
    w.round_id = c.Insert(
        "INSERT INTO select_rounds (school_id, term_id, name, mode, grades, opens_at, closes_at, max_per_child,"
        " max_ranks, created_at) VALUES ($1, $4, '压测轮', 'fcfs', '1,2,3,4,5,6', $2, $3, 3, 5, $2) RETURNING id",
        {w.school_id, now - 60000, now + 3 * 3600000LL, term});
    for (auto& s : w.sections)
      c.Exec("INSERT INTO round_sections (school_id, round_id, section_id) VALUES ($1,$2,$3)",
             {w.school_id, w.round_id, s.id});
  });
  return w;
}

// ------------------------------------------------------------------ servers

struct Server {
  pid_t pid = 0;
  int port = 0;
};

pid_t Spawn(const std::vector<std::string>& args, const std::string& log) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  // The server's malloc keeps freed memory instead of returning it page by page (madvise and
  // TLB shootdowns across 100+ worker threads cost more than the requests themselves).
  if (!std::getenv("GLIBC_TUNABLES")) setenv("GLIBC_TUNABLES", "glibc.malloc.trim_threshold=268435456", 1);
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) != 0)
    throw std::runtime_error("cannot start " + args[0]);
  posix_spawn_file_actions_destroy(&fa);
  return pid;
}

int Connect(int port, bool nonblock) {
  int fd = socket(AF_INET, SOCK_STREAM | (nonblock ? SOCK_NONBLOCK : 0), 0);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int rc = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  if (rc != 0 && !(nonblock && errno == EINPROGRESS)) {
    close(fd);
    return -1;
  }
  return fd;
}

// A blocking one-shot request (setup, warm-up): returns status and body.
std::pair<int, std::string> Blocking(int port, const std::string& method, const std::string& path,
                                     const std::string& token, const std::string& body = "") {
  int fd = Connect(port, false);
  if (fd < 0) return {0, ""};
  std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!token.empty()) req += "Authorization: Bearer " + token + "\r\n";
  if (!body.empty()) req += "Content-Type: application/json\r\n";
  req += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  if (write(fd, req.data(), req.size()) < 0) {
    close(fd);
    return {0, ""};
  }
  std::string in;
  char buf[65536];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) in.append(buf, static_cast<size_t>(n));
  close(fd);
  if (in.size() < 12) return {0, ""};
  int status = std::atoi(in.c_str() + 9);
  auto p = in.find("\r\n\r\n");
  return {status, p == std::string::npos ? "" : in.substr(p + 4)};
}

// A port nobody listens on now (the kernel's choice; a fixed port in the ephemeral range sometimes
// collided with another process's connection).
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    close(fd);
    throw std::runtime_error("no free port");
  }
  close(fd);
  return ntohs(a.sin_port);
}

Server StartServer(const Options& o, const std::string& url, int port, const std::string& log, bool migrate) {
  Server s;
  s.port = port;
  std::vector<std::string> args{o.kehou,       "--db",
                                url,           "serve",
                                "--listen",    "127.0.0.1:" + std::to_string(port),
                                "--workers",   std::to_string(o.workers),
                                "--quiet",     "--web",
                                "/nonexistent"};
  if (!migrate) args.push_back("--no-migrate");
  if (!o.lane) args.push_back("--no-write-lane");
  s.pid = Spawn(args, log);
  for (int i = 0; i < 1500; ++i) {
    if (Blocking(port, "GET", "/api/v1/health", "").first == 200) return s;
    int st = 0;
    if (waitpid(s.pid, &st, WNOHANG) == s.pid)
      throw std::runtime_error("server on port " + std::to_string(port) + " exited (status " + std::to_string(st) +
                               "; see " + log + ")");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("server did not come up on port " + std::to_string(port) + " (see " + log + ")");
}

void StopServer(Server& s, int sig) {
  if (s.pid <= 0) return;
  kill(s.pid, sig);
  int st = 0;
  waitpid(s.pid, &st, 0);
  s.pid = 0;
}

// ------------------------------------------------------------------ the rush

enum class Kind { kTake, kDrop, kSeats };

struct Req {
  int guardian = -1;
  Kind kind = Kind::kTake;
  int section = -1;  // index into World::sections
  std::string key;
  Clock::time_point sent;
  Clock::time_point intended{};  // open loop: when the family meant to send it (latency counts from here)
  bool tap = false;              // the second of a double tap (answer compared, not applied)
  bool replay = false;           // a deliberate retry of an answered request (answer compared)
  bool has_twin = false;         // a double tap follows on the same connection
  int first_status = 0;
  int64_t first_sel = 0;
};

struct Guardian {
  std::vector<int> held;          // section indices
  std::map<int, int64_t> sel_id;  // section index -> selection id from the success answer
  uint32_t serial = 0;
  bool busy = false;
  int fulls = 0;
  bool swapped = false;  // has dropped one seat to add another
};

struct Stats {
  int64_t taken = 0, full = 0, clash = 0, dropped = 0, other4xx = 0, errors = 0, conn_errors = 0, retries = 0,
          double_taps = 0, tap_mismatch = 0, replays = 0, seats_polls = 0, shed = 0;
  std::vector<float> lat;     // write latencies, ms
  std::vector<float> lat_at;  // each latency's start (scheduled or sent), seconds into the run
};

struct HttpConn {
  int fd = -1;
  int port = 0;
  bool connected = false;
  std::string out;
  size_t out_off = 0;
  std::string in;
  std::deque<Req> pending;
  Clock::time_point retry_at{};
};

class Rush {
 public:
  // rate_per_s == 0: closed loop (every connection sends its next request when answered);
  // > 0: open loop, arrivals at that mean rate (Poisson), whatever the answers.
  Rush(World& w, const Options& o, std::vector<int> ports, double rate_per_s = 0)
      : w_(w), o_(o), ports_(std::move(ports)), rng_(7), rate_(rate_per_s) {
    g_.resize(w.children.size());
    remaining_.resize(w.sections.size());
    for (size_t i = 0; i < w.sections.size(); ++i) remaining_[i] = w.sections[i].capacity;
    for (size_t i = 0; i < w.children.size(); ++i) ready_.push_back(static_cast<int>(i));
    std::shuffle(ready_.begin(), ready_.end(), rng_);
    by_grade_.resize(7);
    for (int gr = 1; gr <= 6; ++gr) {
      for (size_t i = 0; i < w.sections.size(); ++i)
        if (w.sections[i].grade_lo <= gr && gr <= w.sections[i].grade_hi)
          by_grade_[static_cast<size_t>(gr)].push_back(static_cast<int>(i));
    }
  }

  // Runs the timed rush; on_tick(seconds) lets the caller kill and restart servers.
  void Run(const std::function<void(double)>& on_tick) {
    ep_ = epoll_create1(0);
    conns_.resize(static_cast<size_t>(o_.conns));
    for (size_t i = 0; i < conns_.size(); ++i) {
      conns_[i].port = ports_[i % ports_.size()];
      Open(static_cast<int>(i));
    }
    start_ = Clock::now();
    auto end = start_ + std::chrono::seconds(o_.seconds);
    next_arrival_ = start_;
    std::exponential_distribution<double> gap(rate_ > 0 ? rate_ : 1);
    std::mt19937_64 arrivals_rng(11);
    epoll_event evs[512];
    bool stopping = false;
    Clock::time_point drain_deadline{};
    while (true) {
      auto now = Clock::now();
      if (!stopping && now >= end) {
        stopping = true;
        timed_ = now - start_;
        drain_deadline = now + std::chrono::seconds(20);
      }
      on_tick(std::chrono::duration<double>(now - start_).count());
      // Open loop: the arrivals due by now join the backlog with their scheduled times.
      if (rate_ > 0 && !stopping)
        while (next_arrival_ <= now && next_arrival_ < end) {
          backlog_.push_back(next_arrival_);
          next_arrival_ +=
              std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(gap(arrivals_rng)));
        }
      max_backlog_ = std::max(max_backlog_, backlog_.size());
      // Feed idle connections; reopen broken ones.
      size_t outstanding = 0;
      for (size_t i = 0; i < conns_.size(); ++i) {
        HttpConn& c = conns_[i];
        if (c.fd < 0 && now >= c.retry_at) Open(static_cast<int>(i));
        if (c.connected && c.pending.empty()) {
          if (!retry_.empty()) {
            Send(static_cast<int>(i), std::move(retry_.front()));
            retry_.pop_front();
          } else if (rate_ > 0) {
            if (!backlog_.empty() && Next(static_cast<int>(i), backlog_.front())) backlog_.pop_front();
          } else if (!stopping) {
            Next(static_cast<int>(i));
          }
        }
        outstanding += c.pending.size();
      }
      if (stopping && outstanding == 0 && retry_.empty() && backlog_.empty()) break;
      if (stopping && now > drain_deadline) {
        std::cerr << "drain timed out with " << outstanding << " requests outstanding\n";
        unanswered_ = static_cast<int64_t>(outstanding + retry_.size());
        NoteDropsInFlight();
        break;
      }
      // Sleep until the next arrival is due (to the microsecond: the open loop's mean gap is under
      // a millisecond, and a wait rounded down to 0 ms made the generator spin, taking a quarter of
      // the two cores from the servers and the database it measures), or 5 ms at most.
      auto wait = std::chrono::microseconds(5000);
      if (rate_ > 0 && !stopping)
        wait = std::clamp(std::chrono::duration_cast<std::chrono::microseconds>(next_arrival_ - Clock::now()),
                          std::chrono::microseconds(0), wait);
      timespec ts{0, static_cast<long>(wait.count()) * 1000};
      int n = epoll_pwait2(ep_, evs, 512, &ts, nullptr);
      if (n < 0 && errno == ENOSYS)  // a kernel before 5.11: whole milliseconds, rounded up
        n = epoll_wait(ep_, evs, 512, static_cast<int>((wait.count() + 999) / 1000));
      for (int k = 0; k < n; ++k) {
        int i = static_cast<int>(evs[k].data.u32);
        HttpConn& c = conns_[static_cast<size_t>(i)];
        if (c.fd < 0) continue;
        if (evs[k].events & (EPOLLERR | EPOLLHUP)) {
          Broken(i);
          continue;
        }
        if (evs[k].events & EPOLLOUT) {
          if (!c.connected) {
            int err = 0;
            socklen_t len = sizeof err;
            getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err) {
              Broken(i);
              continue;
            }
            c.connected = true;
          }
          Flush(i);
        }
        if (evs[k].events & EPOLLIN) Read(i);
      }
    }
    for (auto& c : conns_)
      if (c.fd >= 0) close(c.fd);
    close(ep_);
  }

  const Stats& stats() const { return st_; }
  double timed_seconds() const { return std::chrono::duration<double>(timed_).count(); }
  const std::vector<Guardian>& guardians() const { return g_; }
  int64_t unanswered() const { return unanswered_; }
  // (guardian, section) of every drop still unanswered when the drain timed out: the seat may be
  // gone from the database (the drop committed) while the bench still believes it held.
  const std::set<std::pair<int, int>>& drops_in_flight() const { return drops_in_flight_; }
  int64_t timed_writes() const { return timed_writes_; }
  int64_t timed_confirmed() const { return timed_confirmed_; }
  size_t max_backlog() const { return max_backlog_; }

 private:
  void Open(int i) {
    HttpConn& c = conns_[static_cast<size_t>(i)];
    c.fd = Connect(c.port, true);
    c.connected = false;
    c.in.clear();
    c.out.clear();
    c.out_off = 0;
    if (c.fd < 0) {
      c.retry_at = Clock::now() + std::chrono::milliseconds(20);
      return;
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLET;
    ev.data.u32 = static_cast<uint32_t>(i);
    epoll_ctl(ep_, EPOLL_CTL_ADD, c.fd, &ev);
  }

  // The connection failed: its requests are retried with the same keys (the answer is unknown).
  void Broken(int i) {
    HttpConn& c = conns_[static_cast<size_t>(i)];
    epoll_ctl(ep_, EPOLL_CTL_DEL, c.fd, nullptr);
    close(c.fd);
    c.fd = -1;
    c.connected = false;
    ++st_.conn_errors;
    for (auto& r : c.pending) {
      if (r.tap) continue;  // its twin is retried
      if (r.kind == Kind::kSeats) {
        g_[static_cast<size_t>(r.guardian)].busy = false;
        ready_.push_back(r.guardian);
        continue;
      }
      ++st_.retries;
      r.has_twin = false;
      retry_.push_back(std::move(r));
    }
    c.pending.clear();
    c.retry_at = Clock::now() + std::chrono::milliseconds(20);
  }

  int Pick(int grade, bool prefer_open) {
    auto& list = by_grade_[static_cast<size_t>(grade)];
    // weighted by popularity; when prefer_open, skip sections believed full (a few tries).
    for (int t = 0; t < 8; ++t) {
      int s = list[std::uniform_int_distribution<size_t>(0, list.size() - 1)(rng_)];
      if (w_.sections[static_cast<size_t>(s)].weight < 2 && std::uniform_real_distribution<>(0, 1)(rng_) < 0.55)
        continue;
      if (!prefer_open || remaining_[static_cast<size_t>(s)] > 0) return s;
    }
    return list[std::uniform_int_distribution<size_t>(0, list.size() - 1)(rng_)];
  }

  bool Next(int ci, Clock::time_point intended = {}) {
    if (ready_.empty()) return false;
    int gi = ready_.front();
    ready_.pop_front();
    Guardian& g = g_[static_cast<size_t>(gi)];
    const Child& ch = w_.children[static_cast<size_t>(gi)];
    g.busy = true;
    Req r;
    r.guardian = gi;
    double u = std::uniform_real_distribution<>(0, 1)(rng_);
    if (u < 0.03) {
      r.kind = Kind::kSeats;
    } else if (g.held.size() >= 3 || (!g.swapped && !g.held.empty() && u < 0.35)) {
      // Each family changes its mind once: drops one seat (and then adds another).
      g.swapped = true;
      r.kind = Kind::kDrop;
      r.section = g.held[std::uniform_int_distribution<size_t>(0, g.held.size() - 1)(rng_)];
    } else {
      r.kind = Kind::kTake;
      int s = -1;
      for (int t = 0; t < 4; ++t) {
        s = Pick(ch.grade, u < 0.9);
        if (std::find(g.held.begin(), g.held.end(), s) == g.held.end()) break;
      }
      r.section = s;
    }
    r.key = "g" + std::to_string(gi) + "-" + std::to_string(++g.serial);
    r.intended = intended;
    bool tap = r.kind != Kind::kSeats && std::uniform_real_distribution<>(0, 1)(rng_) < 0.03;
    if (tap) {
      ++st_.double_taps;
      r.has_twin = true;
      Req twin = r;
      twin.tap = true;
      twin.has_twin = false;
      Send(ci, std::move(r));
      Send(ci, std::move(twin));
    } else {
      Send(ci, std::move(r));
    }
    return true;
  }

  void Send(int ci, Req r) {
    HttpConn& c = conns_[static_cast<size_t>(ci)];
    const Child& ch = w_.children[static_cast<size_t>(r.guardian)];
    std::string path, body, method = "POST";
    if (r.kind == Kind::kSeats) {
      method = "GET";
      path = "/api/v1/rounds/" + std::to_string(w_.round_id) + "/seats";
    } else {
      path = "/api/v1/rounds/" + std::to_string(w_.round_id) + (r.kind == Kind::kTake ? "/take" : "/drop");
      body = "{\"student_id\":" + std::to_string(ch.student_id) +
             ",\"section_id\":" + std::to_string(w_.sections[static_cast<size_t>(r.section)].id) +
             ",\"idempotency_key\":\"" + r.key + "\"}";
    }
    c.out += method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ch.token + "\r\n";
    if (!body.empty()) c.out += "Content-Type: application/json\r\n";
    c.out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    r.sent = Clock::now();
    c.pending.push_back(std::move(r));
    Flush(ci);
  }

  void Flush(int ci) {
    HttpConn& c = conns_[static_cast<size_t>(ci)];
    if (!c.connected || c.fd < 0) return;
    while (c.out_off < c.out.size()) {
      ssize_t n = write(c.fd, c.out.data() + c.out_off, c.out.size() - c.out_off);
      if (n < 0) {
        if (errno == EAGAIN) return;
        Broken(ci);
        return;
      }
      c.out_off += static_cast<size_t>(n);
    }
    c.out.clear();
    c.out_off = 0;
  }

  void Read(int ci) {
    HttpConn& c = conns_[static_cast<size_t>(ci)];
    char buf[65536];
    while (true) {
      ssize_t n = read(c.fd, buf, sizeof buf);
      if (n > 0) {
        c.in.append(buf, static_cast<size_t>(n));
        continue;
      }
      if (n == 0 || errno != EAGAIN) {
        Parse(ci);
        if (c.fd >= 0) Broken(ci);
        return;
      }
      break;
    }
    Parse(ci);
  }

  void Parse(int ci) {
    HttpConn& c = conns_[static_cast<size_t>(ci)];
    size_t pos = 0;
    while (!c.pending.empty()) {
      auto he = c.in.find("\r\n\r\n", pos);
      if (he == std::string::npos) break;
      size_t clen = 0;
      auto cl = c.in.find("Content-Length:", pos);
      if (cl == std::string::npos || cl > he) cl = c.in.find("content-length:", pos);
      if (cl != std::string::npos && cl < he) clen = std::strtoul(c.in.c_str() + cl + 15, nullptr, 10);
      if (c.in.size() < he + 4 + clen) break;
      int status = std::atoi(c.in.c_str() + pos + 9);
      std::string_view body(c.in.data() + he + 4, clen);
      Req r = std::move(c.pending.front());
      c.pending.pop_front();
      Answer(std::move(r), status, body);
      pos = he + 4 + clen;
    }
    c.in.erase(0, pos);
  }

  static int64_t Field(std::string_view body, std::string_view name) {
    auto p = body.find(name);
    if (p == std::string_view::npos) return -1;
    return std::strtoll(body.data() + p + name.size(), nullptr, 10);
  }

  void Answer(Req r, int status, std::string_view body) {
    auto now = Clock::now();
    bool timed = now - start_ <= std::chrono::seconds(o_.seconds);
    Guardian& g = g_[static_cast<size_t>(r.guardian)];
    if (r.kind == Kind::kSeats) {
      ++st_.seats_polls;
      if (status == 200) {
        // [[section_id, remaining], ...] -> our belief about open sections
        auto p = body.find("\"sections\":");
        if (p != std::string_view::npos) {
          Json j = Json::parse(body.substr(p + 11, body.size() - p - 12), nullptr, false);
          if (j.is_array())
            for (auto& x : j) {
              auto it = section_index_.find(x[0].get<int64_t>());
              if (it != section_index_.end())
                remaining_[static_cast<size_t>(it->second)] = static_cast<int>(x[1].get<int64_t>());
            }
        }
      }
      Release(r.guardian);
      return;
    }
    int64_t sel = r.kind == Kind::kTake && status == 200 ? Field(body, "\"selection_id\":") : 0;
    if (status == 503 || status == 0 || status >= 500) {
      if (status == 503) ++st_.shed;
      else ++st_.errors;
      if (!r.tap) {
        ++st_.retries;
        retry_.push_back(std::move(r));
      }
      return;
    }
    if (r.tap || r.replay) {
      // The twin of a double tap / a retry of an answered request: the same answer, no new seat.
      if (r.replay) ++st_.replays;
      if (r.first_status && (status != r.first_status || sel != r.first_sel)) ++st_.tap_mismatch;
      if (r.replay) {
        Release(r.guardian);
      } else if (auto t = taps_.find(r.key); t != taps_.end()) {
        if (t->second.first != status || t->second.second != sel) ++st_.tap_mismatch;
        taps_.erase(t);
      }
      return;
    }
    if (r.intended != Clock::time_point{}) {
      // Open loop: from the scheduled time (a request that waited for a free connection, or was
      // retried, counts all of it), for every arrival scheduled in the timed window.
      st_.lat.push_back(static_cast<float>(Ms(now - r.intended)));
      st_.lat_at.push_back(static_cast<float>(Ms(r.intended - start_) / 1000));
    } else if (timed) {
      st_.lat.push_back(static_cast<float>(Ms(now - r.sent)));
      st_.lat_at.push_back(static_cast<float>(Ms(r.sent - start_) / 1000));
    }
    if (r.has_twin) taps_[r.key] = {status, sel};
    bool write_answered = status == 200 || status == 409 || status == 422;
    if (timed && write_answered) ++timed_writes_;
    if (r.kind == Kind::kTake) {
      if (status == 200) {
        ++st_.taken;
        if (timed) ++timed_confirmed_;
        g.held.push_back(r.section);
        g.sel_id[r.section] = sel;
        int64_t rem = Field(body, "\"remaining\":");
        if (rem >= 0) remaining_[static_cast<size_t>(r.section)] = static_cast<int>(rem);
      } else if (status == 409) {
        ++st_.full;
        remaining_[static_cast<size_t>(r.section)] = 0;
      } else if (status == 422 && body.find("\"field\":\"student_id\"") == std::string::npos) {
        ++st_.clash;  // (a refusal about the child itself, e.g. not enrolled, is an error here: all are)
      } else {
        ++st_.other4xx;
      }
    } else {
      if (status == 200) {
        ++st_.dropped;
        g.held.erase(std::remove(g.held.begin(), g.held.end(), r.section), g.held.end());
        g.sel_id.erase(r.section);
        ++remaining_[static_cast<size_t>(r.section)];
      } else if (status == 422 || status == 409) {
        ++st_.clash;
      } else {
        ++st_.other4xx;
      }
    }
    // Sometimes the phone retries although it got the answer (a timeout on its side): the same
    // key must give the same answer.
    if (std::uniform_real_distribution<>(0, 1)(rng_) < 0.02) {
      Req again = r;
      again.replay = true;
      again.first_status = status;
      again.first_sel = sel;
      retry_.push_back(std::move(again));
      return;
    }
    Release(r.guardian);
  }

  void NoteDropsInFlight() {
    auto note = [&](const Req& r) {
      if (r.kind == Kind::kDrop) drops_in_flight_.insert({r.guardian, r.section});
    };
    for (auto& c : conns_)
      for (auto& r : c.pending) note(r);
    for (auto& r : retry_) note(r);
  }

  void Release(int gi) {
    g_[static_cast<size_t>(gi)].busy = false;
    ready_.push_back(gi);
  }

 public:
  void IndexSections() {
    for (size_t i = 0; i < w_.sections.size(); ++i) section_index_[w_.sections[i].id] = static_cast<int>(i);
  }

 private:
  World& w_;
  const Options& o_;
  std::vector<int> ports_;
  std::mt19937_64 rng_;
  std::vector<Guardian> g_;
  std::vector<int> remaining_;
  std::vector<std::vector<int>> by_grade_;
  std::unordered_map<int64_t, int> section_index_;
  std::unordered_map<std::string, std::pair<int, int64_t>> taps_;
  std::deque<int> ready_;
  std::deque<Req> retry_;
  double rate_ = 0;
  Clock::time_point next_arrival_{};
  std::deque<Clock::time_point> backlog_;  // open loop: arrivals not yet sent (no free connection)
  size_t max_backlog_ = 0;
  std::vector<HttpConn> conns_;
  int ep_ = -1;
  Stats st_;
  Clock::time_point start_;
  Clock::duration timed_{};
  int64_t unanswered_ = 0, timed_writes_ = 0, timed_confirmed_ = 0;
  std::set<std::pair<int, int>> drops_in_flight_;
};

// ------------------------------------------------------------------ checks

struct Check {
  int64_t oversold = 0, lost = 0, ghost_taken = 0, confirmed = 0, taken = 0;
  int64_t drop_in_flight = 0;  // believed seats gone from the database while their drop was unanswered
};

// lost: a seat the bench was told it holds (a 200 to its take, no 200 to a drop) that is not a
// confirmed selection in the database; except when a drop of it was still unanswered when the
// drain timed out (`in_flight`): that drop may have committed, so the seat counts as
// drop_in_flight, not lost.
Check Verify(Db& db, const World& w, const std::vector<Guardian>& gs, const std::set<std::pair<int, int>>& in_flight) {
  Check out;
  db.Read([&](Conn& c) {
    for (auto& r :
         c.Query("SELECT x.id, x.capacity, x.taken, (SELECT COUNT(*) FROM selections s WHERE s.section_id = x.id"
                 " AND s.status = 'confirmed') FROM sections x WHERE x.school_id = $1",
                 {w.school_id})) {
      out.taken += r.Int(2);
      out.confirmed += r.Int(3);
      if (r.Int(3) > r.Int(1) || r.Int(2) > r.Int(1) || r.Int(2) > kehou::catalog::kMaxSectionSize) ++out.oversold;
      if (r.Int(3) != r.Int(2)) ++out.ghost_taken;
    }
    std::set<std::pair<int64_t, int64_t>> seats;  // (selection id, student)
    for (auto& r :
         c.Query("SELECT id, student_id, section_id FROM selections WHERE school_id = $1 AND status = 'confirmed'",
                 {w.school_id}))
      seats.insert({r.Int(0), r.Int(1)});
    for (size_t i = 0; i < gs.size(); ++i)
      for (auto& [sec, sel] : gs[i].sel_id)
        if (!seats.count({sel, w.children[i].student_id})) {
          if (in_flight.count({static_cast<int>(i), sec})) ++out.drop_in_flight;
          else ++out.lost;
        }
  });
  return out;
}

// The lost check must be able to fail: one believed seat (not one with a drop in flight) is given
// a selection id no row has, and Verify must count exactly one more lost seat. Throws otherwise.
void VerifyCanFail(Db& db, const World& w, std::vector<Guardian> gs, const std::set<std::pair<int, int>>& in_flight,
                   const Check& real) {
  for (size_t i = 0; i < gs.size(); ++i)
    for (auto& [sec, sel] : gs[i].sel_id) {
      if (in_flight.count({static_cast<int>(i), sec})) continue;
      sel = -1;
      Check planted = Verify(db, w, gs, in_flight);
      if (planted.lost != real.lost + 1)
        throw std::runtime_error("the lost check missed a seat absent from the database (" +
                                 std::to_string(planted.lost) + " lost, expected " + std::to_string(real.lost + 1) +
                                 ")");
      return;
    }
}

double Percentile(std::vector<float> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// CPU seconds (user + system) of a process from /proc (0 if gone).
double ProcCpu(pid_t pid, bool with_reaped_children) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return 0;
  auto close_paren = line.rfind(')');
  if (close_paren == std::string::npos) return 0;
  std::istringstream rest(line.substr(close_paren + 2));
  std::vector<std::string> f;
  std::string x;
  while (rest >> x) f.push_back(x);
  // fields from 3 (state): utime is field 14 -> f[11], stime f[12], cutime f[13], cstime f[14]
  if (f.size() < 15) return 0;
  double ticks = std::stod(f[11]) + std::stod(f[12]);
  if (with_reaped_children) ticks += std::stod(f[13]) + std::stod(f[14]);
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// All CPU PostgreSQL has used: the postmaster, its exited backends, and its live processes.
double PostgresCpu() {
  const char* dir = std::getenv("KEHOU_PG_SOCKET_DIR");
  if (!dir) return 0;
  std::ifstream pidf(std::string(dir) + "/data/postmaster.pid");
  pid_t pm = 0;
  if (!(pidf >> pm) || pm <= 0) return 0;
  double total = ProcCpu(pm, true);
  for (auto& e : std::filesystem::directory_iterator("/proc")) {
    std::string name = e.path().filename();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    std::ifstream st(e.path() / "stat");
    std::string line;
    if (!std::getline(st, line)) continue;
    auto cp = line.rfind(')');
    if (cp == std::string::npos) continue;
    std::istringstream rest(line.substr(cp + 2));
    std::string state;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == pm) total += ProcCpu(static_cast<pid_t>(std::stol(name)), false);
  }
  return total;
}

double ReapedChildrenCpu() {
  rusage ru{};
  getrusage(RUSAGE_CHILDREN, &ru);
  auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

struct RunResult {
  double writes_per_s = 0, confirmed_per_s = 0, p50 = 0, p99 = 0;
  double open_rate = 0;  // open loop: the offered arrivals per second (0: closed loop)
  size_t max_backlog = 0;
  double server_cpu_ms_per_write = 0, db_cpu_ms_per_write = 0;  // CPU cost, robust on a shared machine
  Stats stats;
  Check check;
  int64_t errors = 0;
  int64_t unanswered = 0;  // requests still outstanding when the drain timed out
};

std::string PgUrlFor(const std::string& admin, const std::string& schema) {
  std::string sep = admin.find('?') == std::string::npos ? "?" : "&";
  return admin + sep + "options=-csearch_path%3D" + schema;
}

// The PostgreSQL cluster of scripts/with-postgres: its control script and its connection.
int RunCommand(const std::vector<std::string>& args, const std::string& log) {
  pid_t pid = Spawn(args, log);
  int st = 0;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) throw std::runtime_error(std::string(name) + " is not set: run under scripts/with-postgres");
  return v;
}

double PostgresCpu();
double g_pgbench_db_cpu_ms = 0;  // PostgreSQL's CPU per pgbench transaction

// pgbench's TPC-B-like load on the same cluster (16 clients, prepared statements, scale 16 so
// that clients do not queue on one branch row): its transactions per second.
double PgbenchTps(const Options& o) {
  std::string bin = Env("KEHOU_PG_BIN") + "/pgbench";
  std::vector<std::string> conn{"-h", Env("KEHOU_PG_SOCKET_DIR"), "-p", Env("KEHOU_PG_PORT"), "-U", "postgres"};
  std::string log = o.work_dir + "/pgbench.log";
  std::vector<std::string> init{bin, "-i", "-q", "-s", "16"};
  init.insert(init.end(), conn.begin(), conn.end());
  init.push_back("kehou");
  if (RunCommand(init, log) != 0) throw std::runtime_error("pgbench -i failed (see " + log + ")");
  std::vector<std::string> run{bin, "-c", "16", "-j", "2", "-M", "prepared", "-T", std::to_string(o.pgbench_seconds)};
  run.insert(run.end(), conn.begin(), conn.end());
  run.push_back("kehou");
  std::filesystem::remove(log);
  double cpu0 = PostgresCpu();
  if (RunCommand(run, log) != 0) throw std::runtime_error("pgbench failed (see " + log + ")");
  double pg_cpu = PostgresCpu() - cpu0;
  std::ifstream in(log);
  std::string line;
  double tps = 0;
  while (std::getline(in, line)) {
    // "tps = 3257.123456 (without initial connection time)"
    auto p = line.find("tps = ");
    if (p != std::string::npos) tps = std::strtod(line.c_str() + p + 6, nullptr);
    if (line.find("latency average") != std::string::npos) std::cerr << "[pgbench] " << line << "\n";
  }
  if (tps <= 0) throw std::runtime_error("pgbench printed no tps (see " + log + ")");
  g_pgbench_db_cpu_ms = pg_cpu * 1000 / (tps * o.pgbench_seconds);
  std::cerr << "[pgbench] TPC-B-like, 16 clients, prepared, " << o.pgbench_seconds << " s: " << tps
            << " tps; PostgreSQL CPU per transaction " << g_pgbench_db_cpu_ms << " ms\n";
  // Its tables would only weigh on the rush's checkpoints.
  auto a = Db::Open(Env("KEHOU_TEST_PG"));
  a->Write([](Conn& c) {
    c.ExecScript("DROP TABLE IF EXISTS pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers");
  });
  a->Direct([](Conn& c) { c.ExecScript("CHECKPOINT"); });
  return tps;
}

enum class Crash { kNone, kServers, kDatabase };

RunResult OneRun(const Options& o, Crash crash, int run_no, double open_rate = 0) {
  bool pg = o.db == "postgres";
  std::string url;
  if (pg) {
    const char* admin = std::getenv("KEHOU_TEST_PG");
    if (!admin) throw std::runtime_error("postgres: run under scripts/with-postgres (KEHOU_TEST_PG)");
    std::string schema = "bench_select_" + std::to_string(run_no);
    auto a = Db::Open(admin);
    // The earlier loops' schemas are done with (each was checked at its loop's end): dropped, so
    // autovacuum does not clear their garbage during this loop's timed window.
    std::string drop;
    for (int k = 0; k < run_no; ++k) drop += "DROP SCHEMA IF EXISTS bench_select_" + std::to_string(k) + " CASCADE; ";
    a->Write(
        [&](Conn& c) { c.ExecScript(drop + "DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema); });
    url = PgUrlFor(admin, schema);
  } else {
    std::string path = o.work_dir + "/select_" + std::to_string(run_no) + ".db";
    for (auto suf : {"", "-wal", "-shm"}) std::filesystem::remove(path + suf);
    url = "sqlite:" + path;
  }
  auto t0 = Clock::now();
  World w;
  {
    auto db = Db::Open(url);
    kehou::db::Migrate(*db);
    w = Setup(*db, o);
    // A school's database was loaded days before its selection night: autovacuum has processed it
    // and the planner has statistics. A bulk load a moment ago has neither until autovacuum's next
    // rounds, which would then run in the timed window and be measured instead. So vacuumed and
    // analysed first, as pgbench vacuums before each of its runs.
    if (db->dialect() == kehou::db::Dialect::kPostgres) db->Direct([](Conn& c) { c.ExecScript("VACUUM ANALYZE"); });
  }
  const char* tag = crash == Crash::kServers    ? " kill"
                    : crash == Crash::kDatabase ? " db-crash"
                    : open_rate > 0             ? " open-loop"
                                                : "";
  std::cerr << "[" << o.db << tag << "] setup: " << w.children.size() << " guardians, " << w.sections.size()
            << " sections in " << static_cast<int>(Ms(Clock::now() - t0)) << " ms\n";
  std::vector<Server> servers;
  std::string log = o.work_dir + "/server_" + std::to_string(run_no) + ".log";
  servers.push_back(StartServer(o, url, FreePort(), log, true));
  if (pg) servers.push_back(StartServer(o, url, FreePort(), log, false));
  std::vector<int> ports;
  for (auto& s : servers) ports.push_back(s.port);

  // Log in for real with a few accounts (argon2id), then warm every session (untimed).
  int real_logins = 0;
  for (int i = 0; i < 10; ++i) {
    auto [st, body] = Blocking(ports[0], "POST", "/api/v1/auth/login", "",
                               "{\"login\":\"139" + std::to_string(10000000 + i) + "\",\"password\":\"Bench@2026a\"}");
    if (st == 200) ++real_logins;
  }
  t0 = Clock::now();
  int warm_ok = 0;
  {
    // Pipelined GET /auth/me over a few connections.
    size_t per = 2000;
    for (size_t from = 0; from < w.children.size(); from += per) {
      int fd = Connect(ports[(from / per) % ports.size()], false);
      std::string req;
      size_t to = std::min(w.children.size(), from + per);
      for (size_t i = from; i < to; ++i)
        req += "GET /api/v1/auth/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + w.children[i].token + "\r\n\r\n";
      std::thread writer([&] {
        size_t off = 0;
        while (off < req.size()) {
          ssize_t n = write(fd, req.data() + off, req.size() - off);
          if (n <= 0) break;
          off += static_cast<size_t>(n);
        }
      });
      std::string in;
      char buf[65536];
      size_t seen = 0;
      while (seen < to - from) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) break;
        in.append(buf, static_cast<size_t>(n));
        size_t p;
        while ((p = in.find("HTTP/1.1 ")) != std::string::npos) {
          auto he = in.find("\r\n\r\n", p);
          if (he == std::string::npos) break;
          auto cl = in.find("ontent-Length:", p);
          size_t clen = cl != std::string::npos && cl < he ? std::strtoul(in.c_str() + cl + 14, nullptr, 10) : 0;
          if (in.size() < he + 4 + clen) break;
          if (std::atoi(in.c_str() + p + 9) == 200) ++warm_ok;
          ++seen;
          in.erase(0, he + 4 + clen);
        }
      }
      writer.join();
      close(fd);
    }
  }
  std::cerr << "[" << o.db << "] logged in: " << real_logins << "/10 by password, " << warm_ok << "/"
            << w.children.size() << " sessions answered /auth/me in " << static_cast<int>(Ms(Clock::now() - t0))
            << " ms\n";
  if (warm_ok != static_cast<int>(w.children.size())) throw std::runtime_error("not every guardian is logged in");

  // CPU from here to the end of the rush: the servers' (so far, then whole lives once reaped
  // minus that) and PostgreSQL's.
  double servers_cpu0 = 0;
  for (auto& s : servers) servers_cpu0 += ProcCpu(s.pid, false);
  double reaped0 = ReapedChildrenCpu(), pg_cpu0 = PostgresCpu();
  Rush rush(w, o, ports, open_rate);
  rush.IndexSections();
  bool killed = false;
  double kill_at = o.seconds * 0.4;
  rush.Run([&](double t) {
    if (crash == Crash::kServers && !killed && t >= kill_at) {
      killed = true;
      for (auto& s : servers) StopServer(s, SIGKILL);
      std::cerr << "[" << o.db << "] kill -9 at " << t << " s; restarting\n";
      for (size_t i = 0; i < servers.size(); ++i) servers[i] = StartServer(o, url, ports[i], log, false);
      std::cerr << "[" << o.db << "] restarted\n";
    }
    if (crash == Crash::kDatabase && !killed && t >= kill_at) {
      // The servers stay up: their requests fail (answered 5xx, retried with the same keys) until
      // PostgreSQL is back and the pools reconnect.
      killed = true;
      std::string ctl = Env("KEHOU_PG_CTL"), ctl_log = o.work_dir + "/pg_ctl.log";
      if (RunCommand({ctl, "stop-immediate"}, ctl_log) != 0)
        throw std::runtime_error("pg_ctl stop -m immediate failed");
      std::cerr << "[" << o.db << "] pg_ctl stop -m immediate at " << t << " s; starting\n";
      if (RunCommand({ctl, "start"}, ctl_log) != 0)
        throw std::runtime_error("pg_ctl start failed (see " + ctl_log + ")");
      std::cerr << "[" << o.db << "] database back (crash recovery done)\n";
    }
  });
  for (auto& s : servers) StopServer(s, SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // PostgreSQL reaps their backends

  RunResult rr;
  rr.stats = rush.stats();
  {
    const Stats& st = rr.stats;
    double answered =
        static_cast<double>(std::max<int64_t>(1, st.taken + st.full + st.clash + st.dropped + st.other4xx));
    // (a kill -9 run restarts servers: their CPU counts too, as reaped children)
    double servers_cpu = ReapedChildrenCpu() - reaped0 - servers_cpu0;
    rr.server_cpu_ms_per_write = servers_cpu * 1000 / answered;
    // (not across a database crash: the restarted postmaster counts from zero)
    if (pg && crash != Crash::kDatabase) rr.db_cpu_ms_per_write = (PostgresCpu() - pg_cpu0) * 1000 / answered;
  }
  double secs = rush.timed_seconds();
  rr.writes_per_s = static_cast<double>(rush.timed_writes()) / secs;
  rr.confirmed_per_s = static_cast<double>(rush.timed_confirmed()) / secs;
  rr.p50 = Percentile(rr.stats.lat, 0.50);
  rr.p99 = Percentile(rr.stats.lat, 0.99);
  if (std::getenv("KEHOU_BENCH_LATENCY_SERIES")) {
    // Diagnosis: latencies by the second their request started (scheduled, in the open loop).
    std::map<int, std::vector<float>> by_second;
    for (size_t i = 0; i < rr.stats.lat.size() && i < rr.stats.lat_at.size(); ++i)
      by_second[static_cast<int>(rr.stats.lat_at[i])].push_back(rr.stats.lat[i]);
    for (auto& [sec, v] : by_second)
      std::cerr << "[latency] second " << sec << ": " << v.size() << " writes, p50 " << Percentile(v, 0.5)
                << " ms, p99 " << Percentile(v, 0.99) << " ms, max " << *std::max_element(v.begin(), v.end())
                << " ms\n";
  }
  rr.open_rate = open_rate;
  rr.max_backlog = rush.max_backlog();
  {
    auto db = Db::Open(url);
    rr.check = Verify(*db, w, rush.guardians(), rush.drops_in_flight());
    VerifyCanFail(*db, w, rush.guardians(), rush.drops_in_flight(), rr.check);
  }
  rr.unanswered = rush.unanswered();
  rr.errors = rr.stats.errors + rr.stats.other4xx + rr.stats.tap_mismatch + rush.unanswered();
  auto& s = rr.stats;
  std::cerr << "[" << o.db << tag << "] " << secs << " s timed: writes/s " << static_cast<int64_t>(rr.writes_per_s)
            << ", confirmed/s " << static_cast<int64_t>(rr.confirmed_per_s) << ", p50 " << rr.p50 << " ms, p99 "
            << rr.p99 << " ms | taken " << s.taken << ", full " << s.full << ", clash/rule " << s.clash << ", dropped "
            << s.dropped << ", other 4xx " << s.other4xx << ", 5xx " << s.errors << ", shed 503 " << s.shed
            << ", conn errors " << s.conn_errors << ", retries " << s.retries << ", double taps " << s.double_taps
            << ", replays " << s.replays << ", answer mismatches " << s.tap_mismatch << ", seat polls " << s.seats_polls
            << " | seats taken " << rr.check.taken << "/" << o.seats << ", confirmed rows " << rr.check.confirmed
            << ", oversold " << rr.check.oversold << ", taken!=rows " << rr.check.ghost_taken << ", lost "
            << rr.check.lost
            << (rr.unanswered ? ", unanswered at the drain's timeout " + std::to_string(rr.unanswered) +
                                    " (seats whose drop was among them, gone: " +
                                    std::to_string(rr.check.drop_in_flight) + ", not counted lost)"
                              : std::string())
            << " | CPU per answered write: servers " << rr.server_cpu_ms_per_write << " ms"
            << (pg && crash != Crash::kDatabase ? ", PostgreSQL " + std::to_string(rr.db_cpu_ms_per_write) + " ms"
                                                : std::string())
            << (open_rate > 0 ? " | open loop: offered " + std::to_string(static_cast<int64_t>(open_rate)) +
                                    " arrivals/s, most waiting for a connection " + std::to_string(rr.max_backlog)
                              : std::string())
            << "\n";
  return rr;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error("missing value for " + a);
      return argv[++i];
    };
    if (a == "--kehou") o.kehou = next();
    else if (a == "--db") o.db = next();
    else if (a == "--seconds") o.seconds = std::stoi(next());
    else if (a == "--conns") o.conns = std::stoi(next());
    else if (a == "--guardians") o.guardians = std::stoi(next());
    else if (a == "--workers") o.workers = std::stoi(next());
    else if (a == "--no-kill") o.kill_run = false;
    else if (a == "--no-db-crash") o.db_crash_run = false;
    else if (a == "--pgbench-seconds") o.pgbench_seconds = std::stoi(next());
    else if (a == "--no-baseline") o.baseline = false;
    else if (a == "--no-open-loop") o.open_loop = false;
    else if (a == "--open-fraction") o.open_fraction = std::stod(next());
    else if (a == "--open-rate") o.open_rate = std::stod(next());
    else {
      std::cerr
          << "usage: kehou_bench_select --kehou build/kehou --db sqlite|postgres [--seconds 30] [--conns 256]"
             " [--guardians 20000] [--workers 128] [--no-kill] [--no-baseline] [--no-db-crash] [--pgbench-seconds N]"
             " [--no-open-loop] [--open-fraction 0.5] [--open-rate N]\n";
      return 2;
    }
  }
  if (sodium_init() < 0) return 1;
  signal(SIGPIPE, SIG_IGN);
  char tmpl[] = "/tmp/kehou-bench-select.XXXXXX";
  o.work_dir = mkdtemp(tmpl);
  try {
    RunResult base;
    bool with_baseline = o.baseline && o.db == "sqlite";
    if (with_baseline) {
      std::cerr << "[sqlite] baseline: the same rush without the write lane (--no-write-lane)\n";
      Options ob = o;
      ob.lane = false;
      base = OneRun(ob, Crash::kNone, 0);
    }
    bool pg = o.db == "postgres";
    if (o.pgbench_seconds < 0) o.pgbench_seconds = o.seconds;
    double pgbench_tps = 0;
    if (pg && o.pgbench_seconds > 0) pgbench_tps = PgbenchTps(o);
    if (pg && std::getenv("KEHOU_PG_DURABLE") && std::string(std::getenv("KEHOU_PG_DURABLE")) != "1")
      std::cerr << "[postgres] note: the cluster runs without fsync (KEHOU_PG_DURABLE=1 for a durable one)\n";
    RunResult a = OneRun(o, Crash::kNone, 1);
    RunResult b, d;
    if (o.kill_run) b = OneRun(o, Crash::kServers, 2);
    if (pg && o.db_crash_run) d = OneRun(o, Crash::kDatabase, 3);
    // The open loop's rate comes from this run's own reference, never from a constant.
    RunResult ol;
    double reference = pg && pgbench_tps > 0 ? pgbench_tps : a.writes_per_s;
    double open_rate = o.open_rate > 0 ? o.open_rate : reference * o.open_fraction;
    if (o.open_loop && open_rate > 0) ol = OneRun(o, Crash::kNone, 4, open_rate);
    int64_t oversold = a.check.oversold + b.check.oversold + a.check.ghost_taken + b.check.ghost_taken +
                       base.check.oversold + base.check.ghost_taken + d.check.oversold + d.check.ghost_taken +
                       ol.check.oversold + ol.check.ghost_taken;
    int64_t lost = a.check.lost + b.check.lost + base.check.lost + d.check.lost + ol.check.lost;
    // Requests unanswered when a drain timed out (counted in that run's errors, not as lost), and of
    // the seats the bench believed held those whose drop was among them and is gone.
    int64_t unanswered = a.unanswered + b.unanswered + base.unanswered + d.unanswered + ol.unanswered;
    int64_t drop_in_flight = a.check.drop_in_flight + b.check.drop_in_flight + base.check.drop_in_flight +
                             d.check.drop_in_flight + ol.check.drop_in_flight;
    std::cerr << "machine: " << std::thread::hardware_concurrency() << " cores; the load generator and "
              << (o.db == "postgres" ? "two servers and PostgreSQL" : "the server") << " share them\n";
    Json out{{"bench", "select"},
             {"db", o.db == "postgres" ? "postgresql" : "sqlite"},
             {"writes_per_s", static_cast<int64_t>(a.writes_per_s)},
             {"confirmed_per_s", static_cast<int64_t>(a.confirmed_per_s)},
             {"p50_ms", std::round(a.p50 * 10) / 10},
             {"p99_ms", std::round(a.p99 * 10) / 10},
             {"errors", a.errors},
             {"oversold", oversold},
             {"lost", lost},
             {"unanswered_at_drain", unanswered},
             {"drop_in_flight", drop_in_flight},
             {"server_cpu_ms_per_write", std::round(a.server_cpu_ms_per_write * 100) / 100}};
    if (pg) out["db_cpu_ms_per_write"] = std::round(a.db_cpu_ms_per_write * 100) / 100;
    if (o.kill_run)
      out["kill_run"] = {{"writes_per_s", static_cast<int64_t>(b.writes_per_s)},
                         {"p99_ms", std::round(b.p99 * 10) / 10},
                         {"errors", b.errors},
                         {"lost", b.check.lost},
                         {"oversold", b.check.oversold}};
    if (pg && o.db_crash_run)
      out["db_crash_run"] = {{"writes_per_s", static_cast<int64_t>(d.writes_per_s)},
                             {"p99_ms", std::round(d.p99 * 10) / 10},
                             {"errors", d.errors},
                             {"lost", d.check.lost},
                             {"oversold", d.check.oversold + d.check.ghost_taken}};
    if (pg && pgbench_tps > 0) {
      out["pgbench_tps"] = static_cast<int64_t>(std::round(pgbench_tps));
      out["ratio_to_pgbench"] = std::round(a.writes_per_s / pgbench_tps * 100) / 100;
      // The same comparison in PostgreSQL CPU, which a shared machine disturbs less.
      out["pgbench_db_cpu_ms_per_tx"] = std::round(g_pgbench_db_cpu_ms * 100) / 100;
    }
    if (ol.open_rate > 0) {
      out["open_loop_rate"] = static_cast<int64_t>(std::round(ol.open_rate));
      out["open_loop_reference"] = o.open_rate > 0         ? "given (--open-rate)"
                                   : pg && pgbench_tps > 0 ? "pgbench_tps"
                                                           : "closed_loop_writes_per_s";
      out["open_loop_fraction"] = o.open_fraction;
      out["open_loop_achieved_per_s"] = static_cast<int64_t>(ol.writes_per_s);
      out["open_loop_p50_ms"] = std::round(ol.p50 * 10) / 10;
      out["open_loop_p99_ms"] = std::round(ol.p99 * 10) / 10;
      out["open_loop_errors"] = ol.errors;
    }
    if (with_baseline)
      out["baseline_no_lane"] = {
          {"writes_per_s", static_cast<int64_t>(base.writes_per_s)},
          {"p99_ms", std::round(base.p99 * 10) / 10},
          {"errors", base.errors},
          {"ratio", base.writes_per_s > 0 ? std::round(a.writes_per_s / base.writes_per_s * 100) / 100 : 0.0}};
    std::filesystem::remove_all(o.work_dir);
    std::cout << out.dump() << std::endl;
    return oversold == 0 && lost == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "bench-select failed: " << e.what() << " (logs in " << o.work_dir << ")\n";
    return 1;
  }
}
