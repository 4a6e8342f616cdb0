// test_fixture.h: a tiny school for the tests of several modules (both databases): an area, a
// school, grades 3 and 4 with one class each, students with one guardian each, the current term
// (began 30 days ago) with agreement v1, staff, and principals for the office and the guardians.
// The first `enrolled` children (default: all) are enrolled for the term: an approved
// application whose version 1 the guardian signed (the rows the enroll module writes). Test-only.
#pragma once
#include <string>
#include <vector>

#include "access/principal.h"
#include "core/time.h"
#include "db/db.h"

namespace kehou::testing {

struct MiniSchool {
  int64_t school_id = 0, other_school_id = 0;
  int64_t class3 = 0, class4 = 0;
  int64_t staff_id = 0;
  int64_t term_id = 0, agreement_id = 0;
  std::vector<int64_t> students;   // students[i] in grade 3 for even i, grade 4 for odd i
  std::vector<int64_t> guardians;  // guardians[i] is the guardian of students[i]
  auth::Principal office;
  auth::Principal principal;  // leadership: a course it posts with a lesson plan is approved there
  auth::Principal Guardian(size_t i) const {
    auth::Principal p;
    p.user_id = 1000 + static_cast<int64_t>(i);
    p.login = "g" + std::to_string(i);
    p.role = auth::Role::kGuardian;
    p.guardian_id = guardians.at(i);
    p.scope = auth::Scope::kOwnChildren;
    return p;
  }
};

// Enrols students[i] of m for m's term (approved application, signed version 1).
inline int64_t EnrolChild(db::Conn& c, const MiniSchool& m, size_t i) {
  int64_t now = NowMs();
  int64_t app = c.Insert(
      "INSERT INTO applications (school_id, term_id, student_id, status, version, days, bands, pickup_mode,"
      " pickup_guardian_id, created_at, updated_at, submitted_at)"
      " VALUES ($1,$2,$3,'approved',1,'1,2,3,4,5','after_school','guardian',$4,$5,$5,$5) RETURNING id",
      {m.school_id, m.term_id, m.students.at(i), m.guardians.at(i), now});
  c.Exec(
      "INSERT INTO application_signatures (school_id, application_id, application_version, agreement_id,"
      " agreement_version, text_hash, form_json, guardian_id, signer_name, signed_at)"
      " VALUES ($1,$2,1,$3,1,'test','{}',$4,'家长',$5)",
      {m.school_id, app, m.agreement_id, m.guardians.at(i), now});
  return app;
}

inline MiniSchool MakeMiniSchool(db::Db& db, int children = 8, int enrolled = -1) {
  MiniSchool m;
  db.Write([&](db::Conn& c) {
    int64_t now = NowMs();
    int64_t area = c.Insert("INSERT INTO areas (kind, name) VALUES ('county', '测试县') RETURNING id", {});
    m.school_id = c.Insert(
        "INSERT INTO schools (area_id, name, level, type, created_at) VALUES ($1, '测试小学', 'primary', 'public', $2) "
        "RETURNING id",
        {area, now});
    m.other_school_id = c.Insert(
        "INSERT INTO schools (area_id, name, level, type, created_at) VALUES ($1, '别校', 'primary', 'public', $2) "
        "RETURNING id",
        {area, now});
    int64_t g3 =
        c.Insert("INSERT INTO grades (school_id, number, name) VALUES ($1, 3, '三年级') RETURNING id", {m.school_id});
    int64_t g4 =
        c.Insert("INSERT INTO grades (school_id, number, name) VALUES ($1, 4, '四年级') RETURNING id", {m.school_id});
    m.class3 = c.Insert(
        "INSERT INTO classes (school_id, grade_id, name, number) VALUES ($1, $2, '三年级(1)班', 1) RETURNING id",
        {m.school_id, g3});
    m.class4 = c.Insert(
        "INSERT INTO classes (school_id, grade_id, name, number) VALUES ($1, $2, '四年级(1)班', 1) RETURNING id",
        {m.school_id, g4});
    m.staff_id = c.Insert(
        "INSERT INTO staff (school_id, name, kind, mobile, created_at, updated_at) VALUES ($1, '王老师', 'in_school', "
        "'13900000001', $2, $2) RETURNING id",
        {m.school_id, now});
    Date today = TodayLocal();
    // The teacher passes the staff gate (issue 12): a passed background check and a contract over
    // the term.
    c.Exec(
        "INSERT INTO staff_records (school_id, staff_id, check_date, check_result, check_certificate,"
        " check_valid_until, contract_start, contract_end, updated_at)"
        " VALUES ($1, $2, $3, 'passed', 'T-1', $4, $3, $4, $5)",
        {m.school_id, m.staff_id, FormatDate(AddDays(today, -60)), FormatDate(AddDays(today, 400)), now});
    m.term_id = c.Insert(
        "INSERT INTO terms (school_id, name, start_date, end_date, is_current)"
        " VALUES ($1, '2025-2026学年第一学期', $2, $3, 1) RETURNING id",
        {m.school_id, FormatDate(AddDays(today, -30)), FormatDate(AddDays(today, 150))});
    m.agreement_id = c.Insert(
        "INSERT INTO agreements (school_id, term_id, version, title, body, body_hash, is_current,"
        " created_at) VALUES ($1, $2, 1, '托管协议', '协议正文', 'test', 1, $3) RETURNING id",
        {m.school_id, m.term_id, now});
    for (int i = 0; i < children; ++i) {
      int64_t st = c.Insert(
          "INSERT INTO students (school_id, student_no, name, gender, class_id, created_at, updated_at)"
          " VALUES ($1, $2, $3, 'M', $4, $5, $5) RETURNING id",
          {m.school_id, "S" + std::to_string(1000 + i), "学生" + std::to_string(i), i % 2 ? m.class4 : m.class3, now});
      int64_t gd = c.Insert("INSERT INTO guardians (mobile, name, created_at) VALUES ($1, $2, $3) RETURNING id",
                            {"1380000" + std::to_string(1000 + i), "家长" + std::to_string(i), now});
      c.Exec(
          "INSERT INTO student_guardians (school_id, student_id, guardian_id, relation, is_primary) VALUES "
          "($1,$2,$3,'母亲',1)",
          {m.school_id, st, gd});
      m.students.push_back(st);
      m.guardians.push_back(gd);
    }
    for (int i = 0; i < (enrolled < 0 ? children : enrolled); ++i) EnrolChild(c, m, static_cast<size_t>(i));
  });
  m.office.user_id = 1;
  m.office.login = "office";
  m.office.role = auth::Role::kOfficeDirector;
  m.office.school_id = m.school_id;
  m.office.scope = auth::Scope::kSchool;
  m.principal = m.office;
  m.principal.user_id = 2;
  m.principal.login = "principal";
  m.principal.display_name = "校长";
  m.principal.role = auth::Role::kPrincipal;
  return m;
}

// The first Wednesday at least two days ahead (inside the mini term): a day of a weekly session.
inline Date SessionWednesday() {
  Date d = AddDays(TodayLocal(), 2);
  while (IsoWeekday(d) != 3) d = AddDays(d, 1);
  return d;
}

// A staff member of m's school (no account); returns the staff id.
inline int64_t AddStaff(db::Conn& c, const MiniSchool& m, const std::string& name, const std::string& mobile) {
  const int64_t now = NowMs();
  return c.Insert(
      "INSERT INTO staff (school_id, name, kind, mobile, created_at, updated_at) VALUES ($1, $2, 'in_school', $3,"
      " $4, $4) RETURNING id",
      {m.school_id, name, mobile, now});
}

// An after-school band (15:30-17:30) for m's term and the course 围棋 of m's teacher (grades 3-4,
// on `slots`, e.g. "3:after_school") with its section 围棋1班 holding students[0..roster) of m;
// returns the section's id. Test-only (the attendance and safety tests' session).
inline int64_t AddGoSection(db::Conn& c, const MiniSchool& m, const std::string& slots, int roster = 3) {
  const int64_t now = NowMs();
  c.Exec(
      "INSERT INTO service_bands (school_id, term_id, kind, start_time, end_time) VALUES ($1, $2, 'after_school',"
      " '15:30', '17:30')",
      {m.school_id, m.term_id});
  const int64_t course = c.Insert(
      "INSERT INTO courses (school_id, term_id, name, category, grades, capacity, teacher_staff_id, slots,"
      " created_at, updated_at) VALUES ($1, $2, '围棋', 'interest', '3,4', 40, $3, $4, $5, $5) RETURNING id",
      {m.school_id, m.term_id, m.staff_id, slots, now});
  const int64_t section = c.Insert(
      "INSERT INTO sections (school_id, course_id, name, capacity, taken, created_at) VALUES ($1, $2, '围棋1班',"
      " 40, $3, $4) RETURNING id",
      {m.school_id, course, static_cast<int64_t>(roster), now});
  for (int i = 0; i < roster; ++i)
    c.Exec(
        "INSERT INTO selections (school_id, section_id, student_id, source, created_at) VALUES ($1, $2, $3,"
        " 'manual', $4)",
        {m.school_id, section, m.students.at(static_cast<size_t>(i)), now});
  return section;
}

}  // namespace kehou::testing
