// libpq_lazy.cpp (db): libpq loaded on the first PostgreSQL connection, not at process start.
// libpq pulls in Kerberos, LDAP, GnuTLS and a dozen more shared libraries; a CLI command or a
// server on SQLite never needs them, and loading them cost every `kehou` start ~5 ms. The
// PQ* functions postgres.cpp calls are defined here and forward to the library opened with
// dlopen (core::DynLib); LoadLibpq() (drivers.h) opens it once and names what is missing when it
// cannot. Thread-safety: the library is opened once (a function-local static); then read-only.
#include <libpq-fe.h>

#include <string>

#include "core/dynlib.h"
#include "db/drivers.h"

namespace kehou::db {
namespace {

struct Libpq {
  std::string error;
#define KEHOU_PQ_FN(name) decltype(&::name) name = nullptr;
#include "db/libpq_functions.inc"
#undef KEHOU_PQ_FN
};

Libpq Load() {
  // The Debian 12 soname first, then the unversioned development link.
  core::DynLib so({{"libpq.so.5", "libpq.so"}, "PostgreSQL 客户端库", "apt-get install libpq5"});
  Libpq lib;
#define KEHOU_PQ_FN(fn) lib.fn = so.Get<decltype(&::fn)>(#fn);
#include "db/libpq_functions.inc"
#undef KEHOU_PQ_FN
  lib.error = so.error();
  return lib;
}

const Libpq& Lib() {
  static const Libpq lib = Load();
  return lib;
}

}  // namespace

std::string LoadLibpq() { return Lib().error; }

}  // namespace kehou::db

// The forwarding definitions: only reached after LoadLibpq() answered "" (PgConn checks it first).
using kehou::db::Lib;
extern "C" {
PGconn* PQconnectdb(const char* conninfo) { return Lib().PQconnectdb(conninfo); }
void PQfinish(PGconn* c) {
  if (Lib().PQfinish) Lib().PQfinish(c);
}
ConnStatusType PQstatus(const PGconn* c) { return Lib().PQstatus ? Lib().PQstatus(c) : CONNECTION_BAD; }
char* PQerrorMessage(const PGconn* c) { return Lib().PQerrorMessage(c); }
PGresult* PQexec(PGconn* c, const char* q) { return Lib().PQexec(c, q); }
PGresult* PQprepare(PGconn* c, const char* name, const char* q, int n, const Oid* types) {
  return Lib().PQprepare(c, name, q, n, types);
}
PGresult* PQexecPrepared(PGconn* c, const char* name, int n, const char* const* values, const int* lengths,
                         const int* formats, int result_format) {
  return Lib().PQexecPrepared(c, name, n, values, lengths, formats, result_format);
}
ExecStatusType PQresultStatus(const PGresult* r) { return Lib().PQresultStatus(r); }
char* PQresultErrorMessage(const PGresult* r) { return Lib().PQresultErrorMessage(r); }
char* PQresultErrorField(const PGresult* r, int code) { return Lib().PQresultErrorField(r, code); }
int PQntuples(const PGresult* r) { return Lib().PQntuples(r); }
int PQnfields(const PGresult* r) { return Lib().PQnfields(r); }
char* PQfname(const PGresult* r, int i) { return Lib().PQfname(r, i); }
char* PQcmdTuples(PGresult* r) { return Lib().PQcmdTuples(r); }
char* PQgetvalue(const PGresult* r, int row, int col) { return Lib().PQgetvalue(r, row, col); }
int PQgetlength(const PGresult* r, int row, int col) { return Lib().PQgetlength(r, row, col); }
int PQgetisnull(const PGresult* r, int row, int col) { return Lib().PQgetisnull(r, row, col); }
void PQclear(PGresult* r) {
  if (Lib().PQclear) Lib().PQclear(r);
}
int PQenterPipelineMode(PGconn* c) { return Lib().PQenterPipelineMode(c); }
int PQexitPipelineMode(PGconn* c) { return Lib().PQexitPipelineMode(c); }
int PQpipelineSync(PGconn* c) { return Lib().PQpipelineSync(c); }
int PQsendPrepare(PGconn* c, const char* name, const char* q, int n, const Oid* types) {
  return Lib().PQsendPrepare(c, name, q, n, types);
}
int PQsendQueryPrepared(PGconn* c, const char* name, int n, const char* const* values, const int* lengths,
                        const int* formats, int result_format) {
  return Lib().PQsendQueryPrepared(c, name, n, values, lengths, formats, result_format);
}
PGresult* PQgetResult(PGconn* c) { return Lib().PQgetResult(c); }
}
