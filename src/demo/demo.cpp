// demo.cpp: writes the generated demo county (generator.h) into a database.
#include "demo/demo.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>

#include "access/principal.h"
#include "auth/service.h"
#include "core/time.h"
#include "demo/attendance.h"
#include "demo/fees.h"
#include "demo/generator.h"
#include "demo/ledger.h"
#include "demo/notify.h"
#include "demo/pay.h"
#include "demo/pickup.h"
#include "demo/registration.h"
#include "demo/rounds.h"
#include "demo/safety.h"
#include "demo/staff.h"
#include "demo/store.h"
#include "demo/timetable.h"
#include "enroll/rules.h"

namespace kehou::demo {
namespace {

using db::Conn;
using db::Null;
using db::Params;
using db::Value;

// Registration. Agreements and applications start at version 1 (as enroll's service creates
// them); the demo never edits one, so every signature binds version 1 of both.
constexpr int64_t kFirstVersion = 1;

// The statements are store.h's (kInsert*, BulkInsert), run here table by table.
Value Text(const std::string& s) { return Value(s); }
Value Int(int64_t v) { return Value(v); }
Value Bool(bool b) { return Value(int64_t{b ? 1 : 0}); }
Value Ref(const std::vector<int64_t>& ids, const std::optional<Index>& i) { return i ? Value(ids.at(*i)) : Null(); }

// The application form as its signature stores it (application_signatures.form_json): the same
// keys and values that enroll's FormJson (service.cpp) dumps when a guardian signs. demo_test
// compares the two through enroll::GetApplication.
std::string SignedForm(const GenApplication& a, const std::vector<int64_t>& guardian_ids) {
  nlohmann::json pickup{{"mode", enroll::PickupName(a.pickup)}};
  if (a.pickup == enroll::PickupMode::kGuardian) pickup["guardian_id"] = guardian_ids.at(a.pickup_guardian.value());
  if (a.pickup == enroll::PickupMode::kProxy) {
    pickup["proxy_name"] = a.proxy_name;
    pickup["proxy_mobile"] = a.proxy_mobile;
  }
  nlohmann::json bands = nlohmann::json::array();
  for (enroll::Band b : a.bands) bands.push_back(std::string(enroll::BandName(b)));
  return nlohmann::json{{"version", kFirstVersion},      {"days", a.days}, {"bands", bands}, {"pickup", pickup},
                        {"dismissal_batch_id", nullptr}, {"note", a.note}}
      .dump();
}

DemoAccount Account(const GenAccount& a) {
  return DemoAccount{std::string(auth::RoleName(a.role)),
                     std::string(auth::RoleLabelZh(a.role)),
                     a.login,
                     kDemoPassword,
                     a.display_name,
                     a.note};
}

// Writes the generated school table by table in one transaction on c; each step keeps the ids
// the later steps refer to.
struct Loader {
  Loader(Conn& conn, const DemoData& data, const std::vector<std::string>& password_hashes)
      : c(conn), d(data), hashes(password_hashes) {}

  Conn& c;
  const DemoData& d;
  const std::vector<std::string>& hashes;
  const int64_t now = NowMs();
  std::vector<int64_t> area_ids, school_ids, term_ids, grade_ids, staff_ids, room_ids, class_ids, student_ids,
      guardian_ids, user_ids, agreement_ids, application_ids;
  std::vector<std::string> agreement_hashes;

  // Registration: instants are the generator's "seconds ago" before now.
  Value Ago(int64_t seconds) const { return Int(now - seconds * 1000); }

  void AreasAndSchools() {
    for (const GenArea& a : d.areas)
      area_ids.push_back(c.Insert(store::kInsertArea,
                                  {Text(a.kind), Text(a.name), Ref(area_ids, a.parent), Text(a.office_close_time)}));
    for (const GenSchool& s : d.schools)
      school_ids.push_back(c.Insert(store::kInsertSchool, {Int(area_ids.at(s.area)), Text(s.name), Text(s.level),
                                                           Text(s.type), Text(s.address), Int(now)}));
  }

  void Terms() {
    for (const GenTerm& t : d.terms) {
      const int64_t school = school_ids.at(t.school);
      int64_t term = c.Insert(store::kInsertTerm,
                              {Int(school), Text(t.name), Text(t.start_date), Text(t.end_date), db::Opt(t.winter_from),
                               db::Opt(t.summer_from), Text(t.excluded_weekdays), Bool(t.is_current)});
      term_ids.push_back(term);
      for (const GenHoliday& h : t.holidays)
        c.Exec(store::kInsertHoliday, {Int(school), Int(term), Text(h.name), Text(h.start_date), Text(h.end_date)});
      for (const GenBand& b : t.bands)
        c.Exec(store::kInsertBand, {Int(school), Int(term), Text(b.kind), Text(b.season), Text(b.name),
                                    Text(b.start_time), Text(b.end_time)});
    }
  }

  void Grades() {
    for (const GenGrade& g : d.grades)
      grade_ids.push_back(c.Insert(store::kInsertGrade, {Int(school_ids.at(g.school)), Int(g.number), Text(g.name)}));
  }

  void Staff() {
    std::vector<Params> rows;
    std::vector<std::string> keys;
    for (const GenStaff& st : d.staff) {
      rows.push_back({Int(school_ids.at(st.school)), Text(st.name), Text(st.gender), Text(st.kind), Text(st.subjects),
                      Text(st.mobile), Text(st.institution), Bool(true), Int(now), Int(now)});
      keys.push_back(std::to_string(school_ids.at(st.school)) + "/" + st.mobile);
    }
    staff_ids = store::IdsByKey(store::InsertMany(c, store::kInsertStaff, rows), keys);
  }

  void Rooms() {
    for (const GenRoom& r : d.rooms)
      room_ids.push_back(c.Insert(store::kInsertRoom, {Int(school_ids.at(r.school)), Text(r.name), Text(r.kind),
                                                       Int(r.capacity), Text(r.equipment)}));
  }

  void Classes() {
    for (const GenClass& k : d.classes)
      class_ids.push_back(
          c.Insert(store::kInsertClass, {Int(school_ids.at(k.school)), Int(grade_ids.at(k.grade)), Text(k.name),
                                         Int(k.number), Ref(staff_ids, k.class_teacher), Ref(room_ids, k.room)}));
    // Each grade's leader (年级组长): the class teacher of its class 1 (the demo's grade3 account is
    // the leader of grade 3 and class teacher of 三年级(1)班).
    c.Exec(store::kSetGradeLeaders);
  }

  void Students() {
    std::vector<Params> rows;
    std::vector<std::string> keys;
    for (const GenStudent& st : d.students) {
      rows.push_back({Int(school_ids.at(st.school)), Text(st.student_no), Text(st.name), Text(st.gender),
                      Int(class_ids.at(st.klass)), Text(st.id_number), Text(st.health_notes), Bool(st.left_behind),
                      Bool(st.low_income), Bool(st.disability), Bool(true), Int(now), Int(now)});
      keys.push_back(std::to_string(school_ids.at(st.school)) + "/" + st.student_no);
    }
    student_ids = store::IdsByKey(store::InsertMany(c, store::kInsertStudents, rows), keys);
  }

  void Guardians() {
    std::vector<Params> rows;
    std::vector<std::string> keys;
    for (const GenGuardian& g : d.guardians) {
      rows.push_back({Text(g.mobile), Text(g.name), Int(now)});
      keys.push_back(g.mobile);
    }
    guardian_ids = store::IdsByKey(store::InsertMany(c, store::kInsertGuardians, rows), keys);
  }

  void Links() {
    std::vector<Params> rows;
    for (const GenLink& l : d.links)
      rows.push_back({Int(school_ids.at(d.students.at(l.student).school)), Int(student_ids.at(l.student)),
                      Int(guardian_ids.at(l.guardian)), Text(l.relation), Bool(l.is_primary)});
    store::InsertMany(c, store::kInsertLinks, rows);
  }

  void Accounts() {
    for (size_t i = 0; i < d.accounts.size(); ++i) {
      const GenAccount& a = d.accounts[i];
      user_ids.push_back(
          c.Insert(store::kInsertUser,
                   {Text(a.login), Text(hashes.at(i)), Text(a.display_name), Text(std::string(auth::RoleName(a.role))),
                    Ref(school_ids, a.school), Ref(area_ids, a.area), Ref(staff_ids, a.staff),
                    Ref(guardian_ids, a.guardian), Int(now)}));
    }
  }

  void Agreements() {
    for (const GenAgreement& a : d.agreements) {
      const GenTerm& t = d.terms.at(a.term);
      agreement_hashes.push_back(enroll::TextHash(a.body));  // what enroll's service stores and signs
      agreement_ids.push_back(
          c.Insert(store::kInsertAgreement,
                   {Int(school_ids.at(t.school)), Int(term_ids.at(a.term)), Int(kFirstVersion), Text(a.title),
                    Text(a.body), Text(agreement_hashes.back()), Ref(user_ids, a.account), Ago(a.ago_s)}));
    }
  }

  void Applications() {
    std::vector<Params> rows;
    std::vector<std::string> keys;
    for (const GenApplication& a : d.applications) {
      const int64_t school = school_ids.at(d.students.at(a.student).school);
      const Value by = Ref(user_ids, a.signer_account);
      rows.push_back({Int(school), Int(term_ids.at(d.agreements.at(a.agreement).term)), Int(student_ids.at(a.student)),
                      Text(std::string(enroll::StatusName(a.status))), Int(kFirstVersion),
                      Text(enroll::JoinInts(a.days)), Text(enroll::JoinBands(a.bands)),
                      Text(std::string(enroll::PickupName(a.pickup))), Ref(guardian_ids, a.pickup_guardian),
                      Text(a.proxy_name), Text(a.proxy_mobile), Null(), Text(a.note), by, by, Ago(a.created_ago_s),
                      Ago(a.decisions.back().ago_s), Ago(a.decisions.front().ago_s)});
      keys.push_back(std::to_string(school) + "/" + std::to_string(student_ids.at(a.student)));
    }
    application_ids = store::IdsByKey(store::InsertMany(c, store::kInsertApplications, rows), keys);
  }

  void SignaturesAndDecisions() {
    std::vector<Params> signatures, decisions;
    for (size_t i = 0; i < d.applications.size(); ++i) {
      const GenApplication& a = d.applications[i];
      const int64_t school = school_ids.at(d.students.at(a.student).school);
      signatures.push_back({Int(school), Int(application_ids[i]), Int(kFirstVersion),
                            Int(agreement_ids.at(a.agreement)), Int(kFirstVersion),
                            Text(agreement_hashes.at(a.agreement)), Text(SignedForm(a, guardian_ids)),
                            Ref(user_ids, a.signer_account), Int(guardian_ids.at(a.signer)),
                            Text(d.guardians.at(a.signer).name), Text(a.device), Text(a.client), Ago(a.signed_ago_s)});
      for (const GenDecision& x : a.decisions)
        decisions.push_back({Int(school), Int(application_ids[i]), Int(kFirstVersion),
                             Text(std::string(enroll::StepName(x.step))), Text(std::string(enroll::StatusName(x.from))),
                             Text(std::string(enroll::StatusName(x.to))), Text(""), Ref(user_ids, x.account),
                             Text(x.user_name), Text(std::string(auth::RoleName(x.role))), Ago(x.ago_s)});
    }
    store::InsertMany(c, store::kInsertSignatures, signatures);
    store::InsertMany(c, store::kInsertDecisions, decisions);
  }
};

// What was written: the counts, and the main school's share of them.
DemoSummary Summarise(const DemoData& d, const Loader& ids) {
  DemoSummary sum;
  sum.city_id = ids.area_ids.at(0);
  sum.county_id = ids.area_ids.at(1);
  sum.main_school_id = ids.school_ids.at(0);
  sum.areas = static_cast<int64_t>(d.areas.size());
  sum.schools = static_cast<int64_t>(d.schools.size());
  sum.terms = static_cast<int64_t>(d.terms.size());
  sum.grades = static_cast<int64_t>(d.grades.size());
  sum.classes = static_cast<int64_t>(d.classes.size());
  sum.rooms = static_cast<int64_t>(d.rooms.size());
  sum.staff = static_cast<int64_t>(d.staff.size());
  sum.students = static_cast<int64_t>(d.students.size());
  sum.guardians = static_cast<int64_t>(d.guardians.size());
  sum.guardian_links = static_cast<int64_t>(d.links.size());
  sum.users = static_cast<int64_t>(d.accounts.size());
  std::set<Index> main_guardians;
  for (const GenLink& l : d.links)
    if (d.students[l.student].school == 0) main_guardians.insert(l.guardian);
  for (const GenStudent& s : d.students) sum.main_students += s.school == 0;
  for (const GenClass& k : d.classes) sum.main_classes += k.school == 0;
  for (const GenStaff& s : d.staff) sum.main_staff += s.school == 0;
  for (const GenRoom& r : d.rooms) sum.main_rooms += r.school == 0;
  sum.main_guardians = static_cast<int64_t>(main_guardians.size());
  for (const GenAccount& a : d.accounts) sum.accounts.push_back(Account(a));
  sum.agreements = static_cast<int64_t>(d.agreements.size());
  sum.applications = static_cast<int64_t>(d.applications.size());
  for (const GenApplication& a : d.applications) {
    const bool approved = a.status == enroll::AppStatus::kApproved;
    const bool main = d.students.at(a.student).school == 0;
    (approved ? sum.applications_approved : sum.applications_pending) += 1;
    if (main) (approved ? sum.main_applications_approved : sum.main_applications_pending) += 1;
  }
  return sum;
}

// The audit row that records the demo.
void AuditDemo(Conn& c, const DemoSummary& sum, int64_t now) {
  nlohmann::json after = {
      {"seed", kDemoSeed},
      {"schools", sum.schools},
      {"classes", sum.classes},
      {"students", sum.students},
      {"guardians", sum.guardians},
      {"staff", sum.staff},
      {"rooms", sum.rooms},
      {"users", sum.users},
      {"agreements", sum.agreements},
      {"applications", {{"approved", sum.applications_approved}, {"pending", sum.applications_pending}}},
      {"main_school",
       {{"students", sum.main_students},
        {"classes", sum.main_classes},
        {"guardians", sum.main_guardians},
        {"staff", sum.main_staff}}}};
  c.Exec(store::kInsertAudit, {Int(sum.main_school_id), Text("kehou demo"), Int(now), Int(sum.main_school_id),
                               Text(after.dump()), Text("cli")});
}

// Everything in one transaction on c. Returns the summary (without timing) or a conflict.
Result<DemoSummary> Load(Conn& c, const DemoData& d, const std::vector<std::string>& hashes, const Progress& progress) {
  if (store::DemoPresent(c, kMainSchoolName))
    return Error::Conflict(std::string("演示数据已存在（") + kMainSchoolName + "）",
                           "the demo is already in this database");
  for (const GenAccount& a : d.accounts)
    if (store::LoginTaken(c, a.login))
      return Error::Conflict("登录名“" + a.login + "”已被占用，无法创建演示账号",
                             "login '" + a.login + "' is already taken");
  Loader l(c, d, hashes);
  const std::vector<std::tuple<const char*, int, void (Loader::*)()>> steps = {
      {"行政区与学校", 12, &Loader::AreasAndSchools},
      {"学期、节假日与服务时段", 16, &Loader::Terms},
      {"年级", 20, &Loader::Grades},
      {"教职工", 25, &Loader::Staff},
      {"场地", 30, &Loader::Rooms},
      {"班级", 35, &Loader::Classes},
      {"学生", 40, &Loader::Students},
      {"监护人", 60, &Loader::Guardians},
      {"学生与监护人关系", 78, &Loader::Links},
      {"账号", 88, &Loader::Accounts},
      {"托管协议", 90, &Loader::Agreements},
      {"线上报名", 91, &Loader::Applications},
      {"协议签署与审核记录", 94, &Loader::SignaturesAndDecisions}};
  for (const auto& [label, pct, write] : steps) {
    if (progress) progress(label, pct);
    (l.*write)();
  }
  DemoSummary sum = Summarise(d, l);
  if (progress) progress("审计记录", 97);
  AuditDemo(c, sum, l.now);
  return sum;
}

// Display width of UTF-8 text in a terminal: East Asian wide characters count two.
size_t DisplayWidth(std::string_view s) {
  size_t w = 0;
  for (size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    uint32_t cp = b;
    size_t n = 1;
    if (b >= 0xF0) {
      n = 4;
      cp = b & 0x07u;
    } else if (b >= 0xE0) {
      n = 3;
      cp = b & 0x0Fu;
    } else if (b >= 0xC0) {
      n = 2;
      cp = b & 0x1Fu;
    }
    for (size_t k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
                (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    w += wide ? 2 : 1;
    i += n;
  }
  return w;
}

}  // namespace

Result<DemoSummary> CreateDemo(db::Db& db, Progress progress) {
  const auto start = std::chrono::steady_clock::now();
  auto step = [&](std::string_view s, int pct) {
    if (progress) progress(s, pct);
  };
  step("检查数据库", 0);
  if (DemoExists(db))
    return Error::Conflict(std::string("演示数据已存在（") + kMainSchoolName + "）",
                           "the demo is already in this database");
  step("生成演示数据", 2);
  const DemoData data = Generate(kDemoSeed);
  // Hash outside the transaction (and once, even if the transaction is re-run). Each account
  // gets its own salt, at Kehou's normal cost.
  step("账号密码加密", 5);
  // Spread over the cores (argon2id is memory-hard and single-threaded per hash). sodium_init
  // first: it makes libsodium's random source safe to use from several threads.
  if (sodium_init() < 0) return MakeError(kInternal, "密码库初始化失败", "libsodium failed to initialise");
  std::vector<std::string> hashes(data.accounts.size());
  {
    const size_t workers = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
    std::vector<std::thread> pool;
    std::vector<std::exception_ptr> failed(workers);
    for (size_t w = 0; w < workers; ++w)
      pool.emplace_back([&hashes, &failed, w, workers] {
        try {
          for (size_t i = w; i < hashes.size(); i += workers) hashes[i] = auth::HashPassword(kDemoPassword);
        } catch (...) {
          failed[w] = std::current_exception();
        }
      });
    for (auto& t : pool) t.join();
    for (auto& e : failed)
      if (e) std::rethrow_exception(e);
  }

  Result<DemoSummary> r = MakeError(kInternal, "未执行", "not run");
  try {
    r = db.Write([&](Conn& c) { return Load(c, data, hashes, progress); });
  } catch (const db::DbError& e) {
    if (!e.unique_violation) throw;
    return Error::Conflict("演示数据与数据库中已有的记录冲突（登录名、手机号或学校重复），未写入任何数据",
                           std::string("the demo collides with existing rows; nothing was written: ") + e.what());
  }
  if (!r.ok()) return r;
  step("选课轮次", 98);
  auto staff = CreateDemoStaff(db, r->main_school_id);  // before the rounds: their teachers pass the gate
  if (!staff.ok()) return staff.error();
  auto rounds = CreateDemoRounds(db, r->main_school_id, NowMs());
  if (!rounds.ok()) return rounds.error();
  r->preference_round_id = rounds->preference_round_id;
  r->fcfs_round_id = rounds->fcfs_round_id;
  r->round_courses = rounds->courses;
  r->round_sections = rounds->sections;
  r->ranked_children = rounds->ranked_children;
  r->placed_children = rounds->placed_children;
  if (auto att = CreateDemoAttendance(db, r->main_school_id, NowMs()); !att.ok()) return att.error();
  if (auto sf = CreateDemoSafety(db, r->main_school_id, NowMs()); !sf.ok()) return sf.error();
  if (auto nt = CreateDemoNotify(db, r->main_school_id, NowMs()); !nt.ok()) return nt.error();
  auto registration = CreateDemoRegistration(db, r->main_school_id, TodayLocal());
  if (!registration.ok()) return registration.error();
  step("收费", 99);
  if (auto money = CreateDemoFees(db, r->main_school_id); !money.ok()) return money.error();
  if (auto pick = CreateDemoPickup(db, r->main_school_id, NowMs()); !pick.ok()) return pick.error();
  if (auto books = CreateDemoLedger(db, r->main_school_id); !books.ok()) return books.error();
  if (auto pay = CreateDemoPay(db, r->main_school_id); !pay.ok()) return pay.error();
  step("课表", 99);
  auto tt = CreateDemoTimetable(db, r->main_school_id);
  if (!tt.ok()) return tt.error();
  r->main_staff += tt->supervisors;
  r->elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  step("完成", 100);
  return r;
}

bool DemoExists(db::Db& db) {
  return db.Read([](Conn& c) { return store::DemoPresent(c, kMainSchoolName); });
}

std::vector<DemoAccount> DemoAccounts() {
  std::vector<DemoAccount> out;
  for (const GenAccount& a : Generate(kDemoSeed).accounts) out.push_back(Account(a));
  return out;
}

std::string FormatAccounts(const std::vector<DemoAccount>& accounts) {
  std::vector<std::vector<std::string>> rows = {{"角色", "role", "登录名", "密码", "姓名", "说明"}};
  for (const DemoAccount& a : accounts)
    rows.push_back({a.role_label, a.role, a.login, a.password, a.display_name, a.note});
  std::vector<size_t> width(rows.front().size(), 0);
  for (const auto& row : rows)
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], DisplayWidth(row[i]));
  std::string out;
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t i = 0; i < rows[r].size(); ++i) {
      out += rows[r][i];
      if (i + 1 < rows[r].size()) out += std::string(width[i] - DisplayWidth(rows[r][i]) + 2, ' ');
    }
    out += '\n';
    if (r == 0) {
      for (size_t i = 0; i < width.size(); ++i) out += std::string(width[i], '-') + (i + 1 < width.size() ? "  " : "");
      out += '\n';
    }
  }
  return out;
}

}  // namespace kehou::demo
