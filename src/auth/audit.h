// audit.h: the audit trail. Every write leaves a row in the same transaction as the write;
// staff reads of a child's personal record leave a row too.
// Thread-safety: stateless functions; the Conn belongs to the caller's transaction.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "access/principal.h"
#include "db/db.h"

namespace kehou::auth {

// Failed logins keep at most this much of what was typed as the login.
inline constexpr size_t kMaxAuditLoginChars = 64;

struct AuditEntry {
  std::string_view action;  // "create", "update", "delete", "import", "read_personal", ...
  std::string_view entity;  // "student", "staff", "term", ...
  std::optional<int64_t> entity_id;
  const nlohmann::json* before = nullptr;  // changed fields before, or null
  const nlohmann::json* after = nullptr;   // changed fields after, or null
  std::optional<int64_t> school_id;        // defaults to the principal's school
};

// Writes one audit row on c (call it inside the write's transaction).
void Audit(db::Conn& c, const Principal& who, const AuditEntry& e);
// For events without a logged-in user (failed logins): who is the attempted login.
void AuditAnonymous(db::Conn& c, std::string_view login, std::string_view client, const AuditEntry& e);

// A read of a list of personal data (issue 10): who, which list, how many rows. Rows go to the
// read_log table (GET /audit?action=read_list), not audit_log: list reads must not move the
// school's data version (the class-list cache). LogListRead(Db) writes it in its own short
// transaction after the read.
struct ListRead {
  std::string_view list;  // "students", "class_students", "guardians", "section_roster"
  std::string query;      // the filters and page
  int64_t rows = 0;
  std::string full_fields;           // unmasked personal fields, comma-separated, or ""
  std::optional<int64_t> school_id;  // defaults to the principal's school
};
void LogListRead(db::Conn& c, const Principal& who, const ListRead& r);
void LogListRead(db::Db& db, const Principal& who, const ListRead& r);

// The school a request is about. School roles: their own school (a different ?school_id is
// not_found). Officers: a school of their area, named by ?school_id (required). Sysadmin: any
// school, named by ?school_id. Returns not_found for schools out of scope.
Result<int64_t> ResolveSchool(db::Conn& c, const Principal& who, std::optional<int64_t> requested);

// Masks an 18-digit ID number as 110***********123X and a mobile as 138****5678.
std::string MaskIdNumber(std::string_view id);
std::string MaskMobile(std::string_view mobile);

}  // namespace kehou::auth
