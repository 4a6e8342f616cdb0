// SQLite driver: one writer connection (BEGIN IMMEDIATE, group commit: concurrent write
// transactions share one COMMIT, each in its own SAVEPOINT), a pool of read-only reader
// connections, WAL, foreign keys, busy timeout, statements cached by SQL text.
#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "db/drivers.h"
#include "db/sqlite_lazy.h"
#include "db/store.h"
#include "db/trace.h"

namespace kehou::db {
namespace {

constexpr int kBusyTimeoutMs = 10000;
constexpr size_t kMaxReaders = 16;
constexpr int kMaxWriteAttempts = 5;
// Checkpoints (copying the WAL back into the database file, with its fsync) run on a thread of
// their own every kCheckpointEveryMs, PASSIVE (never blocking the writer or readers), instead of
// inside whichever commit crosses SQLite's 1,000-page default: on a selection-night rush that
// commit held the write lane for the whole copy. The writer still checkpoints by itself past
// kWriterCheckpointPages (40 MB of WAL), should the background one fall behind.
constexpr int kCheckpointEveryMs = 200;
constexpr int kWriterCheckpointPages = 10000;

[[noreturn]] void Fail(sqlite3* h, int rc, std::string_view what) {
  DbError e(std::string(what) + ": " + (h ? sqlite3_errmsg(h) : sqlite3_errstr(rc)));
  int primary = rc & 0xff;
  e.retryable = primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
  e.unique_violation = rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY;
  throw e;
}

struct Cached {
  sqlite3_stmt* stmt = nullptr;
  std::vector<int> param_number;  // bind index (1-based) -> our $n
  std::shared_ptr<const std::vector<std::string>> names;
};

class SqliteConn final : public Conn {
 public:
  SqliteConn(const std::string& path, bool reader) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (reader) flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path.c_str(), &h_, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = h_ ? sqlite3_errmsg(h_) : sqlite3_errstr(rc);
      sqlite3_close(h_);
      h_ = nullptr;
      throw DbError("cannot open sqlite database " + path + ": " + msg);
    }
    sqlite3_busy_timeout(h_, kBusyTimeoutMs);
    sqlite3_extended_result_codes(h_, 1);
    if (!reader) {
      ExecScript("PRAGMA journal_mode=WAL;");
      ExecScript(SyncPragma());
      // A batch of writes (group commit, the write lane) must not spill dirty pages to the WAL
      // before its COMMIT: 32 MiB of page cache for the one writer.
      ExecScript("PRAGMA cache_size=-32768;");
      // Savepoints keep the old images of the pages they change in a statement journal; on disk
      // that is a pwrite per page per write. In memory it costs nothing durable: the journal
      // only undoes an uncommitted savepoint.
      ExecScript("PRAGMA temp_store=MEMORY;");
      ExecScript("PRAGMA wal_autocheckpoint=" + std::to_string(kWriterCheckpointPages) + ";");
    }
    ExecScript("PRAGMA foreign_keys=ON;");
  }
  ~SqliteConn() override {
    for (auto& [sql, c] : cache_) sqlite3_finalize(c.stmt);
    sqlite3_close(h_);
  }
  SqliteConn(const SqliteConn&) = delete;
  SqliteConn& operator=(const SqliteConn&) = delete;

  Rows Query(std::string_view sql, const Params& params) override {
    Cached& c = Prepare(sql);
    Bind(c, params);
    Rows rows;
    int ncol = sqlite3_column_count(c.stmt);
    while (true) {
      int rc = sqlite3_step(c.stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        sqlite3_reset(c.stmt);
        Fail(h_, rc, sql);
      }
      std::vector<Value> vals;
      vals.reserve(static_cast<size_t>(ncol));
      for (int i = 0; i < ncol; ++i) {
        switch (sqlite3_column_type(c.stmt, i)) {
          case SQLITE_NULL: vals.emplace_back(std::monostate{}); break;
          case SQLITE_INTEGER: vals.emplace_back(static_cast<int64_t>(sqlite3_column_int64(c.stmt, i))); break;
          case SQLITE_FLOAT: {
            double d = sqlite3_column_double(c.stmt, i);
            auto as_int = static_cast<int64_t>(d);
            if (static_cast<double>(as_int) == d) vals.emplace_back(as_int);
            else vals.emplace_back(std::to_string(d));
            break;
          }
          default: {
            auto p = reinterpret_cast<const char*>(sqlite3_column_text(c.stmt, i));
            int n = sqlite3_column_bytes(c.stmt, i);
            vals.emplace_back(std::string(p ? p : "", static_cast<size_t>(n)));
          }
        }
      }
      rows.emplace_back(c.names, std::move(vals));
    }
    sqlite3_reset(c.stmt);
    return rows;
  }

  int64_t Exec(std::string_view sql, const Params& params) override {
    Cached& c = Prepare(sql);
    Bind(c, params);
    int rc;
    while ((rc = sqlite3_step(c.stmt)) == SQLITE_ROW) {
    }
    sqlite3_reset(c.stmt);
    if (rc != SQLITE_DONE) Fail(h_, rc, sql);
    return sqlite3_changes64(h_);
  }

  void ExecScript(std::string_view sql) override {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(h_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : "?";
      sqlite3_free(err);
      DbError e("sqlite script failed: " + msg);
      e.retryable = (rc & 0xff) == SQLITE_BUSY;
      throw e;
    }
  }

  Dialect dialect() const override { return Dialect::kSqlite; }
  sqlite3* handle() { return h_; }

 private:
  static const char* SyncPragma() {
    // FULL: a committed write survives a power cut, not only a crash. KEHOU_SQLITE_SYNC=normal
    // trades that for speed (WAL + NORMAL still survives a process crash / kill -9).
    const char* env = std::getenv("KEHOU_SQLITE_SYNC");
    if (env && std::string_view(env) == "normal") return "PRAGMA synchronous=NORMAL;";
    return "PRAGMA synchronous=FULL;";
  }

  Cached& Prepare(std::string_view sql) {
    std::string key(sql);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    Cached c;
    int rc =
        sqlite3_prepare_v3(h_, key.c_str(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &c.stmt, nullptr);
    if (rc != SQLITE_OK) Fail(h_, rc, "prepare: " + key);
    int np = sqlite3_bind_parameter_count(c.stmt);
    c.param_number.assign(static_cast<size_t>(np) + 1, 0);
    for (int i = 1; i <= np; ++i) {
      const char* name = sqlite3_bind_parameter_name(c.stmt, i);
      if (!name || name[0] != '$') {
        sqlite3_finalize(c.stmt);
        throw DbError("use $1..$n parameters: " + key);
      }
      c.param_number[static_cast<size_t>(i)] = std::atoi(name + 1);
    }
    auto names = std::make_shared<std::vector<std::string>>();
    for (int i = 0; i < sqlite3_column_count(c.stmt); ++i) names->emplace_back(sqlite3_column_name(c.stmt, i));
    c.names = std::move(names);
    return cache_.emplace(std::move(key), std::move(c)).first->second;
  }

  void Bind(Cached& c, const Params& params) {
    sqlite3_clear_bindings(c.stmt);
    for (size_t i = 1; i < c.param_number.size(); ++i) {
      int n = c.param_number[i];
      if (n < 1 || static_cast<size_t>(n) > params.size()) throw DbError("missing parameter $" + std::to_string(n));
      const Value& v = params[static_cast<size_t>(n - 1)];
      int rc = SQLITE_OK;
      int idx = static_cast<int>(i);
      if (auto p = std::get_if<int64_t>(&v)) rc = sqlite3_bind_int64(c.stmt, idx, *p);
      else if (auto s = std::get_if<std::string>(&v))
        rc = sqlite3_bind_text64(c.stmt, idx, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      else rc = sqlite3_bind_null(c.stmt, idx);
      if (rc != SQLITE_OK) Fail(h_, rc, "bind");
    }
  }

  sqlite3* h_ = nullptr;
  std::unordered_map<std::string, Cached> cache_;
};

class SqliteDb final : public Db {
 public:
  explicit SqliteDb(std::string path) : path_(std::move(path)) {
    writer_ = std::make_unique<SqliteConn>(path_, false);
    bool in_memory = path_.empty() || path_ == ":memory:" || path_.rfind("file::memory:", 0) == 0;
    if (!in_memory) checkpointer_ = std::thread([this] { Checkpoints(); });
  }
  ~SqliteDb() override {
    {
      std::lock_guard lock(ck_mu_);
      ck_stop_ = true;
    }
    ck_cv_.notify_one();
    if (checkpointer_.joinable()) checkpointer_.join();
  }
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  Dialect dialect() const override { return Dialect::kSqlite; }
  std::string Describe() const override { return "sqlite:" + path_; }

  std::unique_ptr<Conn> Dedicated() { return std::make_unique<SqliteConn>(path_, true); }
  Status BackupTo(const std::string& dest_path) override {
    sqlite3* dest = nullptr;
    if (sqlite3_open(dest_path.c_str(), &dest) != SQLITE_OK) {
      sqlite3_close(dest);
      return MakeError(kInvalid, "无法创建备份文件：" + dest_path, "cannot create backup file: " + dest_path);
    }
    Status out;
    WithReader([&](Conn& c) {
      auto& sc = static_cast<SqliteConn&>(c);
      sqlite3_backup* b = sqlite3_backup_init(dest, "main", sc.handle(), "main");
      if (!b) {
        out = MakeError(kInternal, "备份失败", std::string("backup failed: ") + sqlite3_errmsg(dest));
        return;
      }
      int rc;
      while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep(5);
      sqlite3_backup_finish(b);
      if (rc != SQLITE_DONE) out = MakeError(kInternal, "备份失败", sqlite3_errstr(rc));
    });
    sqlite3_close(dest);
    return out;
  }

 protected:
  void WithReader(const std::function<void(Conn&)>& fn) override {
    std::unique_ptr<SqliteConn> c;
    {
      trace::Elapsed span(trace::Field(&trace::Record::pool_wait_us));
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return !free_.empty() || open_ < kMaxReaders; });
      if (!free_.empty()) {
        c = std::move(free_.back());
        free_.pop_back();
      } else {
        ++open_;
      }
    }
    if (!c) {
      try {
        c = std::make_unique<SqliteConn>(path_, true);
      } catch (...) {
        std::lock_guard lock(mu_);
        --open_;
        cv_.notify_one();
        throw;
      }
    }
    struct Return {
      SqliteDb* self;
      std::unique_ptr<SqliteConn>& conn;
      ~Return() {
        std::lock_guard lock(self->mu_);
        self->free_.push_back(std::move(conn));
        self->cv_.notify_one();
      }
    } give_back{this, c};
    fn(*c);
  }

  // Group commit: writers queue their transaction; one of them (the leader) runs everything
  // queued inside one BEGIN IMMEDIATE .. COMMIT, each function inside its own SAVEPOINT so an
  // error result or an exception rolls back only that function's changes. Every caller returns
  // only after the COMMIT that holds its changes has finished (durable per the sync pragma),
  // so each caller sees exactly the semantics of its own transaction, run serially.
  void WithWriter(const std::function<bool(Conn&)>& fn) override {
    if (tls_shared_ == this) return WriteInShared(fn);
    Job job;
    job.fn = &fn;
    job.tr.queued = trace::current ? trace::NowUs() : 0;
    std::unique_lock lock(q_mu_);
    queue_.push_back(&job);
    while (!job.done) {
      // Each caller sleeps on its own condition variable: a finished batch wakes exactly its own
      // callers and the next leader, not every waiting thread.
      if (leader_active_ || queue_.front() != &job) {
        job.cv.wait(lock);
        continue;
      }
      leader_active_ = true;
      std::vector<Job*> batch;
      // A shared transaction waiting in the queue runs alone, in its turn.
      while (!queue_.empty() && batch.size() < kMaxBatch && !queue_.front()->shared) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
      lock.unlock();
      RunBatch(batch);
      lock.lock();
      leader_active_ = false;
      for (Job* j : batch) {
        j->done = true;
        if (j != &job) j->cv.notify_one();
      }
      if (!queue_.empty()) queue_.front()->cv.notify_one();
    }
    lock.unlock();
    job.tr.AddTo(trace::current);
    if (job.error) std::rethrow_exception(job.error);
  }

 public:
  bool HasSharedTransactions() const override { return true; }

  bool SharedTransaction(const std::function<void()>& body) override {
    if (tls_shared_ == this) throw DbError("shared transactions do not nest");
    Job job;
    job.shared = true;
    std::unique_lock lock(q_mu_);
    queue_.push_back(&job);
    while (leader_active_ || queue_.front() != &job) job.cv.wait(lock);
    queue_.pop_front();
    leader_active_ = true;
    lock.unlock();
    struct Release {
      SqliteDb* self;
      ~Release() {
        std::lock_guard l(self->q_mu_);
        self->leader_active_ = false;
        if (!self->queue_.empty()) self->queue_.front()->cv.notify_one();
      }
    } release{this};
    return RunShared(body);
  }

 private:
  struct Job {
    const std::function<bool(Conn&)>* fn = nullptr;
    std::exception_ptr error;
    bool commit = true;
    bool done = false;
    bool shared = false;  // a SharedTransaction holding its place in the queue
    std::condition_variable cv;
    trace::GroupWrite tr;  // diagnosis only (KEHOU_TRACE, db/trace.h)
  };

  bool InTransaction() { return !sqlite3_get_autocommit(writer_->handle()); }
  void RollbackQuietly() {
    try {
      if (InTransaction()) writer_->ExecScript("ROLLBACK");
    } catch (...) {
    }
  }

  // A savepoint statement on the writer, prepared once (sqlite3_exec would parse it every time,
  // and a batch runs two or three per write).
  void Tx(std::string_view sql) { writer_->Exec(sql, {}); }

  // BEGIN IMMEDIATE on the writer, retried while busy (another process holds the lock).
  void BeginImmediate() {
    for (int attempt = 1;; ++attempt) {
      try {
        writer_->ExecScript("BEGIN IMMEDIATE");
        return;
      } catch (const DbError& e) {
        if (!e.retryable || attempt >= kMaxWriteAttempts) throw;
      }
    }
  }

  // The body of a SharedTransaction, on the calling thread, holding the writer.
  bool RunShared(const std::function<void()>& body) {
    try {
      BeginImmediate();
    } catch (const DbError&) {
      return false;
    }
    shared_lost_ = false;
    tls_shared_ = this;
    struct Leave {
      ~Leave() { tls_shared_ = nullptr; }
    } leave;
    try {
      body();
    } catch (...) {
      RollbackQuietly();
      throw;
    }
    if (shared_lost_ || !InTransaction()) {
      RollbackQuietly();
      return false;
    }
    try {
      writer_->ExecScript("COMMIT");
    } catch (...) {
      RollbackQuietly();
      return false;
    }
    return true;
  }

  // A Write() made inside a SharedTransaction: a savepoint of it. If SQLite dropped the whole
  // transaction (I/O error, disk full), every later Write of the body fails and the body's
  // transaction reports false.
  void WriteInShared(const std::function<bool(Conn&)>& fn) {
    if (shared_lost_) throw DbError("the shared write transaction was lost");
    Tx("SAVEPOINT kehou_in");
    try {
      bool commit = fn(*writer_);
      if (!commit) Tx("ROLLBACK TO kehou_in");
      Tx("RELEASE kehou_in");
    } catch (...) {
      if (!InTransaction()) {
        shared_lost_ = true;
        throw;
      }
      try {
        Tx("ROLLBACK TO kehou_in");
        Tx("RELEASE kehou_in");
      } catch (...) {
        shared_lost_ = true;
      }
      throw;
    }
  }

  // Runs one function inside the open transaction, in a savepoint when the batch has several.
  // Returns false when the transaction itself was lost (SQLite rolled it back on an error), so
  // the batch must start again.
  bool RunOne(Job& j, bool savepoint) {
    trace::Elapsed own(j.tr.queued != 0 ? &j.tr.own : nullptr);
    for (int attempt = 1;; ++attempt) {
      if (savepoint) Tx("SAVEPOINT kehou_gc");
      try {
        bool commit = (*j.fn)(*writer_);
        if (savepoint) {
          if (!commit) Tx("ROLLBACK TO kehou_gc");
          Tx("RELEASE kehou_gc");
        } else {
          j.commit = commit;
        }
        j.error = nullptr;
        return true;
      } catch (const DbError& e) {
        j.error = std::current_exception();
        if (sqlite3_get_autocommit(writer_->handle())) return false;
        bool again = e.retryable && attempt < kMaxWriteAttempts;
        if (savepoint) {
          writer_->ExecScript("ROLLBACK TO kehou_gc; RELEASE kehou_gc");
        } else if (again) {
          writer_->ExecScript("ROLLBACK");
          writer_->ExecScript("BEGIN IMMEDIATE");
        } else {
          j.commit = false;
        }
        if (again) continue;
        return true;
      } catch (...) {
        j.error = std::current_exception();
        if (sqlite3_get_autocommit(writer_->handle())) return false;
        if (savepoint) writer_->ExecScript("ROLLBACK TO kehou_gc; RELEASE kehou_gc");
        else j.commit = false;
        return true;
      }
    }
  }

  void RunBatch(std::vector<Job*>& batch) {
    const auto stamp = [&](int64_t trace::GroupWrite::*at) {  // diagnosis only (KEHOU_TRACE)
      const int64_t t = batch.front()->tr.queued ? trace::NowUs() : 0;
      for (Job* j : batch) j->tr.*at = t, j->tr.size = static_cast<int64_t>(batch.size());
    };
    stamp(&trace::GroupWrite::group);
    std::vector<Job*> todo = batch;
    for (int round = 1; !todo.empty(); ++round) {
      try {
        BeginImmediate();
      } catch (...) {
        for (Job* j : todo) j->error = std::current_exception();
        return;
      }
      bool single = todo.size() == 1;
      bool lost = false;
      for (Job* j : todo) {
        j->commit = true;
        if (!RunOne(*j, !single)) {
          // The transaction is gone: j keeps its error; the others start again (Db::Write
          // allows re-running a function).
          std::vector<Job*> rest;
          for (Job* k : todo)
            if (k != j) rest.push_back(k);
          todo = std::move(rest);
          lost = true;
          break;
        }
      }
      if (lost) {
        if (round >= kMaxWriteAttempts + 1) {
          for (Job* k : todo) k->error = std::make_exception_ptr(DbError("write batch failed repeatedly"));
          return;
        }
        continue;
      }
      stamp(&trace::GroupWrite::commit);
      try {
        writer_->ExecScript(single && !todo.front()->commit ? "ROLLBACK" : "COMMIT");
      } catch (...) {
        auto e = std::current_exception();
        try {
          if (!sqlite3_get_autocommit(writer_->handle())) writer_->ExecScript("ROLLBACK");
        } catch (...) {
        }
        for (Job* j : todo) j->error = e;
      }
      return;
    }
  }

  // The background checkpointer (see kCheckpointEveryMs). Its own read-write connection; errors
  // (e.g. SQLITE_BUSY while another checkpoint runs) only mean the next round does the work.
  void Checkpoints() {
    sqlite3* h = nullptr;
    if (sqlite3_open_v2(path_.c_str(), &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
      sqlite3_close(h);
      return;  // the writer keeps checkpointing by itself
    }
    sqlite3_busy_timeout(h, 0);
    // A connection learns that the file is in WAL mode only when it first reads it; until then
    // a checkpoint is a no-op.
    (void)sqlite3_exec(h, store::kFirstReadSqlite, nullptr, nullptr, nullptr);
    std::unique_lock lock(ck_mu_);
    while (!ck_cv_.wait_for(lock, std::chrono::milliseconds(kCheckpointEveryMs), [&] { return ck_stop_; })) {
      lock.unlock();
      int log = 0, done = 0;
      (void)sqlite3_wal_checkpoint_v2(h, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
      lock.lock();
    }
    sqlite3_close(h);
  }

  static constexpr size_t kMaxBatch = 1024;
  static thread_local SqliteDb* tls_shared_;  // the Db whose SharedTransaction this thread runs
  bool shared_lost_ = false;                  // touched only by the thread holding the writer
  std::string path_;
  std::mutex q_mu_;
  std::deque<Job*> queue_;
  bool leader_active_ = false;
  std::unique_ptr<SqliteConn> writer_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<SqliteConn>> free_;
  size_t open_ = 0;
  std::mutex ck_mu_;
  std::condition_variable ck_cv_;
  bool ck_stop_ = false;
  std::thread checkpointer_;  // last: started after everything above exists
};

thread_local SqliteDb* SqliteDb::tls_shared_ = nullptr;

}  // namespace

std::unique_ptr<Db> OpenSqlite(const std::string& path) {
  if (const std::string& e = internal::SqliteLib().error; !e.empty()) throw DbError(e);
  return std::make_unique<SqliteDb>(path);
}

std::unique_ptr<Conn> SqliteDedicated(Db& db) {
  auto* s = dynamic_cast<SqliteDb*>(&db);
  return s ? s->Dedicated() : nullptr;
}

size_t SqliteReaders(Db& db) { return dynamic_cast<SqliteDb*>(&db) ? kMaxReaders : 0; }

}  // namespace kehou::db
