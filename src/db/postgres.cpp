// PostgreSQL driver over libpq: a pool of connections, statements prepared once per connection
// and cached by SQL text, text-format parameters (NULL as a null pointer). A write that fails
// with a serialization failure (40001) or deadlock (40P01) is re-run.
// (libpq directly rather than libpqxx 6.4: its dynamic parameter lists do not carry NULL
// cleanly, and we need no more than PQexecPrepared.)
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/env.h"
#include "db/dedicated.h"
#include "db/drivers.h"
#include "db/store.h"
#include "db/trace.h"

namespace kehou::db {
namespace {

// Writes' connections per server, per core. Each is a backend that computes while its write runs
// and then waits for its commit's WAL flush; commits that wait together share a flush. Eight a core
// suited the take of two round trips (sessions 11-27: 2 a core 540 / 376 writes/s, 8 a core a median
// of 790). With the take in one round trip (session 27) its backends mostly compute and more of them
// only share the cores: on the selection rush (2 cores, durable cluster, two servers, session 28,
// alternating) four a core against eight: open loop at a fixed 1,450 takes/s p99 2,053 / 611 ms
// against 2,901 / 1,535, closed loop 1,371 / 1,691 writes/s against 1,283 / 1,494; at 1,300/s 149 ms
// against 216-315; two a core lost at 1,450/s (1,102 / 2,470 ms against 816 / 1,089). The dismissal
// peak had measured fewer as better too (note 28, session 25). Several servers on one PostgreSQL each
// keep their own pools; KEHOU_PG_POOL overrides.
constexpr size_t kConnectionsPerCore = 4;
// Reads' connections per server, per core: a read computes (plans, executes) on its backend and
// waits for no flush, so more backends than this only share the cores with the writes' (session
// 26). KEHOU_PG_READ_POOL overrides.
constexpr size_t kReadConnectionsPerCore = 2;
constexpr size_t kMinPoolSize = 2;
size_t Cores() { return std::max(1u, std::thread::hardware_concurrency()); }
size_t PoolSizeFromEnv(const char* name, size_t per_core) {
  return SizeFromEnv(name, std::max(kMinPoolSize, per_core * Cores()));
}
constexpr int kMaxWriteAttempts = 8;

struct ResultGuard {
  PGresult* r;
  ~ResultGuard() { PQclear(r); }
};

[[noreturn]] void FailResult(PGconn* c, PGresult* r, std::string_view what) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(c);
  DbError e(std::string(what.substr(0, 200)) + ": " + msg);
  if (state) {
    e.unique_violation = std::strcmp(state, "23505") == 0;
    e.retryable = std::strcmp(state, "40001") == 0 || std::strcmp(state, "40P01") == 0;
  }
  throw e;
}

class PgConn final : public Conn {
 public:
  explicit PgConn(const std::string& url) : url_(url) {
    if (std::string why = LoadLibpq(); !why.empty()) throw DbError("cannot connect to postgresql: " + why);
    h_ = PQconnectdb(url.c_str());
    if (PQstatus(h_) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(h_);
      PQfinish(h_);
      h_ = nullptr;
      throw DbError("cannot connect to postgresql: " + msg);
    }
    ExecScript(store::kSessionSettingsPg);
  }
  ~PgConn() override { PQfinish(h_); }
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  bool Healthy() const { return !broken_ && PQstatus(h_) == CONNECTION_OK; }

  Rows Query(std::string_view sql, const Params& params) override {
    if (begin_pending_) return QueryAll({{sql, params}}).front();
    PGresult* r = Run(sql, params);
    ResultGuard g{r};
    return RowsOf(r);
  }

  // One round trip for all (Conn::QueryAll): statements new to this connection are prepared
  // first (a round trip each, once per connection), then every one is sent in pipeline mode and
  // ended by one Sync; the answers are read in order. After an error the server skips the rest
  // (PGRES_PIPELINE_ABORTED) up to the Sync, and the first error is thrown as Query throws it.
  std::vector<Rows> QueryAll(const std::vector<Stmt>& stmts) override {
    if (stmts.size() < 2 && !begin_pending_) return Conn::QueryAll(stmts);
    std::vector<Rows> out;
    out.reserve(stmts.size());
    Pipeline(stmts, [&](PGresult* r) { out.push_back(RowsOf(r)); });
    return out;
  }

  // The write transaction's BEGIN is not sent on its own: it goes in one round trip with the
  // write's first statement (a pipeline of BEGIN and that statement), and a write that runs no
  // statement sends neither BEGIN nor COMMIT (session 25: every write on PostgreSQL is a round
  // trip shorter). Called by PgDb::WithWriter only.
  void DeferBegin() { begin_pending_ = true; }
  // Ends the write transaction (COMMIT or ROLLBACK); nothing to send if it never began.
  void EndTransaction(bool commit) {
    if (std::exchange(begin_pending_, false)) return;
    ExecScript(commit ? "COMMIT" : "ROLLBACK");
  }

  int64_t Exec(std::string_view sql, const Params& params) override {
    if (begin_pending_) {
      int64_t n = 0;
      Pipeline({{sql, params}}, [&](PGresult* r) { n = Affected(r); });
      return n;
    }
    PGresult* r = Run(sql, params);
    ResultGuard g{r};
    return Affected(r);
  }

  void ExecScript(std::string_view sql) override {
    if (std::exchange(begin_pending_, false)) ExecScript("BEGIN");  // scripts are rare in a write
    std::string s(sql);
    trace::CountRoundTrip();
    PGresult* r = PQexec(h_, s.c_str());
    ResultGuard g{r};
    auto st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) FailResult(h_, r, s);
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

 private:
  // A statement's parameters as libpq takes them: text, NULL as a null pointer.
  class Bound {
   public:
    explicit Bound(const Params& params) : text_(params.size()), ptrs_(params.size(), nullptr) {
      for (size_t i = 0; i < params.size(); ++i) {
        if (auto p = std::get_if<int64_t>(&params[i])) {
          text_[i] = std::to_string(*p);
          ptrs_[i] = text_[i].c_str();
        } else if (auto s = std::get_if<std::string>(&params[i])) {
          ptrs_[i] = s->c_str();
        }
      }
    }
    int size() const { return static_cast<int>(ptrs_.size()); }
    const char* const* values() const { return ptrs_.data(); }

   private:
    std::vector<std::string> text_;
    std::vector<const char*> ptrs_;
  };

  static Rows RowsOf(PGresult* r) {
    int n = PQntuples(r), nf = PQnfields(r);
    auto names = std::make_shared<std::vector<std::string>>();
    for (int i = 0; i < nf; ++i) names->emplace_back(PQfname(r, i));
    Rows rows;
    rows.reserve(static_cast<size_t>(n));
    for (int row = 0; row < n; ++row) {
      std::vector<Value> vals;
      vals.reserve(static_cast<size_t>(nf));
      for (int f = 0; f < nf; ++f) {
        if (PQgetisnull(r, row, f)) vals.emplace_back(std::monostate{});
        else vals.emplace_back(std::string(PQgetvalue(r, row, f), static_cast<size_t>(PQgetlength(r, row, f))));
      }
      rows.emplace_back(names, std::move(vals));
    }
    return rows;
  }

  static int64_t Affected(PGresult* r) {
    const char* n = PQcmdTuples(r);
    return n && *n ? std::atoll(n) : 0;
  }

  // Sends `stmts` in pipeline mode ended by one Sync, preceded by the write's BEGIN when it is
  // pending (see DeferBegin), and hands each statement's result to `each` in order (BEGIN's not).
  // After an error the server skips the rest up to the Sync; the first error is thrown as Run
  // throws it. A connection left in pipeline mode is marked broken: the pool drops it.
  void Pipeline(const std::vector<Stmt>& stmts, const std::function<void(PGresult*)>& each) {
    std::vector<const std::string*> names;
    names.reserve(stmts.size());
    for (const auto& st : stmts) names.push_back(&PreparedName(st.sql));
    const std::string* begin_name = begin_pending_ ? &PreparedName("BEGIN") : nullptr;
    const bool begin = std::exchange(begin_pending_, false);
    trace::Elapsed span(trace::Field(&trace::Record::stmt_us));
    if (trace::current) trace::current->stmts += static_cast<int64_t>(stmts.size());
    trace::CountRoundTrip();
    if (PQenterPipelineMode(h_) != 1) FailResult(h_, nullptr, "pipeline mode");
    bool sent = !begin || PQsendQueryPrepared(h_, begin_name->c_str(), 0, nullptr, nullptr, nullptr, 0) == 1;
    for (size_t i = 0; i < stmts.size() && sent; ++i) {
      const Bound b(stmts[i].params);
      sent = PQsendQueryPrepared(h_, names[i]->c_str(), b.size(), b.values(), nullptr, nullptr, 0) == 1;
    }
    sent = sent && PQpipelineSync(h_) == 1;
    PGresult* failed = nullptr;
    std::string_view failed_sql;
    const size_t answers = stmts.size() + (begin ? 1 : 0);
    for (size_t i = 0; sent && i < answers; ++i) {
      PGresult* r = PQgetResult(h_);
      if (!r) {
        sent = false;
        break;
      }
      const auto st = PQresultStatus(r);
      if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
        if (!begin || i > 0) {
          try {
            each(r);
          } catch (...) {
            PQclear(r);
            throw;
          }
        }
        PQclear(r);
      } else if (!failed) {
        failed = r;
        failed_sql = begin && i == 0 ? std::string_view("BEGIN") : stmts[i - (begin ? 1 : 0)].sql;
      } else {
        PQclear(r);  // PGRES_PIPELINE_ABORTED: skipped after the error
      }
      while (PGresult* rest = PQgetResult(h_)) PQclear(rest);  // the null ending this statement's answer
    }
    ResultGuard g{failed};
    if (sent) {
      PGresult* sync = PQgetResult(h_);
      sent = sync && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
      PQclear(sync);
    }
    if (!sent || PQexitPipelineMode(h_) != 1) {
      broken_ = true;
      if (!failed) throw DbError(std::string("pipeline: ") + PQerrorMessage(h_));
    }
    if (failed) FailResult(h_, failed, failed_sql);
  }

  // The name the statement is prepared under on this connection, preparing it the first time.
  const std::string& PreparedName(std::string_view sql) {
    std::string key(sql);
    auto it = prepared_.find(key);
    if (it == prepared_.end()) {
      std::string name = "k" + std::to_string(prepared_.size());
      trace::CountRoundTrip();
      PGresult* pr = PQprepare(h_, name.c_str(), key.c_str(), 0, nullptr);
      ResultGuard g{pr};
      if (PQresultStatus(pr) != PGRES_COMMAND_OK) FailResult(h_, pr, key);
      it = prepared_.emplace(key, name).first;
    }
    return it->second;
  }

  PGresult* Run(std::string_view sql, const Params& params) {
    trace::Elapsed span(trace::Field(&trace::Record::stmt_us));
    if (trace::current) ++trace::current->stmts;
    const std::string& name = PreparedName(sql);
    const Bound b(params);
    trace::CountRoundTrip();
    PGresult* r = PQexecPrepared(h_, name.c_str(), b.size(), b.values(), nullptr, nullptr, 0);
    auto st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      ResultGuard g{r};
      FailResult(h_, r, sql);
    }
    return r;
  }

  std::string url_;
  PGconn* h_ = nullptr;
  bool broken_ = false;         // left in pipeline mode (Pipeline): not to be lent again
  bool begin_pending_ = false;  // a write's BEGIN not sent yet (DeferBegin)
  std::unordered_map<std::string, std::string> prepared_;
};

// One pool of connections: at most `size` open at once, opened as needed (the first when the pool
// is made, to fail early), lent last-returned first, and a returned connection wakes one waiter
// (notify_one): every waiter of a pool waits for the same thing.
class Pool {
 public:
  Pool(std::string url, size_t size) : url_(std::move(url)), size_(size) {
    free_.push_back(std::make_unique<PgConn>(url_));
    open_ = 1;
  }
  size_t size() const { return size_; }
  PoolStats Stats() {
    std::lock_guard lock(mu_);
    return {size_, open_, waiting_, connects_, wakeups_};
  }
  std::unique_ptr<PgConn> Take() {
    trace::Elapsed span(trace::Field(&trace::Record::pool_wait_us));
    {
      std::unique_lock lock(mu_);
      ++waiting_;
      cv_.wait(lock, [&] {
        ++wakeups_;
        return !free_.empty() || open_ < size_;
      });
      --waiting_;
      if (!free_.empty()) {
        auto c = std::move(free_.back());
        free_.pop_back();
        if (c->Healthy()) return c;
        --open_;
      }
      ++open_;
      ++connects_;
    }
    try {
      return std::make_unique<PgConn>(url_);
    } catch (...) {
      std::lock_guard lock(mu_);
      --open_;
      cv_.notify_one();
      throw;
    }
  }
  void Give(std::unique_ptr<PgConn> c, bool broken) {
    std::lock_guard lock(mu_);
    if (broken || !c || !c->Healthy()) --open_;
    else free_.push_back(std::move(c));
    cv_.notify_one();
  }

 private:
  std::string url_;
  size_t size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConn>> free_;
  size_t open_ = 0;
  size_t waiting_ = 0;     // threads in Take waiting for a connection
  uint64_t connects_ = 0;  // connections opened in Take (the first, in the constructor, not counted)
  uint64_t wakeups_ = 0;   // evaluations of Take's wait condition (first look and every wake-up)
};

// Two pools (session 26): reads (WithReader) on a few connections, about two a core; writes
// (WithWriter, WithDirect) on many, since they mostly wait for their commit's flush. A read never
// waits for a write's connection nor a write for a read's, and each pool's waiters wait for one
// thing, so a return wakes one of them (session 14: one pool with a second limit for writes needed
// notify_all, and with the selection bench's 128 workers a server each return woke ~100 threads:
// servers' CPU per selection write 0.19 -> 0.76 ms). Each statement is planned, and re-planned after
// an ANALYZE, on the backends of its own kind only: the guardians' status read on the read
// backends, a roll save on the write backends (session 25 measured the status read's re-plans on
// every backend of one shared pool at the dismissal peak).
class PgDb final : public Db {
 public:
  explicit PgDb(std::string url)
      : url_(std::move(url)),
        reads_(url_, PoolSizeFromEnv("KEHOU_PG_READ_POOL", kReadConnectionsPerCore)),
        writes_(url_, PoolSizeFromEnv("KEHOU_PG_POOL", kConnectionsPerCore)) {}
  Dialect dialect() const override { return Dialect::kPostgres; }
  std::string Describe() const override {
    // Never log the password.
    auto at = url_.find('@');
    return at == std::string::npos ? url_ : "postgresql://…" + url_.substr(at);
  }
  std::unique_ptr<Conn> Dedicated() { return std::make_unique<PgConn>(url_); }
  size_t ReadPoolSize() const { return reads_.size(); }
  // WarmConnections (dedicated.h): every connection of both pools opened, fn run on each of the
  // writes' inside a transaction rolled back. Returns how many write connections fn ran on.
  size_t Warm(const std::function<void(Conn&)>& fn) {
    std::vector<std::unique_ptr<PgConn>> held;
    auto open_all = [&held](Pool& pool) {  // as many as the database lets it open now
      try {
        for (size_t i = 0; i < pool.size(); ++i) held.push_back(pool.Take());
      } catch (const std::exception&) {
      }
    };
    open_all(reads_);
    for (auto& c : held) reads_.Give(std::move(c), false);
    held.clear();
    open_all(writes_);
    size_t warmed = 0;
    for (auto& c : held) {
      try {
        c->Exec("BEGIN", {});
        fn(*c);
        ++warmed;
      } catch (const std::exception&) {  // a warm-up that failed is only a colder connection
      }
      try {
        c->Exec("ROLLBACK", {});
      } catch (const std::exception&) {
      }
    }
    for (auto& c : held) writes_.Give(std::move(c), false);
    return warmed;
  }
  // Both pools summed.
  PoolStats Stats() {
    PoolStats r = reads_.Stats(), w = writes_.Stats();
    return {r.size + w.size, r.open + w.open, r.waiting + w.waiting, r.connects + w.connects, r.wakeups + w.wakeups};
  }
  Status BackupTo(const std::string&) override {
    return MakeError(kInvalid, "PostgreSQL 请使用 pg_dump 备份", "use pg_dump to back up PostgreSQL");
  }

 protected:
  void WithReader(const std::function<void(Conn&)>& fn) override {
    Lease lease(reads_);
    fn(*lease.conn);
  }

  void WithDirect(const std::function<void(Conn&)>& fn) override {
    Lease lease(writes_);
    fn(*lease.conn);
  }

  void WithWriter(const std::function<bool(Conn&)>& fn) override {
    for (int attempt = 1;; ++attempt) {
      Lease lease(writes_);
      PgConn& c = *lease.conn;
      c.DeferBegin();
      bool commit = false;
      try {
        commit = fn(c);
        trace::Elapsed span(trace::Field(&trace::Record::commit_us));
        c.EndTransaction(commit);
        return;
      } catch (const DbError& e) {
        try {
          c.EndTransaction(false);
        } catch (...) {
          lease.broken = true;
        }
        if (e.retryable && attempt < kMaxWriteAttempts) {
          std::this_thread::sleep_for(std::chrono::milliseconds(attempt * 2));
          continue;
        }
        throw;
      } catch (...) {
        try {
          c.EndTransaction(false);
        } catch (...) {
          lease.broken = true;
        }
        throw;
      }
    }
  }

 private:
  struct Lease {
    Pool& pool;
    std::unique_ptr<PgConn> conn;
    bool broken = false;
    explicit Lease(Pool& p) : pool(p) { conn = pool.Take(); }
    ~Lease() { pool.Give(std::move(conn), broken); }
  };

  std::string url_;
  Pool reads_;
  Pool writes_;
};

}  // namespace

std::unique_ptr<Db> OpenPostgres(const std::string& url) { return std::make_unique<PgDb>(url); }

std::unique_ptr<Conn> PostgresDedicated(Db& db) {
  auto* pg = dynamic_cast<PgDb*>(&db);
  return pg ? pg->Dedicated() : nullptr;
}

size_t PostgresReadConnections(Db& db) {
  auto* pg = dynamic_cast<PgDb*>(&db);
  return pg ? pg->ReadPoolSize() : 0;
}

size_t WarmConnections(Db& db, const std::function<void(Conn&)>& fn) {
  auto* pg = dynamic_cast<PgDb*>(&db);
  return pg ? pg->Warm(fn) : 0;
}

std::optional<PoolStats> PostgresPoolStats(Db& db) {
  auto* pg = dynamic_cast<PgDb*>(&db);
  if (!pg) return std::nullopt;
  return pg->Stats();
}

}  // namespace kehou::db
