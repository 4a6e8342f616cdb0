// demo.h: the demo county (`kehou demo`, `make demo`): a city, a county, one nine-year school
// of ~2,350 students in 48 classes with ~4,100 guardians and 150 staff, three smaller schools,
// the current term with its hours, rooms, and one login account per role; for each current term
// the service agreement (托管协议, version 1) and the children's applications (线上报名): ~88%
// approved and signed (enrolled), a few waiting for the class teacher or the principal; and in
// the main school one allocated preference round and one open first-come round (rounds.h).
//
// The data is deterministic (generator.h, fixed seed). CreateDemo writes all of it but the
// selection rounds in ONE write transaction (all or nothing) with one audit row "demo_create";
// the rounds follow through the catalog and select services; it refuses with a
// conflict, changing nothing, when the demo is already there or a demo login is taken.
// Only the 18 demo accounts get user rows (argon2id is ~30 ms a hash); the other guardians
// have no account until the school creates one.
// Thread-safety: CreateDemo and DemoExists may be called from any thread (they go through
// Db::Write/Read); the progress callback runs on the calling thread.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "db/db.h"

namespace kehou::demo {

struct DemoAccount {
  std::string role;          // stored role name, e.g. "class_teacher" (auth::RoleName)
  std::string role_label;    // 班主任 (auth::RoleLabelZh)
  std::string login;         // principal, office, ... ; the guardian logs in with a mobile
  std::string password;      // the same for all: kDemoPassword
  std::string display_name;  // the person's name
  std::string note;          // what the account shows, e.g. "实验学校 数学教师，三年级(2)班班主任"
};

struct DemoSummary {
  int64_t city_id = 0, county_id = 0, main_school_id = 0;
  // Whole demo (all four schools).
  int64_t areas = 0, schools = 0, terms = 0, grades = 0, classes = 0, rooms = 0, staff = 0, students = 0, guardians = 0,
          guardian_links = 0, users = 0;
  // The main nine-year school alone.
  int64_t main_students = 0, main_classes = 0, main_staff = 0, main_guardians = 0, main_rooms = 0;
  // Registration of the current terms: agreements, applications approved (enrolled) and pending
  // (submitted or class-approved, in a review queue); whole demo and the main school.
  int64_t agreements = 0, applications = 0, applications_approved = 0, applications_pending = 0;
  int64_t main_applications_approved = 0, main_applications_pending = 0;
  // Course selection in the main school (rounds.h): the two rounds, their courses and sections,
  // the children who ranked in the preference round and those it placed.
  int64_t preference_round_id = 0, fcfs_round_id = 0, round_courses = 0, round_sections = 0;
  int64_t ranked_children = 0, placed_children = 0;
  int64_t elapsed_ms = 0;
  std::vector<DemoAccount> accounts;  // one per role, in auth::AllRoles() order
};

using Progress = std::function<void(std::string_view step, int percent)>;

// Writes the demo into a migrated database. Error kConflict (nothing written) when the demo is
// already there (DemoExists) or a demo login / guardian mobile is already taken.
Result<DemoSummary> CreateDemo(db::Db& db, Progress progress = {});

// True when the demo school (or its "demo_create" audit row) is in the database.
bool DemoExists(db::Db& db);

// The demo accounts as CreateDemo makes them (pure: regenerates, no database). For printing
// the table again when the demo is already there.
std::vector<DemoAccount> DemoAccounts();

// A plain-text table of the accounts (role label, role, login, password, name, note), for the
// console; columns aligned by display width (CJK characters count two).
std::string FormatAccounts(const std::vector<DemoAccount>& accounts);

}  // namespace kehou::demo
