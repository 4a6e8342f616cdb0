// store.h (activation): the SQL of guardian account activation, as named functions over a Conn.
// Thread-safety: stateless; the caller's Conn (and its transaction) carries the state.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/db.h"

namespace kehou::activation::store {

struct Guardian {
  int64_t id = 0;
  std::string name, mobile;
  std::optional<int64_t> school_id;  // the first school with an active child (none: not a guardian there)
};
std::optional<Guardian> GuardianByMobile(db::Conn& c, const std::string& mobile);
bool HasAccount(db::Conn& c, const std::string& mobile, int64_t guardian_id);

struct SmsSent {
  int count = 0;
  int64_t last_ms = 0;
};
SmsSent SmsSentSince(db::Conn& c, int64_t guardian_id, int64_t since_ms);

int64_t InsertCode(db::Conn& c, int64_t guardian_id, int64_t school_id, const std::string& channel,
                   const std::string& code_hash, std::optional<int64_t> created_by, int64_t now_ms, int64_t expires_ms);
// Earlier unused letters of a guardian stop working when a new one is printed.
void ExpireLetters(db::Conn& c, int64_t guardian_id, int64_t now_ms);

struct ValidCode {
  int64_t code_id = 0, school_id = 0, guardian_id = 0;
  std::string guardian_name;
};
std::optional<ValidCode> FindValidCode(db::Conn& c, const std::string& mobile, const std::string& code_hash,
                                       int64_t now_ms);
void UseCodes(db::Conn& c, int64_t guardian_id, int64_t now_ms);
int64_t InsertGuardianUser(db::Conn& c, const std::string& mobile, const std::string& password_hash,
                           const std::string& name, int64_t school_id, int64_t guardian_id, int64_t now_ms);

struct ClassFigures {
  int64_t class_id = 0;
  std::string class_name;
  int64_t guardians = 0, activated = 0;
};
// Per class of the school (only class_teacher_staff_id's classes when given): guardians of active
// students, and how many of them have an account.
std::vector<ClassFigures> ClassSummary(db::Conn& c, int64_t school_id, std::optional<int64_t> class_teacher_staff_id);

struct GuardianRow {
  int64_t guardian_id = 0, student_id = 0;
  std::string guardian_name, mobile, relation, student_name, student_no;
  bool activated = false;
  int64_t last_code_at = 0;  // 0: no code ever sent or printed
  std::string last_channel;
  int64_t letter_expires_at = 0;  // the latest unused letter's expiry (0: none)
};
// Guardians of the active students of one class, child by child.
std::vector<GuardianRow> ClassGuardians(db::Conn& c, int64_t school_id, int64_t class_id);

struct ClassRow {
  int64_t id = 0;
  std::string name;
  std::optional<int64_t> class_teacher_id;
};
std::optional<ClassRow> LoadClass(db::Conn& c, int64_t school_id, int64_t class_id);
std::string SchoolName(db::Conn& c, int64_t school_id);

}  // namespace kehou::activation::store
