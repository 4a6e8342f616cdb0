// service.h (pay): the use cases of teacher pay (issue 14 §4, R-FEE-6), one function each.
// A monthly pay run per school: sessions actually held (attendance::HeldSessions: the roll call
// taken, by whoever held the session) × the contract's hourly rate (staff_records) × the
// evaluation factor (the school's named rule over the month's quality score, 1.0 without one);
// sessions of an external institution's staff go to that institution's invoice instead of a slip.
// A run is idempotent per month: re-running a draft recomputes it in place; an approved run
// (principal or vice principal) is frozen and a re-run answers it unchanged. Approval is where the
// run posts to the ledger (PostRunToLedger, ledger.cpp: teacher pay and institution fees against
// their payables, in the approval's transaction).
// Scope: runs, settings and scores are the office's and leadership's (auth::ResolveSchool: another
// school's ids answer not_found); a teacher reads only their own slips (another's: not_found).
// Every write runs in ONE db.Write with its audit row.
// Thread-safety: stateless functions over a thread-safe Db.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

#include "access/principal.h"
#include "core/file_out.h"
#include "core/result.h"
#include "core/time.h"
#include "db/db.h"
#include "pay/rules.h"

namespace kehou::pay {

using Json = nlohmann::json;
using auth::Principal;
using SchoolArg = std::optional<int64_t>;

// GET /pay/settings -> {factor_rule, factor_rule_text, rules:[{name, text}]}
Result<Json> GetSettings(db::Db& db, const Principal& who, SchoolArg school);
// PUT /pay/settings {factor_rule: flat|tiered|linear}
Result<Json> PutSettings(db::Db& db, const Principal& who, SchoolArg school, const Json& body);
// PUT /pay/scores {staff_id, month, score 0..100, source}: a teacher's quality survey score for a month.
Result<Json> PutScore(db::Db& db, const Principal& who, SchoolArg school, const Json& body);

// GET /pay/runs -> {items:[run], total, page, page_size}
Result<Json> ListRuns(db::Db& db, const Principal& who, SchoolArg school, int64_t page, int64_t page_size);
// POST /pay/runs {month: 'YYYY-MM'} (a month that has ended) -> the run with slips and invoices.
Result<Json> RunMonth(db::Db& db, const Principal& who, SchoolArg school, const Json& body, const Date& today);
// GET /pay/runs/:id -> {run, slips, invoices}
Result<Json> GetRun(db::Db& db, const Principal& who, SchoolArg school, int64_t id);
// POST /pay/runs/:id/approve (leadership): freezes the run and posts it to the ledger.
Result<Json> ApproveRun(db::Db& db, const Principal& who, SchoolArg school, int64_t id);
// GET /pay/runs/:id/export: slips and invoices as a workbook.
Result<FileOut> ExportRun(db::Db& db, const Principal& who, SchoolArg school, int64_t id);

// GET /pay/my-slips (any staff account): the caller's own slips, newest month first.
Result<Json> MySlips(db::Db& db, const Principal& who);
// GET /pay/slips/:id: one slip with its sessions and the factor rule in words. The office and
// leadership: any slip of the school; anyone else: only their own (others answer not_found).
Result<Json> GetSlip(db::Db& db, const Principal& who, SchoolArg school, int64_t id);

// The run of a month for a school, computed (or recomputed while a draft) on the caller's
// transaction, without an audit row: RunMonth, the demo and the bench call it. -> run id.
// `frozen` is set when the month's run is approved already (left unchanged).
Result<int64_t> ComputeRun(db::Conn& c, int64_t school_id, const Month& month, std::optional<int64_t> user_id,
                           bool* frozen = nullptr);
// Approves the run on the caller's transaction (the demo and the bench): freezes and posts it.
Status ApproveRunOn(db::Conn& c, int64_t school_id, int64_t run_id, int64_t user_id, const std::string& approver);

}  // namespace kehou::pay
