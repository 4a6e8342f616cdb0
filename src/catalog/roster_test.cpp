#include "catalog/roster.h"

#include <gtest/gtest.h>

#include "catalog/test_files.h"
#include "catalog/test_fixture.h"
#include "db/testing.h"
#include "testkit/xlsx_read.h"

namespace kehou::catalog {
namespace {

class RosterFiles : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    m_ = testing::MakeMiniSchool(*t_.db, 8, 0);  // the test writes its own applications
    db().Write([&](db::Conn& c) {
      int64_t now = NowMs();
      term_ = m_.term_id;  // the fixture's current term
      room_ = c.Insert(
          "INSERT INTO rooms (school_id, name, kind, capacity) VALUES ($1, '科学教室', 'lab', 45) RETURNING id",
          {m_.school_id});
      other_teacher_ = c.Insert(
          "INSERT INTO staff (school_id, name, kind, mobile, created_at, updated_at)"
          " VALUES ($1, '李老师', 'in_school', '13900000002', $2, $2) RETURNING id",
          {m_.school_id, now});
    });
    auto course = CreateCourse(db(), m_.principal, std::nullopt,
                               testing::Planned({{"name", "机器人"},
                                                 {"category", "science"},
                                                 {"grades", {3, 4}},
                                                 {"capacity", 90},
                                                 {"teacher_staff_id", m_.staff_id},
                                                 {"slots", "2:after_school,4:after_school"},
                                                 {"term_id", term_}}));
    EXPECT_TRUE(course.ok()) << course.error().message;
    auto section = CreateSection(db(), m_.office, std::nullopt, (*course)["id"], {{"room_id", room_}});
    EXPECT_TRUE(section.ok()) << section.error().message;
    section_ = (*section)["id"];
  }
  db::Db& db() { return *t_.db; }
  // Seats students[0..n) in the section (and one more, dropped).
  void Seat(size_t n) {
    db().Write([&](db::Conn& c) {
      for (size_t i = 0; i <= n; ++i)
        c.Exec(
            "INSERT INTO selections (school_id, section_id, student_id, status, source, created_at)"
            " VALUES ($1, $2, $3, $4, 'manual', $5)",
            {m_.school_id, section_, m_.students.at(i), std::string(i < n ? "confirmed" : "dropped"), NowMs()});
      c.Exec("UPDATE sections SET taken = $2 WHERE id = $1", {section_, static_cast<int64_t>(n)});
    });
  }
  void Apply(size_t child, const std::string& status, const std::string& mode, const std::string& proxy = "") {
    db().Write([&](db::Conn& c) {
      c.Exec(
          "INSERT INTO applications (school_id, term_id, student_id, status, days, bands, pickup_mode,"
          " pickup_guardian_id, proxy_name, created_at, updated_at)"
          " VALUES ($1, $2, $3, $4, '1,2,3,4,5', 'after_school', $5, $6, $7, $8, $8)",
          {m_.school_id, term_, m_.students.at(child), status, mode,
           mode == "guardian" ? db::Value(m_.guardians.at(child)) : db::Null(), proxy, NowMs()});
    });
  }
  int64_t Audits() {
    return db().Read([](db::Conn& c) {
      return c.QueryOne("SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND entity = 'section_roster'")->Int(0);
    });
  }
  auth::Principal Staff(auth::Role role, auth::Scope scope, int64_t staff_id) const {
    auth::Principal p = m_.office;
    p.user_id = 50 + staff_id;
    p.role = role;
    p.scope = scope;
    p.staff_id = staff_id;
    return p;
  }
  db::TestDb t_;
  testing::MiniSchool m_;
  int64_t term_ = 0, room_ = 0, other_teacher_ = 0, section_ = 0;
};

TEST_P(RosterFiles, SheetHasTheConfirmedChildrenInClassOrderWithPickupPlans) {
  Seat(4);
  Apply(0, "approved", "guardian");
  Apply(1, "approved", "proxy", "赵阿姨");
  Apply(2, "submitted", "self");  // not approved yet: no plan printed
  auto s = ExportSectionRoster(db(), m_.office, std::nullopt, section_, "pdf");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->course, "机器人");
  EXPECT_EQ(s->section, "机器人 1班");
  EXPECT_EQ(s->school, "测试小学");
  EXPECT_EQ(s->term, "2025-2026学年第一学期");
  EXPECT_EQ(s->teacher, "王老师");
  EXPECT_EQ(s->room, "科学教室");
  EXPECT_EQ(s->slots, "周二课后、周四课后");
  EXPECT_EQ(s->taken, 4);
  EXPECT_EQ(s->capacity, 45);
  ASSERT_EQ(s->lines.size(), 4u);  // the dropped seat is not on it
  // Grade 3 (students 0, 2) before grade 4 (1, 3).
  EXPECT_EQ(s->lines[0].name, "学生0");
  EXPECT_EQ(s->lines[1].name, "学生2");
  EXPECT_EQ(s->lines[2].name, "学生1");
  EXPECT_EQ(s->lines[0].gender, "男");
  EXPECT_EQ(s->lines[0].grade, "三年级");
  EXPECT_EQ(s->lines[2].class_name, "四年级(1)班");
  EXPECT_EQ(s->lines[0].guardian_phone, "母亲 13800001000");  // the office sees mobiles in full
  EXPECT_EQ(s->lines[0].pickup, "监护人接送（家长0）");
  EXPECT_EQ(s->lines[2].pickup, "委托他人接送（赵阿姨）");
  EXPECT_EQ(s->lines[1].pickup, "");
  EXPECT_EQ(Audits(), 1);
  auto audit = db().Read([](db::Conn& c) {
    return c.QueryOne("SELECT after_json FROM audit_log WHERE entity = 'section_roster'")->Text(0);
  });
  EXPECT_EQ(Json::parse(audit), (Json{{"format", "pdf"}, {"rows", 4}}));
}

TEST_P(RosterFiles, MobilesAreMaskedExceptForTheClassTeacherOfTheChild) {
  Seat(2);
  db().Write([&](db::Conn& c) {
    c.Exec("UPDATE classes SET class_teacher_id = $1 WHERE id = $2", {other_teacher_, m_.class3});
  });
  auto teacher = ExportSectionRoster(db(), Staff(auth::Role::kTeacher, auth::Scope::kOwnSections, m_.staff_id),
                                     std::nullopt, section_, "pdf");
  ASSERT_TRUE(teacher.ok()) << teacher.error().message;
  EXPECT_EQ(teacher->lines[0].guardian_phone, "母亲 138****1000");
  EXPECT_EQ(teacher->lines[1].guardian_phone, "母亲 138****1001");
  auto class_teacher = ExportSectionRoster(db(), Staff(auth::Role::kClassTeacher, auth::Scope::kSchool, other_teacher_),
                                           std::nullopt, section_, "pdf");
  ASSERT_TRUE(class_teacher.ok());
  EXPECT_EQ(class_teacher->lines[0].guardian_phone, "母亲 13800001000");  // own class (grade 3)
  EXPECT_EQ(class_teacher->lines[1].guardian_phone, "母亲 138****1001");  // grade 4: not theirs
}

TEST_P(RosterFiles, OutOfScopeSectionsAreNotFoundAndNotAudited) {
  Seat(1);
  auto not_teaching = ExportSectionRoster(db(), Staff(auth::Role::kTeacher, auth::Scope::kOwnSections, other_teacher_),
                                          std::nullopt, section_, "pdf");
  ASSERT_FALSE(not_teaching.ok());
  EXPECT_EQ(not_teaching.error().code, kNotFound);
  auth::Principal other = m_.office;
  other.school_id = m_.other_school_id;
  auto elsewhere = SectionRosterPdf(db(), other, std::nullopt, section_);
  ASSERT_FALSE(elsewhere.ok());
  EXPECT_EQ(elsewhere.error().code, kNotFound);
  EXPECT_EQ(SectionRosterPdf(db(), m_.office, std::nullopt, section_ + 1000).error().code, kNotFound);
  EXPECT_EQ(Audits(), 0);
}

TEST_P(RosterFiles, PdfAndXlsxFilesEachLeaveAnAuditRow) {
  Seat(3);
  Apply(0, "approved", "self");
  auto pdf = SectionRosterPdf(db(), m_.office, std::nullopt, section_);
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  EXPECT_EQ(pdf->bytes.substr(0, 5), "%PDF-");
  EXPECT_EQ(pdf->content_type, "application/pdf");
  EXPECT_EQ(pdf->filename, "机器人 1班 名单.pdf");
  auto xlsx = SectionRosterXlsx(db(), m_.office, std::nullopt, section_);
  ASSERT_TRUE(xlsx.ok()) << xlsx.error().message;
  EXPECT_EQ(xlsx->filename, "机器人 1班 名单.xlsx");
  EXPECT_EQ(Audits(), 2);
  auto book = testkit::ReadXlsx(xlsx->bytes);  // what the office opens in Excel
  ASSERT_TRUE(book.ok()) << book.error;
  const auto& sheet = book.sheets[0];
  EXPECT_EQ(sheet.Lines()[0], "序号|学号|姓名|班级");
  auto listed = SectionRoster(db(), m_.office, std::nullopt, section_);  // the page's roster
  ASSERT_TRUE(listed.ok());
  const auto& kids = (*listed)["items"];
  ASSERT_EQ(sheet.rows.size(), kids.size() + 1);
  ASSERT_GE(kids.size(), 3u);
  for (size_t i = 0; i < kids.size(); ++i) {
    EXPECT_EQ(sheet.Cell(i + 1, 0), std::to_string(i + 1));
    EXPECT_EQ(sheet.Cell(i + 1, 2), kids[i]["name"].get<std::string>());
  }
}

TEST_P(RosterFiles, AnOutsideInstitutionIsNamedWithOrInsteadOfTheTeacher) {
  auto course = CreateCourse(db(), m_.principal, std::nullopt,
                             testing::Planned({{"name", "书法"},
                                               {"category", "arts"},
                                               {"grades", {3}},
                                               {"capacity", 30},
                                               {"institution", "青山少年宫"},
                                               {"slots", "4:after_school"}}));  // (the teacher's 2nd day)
  ASSERT_TRUE(course.ok()) << course.error().message;
  auto section = CreateSection(db(), m_.office, std::nullopt, (*course)["id"], Json::object());
  ASSERT_TRUE(section.ok());
  auto s = ExportSectionRoster(db(), m_.office, std::nullopt, (*section)["id"], "pdf");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->teacher, "青山少年宫");
  EXPECT_EQ(s->term, "2025-2026学年第一学期");  // the course has no term: the current one
  EXPECT_TRUE(s->lines.empty());
  ASSERT_TRUE(UpdateSection(db(), m_.office, std::nullopt, (*section)["id"], {{"teacher_staff_id", m_.staff_id}}).ok());
  EXPECT_EQ(ExportSectionRoster(db(), m_.office, std::nullopt, (*section)["id"], "pdf")->teacher,
            "王老师（青山少年宫）");
}

TEST(RosterDocument, ColumnsTitleAndSubtitles) {
  RosterSheet s;
  s.school = "测试小学";
  s.term = "2025-2026学年第一学期";
  s.course = "篮球";
  s.section = "提高班";
  s.teacher = "王老师";
  s.slots = "周二 课后";
  s.capacity = 45;
  s.lines = {{"S1", "张三", "男", "三年级", "三年级(1)班", "母亲 138****0001", ""}};
  pdf::TableDocument d = RosterDocument(s, 1757462400000);  // 2025-09-10T00:00Z = 08:00 in Beijing
  EXPECT_EQ(d.title, "篮球 提高班 学生名单");
  ASSERT_EQ(d.subtitles.size(), 2u);
  EXPECT_EQ(d.subtitles[0], "学期：2025-2026学年第一学期　　教师：王老师　　场地：未定");
  EXPECT_EQ(d.subtitles[1], "上课时段：周二 课后　　人数：1 / 45");
  std::vector<std::string> headers;
  for (const auto& c : d.columns) headers.push_back(c.header);
  EXPECT_EQ(headers, (std::vector<std::string>{"序号", "姓名", "性别", "年级", "班级", "监护人电话"}));
  EXPECT_EQ(d.rows.at(0), (std::vector<std::string>{"1", "张三", "男", "三年级", "三年级(1)班", "母亲 138****0001"}));
  EXPECT_EQ(d.header_left, "测试小学");
  EXPECT_EQ(d.footer_left, "打印时间 2025-09-10 08:00（北京时间）");
  // One child with a pickup plan adds the column for everyone.
  s.lines.push_back({"S2", "李四", "女", "三年级", "三年级(1)班", "", "自行离校"});
  d = RosterDocument(s, 1757462400000);
  ASSERT_EQ(d.columns.size(), 7u);
  EXPECT_EQ(d.columns.back().header, "接送方式");
  EXPECT_EQ(d.rows.at(0).back(), "");
  EXPECT_EQ(d.rows.at(1).back(), "自行离校");
  auto pdf = pdf::RenderTable(d);
  ASSERT_TRUE(pdf.ok());
  EXPECT_EQ(pdf->pages, 1);
  EXPECT_EQ(pdf->missing_glyphs, 0);
}

INSTANTIATE_TEST_SUITE_P(Both, RosterFiles, ::testing::ValuesIn(db::TestDialects()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::catalog
