// builder_staff.cpp (demo): the schools' staff, class teachers and rooms.
#include "demo/builder.h"

namespace kehou::demo::internal {

// ---- staff -------------------------------------------------------------------------------------------
Index Builder::AddStaff(Index school, std::string kind, std::string position, std::string subjects, int female_bp,
                        std::string institution, bool old) {
  bool man = !rng_.Chance(female_bp);
  GenStaff s;
  s.school = school;
  do {  // names are unique within a school, so the demo's lists read clearly
    std::string surname = Surname();
    s.name = old ? OldName(surname, man) : AdultName(surname, man);
  } while (!staff_names_[school].insert(s.name).second);
  s.gender = man ? "M" : "F";
  s.kind = std::move(kind);
  s.subjects = std::move(subjects);
  s.mobile = Mobile();
  s.institution = std::move(institution);
  s.position = std::move(position);
  d_.staff.push_back(std::move(s));
  return d_.staff.size() - 1;
}

Index Builder::Teacher(Index school, const std::string& subject, int female_bp) {
  return AddStaff(school, "in_school", subject + "教师", subject, female_bp);
}

void Builder::MainStaff() {
  const Index m = 0;
  principal_ = AddStaff(m, "in_school", "校长", "语文", 4000);
  principals_[m] = principal_;
  vice_ = AddStaff(m, "in_school", "副校长", "数学", 5000);
  AddStaff(m, "in_school", "副校长", "英语", 6000);
  course_ = AddStaff(m, "in_school", "教导主任（课程与师资管理组）", "数学", 6000);
  director_ = AddStaff(m, "in_school", "课后服务管理办公室主任", "语文", 6500);
  clerk_ = AddStaff(m, "in_school", "课后服务管理办公室干事", "", 7000);
  AddStaff(m, "in_school", "课后服务管理办公室干事", "", 7000);
  safety_ = AddStaff(m, "in_school", "安全主任（安全与后勤保障组）", "体育", 2000);
  guard_ = AddStaff(m, "in_school", "保安", "", 0);
  for (int i = 0; i < 3; ++i) AddStaff(m, "in_school", "保安", "", 0);
  doctor_ = AddStaff(m, "in_school", "校医", "", 6000);
  AddStaff(m, "in_school", "校医", "", 6000);
  AddStaff(m, "in_school", "图书管理员", "", 8000);

  // Subject teachers: primary (grades 1-6) and junior (7-9) sections of the school.
  struct Need {
    const char* subject;
    int primary, junior, female_bp;
  };
  static constexpr Need kNeeds[] = {
      {"语文", 20, 8, 8000}, {"数学", 18, 8, 7000},      {"英语", 8, 6, 8500},     {"科学", 5, 0, 6000},
      {"物理", 0, 3, 4000},  {"化学", 0, 2, 5000},       {"生物", 0, 2, 6000},     {"历史", 0, 2, 6000},
      {"地理", 0, 2, 5500},  {"道德与法治", 3, 2, 7000}, {"体育", 5, 3, 2500},     {"音乐", 3, 2, 8000},
      {"美术", 3, 2, 7000},  {"信息技术", 2, 1, 4000},   {"心理健康", 1, 0, 8000},
  };
  for (const Need& n : kNeeds) {
    for (int i = 0; i < n.primary; ++i) {
      Index t = Teacher(m, n.subject, n.female_bp);
      primary_teachers_[n.subject].push_back(t);
    }
    for (int i = 0; i < n.junior; ++i) {
      Index t = Teacher(m, n.subject, n.female_bp);
      junior_teachers_[n.subject].push_back(t);
    }
  }
  liaison_ = primary_teachers_["心理健康"].front();
  d_.staff[liaison_].position = "心理健康教师（家校沟通与评价组联络员）";
  teacher_ = primary_teachers_["英语"].front();

  static constexpr std::array<std::string_view, 10> kRetired = {"书法", "国画",   "围棋",     "象棋",     "合唱",
                                                                "剪纸", "太极拳", "数学辅导", "作文辅导", "京剧"};
  for (auto subject : kRetired) AddStaff(m, "retired", "退休教师", std::string(subject), 5000, "", /*old=*/true);
  static constexpr std::array<std::string_view, 8> kInstitution = {"机器人",   "编程",   "航模",     "3D打印",
                                                                   "科学实验", "无人机", "电子制作", "创客"};
  for (auto subject : kInstitution) {
    Index s = AddStaff(m, "institution", "培训中心教师", std::string(subject), 4000, kInstitutionName);
    if (!external_) external_ = s;
  }
  AddStaff(m, "volunteer", "大学生志愿者", "英语口语", 6000, "青山县志愿者协会");
  AddStaff(m, "volunteer", "社区志愿者", "足球", 1000, "青山县志愿者协会");
  AddStaff(m, "volunteer", "社区志愿者", "阅读推广", 8000, "县图书馆");
}

void Builder::SmallStaff() {
  struct Need {
    const char* subject;
    int count, female_bp;
  };
  auto add = [&](Index school, std::initializer_list<Need> needs) {
    principals_[school] = AddStaff(school, "in_school", "校长", "语文", 3000);
    for (const Need& n : needs)
      for (int i = 0; i < n.count; ++i) {
        Index t = Teacher(school, n.subject, n.female_bp);
        small_teachers_[school].push_back(t);
      }
  };
  add(1, {{"语文", 6, 8500},
          {"数学", 6, 7500},
          {"英语", 2, 9000},
          {"科学", 1, 6000},
          {"体育", 1, 2000},
          {"音乐", 1, 8000},
          {"美术", 1, 7000}});
  AddStaff(1, "in_school", "保安", "", 0);
  AddStaff(1, "retired", "退休教师", "书法", 3000, "", true);
  AddStaff(1, "volunteer", "社区志愿者", "剪纸", 9000, "青山县志愿者协会");

  add(2, {{"语文", 3, 8000},
          {"数学", 3, 6000},
          {"英语", 3, 8500},
          {"物理", 1, 4000},
          {"化学", 1, 5000},
          {"生物", 1, 6000},
          {"历史", 1, 6000},
          {"地理", 1, 5000},
          {"道德与法治", 1, 7000},
          {"体育", 2, 2000},
          {"音乐", 1, 8000},
          {"美术", 1, 7000},
          {"信息技术", 1, 4000}});
  AddStaff(2, "in_school", "保安", "", 0);
  AddStaff(2, "in_school", "保安", "", 0);
  AddStaff(2, "in_school", "校医", "", 6000);

  add(3, {{"语文", 4, 8500},
          {"数学", 3, 7500},
          {"英语", 2, 9000},
          {"科学", 1, 6000},
          {"体育", 1, 2000},
          {"音乐", 1, 8000},
          {"美术", 1, 7000}});
  for (int i = 0; i < 3; ++i) AddStaff(3, "in_school", "生活老师", "", 9000);
  AddStaff(3, "in_school", "保安", "", 0);
  AddStaff(3, "in_school", "校医", "", 6000);
}

void Builder::ClassTeachers() {
  std::vector<Index> primary, junior;
  for (auto subject : {"语文", "数学"})
    for (Index t : primary_teachers_[subject]) primary.push_back(t);
  for (auto [subject, n] : std::initializer_list<std::pair<const char*, size_t>>{
           {"语文", 4}, {"数学", 4}, {"英语", 2}, {"物理", 1}, {"历史", 1}})
    for (size_t i = 0; i < n && i < junior_teachers_[subject].size(); ++i)
      junior.push_back(junior_teachers_[subject][i]);
  Shuffle(primary);
  Shuffle(junior);
  std::map<Index, std::vector<Index>> small;
  for (auto& [school, list] : small_teachers_) {
    for (Index t : list)
      if (d_.staff[t].subjects == "语文" || d_.staff[t].subjects == "数学") small[school].push_back(t);
    Shuffle(small[school]);
  }
  size_t pi = 0, ji = 0;
  std::map<Index, size_t> si;
  for (GenClass& c : d_.classes) {
    std::optional<Index> t;
    if (c.school == 0) {
      if (c.grade_number <= 6 && pi < primary.size()) t = primary[pi++];
      if (c.grade_number >= 7 && ji < junior.size()) t = junior[ji++];
    } else {
      auto& list = small[c.school];
      size_t& i = si[c.school];
      if (i < list.size()) t = list[i++];
    }
    c.class_teacher = t;
    if (t) d_.staff[*t].position += "，" + c.name + "班主任";
  }
}

// ---- rooms -------------------------------------------------------------------------------------------
void Builder::AddRoom(Index school, std::string name, std::string kind, int capacity, std::string equipment) {
  d_.rooms.push_back({school, std::move(name), std::move(kind), capacity, std::move(equipment)});
}

void Builder::Rooms() {
  std::map<std::pair<Index, std::string>, int> next_on_floor;
  for (GenClass& c : d_.classes) {
    std::string building;
    int floor;
    if (c.school == 0) {
      building = c.grade_number <= 6 ? "启智楼" : "致远楼";
      floor = c.grade_number <= 6 ? (c.grade_number + 1) / 2 : c.grade_number - 6;
    } else {
      building = "教学楼";
      floor = c.grade_number <= 6 ? (c.grade_number + 1) / 2 : c.grade_number - 6;
    }
    int& k = next_on_floor[{c.school, building + std::to_string(floor)}];
    ++k;
    c.room = d_.rooms.size();
    AddRoom(c.school, building + std::to_string(floor * 100 + k), "classroom", 56, "多媒体一体机、空调");
  }
  const Index m = 0;
  AddRoom(m, "田径场", "sports_ground", 600, "400米塑胶跑道、人工草坪足球场");
  AddRoom(m, "篮球场", "sports_ground", 160, "标准篮球场4片、排球场2片");
  AddRoom(m, "体育馆", "gym", 300, "羽毛球场4片、乒乓球台12张、音响");
  AddRoom(m, "美术室一", "function_room", 50, "画架50个、水池、展示墙");
  AddRoom(m, "美术室二", "function_room", 50, "画架50个、陶艺拉坯机6台");
  AddRoom(m, "音乐室一", "function_room", 55, "钢琴1台、音响、合唱台阶");
  AddRoom(m, "音乐室二", "function_room", 55, "钢琴1台、民族乐器一套");
  AddRoom(m, "舞蹈室", "function_room", 40, "把杆、镜墙、木地板");
  AddRoom(m, "书法室", "function_room", 48, "书法桌48张、毛笔砚台");
  AddRoom(m, "计算机房一", "function_room", 50, "学生机50台、教师机、投影");
  AddRoom(m, "计算机房二", "function_room", 50, "学生机50台、机器人套件20套");
  AddRoom(m, "科学实验室一", "lab", 50, "实验台12张、显微镜25台");
  AddRoom(m, "科学实验室二", "lab", 50, "实验台12张、天文望远镜2台");
  AddRoom(m, "物理实验室", "lab", 50, "分组实验台、电学实验器材");
  AddRoom(m, "化学实验室", "lab", 50, "通风橱、洗眼器、试剂柜");
  AddRoom(m, "生物实验室", "lab", 50, "显微镜50台、标本柜");
  AddRoom(m, "图书馆", "library", 150, "藏书6万册、阅览座位150个");
  AddRoom(m, "多功能报告厅", "function_room", 320, "舞台、音响、投影");
  AddRoom(1, "操场", "sports_ground", 300, "200米跑道、篮球架2副");
  AddRoom(1, "多功能室", "function_room", 60, "钢琴、投影");
  AddRoom(1, "图书室", "library", 50, "藏书1.2万册");
  AddRoom(2, "运动场", "sports_ground", 400, "300米跑道、篮球场2片");
  AddRoom(2, "理化生实验室", "lab", 50, "分组实验台、通风橱");
  AddRoom(2, "计算机房", "function_room", 50, "学生机50台");
  AddRoom(2, "图书室", "library", 60, "藏书2万册");
  AddRoom(3, "操场", "sports_ground", 200, "200米跑道");
  AddRoom(3, "活动室", "function_room", 40, "钢琴、舞蹈把杆");
  AddRoom(3, "图书室", "library", 40, "藏书8千册");
}

}  // namespace kehou::demo::internal
