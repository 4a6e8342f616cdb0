// builder_families.cpp (demo): families, children placed in classes, students and accounts.
#include "demo/builder.h"

namespace kehou::demo::internal {

// ---- families and children ---------------------------------------------------------------------------
Index Builder::NewGuardian(std::string name) {
  d_.guardians.push_back({std::move(name), Mobile()});
  return d_.guardians.size() - 1;
}

Index Builder::NewFamily() {
  Family f;
  f.surname = Surname();
  std::string mother_surname = Surname();
  int roll = rng_.Range(0, 9999);
  auto father = [&] {
    f.father = NewGuardian(AdultName(f.surname, true));
    f.members.push_back({*f.father, "父亲"});
  };
  auto mother = [&] {
    f.mother = NewGuardian(AdultName(mother_surname, false));
    f.members.push_back({*f.mother, "母亲"});
  };
  if (roll < 500) {
    // Left behind: the parents work in the cities; grandparents look after the children.
    f.kind = FamilyKind::kLeftBehind;
    if (rng_.Chance(6000)) {
      f.members.push_back({NewGuardian(OldName(Surname(), false)), "祖母"});
      f.members.push_back({NewGuardian(OldName(f.surname, true)), "祖父"});
    } else {
      f.members.push_back({NewGuardian(OldName(Surname(), false)), "外婆"});
      f.members.push_back({NewGuardian(OldName(mother_surname, true)), "外公"});
    }
    if (rng_.Chance(5000)) father();
  } else if (roll < 800) {
    f.kind = FamilyKind::kThree;
    mother();
    father();
    if (rng_.Chance(5000)) f.members.push_back({NewGuardian(OldName(Surname(), false)), "祖母"});
    else f.members.push_back({NewGuardian(OldName(Surname(), false)), "外婆"});
  } else if (roll < 1800) {
    f.kind = FamilyKind::kSingle;
    if (rng_.Chance(6000)) mother();
    else father();
  } else {
    f.kind = FamilyKind::kTwoParents;
    if (rng_.Chance(6500)) {
      mother();
      father();
    } else {
      father();
      mother();
    }
  }
  f.low_income = rng_.Chance(300);
  families_.push_back(std::move(f));
  return families_.size() - 1;
}

void Builder::PlaceChild(Index family, Index klass) {
  GenClass& c = d_.classes[klass];
  Family& f = families_[family];
  Child ch;
  ch.family = family;
  ch.klass = klass;
  bool boy = rng_.Chance(5200);
  std::string name;
  for (int attempt = 0; attempt < 8; ++attempt) {
    name = f.surname + ChildGiven(boy);
    if (class_names_[klass].insert(name).second) break;
  }
  ch.s.school = c.school;
  ch.s.klass = klass;
  ch.s.name = name;
  ch.s.gender = boy ? "M" : "F";
  ch.s.birth_date = ChildBirth(c.grade_number);
  ch.s.id_number = IdNumber(ch.s.birth_date, boy);
  if (rng_.Chance(300)) ch.s.health_notes = std::string(PickWeighted(rng_, kHealthNotes));
  ch.s.left_behind = f.kind == FamilyKind::kLeftBehind;
  ch.s.low_income = f.low_income;
  ch.s.disability = rng_.Chance(50);
  --remaining_[klass];
  f.children.push_back(children_.size());
  children_.push_back(std::move(ch));
}

std::optional<Index> Builder::FreeClass(bool main_school, int not_grade) {
  std::vector<Index> candidates;
  for (Index k = 0; k < d_.classes.size(); ++k) {
    const GenClass& c = d_.classes[k];
    if ((c.school == 0) != main_school || remaining_[k] <= 0 || c.grade_number == not_grade) continue;
    candidates.push_back(k);
  }
  if (candidates.empty()) return std::nullopt;
  return candidates[static_cast<size_t>(rng_.Below(candidates.size()))];
}

std::optional<Index> Builder::FreeClassIn(Index school, int not_grade) {
  std::vector<Index> candidates;
  for (Index k = 0; k < d_.classes.size(); ++k) {
    const GenClass& c = d_.classes[k];
    if (c.school != school || remaining_[k] <= 0 || c.grade_number == not_grade) continue;
    candidates.push_back(k);
  }
  if (candidates.empty()) return std::nullopt;
  return candidates[static_cast<size_t>(rng_.Below(candidates.size()))];
}

void Builder::PlaceChildren() {
  remaining_.clear();
  for (const GenClass& c : d_.classes) remaining_.push_back(c.size);
  class_names_.resize(d_.classes.size());
  // The main school first: about 12% of its families have a second child there, about 3% a
  // second child in one of the small schools (the guardian then sees both schools).
  for (Index k = 0; k < d_.classes.size(); ++k) {
    if (d_.classes[k].school != 0) continue;
    while (remaining_[k] > 0) {
      Index f = NewFamily();
      PlaceChild(f, k);
      int g = d_.classes[k].grade_number;
      if (rng_.Chance(1200)) {
        if (auto other = FreeClass(true, g)) PlaceChild(f, *other);
      } else if (rng_.Chance(300)) {
        if (auto other = FreeClass(false, g)) PlaceChild(f, *other);
      }
    }
  }
  for (Index k = 0; k < d_.classes.size(); ++k) {
    if (d_.classes[k].school == 0) continue;
    while (remaining_[k] > 0) {
      Index f = NewFamily();
      PlaceChild(f, k);
      if (rng_.Chance(600))
        if (auto other = FreeClassIn(d_.classes[k].school, d_.classes[k].grade_number)) PlaceChild(f, *other);
    }
  }
}

void Builder::WriteStudents() {
  std::vector<std::vector<Index>> by_class(d_.classes.size());
  for (Index i = 0; i < children_.size(); ++i) by_class[children_[i].klass].push_back(i);
  child_student_.assign(children_.size(), 0);
  for (Index k = 0; k < d_.classes.size(); ++k) {
    auto& list = by_class[k];
    Shuffle(list);
    const GenClass& c = d_.classes[k];
    int entry_year = 2026 - (c.school == 2 ? c.grade_number - 7 : c.grade_number - 1);
    int seq = 0;
    for (Index ci : list) {
      GenStudent s = children_[ci].s;
      s.student_no = std::to_string(entry_year) + Pad2(c.number) + Pad2(++seq);
      child_student_[ci] = d_.students.size();
      d_.students.push_back(std::move(s));
      const Family& f = families_[children_[ci].family];
      for (size_t i = 0; i < f.members.size(); ++i)
        d_.links.push_back({d_.students.size() - 1, f.members[i].guardian, f.members[i].relation, i == 0});
    }
  }
}

void Builder::ParentVolunteers() {
  static constexpr std::array<std::string_view, 3> kSubjects = {"绘本阅读", "手工", "上下学安全护导"};
  size_t n = 0;
  for (Index fi = 0; fi < families_.size() && n < kSubjects.size(); fi += 97) {
    const Family& f = families_[fi];
    if (f.kind != FamilyKind::kTwoParents || !f.mother) continue;
    const GenGuardian& g = d_.guardians[*f.mother];
    GenStaff s;
    s.school = 0;
    s.name = g.name;
    s.gender = "F";
    s.kind = "parent_volunteer";
    s.subjects = std::string(kSubjects[n++]);
    s.mobile = g.mobile;
    s.position = "家长志愿者";
    d_.staff.push_back(std::move(s));
  }
}

// ---- accounts ----------------------------------------------------------------------------------------
std::string Builder::StudentPlace(Index child) const {
  const GenStudent& s = d_.students[child_student_[child]];
  return s.name + "（" + d_.schools[s.school].short_name + d_.classes[s.klass].name + "）";
}

void Builder::StaffAccount(auth::Role r, std::string login, Index staff) {
  GenAccount a;
  a.role = r;
  a.login = std::move(login);
  a.display_name = d_.staff[staff].name;
  a.school = d_.staff[staff].school;
  a.staff = staff;
  a.note = d_.schools[d_.staff[staff].school].short_name + " " + d_.staff[staff].position;
  d_.accounts.push_back(std::move(a));
}

Index Builder::ClassTeacherOf(int grade, int number) const {
  for (const GenClass& c : d_.classes)
    if (c.school == 0 && c.grade_number == grade && c.number == number && c.class_teacher) return *c.class_teacher;
  return principal_;
}

std::pair<Index, Index> Builder::AccountFamilies() const {
  // The guardian account: a two-parent family with one child here and one in a small school.
  std::optional<Index> cross, committee;
  for (Index fi = 0; fi < families_.size(); ++fi) {
    const Family& f = families_[fi];
    if (f.kind != FamilyKind::kTwoParents || !f.mother || f.children.size() < 2) continue;
    bool here = false, elsewhere = false;
    for (Index ch : f.children) (children_[ch].s.school == 0 ? here : elsewhere) = true;
    if (here && elsewhere) {
      cross = fi;
      break;
    }
  }
  // The parent committee: a father in grade 5 (not the guardian account's family).
  for (Index fi = 0; fi < families_.size() && !committee; ++fi) {
    const Family& f = families_[fi];
    if (fi == cross || !f.father || f.kind != FamilyKind::kTwoParents) continue;
    const GenStudent& s = children_[f.children.front()].s;
    if (s.school == 0 && d_.classes[s.klass].grade_number == 5) committee = fi;
  }
  return {cross.value_or(Index{0}), committee.value_or(Index{1})};
}

void Builder::CommitteeAccount(Index family) {
  const Family& f = families_[family];
  Index g = f.father ? *f.father : f.members.front().guardian;
  GenAccount a;
  a.role = auth::Role::kParentCommittee;
  a.login = "committee";
  a.display_name = d_.guardians[g].name;
  a.school = Index{0};
  a.guardian = g;
  a.note = "家长委员会（家长监督小组）代表，孩子：" + StudentPlace(f.children.front());
  d_.accounts.push_back(std::move(a));
}

void Builder::GuardianAccount(Index family) {
  const Family& f = families_[family];
  Index g = f.mother ? *f.mother : f.members.front().guardian;
  GenAccount a;
  a.role = auth::Role::kGuardian;
  a.login = d_.guardians[g].mobile;
  a.display_name = d_.guardians[g].name;
  a.school = Index{0};
  a.guardian = g;
  a.note = "家长，孩子：";
  for (size_t c = 0; c < f.children.size(); ++c) a.note += (c ? "、" : "") + StudentPlace(f.children[c]);
  d_.accounts.push_back(std::move(a));
}

void Builder::OfficerAccount(auth::Role r) {
  bool county = r == auth::Role::kCountyOfficer;
  bool man = rng_.Chance(5000);
  GenAccount a;
  a.role = r;
  a.login = county ? "county" : "city";
  a.display_name = AdultName(Surname(), man);
  a.area = county ? Index{1} : Index{0};
  a.note = county ? "青山县教育局基础教育股（只读，县内4所学校）" : "临江市教育局（只读，全市学校）";
  d_.accounts.push_back(std::move(a));
}

void Builder::Accounts() {
  using auth::Role;
  const auto [cross, committee] = AccountFamilies();
  for (int i = 0; i < auth::kRoleCount; ++i) {
    auto r = static_cast<Role>(i);
    switch (r) {
      case Role::kPrincipal: StaffAccount(r, "principal", principal_); break;
      case Role::kVicePrincipal: StaffAccount(r, "vice", vice_); break;
      case Role::kOfficeDirector: StaffAccount(r, "office", director_); break;
      case Role::kOfficeStaff: StaffAccount(r, "clerk", clerk_); break;
      case Role::kCourseGroup: StaffAccount(r, "course", course_); break;
      case Role::kSafetyOfficer: StaffAccount(r, "safety", safety_); break;
      case Role::kGuard: StaffAccount(r, "guard", guard_); break;
      case Role::kSchoolDoctor: StaffAccount(r, "doctor", doctor_); break;
      case Role::kLiaison: StaffAccount(r, "liaison", liaison_); break;
      case Role::kParentCommittee: CommitteeAccount(committee); break;
      case Role::kGradeLeader:
        StaffAccount(r, "grade3", ClassTeacherOf(3, 1));
        d_.accounts.back().note = "实验学校 三年级年级组长（兼三年级(1)班班主任）";
        break;
      case Role::kClassTeacher: StaffAccount(r, "classteacher", ClassTeacherOf(3, 2)); break;
      case Role::kTeacher: StaffAccount(r, "teacher", teacher_); break;
      case Role::kExternalStaff:
        StaffAccount(r, "external", external_.value_or(principal_));
        d_.accounts.back().note = std::string("实验学校 ") + kInstitutionName + " " +
                                  d_.staff[external_.value_or(principal_)].subjects + "教师";
        break;
      case Role::kGuardian: GuardianAccount(cross); break;
      case Role::kCountyOfficer:
      case Role::kCityOfficer: OfficerAccount(r); break;
      case Role::kSysAdmin: {
        GenAccount a;
        a.role = r;
        a.login = "admin";
        a.display_name = "系统管理员";
        a.note = "系统管理员（所有学校）";
        d_.accounts.push_back(std::move(a));
        break;
      }
    }
  }
}

}  // namespace kehou::demo::internal
