// db.h: Kehou's own thin database interface over SQLite (embedded) and PostgreSQL (server).
//
// SQL is written PostgreSQL-style with $1..$n parameters; the SQLite driver binds them by name.
// Values are NULL, 64-bit integers or text (money is integer fen, times are text or epoch ms).
//
// Thread-safety: a Db is shared by all threads. Read() and Write() may be called from any
// thread; each call gets a connection of its own for the duration of the callback. A Conn must
// not escape its callback. On SQLite all writes go through one writer connection (serialised,
// BEGIN IMMEDIATE); reads use a pool of reader connections (WAL). On PostgreSQL a pool of
// connections serves both; a write that hits a serialization failure or deadlock is re-run.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "core/result.h"

namespace kehou::db {

enum class Dialect { kSqlite, kPostgres };

// A parameter or a column value: NULL, an integer or text.
using Value = std::variant<std::monostate, int64_t, std::string>;
using Params = std::vector<Value>;
inline Value Null() { return std::monostate{}; }
// Optional helpers: nullopt becomes NULL.
inline Value Opt(const std::optional<int64_t>& v) { return v ? Value(*v) : Null(); }
inline Value Opt(const std::optional<std::string>& v) { return v ? Value(*v) : Null(); }

// Thrown for database failures nobody expected (bad SQL, lost connection). Caught at the HTTP
// boundary (500) or by the CLI.
struct DbError : std::runtime_error {
  using std::runtime_error::runtime_error;
  bool unique_violation = false;  // a UNIQUE/PRIMARY KEY constraint refused the write
  bool retryable = false;         // busy / serialization failure / deadlock: re-run the transaction
};

class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> names, std::vector<Value> values)
      : names_(std::move(names)), values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(values_.at(i)); }
  int64_t Int(size_t i) const;                    // 0 if NULL
  std::optional<int64_t> OptInt(size_t i) const;  // nullopt if NULL
  std::string Text(size_t i) const;               // "" if NULL
  std::optional<std::string> OptText(size_t i) const;
  size_t Index(std::string_view name) const;  // throws if no such column
  int64_t Int(std::string_view name) const { return Int(Index(name)); }
  std::optional<int64_t> OptInt(std::string_view name) const { return OptInt(Index(name)); }
  std::string Text(std::string_view name) const { return Text(Index(name)); }
  std::optional<std::string> OptText(std::string_view name) const { return OptText(Index(name)); }
  int64_t Int(const char* name) const { return Int(Index(name)); }
  std::string Text(const char* name) const { return Text(Index(name)); }
  // int overloads so that Int(0) is not ambiguous with Int(const char*).
  int64_t Int(int i) const { return Int(static_cast<size_t>(i)); }
  std::optional<int64_t> OptInt(int i) const { return OptInt(static_cast<size_t>(i)); }
  std::string Text(int i) const { return Text(static_cast<size_t>(i)); }
  std::optional<std::string> OptText(int i) const { return OptText(static_cast<size_t>(i)); }
  bool IsNull(int i) const { return IsNull(static_cast<size_t>(i)); }
  const std::vector<std::string>& names() const { return *names_; }
  const Value& at(size_t i) const { return values_.at(i); }

 private:
  std::shared_ptr<const std::vector<std::string>> names_;
  std::vector<Value> values_;
};
using Rows = std::vector<Row>;

// A statement with its parameters, for Conn::QueryAll.
struct Stmt {
  std::string_view sql;
  Params params;
};

// One connection, lent to a Read/Write callback.
class Conn {
 public:
  virtual ~Conn() = default;
  virtual Rows Query(std::string_view sql, const Params& params = {}) = 0;
  // Runs statements none of which needs another's answer and returns each one's rows, in order:
  // on PostgreSQL in ONE round trip (libpq's pipeline mode: a server busy with other backends
  // wakes once for them, not once each), on SQLite one after another. Throws as Query does, for
  // the first statement that failed (none after it ran).
  virtual std::vector<Rows> QueryAll(const std::vector<Stmt>& stmts) {
    std::vector<Rows> out;
    out.reserve(stmts.size());
    for (const auto& st : stmts) out.push_back(Query(st.sql, st.params));
    return out;
  }
  // Runs a statement; returns the number of rows changed.
  virtual int64_t Exec(std::string_view sql, const Params& params = {}) = 0;
  // Runs a script of several statements without parameters (migrations).
  virtual void ExecScript(std::string_view sql) = 0;
  virtual Dialect dialect() const = 0;
  std::optional<Row> QueryOne(std::string_view sql, const Params& params = {}) {
    Rows r = Query(sql, params);
    if (r.empty()) return std::nullopt;
    return std::move(r.front());
  }
  // INSERT ... RETURNING id; returns the id.
  int64_t Insert(std::string_view sql, const Params& params) {
    Rows r = Query(sql, params);
    if (r.empty()) throw DbError("insert returned no id");
    return r.front().Int(0);
  }
};

// A read as its statement and what to make of its rows, so that a module's reads can share one
// round trip with another module's (FetchAll) while each keeps its SQL and its parsing.
template <class T>
struct Fetch {
  Stmt stmt;
  std::function<T(const Rows&)> make;
};
template <class T>
T FetchOne(Conn& c, const Fetch<T>& f) {
  return f.make(c.Query(f.stmt.sql, f.stmt.params));
}
// Runs the reads in one Conn::QueryAll and answers their results in order.
template <class... T>
std::tuple<T...> FetchAll(Conn& c, const Fetch<T>&... f) {
  const std::vector<Rows> rows = c.QueryAll({f.stmt...});
  return [&]<size_t... I>(std::index_sequence<I...>) { return std::tuple<T...>{f.make(rows[I])...}; }
  (std::index_sequence_for<T...>{});
}

template <class T>
struct IsResult : std::false_type {};
template <class T>
struct IsResult<Result<T>> : std::true_type {};

class Db {
 public:
  virtual ~Db() = default;
  // url: "sqlite:PATH" (or a path ending .db), "postgresql://..." / "postgres://...".
  // Throws DbError when it cannot open.
  static std::unique_ptr<Db> Open(const std::string& url);
  virtual Dialect dialect() const = 0;
  virtual std::string Describe() const = 0;  // for logs: "sqlite:var/demo.db"

  // Runs fn(Conn&) on a reader connection and returns what it returns.
  template <class F>
  auto Read(F&& fn) -> std::invoke_result_t<F, Conn&> {
    using R = std::invoke_result_t<F, Conn&>;
    if constexpr (std::is_void_v<R>) {
      WithReader([&](Conn& c) { fn(c); });
    } else {
      std::optional<R> out;
      WithReader([&](Conn& c) { out.emplace(fn(c)); });
      return std::move(*out);
    }
  }

  // Runs fn(Conn&) inside one write transaction. Commits if fn returns normally (and, when it
  // returns a Result, that result is ok); rolls back on an error result or an exception.
  // fn may be run again after a retryable failure, so it must not keep side effects outside
  // the database between runs.
  template <class F>
  auto Write(F&& fn) -> std::invoke_result_t<F, Conn&> {
    using R = std::invoke_result_t<F, Conn&>;
    if constexpr (std::is_void_v<R>) {
      WithWriter([&](Conn& c) {
        fn(c);
        return true;
      });
    } else {
      std::optional<R> out;
      WithWriter([&](Conn& c) {
        out.emplace(fn(c));
        if constexpr (IsResult<R>::value) return out->ok();
        return true;
      });
      return std::move(*out);
    }
  }

  // Runs fn(Conn&) on a connection outside any explicit transaction, so each statement commits on
  // its own (PostgreSQL only; SQLite throws DbError). For a server-side function that checks and
  // writes in one call: one round trip, no transaction held open across the network. Nothing is
  // re-run here: retrying a retryable DbError is the caller's decision.
  template <class F>
  auto Direct(F&& fn) -> std::invoke_result_t<F, Conn&> {
    using R = std::invoke_result_t<F, Conn&>;
    if constexpr (std::is_void_v<R>) {
      WithDirect([&](Conn& c) { fn(c); });
    } else {
      std::optional<R> out;
      WithDirect([&](Conn& c) { out.emplace(fn(c)); });
      return std::move(*out);
    }
  }

  // Consistent online copy of the database to a file (SQLite only). Returns an error for PG.
  virtual Status BackupTo(const std::string& path) = 0;

  // Shared transactions (SQLite only; see HasSharedTransactions). Runs body on this thread while
  // holding the writer inside ONE transaction: every Write() that body makes on this thread
  // becomes a savepoint in it (an error result or an exception rolls back that Write only), and
  // reads made through Write's Conn see the earlier Writes of the body. Returns true once the
  // transaction has committed (durable per the sync setting); false when it could not commit,
  // and then nothing body wrote is kept. Callers must not answer anyone about what body wrote
  // before this returns. Other threads' writes wait meanwhile, so body must be short and must
  // not wait for another thread that writes. The HTTP write lane uses this to answer a batch of
  // short writes with one commit and no thread hand-offs (server.cpp).
  virtual bool HasSharedTransactions() const { return false; }
  virtual bool SharedTransaction(const std::function<void()>& body);

 protected:
  virtual void WithReader(const std::function<void(Conn&)>& fn) = 0;
  virtual void WithWriter(const std::function<bool(Conn&)>& fn) = 0;
  virtual void WithDirect(const std::function<void(Conn&)>& fn);
};

// Substitutes dialect placeholders in portable SQL: {{PK}} (64-bit auto id primary key).
std::string Portable(std::string_view sql, Dialect d);

// A numbered migration compiled into the binary from sql/NNNN_name.sql. A file named
// NNNN_name.postgresql.sql or NNNN_name.sqlite.sql applies to that database only (server-side
// functions, triggers); on the other database it is neither run nor recorded.
struct Migration {
  int version;
  std::string name;
  std::string sql;
  std::optional<Dialect> only = std::nullopt;
};
const std::vector<Migration>& AllMigrations();
// Applies pending migrations in order, each in its own transaction, recorded in
// schema_migrations. Returns the versions applied.
std::vector<int> Migrate(Db& db);
// Versions already applied.
std::vector<int> AppliedMigrations(Db& db);

}  // namespace kehou::db
