// generator.cpp: the demo county as plain values (see generator.h).
#include "demo/generator.h"

#include "demo/builder.h"

namespace kehou::demo {

// ---- PRNG ------------------------------------------------------------------------------------------

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

Rng::Rng(uint64_t seed) {
  uint64_t x = seed;
  for (auto& w : s_) w = SplitMix64(x);
}

uint64_t Rng::Next() {
  auto rotl = [](uint64_t v, int k) { return (v << k) | (v >> (64 - k)); };
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

uint64_t Rng::Below(uint64_t n) {
  if (n <= 1) return 0;
  const uint64_t threshold = (0 - n) % n;  // 2^64 mod n: values below it would bias the modulo
  for (;;) {
    uint64_t r = Next();
    if (r >= threshold) return r % n;
  }
}

int Rng::Range(int lo, int hi) {
  if (hi <= lo) return lo;
  return lo + static_cast<int>(Below(static_cast<uint64_t>(hi - lo) + 1));
}

bool Rng::Chance(int basis_points) {
  if (basis_points <= 0) return false;
  return Below(10000) < static_cast<uint64_t>(basis_points);
}

namespace internal {

// ---- names, numbers ----------------------------------------------------------------------------------
std::string Builder::ChildGiven(bool boy) {
  int roll = rng_.Range(0, 99);
  if (roll < 70) return std::string(Pick(rng_, boy ? kBoyNames : kGirlNames));
  if (roll < 90)
    return std::string(Pick(rng_, boy ? kBoyFirst : kGirlFirst)) +
           std::string(Pick(rng_, boy ? kBoySecond : kGirlSecond));
  return std::string(Pick(rng_, boy ? kBoySingle : kGirlSingle));
}

std::string Builder::AdultName(const std::string& surname, bool man) {
  return surname + std::string(Pick(rng_, man ? kManNames : kWomanNames));
}

std::string Builder::OldName(const std::string& surname, bool man) {
  return surname + std::string(Pick(rng_, man ? kOldManNames : kOldWomanNames));
}

std::string Builder::Mobile() {
  for (;;) {
    std::string m(Pick(rng_, kMobilePrefixes));
    for (int i = 0; i < 8; ++i) m += static_cast<char>('0' + rng_.Below(10));
    if (mobiles_.insert(m).second) return m;
  }
}

std::string Builder::ChildBirth(int g) {
  int year = 2020 - g - (rng_.Chance(200) ? 1 : 0);
  int64_t from = DaysFromCivil(Date{year, 9, 1});
  int64_t to = DaysFromCivil(Date{year + 1, 8, 31});
  int64_t day = from + static_cast<int64_t>(rng_.Below(static_cast<uint64_t>(to - from + 1)));
  return FormatDate(CivilFromDays(day));
}

std::string Builder::IdNumber(const std::string& birth, bool male) {
  for (;;) {
    std::string id(rng_.Chance(9000) ? kLocalRegion : Pick(rng_, kOtherRegions));
    id += birth.substr(0, 4) + birth.substr(5, 2) + birth.substr(8, 2);
    id += Pad2(rng_.Range(0, 99));
    int last = rng_.Range(0, 4) * 2 + (male ? 1 : 0);  // odd for men, even for women
    id += static_cast<char>('0' + last);
    id += *IdNumberCheckChar(id);  // 17 digits here
    if (ids_.insert(id).second) return id;
  }
}

// ---- areas, schools, terms ---------------------------------------------------------------------------
void Builder::Areas() {
  d_.areas.push_back({"city", kCityName, std::nullopt, "17:00"});
  d_.areas.push_back({"county", kCountyName, Index{0}, "17:00"});
}

void Builder::Schools() {
  d_.schools.push_back({1, kMainSchoolName, "实验学校", "nine_year", "public", "青山县城关镇学府路88号"});
  d_.schools.push_back({1, "青山县城关第二小学", "城关二小", "primary", "public", "青山县城关镇解放路12号"});
  d_.schools.push_back({1, "青山县东湖中学", "东湖中学", "junior", "public", "青山县东湖镇东湖大道6号"});
  d_.schools.push_back(
      {1, "青山县育英寄宿制小学", "育英小学", "primary", "private_boarding", "青山县城南新区育英路1号"});
}

void Builder::Terms() {
  const std::vector<GenHoliday> holidays = {{"国庆节", "2026-10-01", "2026-10-07"},
                                            {"元旦", "2027-01-01", "2027-01-03"}};
  auto term = [&](Index school, std::string excluded, std::vector<GenBand> bands) {
    GenTerm t;
    t.school = school;
    t.name = "2026-2027学年第一学期";
    t.start_date = "2026-09-01";
    t.end_date = "2027-01-22";
    t.winter_from = "2026-11-01";  // summer times hold before it
    t.excluded_weekdays = std::move(excluded);
    t.is_current = true;
    t.holidays = holidays;
    t.bands = std::move(bands);
    d_.terms.push_back(std::move(t));
  };
  // After-school bands end at least 20 minutes after the county offices close (17:00) and give
  // at least 2 hours a day ("5+2"); evening self-study only where there are junior grades.
  term(0, "",
       {{"morning", "all", "早间看护", "07:30", "08:00"},
        {"noon", "all", "午间看护", "12:00", "13:30"},
        {"after_school", "summer", "课后服务（夏季）", "15:40", "17:40"},
        {"after_school", "winter", "课后服务（冬季）", "15:20", "17:20"},
        {"evening", "all", "晚自习（七至九年级）", "18:30", "20:30"}});
  // The small primary school keeps Thursday afternoons for teacher study: a "5+2" deviation
  // the county sees on its compliance board.
  term(1, "4",
       {{"morning", "all", "早间看护", "07:40", "08:10"}, {"after_school", "all", "课后服务", "15:30", "17:30"}});
  term(2, "",
       {{"morning", "all", "早读看护", "07:10", "07:40"},
        {"noon", "all", "午间看护", "12:00", "13:30"},
        {"after_school", "summer", "课后服务（夏季）", "16:00", "18:00"},
        {"after_school", "winter", "课后服务（冬季）", "15:40", "17:40"},
        {"evening", "all", "晚自习", "19:00", "20:30"}});
  term(3, "", {{"noon", "all", "午休看护", "12:00", "14:00"}, {"after_school", "all", "课后服务", "15:30", "17:30"}});
}

// ---- grades and classes ------------------------------------------------------------------------------
std::vector<Builder::Plan> Builder::PlansFor(Index school) {
  switch (school) {
    case 0: return {{1, 6, 6, kMainClassSizeMin, kMaxClassSize}, {7, 9, 4, kMainClassSizeMin, kMaxClassSize}};
    case 1: return {{1, 6, 1, 47, 50}};
    case 2: return {{7, 9, 2, 47, 50}};
    default: return {{1, 6, 1, 23, 27}};
  }
}

void Builder::GradesAndClasses(Index school) {
  for (const Plan& p : PlansFor(school)) {
    for (int g = p.first; g <= p.last; ++g) {
      Index grade = d_.grades.size();
      d_.grades.push_back({school, g, GradeName(g)});
      for (int n = 1; n <= p.classes_per_grade; ++n) {
        GenClass c;
        c.school = school;
        c.grade = grade;
        c.grade_number = g;
        c.number = n;
        c.name = ClassName(g, n);
        c.size = rng_.Range(p.size_min, p.size_max);
        d_.classes.push_back(std::move(c));
      }
    }
  }
}

}  // namespace internal

DemoData Generate(uint64_t seed) { return internal::Builder(seed).Build(); }

}  // namespace kehou::demo
