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

#include "db/drivers.h"

namespace kehou::db {
namespace {

// Connections per server, per core: a take's transaction spends most of its time waiting for
// the WAL flush of its commit (synchronous_commit), not computing, and commits that wait together
// share one flush. Measured on the selection rush (2 cores, durable cluster, two servers): 2 per
// core 540 / 376 writes/s, 4 per core 564 / 790, 8 per core 764-1,369 (median 790 of five runs;
// a shared machine). Several servers on one
// PostgreSQL each keep their own pool; KEHOU_PG_POOL overrides.
constexpr size_t kConnectionsPerCore = 8;
constexpr size_t kMinPoolSize = 2;
// Connections beyond the pool that only reads may open (see PgDb::Take).
constexpr size_t kReadReserve = 4;
size_t DefaultPoolSize() {
  return std::max(kMinPoolSize, kConnectionsPerCore * std::max(1u, std::thread::hardware_concurrency()));
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
    ExecScript("SET client_min_messages = warning; SET TIME ZONE 'UTC';");
  }
  ~PgConn() override { PQfinish(h_); }
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  bool Healthy() const { return PQstatus(h_) == CONNECTION_OK; }

  Rows Query(std::string_view sql, const Params& params) override {
    PGresult* r = Run(sql, params);
    ResultGuard g{r};
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

  int64_t Exec(std::string_view sql, const Params& params) override {
    PGresult* r = Run(sql, params);
    ResultGuard g{r};
    const char* n = PQcmdTuples(r);
    return n && *n ? std::atoll(n) : 0;
  }

  void ExecScript(std::string_view sql) override {
    std::string s(sql);
    PGresult* r = PQexec(h_, s.c_str());
    ResultGuard g{r};
    auto st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) FailResult(h_, r, s);
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

 private:
  PGresult* Run(std::string_view sql, const Params& params) {
    std::string key(sql);
    auto it = prepared_.find(key);
    if (it == prepared_.end()) {
      std::string name = "k" + std::to_string(prepared_.size());
      PGresult* pr = PQprepare(h_, name.c_str(), key.c_str(), 0, nullptr);
      ResultGuard g{pr};
      if (PQresultStatus(pr) != PGRES_COMMAND_OK) FailResult(h_, pr, key);
      it = prepared_.emplace(key, name).first;
    }
    std::vector<std::string> text(params.size());
    std::vector<const char*> ptrs(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      if (auto p = std::get_if<int64_t>(&params[i])) {
        text[i] = std::to_string(*p);
        ptrs[i] = text[i].c_str();
      } else if (auto s = std::get_if<std::string>(&params[i])) {
        ptrs[i] = s->c_str();
      }
    }
    PGresult* r = PQexecPrepared(h_, it->second.c_str(), static_cast<int>(params.size()), ptrs.data(),
                                 nullptr, nullptr, 0);
    auto st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      ResultGuard g{r};
      FailResult(h_, r, key);
    }
    return r;
  }

  std::string url_;
  PGconn* h_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;
};

class PgDb final : public Db {
 public:
  explicit PgDb(std::string url) : url_(std::move(url)) {
    if (const char* env = std::getenv("KEHOU_PG_POOL")) pool_size_ = std::max<size_t>(1, std::strtoul(env, nullptr, 10));
    free_.push_back(std::make_unique<PgConn>(url_));  // fail early if unreachable
    open_ = 1;
  }
  Dialect dialect() const override { return Dialect::kPostgres; }
  std::string Describe() const override {
    // Never log the password.
    auto at = url_.find('@');
    return at == std::string::npos ? url_ : "postgresql://…" + url_.substr(at);
  }
  std::unique_ptr<Conn> Dedicated() { return std::make_unique<PgConn>(url_); }
  size_t PoolSize() const { return pool_size_ + kReadReserve; }  // what reads may hold at once
  Status BackupTo(const std::string&) override {
    return MakeError(kInvalid, "PostgreSQL 请使用 pg_dump 备份", "use pg_dump to back up PostgreSQL");
  }

 protected:
  void WithReader(const std::function<void(Conn&)>& fn) override {
    Lease lease(*this, false);
    fn(*lease.conn);
  }

  void WithDirect(const std::function<void(Conn&)>& fn) override {
    Lease lease(*this, true);
    fn(*lease.conn);
  }

  void WithWriter(const std::function<bool(Conn&)>& fn) override {
    for (int attempt = 1;; ++attempt) {
      Lease lease(*this, true);
      PgConn& c = *lease.conn;
      c.ExecScript("BEGIN");
      bool commit = false;
      try {
        commit = fn(c);
        c.ExecScript(commit ? "COMMIT" : "ROLLBACK");
        return;
      } catch (const DbError& e) {
        try { c.ExecScript("ROLLBACK"); } catch (...) { lease.broken = true; }
        if (e.retryable && attempt < kMaxWriteAttempts) {
          std::this_thread::sleep_for(std::chrono::milliseconds(attempt * 2));
          continue;
        }
        throw;
      } catch (...) {
        try { c.ExecScript("ROLLBACK"); } catch (...) { lease.broken = true; }
        throw;
      }
    }
  }

 private:
  struct Lease {
    PgDb& db;
    bool write;
    std::unique_ptr<PgConn> conn;
    bool broken = false;
    Lease(PgDb& d, bool w) : db(d), write(w) { conn = db.Take(write); }
    ~Lease() { db.Give(std::move(conn), broken, write); }
  };

  // Writers lease at most pool_size_ connections at once; readers may open kReadReserve more, so
  // a read never waits for a connection that writers hold while they wait for their commits.
  std::unique_ptr<PgConn> Take(bool write) {
    {
      std::unique_lock lock(mu_);
      const size_t limit = pool_size_ + (write ? 0 : kReadReserve);
      cv_.wait(lock, [&] {
        if (write && writers_ >= pool_size_) return false;
        return !free_.empty() || open_ < limit;
      });
      if (write) ++writers_;
      if (!free_.empty()) {
        auto c = std::move(free_.back());
        free_.pop_back();
        if (c->Healthy()) return c;
        --open_;
      }
      ++open_;
    }
    try {
      return std::make_unique<PgConn>(url_);
    } catch (...) {
      std::lock_guard lock(mu_);
      --open_;
      if (write) --writers_;
      cv_.notify_all();
      throw;
    }
  }
  void Give(std::unique_ptr<PgConn> c, bool broken, bool write) {
    std::lock_guard lock(mu_);
    if (write) --writers_;
    if (broken || !c || !c->Healthy()) --open_;
    else free_.push_back(std::move(c));
    cv_.notify_all();  // a waiting reader and a waiting writer wait on different conditions
  }

  std::string url_;
  size_t pool_size_ = DefaultPoolSize();
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConn>> free_;
  size_t open_ = 0;
  size_t writers_ = 0;  // connections leased to Write / Direct
};

}  // namespace

std::unique_ptr<Db> OpenPostgres(const std::string& url) { return std::make_unique<PgDb>(url); }

std::unique_ptr<Conn> PostgresDedicated(Db& db) {
  auto* pg = dynamic_cast<PgDb*>(&db);
  return pg ? pg->Dedicated() : nullptr;
}

size_t PostgresPoolSize(Db& db) {
  auto* pg = dynamic_cast<PgDb*>(&db);
  return pg ? pg->PoolSize() : 0;
}

}  // namespace kehou::db
