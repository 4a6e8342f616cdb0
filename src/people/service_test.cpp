// Store and service tests, on SQLite (a temp file) and on PostgreSQL when KEHOU_TEST_PG is set.
#include "people/service.h"

#include <gtest/gtest.h>

#include "auth/audit.h"
#include "core/time.h"
#include "db/testing.h"
#include "people/store.h"
#include "testkit/xlsx_read.h"

namespace kehou::people {
namespace {

using auth::Principal;
using auth::Role;
using auth::Scope;

std::string Id(const std::string& first17) { return first17 + *IdNumberCheckChar(first17); }

const char* kHeader =
    "学号,姓名,性别(男/女),年级(1-9),班级(班号),身份证号,健康备注,留守儿童(是/否),低保家庭(是/否),残疾(是/否),"
    "监护人姓名,监护人关系,监护人手机,第二监护人姓名,第二监护人关系,第二监护人手机\r\n";

class PeopleTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    if (!t_.db) GTEST_SKIP() << "KEHOU_TEST_PG not set";
    db::Db& d = *t_.db;
    d.Write([&](db::Conn& c) {
      int64_t now = NowMs();
      int64_t area = c.Insert("INSERT INTO areas (kind, name) VALUES ('county', '测试县') RETURNING id", {});
      school_ = c.Insert(
          "INSERT INTO schools (area_id, name, level, type, created_at) VALUES ($1, '第一小学',"
          " 'primary', 'public', $2) RETURNING id",
          {area, now});
      other_school_ = c.Insert(
          "INSERT INTO schools (area_id, name, level, type, created_at) VALUES ($1, '第二小学',"
          " 'primary', 'public', $2) RETURNING id",
          {area, now});
      auto grade = [&](int64_t school, int64_t n) {
        return c.Insert("INSERT INTO grades (school_id, number, name) VALUES ($1, $2, $3) RETURNING id",
                        {school, n, std::to_string(n) + "年级"});
      };
      grade3_ = grade(school_, 3);
      grade4_ = grade(school_, 4);
      int64_t other_grade = grade(other_school_, 3);
      teacher_a_ = c.Insert(
          "INSERT INTO staff (school_id, name, kind, mobile, created_at, updated_at)"
          " VALUES ($1, '班主任甲', 'in_school', '13600000001', $2, $2) RETURNING id",
          {school_, now});
      teacher_b_ = c.Insert(
          "INSERT INTO staff (school_id, name, kind, mobile, created_at, updated_at)"
          " VALUES ($1, '班主任乙', 'in_school', '13600000002', $2, $2) RETURNING id",
          {school_, now});
      auto cls = [&](int64_t school, int64_t g, int64_t n, std::optional<int64_t> teacher) {
        return c.Insert(
            "INSERT INTO classes (school_id, grade_id, name, number, class_teacher_id)"
            " VALUES ($1, $2, $3, $4, $5) RETURNING id",
            {school, g, "班" + std::to_string(n), n, db::Opt(teacher)});
      };
      class31_ = cls(school_, grade3_, 1, teacher_a_);
      class32_ = cls(school_, grade3_, 2, std::nullopt);
      class41_ = cls(school_, grade4_, 1, teacher_b_);
      other_class_ = cls(other_school_, other_grade, 1, std::nullopt);
    });
  }

  Principal Who(Role role, Scope scope, std::optional<int64_t> staff = std::nullopt) {
    Principal p;
    p.user_id = 0;
    p.login = "tester";
    p.display_name = "测试";
    p.role = role;
    p.school_id = school_;
    p.staff_id = staff;
    p.scope = scope;
    return p;
  }
  Principal Principal_() { return Who(Role::kPrincipal, Scope::kSchool); }

  std::string GoodCsv() {
    return std::string(kHeader) + "S001,王小明,男,3,1," + Id("11010520160101001") +
           ",花生过敏,是,否,否,王父,父亲,13800000001,王母,母亲,13900000001\r\n" +
           "S002,王小红,女,3,1,,,否,否,否,王父,父亲,13800000001\r\n" +  // sibling: same guardian
           "S003,李四,男,3,2,,,否,是,否,李父,父亲,13800000003\r\n" +
           "S004,赵五,女,4,1,,,否,否,否,赵母,母亲,13800000004\r\n";
  }

  // Names staff the leader of grade 3 (the grade of class 3-1).
  void LeadGrade3(int64_t staff) {
    t_.db->Write([&](db::Conn& c) {
      c.Exec("UPDATE grades SET leader_staff_id = $1 WHERE id = (SELECT grade_id FROM classes WHERE id = $2)",
             {staff, class31_});
      return 0;
    });
  }

  Result<ImportOutcome> Import(const std::string& csv, const Principal& who) {
    return RunImport(*t_.db, who, "students", Json{{"csv", csv}}, std::nullopt);
  }

  int64_t Count(const std::string& sql) {
    return t_.db->Read([&](db::Conn& c) { return c.QueryOne(sql)->Int(0); });
  }

  int64_t StudentId(const std::string& no) {
    return t_.db->Read([&](db::Conn& c) { return *store::StudentIdByNo(c, school_, no); });
  }

  db::TestDb t_;
  int64_t school_ = 0, other_school_ = 0, grade3_ = 0, grade4_ = 0, teacher_a_ = 0, teacher_b_ = 0;
  int64_t class31_ = 0, class32_ = 0, class41_ = 0, other_class_ = 0;
};

TEST_P(PeopleTest, ImportCreatesThenUpdatesWithoutDuplicates) {
  auto preview = PreviewImport(*t_.db, Principal_(), "students", Json{{"csv", GoodCsv()}}, std::nullopt);
  ASSERT_TRUE(preview.ok());
  EXPECT_EQ((*preview)["ok"], true);
  EXPECT_EQ((*preview)["creates"], 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM students"), 0);  // preview writes nothing

  auto out = Import(GoodCsv(), Principal_());
  ASSERT_TRUE(out.ok()) << out.error().message;
  ASSERT_TRUE(out->ok) << out->body.dump();
  EXPECT_EQ(out->body["created"], 4);
  EXPECT_EQ(out->body["updated"], 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM students"), 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM guardians"), 4);  // 13800000001 shared by siblings
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student_guardians"), 5);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'import'"), 1);

  // Re-import: S003 moves class and changes guardian; a new S005 arrives.
  std::string again = std::string(kHeader) + "S003,李四,男,4,1,,,否,是,否,李母,母亲,13800000005\r\n" +
                      "S005,钱六,男,3,2,,,否,否,否,王父,父亲,13800000001\r\n";
  auto out2 = Import(again, Principal_());
  ASSERT_TRUE(out2.ok() && out2->ok);
  EXPECT_EQ(out2->body["created"], 1);
  EXPECT_EQ(out2->body["updated"], 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM students"), 5);
  int64_t s3 = StudentId("S003");
  EXPECT_EQ(Count("SELECT class_id FROM students WHERE student_no = 'S003'"), class41_);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student_guardians WHERE student_id = " + std::to_string(s3)), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM guardians WHERE mobile = '13800000001'"), 1);
}

TEST_P(PeopleTest, BadImportWritesNothingAndListsEveryError) {
  std::string csv = GoodCsv() + "S001,重复,男,3,1,,,否,否,否,某,父亲,13800000009\r\n" +  // row 6
                    "S007,无班,男,3,9,,,否,否,否,某,父亲,13800000010\r\n";               // row 7
  auto out = Import(csv, Principal_());
  ASSERT_TRUE(out.ok());
  ASSERT_FALSE(out->ok);
  const Json& errors = out->body["errors"];
  ASSERT_EQ(errors.size(), 2u) << errors.dump();
  EXPECT_EQ(errors[0]["row"], 6);
  EXPECT_EQ(errors[0]["column"], "学号");
  EXPECT_EQ(errors[1]["row"], 7);
  EXPECT_EQ(errors[1]["column"], "班级");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM students"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM guardians"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log"), 0);
}

TEST_P(PeopleTest, ImportRefusedOutsideWriteScope) {
  auto out = Import(GoodCsv(), Who(Role::kClassTeacher, Scope::kOwnClass, teacher_a_));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, kForbidden);
  auto bad_kind = RunImport(*t_.db, Principal_(), "rooms", Json{{"csv", GoodCsv()}}, std::nullopt);
  ASSERT_FALSE(bad_kind.ok());
  EXPECT_EQ(bad_kind.error().code, kNotFound);
}

TEST_P(PeopleTest, ListScopesSearchAndPaging) {
  ASSERT_TRUE(Import(GoodCsv(), Principal_())->ok);
  ListQuery q;
  auto all = ListStudents(*t_.db, Principal_(), q);
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ((*all)["total"], 4);
  EXPECT_EQ((*all)["items"][0]["student_no"], "S001");
  EXPECT_EQ((*all)["items"][0]["guardians"].size(), 2u);

  auto own = ListStudents(*t_.db, Who(Role::kClassTeacher, Scope::kOwnClass, teacher_a_), q);
  ASSERT_TRUE(own.ok());
  EXPECT_EQ((*own)["total"], 2);  // class 3-1 only

  // Issue 11: a grade leader's scope is the grades they lead, not the grades of the classes they teach.
  auto unled = ListStudents(*t_.db, Who(Role::kGradeLeader, Scope::kGrade, teacher_a_), q);
  ASSERT_TRUE(unled.ok());
  EXPECT_EQ((*unled)["total"], 0);  // class teacher of 3-1, but grade 3 has no leader yet
  LeadGrade3(teacher_a_);
  auto grade = ListStudents(*t_.db, Who(Role::kGradeLeader, Scope::kGrade, teacher_a_), q);
  ASSERT_TRUE(grade.ok());
  EXPECT_EQ((*grade)["total"], 3);  // all of grade 3
  EXPECT_EQ((*ListStudents(*t_.db, Who(Role::kGradeLeader, Scope::kGrade, teacher_b_), q))["total"], 0);

  auto sections = ListStudents(*t_.db, Who(Role::kTeacher, Scope::kOwnSections, teacher_b_), q);
  ASSERT_TRUE(sections.ok());
  EXPECT_EQ((*sections)["total"], 0);

  ListQuery search;
  search.q = "王小";
  EXPECT_EQ((*ListStudents(*t_.db, Principal_(), search))["total"], 2);
  search.q = "s00";  // student number prefix, case-insensitive
  EXPECT_EQ((*ListStudents(*t_.db, Principal_(), search))["total"], 4);
  search.q = "%";
  EXPECT_EQ((*ListStudents(*t_.db, Principal_(), search))["total"], 0);

  ListQuery by_class;
  by_class.class_id = class32_;
  EXPECT_EQ((*ListStudents(*t_.db, Principal_(), by_class))["total"], 1);
  ListQuery by_grade;
  by_grade.grade_id = grade4_;
  EXPECT_EQ((*ListStudents(*t_.db, Principal_(), by_grade))["total"], 1);

  ListQuery paged;
  paged.page = 2;
  paged.page_size = 3;
  auto p2 = ListStudents(*t_.db, Principal_(), paged);
  EXPECT_EQ((*p2)["total"], 4);
  ASSERT_EQ((*p2)["items"].size(), 1u);
  EXPECT_EQ((*p2)["items"][0]["student_no"], "S004");
  EXPECT_EQ((*p2)["items"][0]["guardians"].size(), 1u);
  EXPECT_EQ((*p2)["page"], 2);

  // Another school's id is not found.
  ListQuery foreign;
  foreign.school_id = other_school_;
  auto f = ListStudents(*t_.db, Principal_(), foreign);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, kNotFound);
}

TEST_P(PeopleTest, MaskingByRole) {
  ASSERT_TRUE(Import(GoodCsv(), Principal_())->ok);
  std::string full_id = Id("11010520160101001");
  auto first = [&](const Principal& who) {
    ListQuery q;
    q.class_id = class31_;
    return (*ListStudents(*t_.db, who, q))["items"][0];
  };
  // Issue 11: the principal's list is masked (someone may look over a shoulder); one record,
  // audited, reveals the full values.
  Json p = first(Principal_());
  EXPECT_NE(p["id_number"], full_id);
  EXPECT_EQ(p["id_number"].get<std::string>().size(), full_id.size());
  EXPECT_EQ(p["guardians"][0]["mobile"], "138****0001");
  EXPECT_FALSE(p.contains("flags"));
  auto record = GetStudent(*t_.db, Principal_(), p["id"].get<int64_t>(), std::nullopt);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ((*record)["id_number"], full_id);
  EXPECT_EQ((*record)["guardians"][0]["mobile"], "13800000001");
  EXPECT_EQ((*record)["flags"]["left_behind"], true);
  // The class list is a list too.
  Json cls = (*ClassStudents(*t_.db, Principal_(), class31_, std::nullopt))["items"][0];
  EXPECT_NE(cls["id_number"], full_id);
  EXPECT_FALSE(cls.contains("flags"));

  Json ct = first(Who(Role::kClassTeacher, Scope::kOwnClass, teacher_a_));
  EXPECT_NE(ct["id_number"], full_id);
  EXPECT_EQ(ct["id_number"].get<std::string>().size(), full_id.size());
  EXPECT_EQ(ct["guardians"][0]["mobile"], "13800000001");  // own class: they call the guardians
  EXPECT_FALSE(ct.contains("flags"));

  Json guard = first(Who(Role::kGuard, Scope::kSchool));
  EXPECT_NE(guard["id_number"], full_id);
  EXPECT_EQ(guard["guardians"][0]["mobile"], "138****0001");  // issue 10: masked in lists
  EXPECT_FALSE(guard.contains("flags"));

  Json course = first(Who(Role::kCourseGroup, Scope::kSchool));
  EXPECT_EQ(course["guardians"][0]["mobile"], "138****0001");
  EXPECT_FALSE(course.contains("flags"));

  // Health notes: the school doctor yes, the guard no.
  int64_t s1 = StudentId("S001");
  auto doc = GetStudent(*t_.db, Who(Role::kSchoolDoctor, Scope::kSchool), s1, std::nullopt);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ((*doc)["health_notes"], "花生过敏");
  EXPECT_FALSE(doc->contains("flags"));
}

TEST_P(PeopleTest, SearchByAGuardiansMobileForThoseWhoSeeItInFull) {
  ASSERT_TRUE(Import(GoodCsv(), Principal_())->ok);
  auto search = [&](const Principal& who, const std::string& text) {
    ListQuery q;
    q.q = text;
    return (*ListStudents(*t_.db, who, q))["total"].get<int64_t>();
  };
  EXPECT_EQ(search(Principal_(), "13800000001"), 2);  // the siblings S001 and S002
  EXPECT_EQ(search(Principal_(), "13800000003"), 1);
  EXPECT_EQ(search(Principal_(), "00000004"), 1);
  EXPECT_EQ(search(Principal_(), "138"), 0);  // under four digits: not a mobile search
  EXPECT_EQ(search(Principal_(), "13999999999"), 0);
  // A masked list must not become an oracle of the digits.
  EXPECT_EQ(search(Who(Role::kCourseGroup, Scope::kSchool), "13800000001"), 0);
}

TEST_P(PeopleTest, PersonalReadIsAuditedAndScoped) {
  ASSERT_TRUE(Import(GoodCsv(), Principal_())->ok);
  int64_t s1 = StudentId("S001"), s4 = StudentId("S004");
  auto r = GetStudent(*t_.db, Principal_(), s1, std::nullopt);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["health_notes"], "花生过敏");
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM audit_log WHERE action = 'read_personal' AND entity_id = " + std::to_string(s1)), 1);
  // A class teacher reading another class's child: not found, and nothing logged.
  auto other = GetStudent(*t_.db, Who(Role::kClassTeacher, Scope::kOwnClass, teacher_a_), s4, std::nullopt);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, kNotFound);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'read_personal'"), 1);
}

TEST_P(PeopleTest, GuardianSeesOnlyOwnChildren) {
  ASSERT_TRUE(Import(GoodCsv(), Principal_())->ok);
  // The same guardian also has a child in the other school.
  t_.db->Write([&](db::Conn& c) {
    StudentInput s;
    s.student_no = "X1";
    s.name = "王小弟";
    s.gender = "M";
    s.class_id = other_class_;
    s.guardians = {{"王父", "父亲", "13800000001"}};
    SaveStudent(c, other_school_, s);
  });
  int64_t gid = Count("SELECT id FROM guardians WHERE mobile = '13800000001'");
  Principal g;
  g.role = Role::kGuardian;
  g.scope = Scope::kOwnChildren;
  g.guardian_id = gid;
  auto kids = MyChildren(*t_.db, g);
  ASSERT_TRUE(kids.ok());
  ASSERT_EQ((*kids)["items"].size(), 3u);
  EXPECT_EQ((*kids)["items"][2]["school_name"], "第二小学");

  auto mine = GetStudent(*t_.db, g, StudentId("S001"), std::nullopt);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ((*mine)["guardians"][0]["mobile"], "13800000001");  // themself
  EXPECT_EQ((*mine)["guardians"][1]["mobile"], "139****0001");  // the other guardian
  auto theirs = GetStudent(*t_.db, g, StudentId("S003"), std::nullopt);
  ASSERT_FALSE(theirs.ok());
  EXPECT_EQ(theirs.error().code, kNotFound);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'read_personal'"), 0);
}

TEST_P(PeopleTest, ClassStudentsOneQueryWithGuardians) {
  ASSERT_TRUE(Import(GoodCsv(), Principal_())->ok);
  auto r = ClassStudents(*t_.db, Principal_(), class31_, std::nullopt);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ((*r)["items"].size(), 2u);
  EXPECT_EQ((*r)["items"][0]["guardians"].size(), 2u);
  EXPECT_EQ((*r)["items"][0]["guardians"][0]["relation"], "父亲");  // primary first
  EXPECT_EQ((*r)["items"][1]["guardians"].size(), 1u);

  // The hand-written JSON of the class list equals the list endpoint's items, escapes included.
  t_.db->Write([&](db::Conn& c) {
    StudentInput odd;
    odd.student_no = "S009";
    odd.name = "王\"小\\明";
    odd.gender = "M";
    odd.class_id = class31_;
    odd.guardians = {{"王\"父", "父\t亲", "13800000001"}};
    SaveStudent(c, school_, odd);
    auth::Audit(c, Principal_(),
                {"create", "student", std::nullopt, nullptr, nullptr, school_});  // as every caller does
  });
  for (const Principal& who : {Principal_(), Who(Role::kCourseGroup, Scope::kSchool),
                               Who(Role::kClassTeacher, Scope::kOwnClass, teacher_a_)}) {
    ListQuery q;
    q.class_id = class31_;
    auto fast = ClassStudents(*t_.db, who, class31_, std::nullopt);
    ASSERT_TRUE(fast.ok());
    EXPECT_EQ((*fast)["items"], (*ListStudents(*t_.db, who, q))["items"]);
    EXPECT_EQ((*fast)["items"].size(), 3u);
  }

  auto empty = ClassStudents(*t_.db, Principal_(), class41_, std::nullopt);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ((*empty)["items"].size(), 1u);
  auto none = ClassStudents(*t_.db, Principal_(), other_class_, std::nullopt);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, kNotFound);
  auto not_mine = ClassStudents(*t_.db, Who(Role::kClassTeacher, Scope::kOwnClass, teacher_a_), class41_, std::nullopt);
  ASSERT_FALSE(not_mine.ok());
  LeadGrade3(teacher_a_);
  auto grade = ClassStudents(*t_.db, Who(Role::kGradeLeader, Scope::kGrade, teacher_a_), class32_, std::nullopt);
  ASSERT_TRUE(grade.ok());
  EXPECT_EQ((*grade)["items"].size(), 1u);
}

TEST_P(PeopleTest, GuardiansList) {
  ASSERT_TRUE(Import(GoodCsv(), Principal_())->ok);
  ListQuery q;
  auto all = ListGuardians(*t_.db, Principal_(), q);
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ((*all)["total"], 4);
  ListQuery s;
  s.q = "王父";
  auto w = ListGuardians(*t_.db, Principal_(), s);
  ASSERT_EQ((*w)["items"].size(), 1u);
  EXPECT_EQ((*w)["items"][0]["children"].size(), 2u);
  EXPECT_EQ((*w)["items"][0]["mobile"], "13800000001");
  auto own = ListGuardians(*t_.db, Who(Role::kClassTeacher, Scope::kOwnClass, teacher_a_), q);
  EXPECT_EQ((*own)["total"], 2);  // 王父, 王母
}

// Issue 10: 2,353 full ID numbers came out through paged /students calls with no audit row.
TEST_P(PeopleTest, ListReadsAreLoggedWithRowsAndFullFields) {
  ASSERT_TRUE(Import(GoodCsv(), Principal_())->ok);
  auto count = [&](const std::string& list) {
    return t_.db->Read([&](db::Conn& c) {
      return c.QueryOne(
          "SELECT COUNT(*), COALESCE(SUM(row_count), 0), COALESCE(MAX(full_fields), '') FROM read_log WHERE list = $1",
          {list});
    });
  };
  ListQuery q;
  ASSERT_TRUE(ListStudents(*t_.db, Principal_(), q).ok());
  auto r = count("students");
  EXPECT_EQ(r->Int(0), 1);
  EXPECT_GT(r->Int(1), 0);
  EXPECT_EQ(r->Text(2), "");  // issue 11: the principal's list is masked
  ASSERT_TRUE(ListStudents(*t_.db, Who(Role::kClassTeacher, Scope::kOwnClass, teacher_a_), q).ok());
  EXPECT_EQ(count("students")->Text(2), "guardian_mobile");  // their own class's guardians, in full
  for (int i = 0; i < 2; ++i)
    ASSERT_TRUE(ClassStudents(*t_.db, Principal_(), class31_, std::nullopt).ok());  // the 2nd may be cached
  EXPECT_EQ(count("class_students")->Int(0), 2);
  ASSERT_TRUE(ListGuardians(*t_.db, Who(Role::kLiaison, Scope::kSchool), q).ok());
  auto g = count("guardians");
  EXPECT_EQ(g->Int(0), 1);
  EXPECT_EQ(g->Text(2), "");  // the liaison sees masked mobiles
  // List reads do not move the data version the class-list cache relies on (audit_log).
  auto audits = t_.db->Read(
      [](db::Conn& c) { return c.QueryOne("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'read%'")->Int(0); });
  EXPECT_EQ(audits, 0);
}

TEST_P(PeopleTest, ClassListNeverStaleAfterAWrite) {
  ASSERT_TRUE(Import(GoodCsv(), Principal_())->ok);
  auto before = ClassStudents(*t_.db, Principal_(), class31_, std::nullopt);
  ASSERT_TRUE(before.ok());
  int64_t id = (*before)["items"][0]["id"];
  auto again = ClassStudents(*t_.db, Principal_(), class31_, std::nullopt);  // may come from the cache
  EXPECT_EQ((*again)["items"], (*before)["items"]);
  ASSERT_TRUE(UpdateStudent(*t_.db, Principal_(), id, Json{{"name", "改名后"}}, std::nullopt).ok());
  auto after = ClassStudents(*t_.db, Principal_(), class31_, std::nullopt);
  ASSERT_TRUE(after.ok());
  bool found = false;
  for (auto& s : (*after)["items"]) found = found || s["name"] == "改名后";
  EXPECT_TRUE(found) << "the class list must show the change at once";
}

TEST_P(PeopleTest, CreateUpdateStudentWithAudit) {
  Json body = {{"student_no", "n100"},
               {"name", " 孙七 "},
               {"gender", "女"},
               {"class_id", class32_},
               {"id_number", Id("11010520160505123")},
               {"flags", {{"low_income", true}}},
               {"guardians", {{{"name", "孙父"}, {"relation", "父亲"}, {"mobile", "138 0000 0100"}}}}};
  auto created = CreateStudent(*t_.db, Principal_(), body, std::nullopt);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ((*created)["student_no"], "N100");
  EXPECT_EQ((*created)["name"], "孙七");
  EXPECT_EQ((*created)["flags"]["low_income"], true);
  EXPECT_EQ((*created)["guardians"][0]["mobile"], "13800000100");
  int64_t id = (*created)["id"];

  auto dup = CreateStudent(*t_.db, Principal_(), body, std::nullopt);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, kConflict);
  EXPECT_EQ(dup.error().field, "student_no");

  Json bad = body;
  bad["student_no"] = "N101";
  bad["class_id"] = other_class_;
  auto foreign_class = CreateStudent(*t_.db, Principal_(), bad, std::nullopt);
  ASSERT_FALSE(foreign_class.ok());
  EXPECT_EQ(foreign_class.error().code, kNotFound);
  bad["class_id"] = class32_;
  auto same_id = CreateStudent(*t_.db, Principal_(), bad, std::nullopt);
  ASSERT_FALSE(same_id.ok());
  EXPECT_EQ(same_id.error().field, "id_number");
  bad["id_number"] = "110105491231002";
  auto old_id = CreateStudent(*t_.db, Principal_(), bad, std::nullopt);
  ASSERT_FALSE(old_id.ok());
  EXPECT_EQ(old_id.error().code, kInvalid);

  auto updated = UpdateStudent(*t_.db, Principal_(), id, {{"name", "孙七七"}, {"active", false}}, std::nullopt);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ((*updated)["name"], "孙七七");
  EXPECT_EQ((*updated)["active"], false);
  EXPECT_EQ((*updated)["guardians"].size(), 1u);                     // unchanged
  EXPECT_EQ((*ListStudents(*t_.db, Principal_(), {}))["total"], 0);  // retired: hidden

  auto audit = t_.db->Read([&](db::Conn& c) {
    return c.QueryOne("SELECT before_json, after_json FROM audit_log WHERE action = 'update' AND entity_id = $1", {id});
  });
  ASSERT_TRUE(audit);
  Json before = Json::parse(audit->Text(0)), after = Json::parse(audit->Text(1));
  EXPECT_EQ(before["name"], "孙七");
  EXPECT_EQ(after["name"], "孙七七");
  EXPECT_FALSE(after.contains("student_no"));  // unchanged fields left out

  auto missing = UpdateStudent(*t_.db, Principal_(), id + 1000, {{"name", "x"}}, std::nullopt);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, kNotFound);
}

TEST_P(PeopleTest, StaffImportCreateUpdate) {
  std::string csv =
      "姓名,性别,类别,学科,手机,所属机构\r\n"
      "张丽,女,退休教师,书法,13700000001,\r\n"
      "刘强,男,机构人员,篮球,13700000002,阳光体育\r\n";
  auto out = RunImport(*t_.db, Principal_(), "staff", Json{{"csv", csv}}, std::nullopt);
  ASSERT_TRUE(out.ok() && out->ok) << (out.ok() ? out->body.dump() : out.error().message);
  EXPECT_EQ(out->body["created"], 2);
  auto again = RunImport(*t_.db, Principal_(), "staff", Json{{"csv", csv}}, std::nullopt);
  EXPECT_EQ(again->body["updated"], 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM staff"), 4);  // 2 class teachers + 2

  ListQuery q;
  q.kind = "retired";
  auto retired = ListStaff(*t_.db, Principal_(), q);
  ASSERT_TRUE(retired.ok());
  ASSERT_EQ((*retired)["total"], 1);
  EXPECT_EQ((*retired)["items"][0]["kind_label"], "退休教师");
  EXPECT_EQ((*retired)["items"][0]["mobile"], "13700000001");
  auto as_teacher = ListStaff(*t_.db, Who(Role::kTeacher, Scope::kSchool), q);
  EXPECT_EQ((*as_teacher)["items"][0]["mobile"], "137****0001");

  auto created =
      CreateStaff(*t_.db, Principal_(),
                  {{"name", "陈静"}, {"kind", "volunteer"}, {"subjects", {"美术", "手工"}}, {"mobile", "13700000003"}},
                  std::nullopt);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ((*created)["subjects"], "美术、手工");
  auto taken =
      CreateStaff(*t_.db, Principal_(), {{"name", "某"}, {"kind", "志愿者"}, {"mobile", "13700000003"}}, std::nullopt);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, kConflict);
  auto inst = CreateStaff(*t_.db, Principal_(), {{"name", "某"}, {"kind", "机构人员"}, {"mobile", "13700000009"}},
                          std::nullopt);
  ASSERT_FALSE(inst.ok());
  EXPECT_EQ(inst.error().field, "institution");

  int64_t id = (*created)["id"];
  auto upd = UpdateStaff(*t_.db, Principal_(), id, {{"kind", "家长志愿者"}, {"mobile", "13700000001"}}, std::nullopt);
  ASSERT_FALSE(upd.ok());  // mobile of 张丽
  EXPECT_EQ(upd.error().code, kConflict);
  auto upd2 = UpdateStaff(*t_.db, Principal_(), id, {{"kind", "家长志愿者"}}, std::nullopt);
  ASSERT_TRUE(upd2.ok());
  EXPECT_EQ((*upd2)["kind"], "parent_volunteer");
}

TEST_P(PeopleTest, TemplatesAndExports) {
  auto csv = ImportTemplate("students", "csv");
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(csv->bytes.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv->bytes.find("学号,姓名,性别(男/女)"), std::string::npos);
  // The template's example row imports cleanly (grade 3 class 1 exists).
  auto out = Import(csv->bytes, Principal_());
  ASSERT_TRUE(out.ok() && out->ok) << out->body.dump();
  auto xlsx = ImportTemplate("staff", "xlsx");
  ASSERT_TRUE(xlsx.ok());
  auto tpl = testkit::ReadXlsx(xlsx->bytes);
  ASSERT_TRUE(tpl.ok()) << tpl.error;
  EXPECT_EQ(tpl.sheets[0].rows.size(), 2u);  // the headers and the example row
  EXPECT_EQ(tpl.sheets[0].Cell(0, 0), "姓名");
  EXPECT_FALSE(ImportTemplate("rooms", "csv").ok());
  EXPECT_FALSE(ImportTemplate("students", "pdf").ok());

  for (const char* list : {"students", "staff", "guardians", "classes", "rooms"}) {
    auto f = Export(*t_.db, Principal_(), list, std::nullopt);
    ASSERT_TRUE(f.ok()) << list << f.error().message;
    EXPECT_NE(f->filename.find(".xlsx"), std::string::npos);
    auto book = testkit::ReadXlsx(f->bytes);
    ASSERT_TRUE(book.ok()) << list << ": " << book.error;
    EXPECT_FALSE(book.sheets[0].Cell(0, 0).empty()) << list << ": a header row";
    if (std::string(list) != "rooms") {
      EXPECT_GE(book.sheets[0].rows.size(), 2u) << list << ": the imported rows";
    }
  }
  auto unknown = Export(*t_.db, Principal_(), "secrets", std::nullopt);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, kNotFound);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'export'"), 5);
}

INSTANTIATE_TEST_SUITE_P(Db, PeopleTest, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::people
