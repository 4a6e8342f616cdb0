// generator.cpp: the demo county as plain values (see generator.h).
#include "demo/generator.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <unordered_set>

#include "core/ids.h"
#include "core/time.h"

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

// ---- ID numbers and mobiles --------------------------------------------------------------------------

namespace {

using Words = std::vector<std::string_view>;

struct Weighted {
  std::string_view item;
  int weight;
};

// Common surnames with their approximate share of the population, in hundredths of a percent.
constexpr Weighted kSurnames[] = {
    {"王", 725}, {"李", 719}, {"张", 683}, {"刘", 538}, {"陈", 453}, {"杨", 308}, {"黄", 223},
    {"赵", 229}, {"吴", 205}, {"周", 192}, {"徐", 145}, {"孙", 138}, {"马", 129}, {"朱", 126},
    {"胡", 115}, {"郭", 114}, {"何", 106}, {"高", 100}, {"林", 97},  {"罗", 86},  {"郑", 78},
    {"梁", 73},  {"谢", 72},  {"宋", 63},  {"唐", 63},  {"许", 60},  {"韩", 58},  {"冯", 55},
    {"邓", 54},  {"曹", 53},  {"彭", 51},  {"曾", 48},  {"肖", 47},  {"田", 46},  {"董", 45},
    {"袁", 44},  {"潘", 42},  {"于", 41},  {"蒋", 41},  {"蔡", 40},  {"余", 39},  {"杜", 38},
    {"叶", 37},  {"程", 36},  {"苏", 35},  {"魏", 35},  {"吕", 34},  {"丁", 33},  {"任", 33},
    {"沈", 32},  {"姚", 30},  {"卢", 30},  {"姜", 29},  {"崔", 28},  {"钟", 28},  {"谭", 27},
    {"陆", 26},  {"汪", 26},  {"范", 25},  {"金", 25},  {"石", 24},  {"廖", 24},  {"贾", 23},
    {"夏", 22},  {"韦", 22},  {"付", 21},  {"方", 21},  {"白", 20},  {"邹", 20},  {"孟", 19},
    {"熊", 19},  {"秦", 18},  {"邱", 18},  {"江", 18},  {"尹", 17},  {"薛", 17},  {"闫", 16},
    {"段", 16},  {"雷", 16},  {"侯", 15},  {"龙", 15},  {"史", 15},  {"陶", 14},  {"黎", 14},
    {"贺", 14},  {"顾", 13},  {"毛", 13},  {"郝", 13},  {"龚", 12},  {"邵", 12},  {"万", 12},
    {"钱", 12},  {"严", 11},  {"覃", 11},  {"武", 11},  {"戴", 11},  {"莫", 10},  {"孔", 10},
    {"向", 10},  {"汤", 10},  {"常", 9},   {"温", 9},   {"康", 9},   {"施", 8},   {"文", 8},
    {"牛", 8},   {"樊", 8},   {"葛", 8},   {"邢", 7},   {"安", 7},   {"齐", 7},   {"易", 7},
    {"乔", 7},   {"伍", 7},   {"庞", 6},   {"颜", 6},   {"倪", 6},   {"庄", 6},   {"聂", 6},
    {"章", 6},   {"鲁", 5},   {"岳", 5},   {"翟", 5},   {"殷", 5},   {"詹", 5},   {"申", 5},
    {"欧阳", 4}, {"耿", 4},   {"关", 4},   {"兰", 4},   {"焦", 4},   {"俞", 4},   {"左", 4},
    {"柳", 4},   {"甘", 4},   {"祝", 4},   {"包", 4},   {"宁", 3},   {"尚", 3},   {"符", 3},
    {"舒", 3},   {"阮", 3},   {"柯", 3},   {"纪", 3},   {"梅", 3},   {"童", 3},   {"凌", 3},
    {"毕", 3},   {"单", 3},   {"季", 3},   {"裴", 3},   {"霍", 3},   {"涂", 3},   {"成", 3},
    {"苗", 3},   {"谷", 3},   {"盛", 3},   {"曲", 3},   {"翁", 3},   {"冉", 2},   {"骆", 2},
    {"蓝", 2},   {"路", 2},   {"游", 2},   {"辛", 2},   {"靳", 2},   {"司马", 1}, {"诸葛", 1},
};

// Popular given names of children born 2011-2020.
const Words kBoyNames = {
    "子轩", "浩然", "宇轩", "梓豪", "俊熙", "浩宇", "子墨", "宇航", "博文", "皓轩", "一鸣", "子睿",
    "梓睿", "铭泽", "家豪", "晨阳", "嘉懿", "天佑", "睿哲", "子豪", "俊杰", "明轩", "泽宇", "思远",
    "煜祺", "智宸", "昊然", "明杰", "立诚", "峻熙", "弘文", "鸿煊", "烨霖", "哲瀚", "鑫鹏", "致远",
    "俊驰", "雨泽", "晟睿", "文昊", "远航", "旭尧", "鸿涛", "荣轩", "越泽", "瑾瑜", "志泽", "睿渊",
    "楷瑞", "梓航", "奕辰", "宇泽", "沐阳", "锦程", "梓晨", "浩轩", "子涵", "一诺", "嘉豪", "俊宇",
    "宇辰", "梓轩", "铭轩", "承泽", "子阳", "浩博", "皓宇", "博涛", "君浩", "诗杰", "宸宇", "奕博",
    "思源", "宏宇", "泽楷", "锦轩", "天宇", "晨希", "景行", "若愚", "亦凡", "佳乐", "昊天", "子航",
};
const Words kGirlNames = {
    "子涵", "欣怡", "梓萱", "雨桐", "诗涵", "梓涵", "可馨", "一诺", "语桐", "欣妍", "紫涵", "思涵",
    "佳怡", "梦琪", "雨涵", "若汐", "诗琪", "语嫣", "艺涵", "芷若", "依诺", "梓琪", "子萱", "佳琪",
    "欣然", "雨萱", "思彤", "一涵", "沐橙", "安琪", "诗雨", "晨曦", "婉清", "静怡", "晓彤", "梦瑶",
    "嘉怡", "悦彤", "雅琪", "馨月", "可欣", "若曦", "紫萱", "语汐", "心怡", "依依", "芊芊", "欣悦",
    "雨欣", "梓彤", "诗语", "思琪", "雅涵", "佳琳", "梓妍", "语彤", "馨怡", "雨萌", "书瑶", "羽彤",
    "梦涵", "可心", "佳宁", "欣彤", "若彤", "诗萱", "梓悦", "一然", "沐晴", "雨菲", "思颖", "婧琪",
};
// Characters for combined names (first + second) and single-character names.
const Words kBoyFirst = {"子", "浩", "宇", "俊", "梓", "博", "明", "志", "嘉", "思", "天", "文",
                         "一", "晨", "泽", "睿", "皓", "锦", "铭", "家", "承", "逸", "煜", "昊"};
const Words kBoySecond = {"轩", "然", "辰", "航", "睿", "杰", "宇", "泽", "鑫", "豪", "博", "哲",
                          "恒", "铭", "阳", "霖", "熙", "川", "远", "诚", "凯", "瑞", "翔", "林"};
const Words kBoySingle = {"浩", "轩", "宇", "杰", "涛", "博", "睿", "哲", "凯", "鑫", "航", "畅", "磊", "越"};
const Words kGirlFirst = {"欣", "梓", "雨", "诗", "语", "可", "思", "子", "佳", "紫", "一", "若",
                          "梦", "心", "依", "芷", "雅", "嘉", "婉", "晓", "静", "沐", "书", "艺"};
const Words kGirlSecond = {"怡", "萱", "桐", "涵", "琪", "彤", "妍", "悦", "琳", "菲", "瑶", "萌",
                           "然", "婷", "璇", "蕾", "晴", "宁", "馨", "冉", "熙", "诺", "淇", "雯"};
const Words kGirlSingle = {"萱", "涵", "怡", "琪", "悦", "彤", "婷", "妍", "琳", "瑶", "欣", "雪", "楠"};

// Parents and teachers, born about 1965-2000.
const Words kManNames = {
    "伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超", "刚", "平", "辉", "鹏", "华", "飞",
    "斌", "波", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙", "林", "建华", "建军",
    "志强", "志明", "海涛", "晓东", "国强", "文杰", "永刚", "俊杰", "宏伟", "建平", "立新", "晓峰",
    "振华", "海波", "伟东", "明亮", "小龙", "成龙", "东升", "春雷", "文斌", "新华", "家明", "志伟",
    "卫东", "金龙", "鹏飞", "少华", "剑锋", "永强", "建明", "海峰", "晓军", "红军", "德胜", "光明",
};
const Words kWomanNames = {
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "琳", "倩", "慧", "颖",
    "洁", "红", "梅", "莉", "晶", "丹", "萍", "秀英", "桂英", "海燕", "丽娟", "红梅", "晓燕", "春梅",
    "小红", "丽华", "美玲", "雪梅", "玉洁", "慧敏", "晓丽", "婷婷", "丽丽", "静静", "晓霞", "秋菊",
    "雅琴", "文静", "月红", "凤霞", "彩霞", "春燕", "晓红", "丽萍", "小燕", "海霞", "玉兰", "翠萍",
    "淑华", "秀梅", "佳慧", "思敏", "雨婷", "晓琳", "丹丹", "亚楠", "明月", "艳芳", "美华", "金凤",
};
// Grandparents and retired teachers, born about 1945-1965.
const Words kOldManNames = {"建国", "国华", "德明", "福生", "长青", "振国", "永福", "德华", "志刚",
                            "国平", "卫国", "桂林", "富贵", "庆祥", "金山", "来福", "保国", "光荣",
                            "树林", "玉山", "洪亮", "新民", "胜利", "满堂", "春生", "学文"};
const Words kOldWomanNames = {"秀兰", "桂兰", "玉兰", "淑珍", "秀珍", "凤英", "桂芳", "秀英", "玉珍",
                              "素珍", "翠花", "玉梅", "凤兰", "淑芬", "桂香", "金凤", "玉芬", "兰英",
                              "月英", "秀云", "桂珍", "淑英", "春兰", "冬梅"};

constexpr Weighted kHealthNotes[] = {
    {"花生过敏", 20}, {"哮喘", 18},     {"先天性心脏病（已手术，避免剧烈运动）", 5},
    {"芒果过敏", 8},  {"海鲜过敏", 10}, {"乳糖不耐受", 8},
    {"癫痫（按时服药）", 3}, {"1型糖尿病（午间需测血糖）", 2}, {"蚕豆病（G6PD缺乏）", 6},
    {"高度近视，避免头部碰撞", 8}, {"青霉素过敏", 10}, {"鸡蛋过敏", 6},
};

// Mobile prefixes in use on the mainland (China Mobile, Unicom, Telecom, Broadnet).
const Words kMobilePrefixes = {"130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
                               "150", "151", "152", "153", "155", "156", "157", "158", "159", "166",
                               "173", "176", "177", "178", "180", "181", "182", "183", "184", "185",
                               "186", "187", "188", "189", "191", "193", "195", "198", "199"};

// Administrative division codes (6 digits) for the ID numbers: mostly the (fictional) local
// county, some from elsewhere (children of families who moved here).
constexpr std::string_view kLocalRegion = "362329";
const Words kOtherRegions = {"362301", "362321", "360102", "360121", "430104", "421022",
                             "441900", "350203", "510107", "522426", "411302", "340881"};

// ---- registration (托管协议 and 线上报名) ------------------------------------------------------------
// The shape of the applications (basis points, Rng::Chance). Families choose all five days unless
// the school excludes one; some drop a day (often Friday, when a grandparent is free).
constexpr uint64_t kEnrolmentStream = 0x656E726F6C6D656EULL;  // "enrolmen": the registration PRNG stream
constexpr int kFourDaysBp = 1500;
constexpr int kNoonBp = 2500;             // noon care, where the school offers it
constexpr int kEveningBp = 3500;          // evening self-study: junior grades, where offered
// Children who go home on their own: only from grade 4 in the demo. (The enroll rules allow
// 'self' at any grade; schools in practice want younger children picked up.)
constexpr int kSelfPickupMinGrade = 4;
constexpr int kSelfPickupPrimaryBp = 1200;  // grades 4-6
constexpr int kSelfPickupJuniorBp = 4000;   // grades 7-9
constexpr int kProxyPickupBp = 300;         // a relative picks up (parents work away)
constexpr int kSecondGuardianPickupBp = 3000;  // the other guardian of the family picks up
constexpr int kHealthNoteBp = 6000;         // a family writes the child's health note into the form
// When things happened, in seconds before the demo is written: approved applications were
// filed a few weeks ago; the ones still waiting are recent.
constexpr int64_t kMinute = 60, kHour = 60 * kMinute, kDay = 24 * kHour;
constexpr int64_t kAgreementPublishedAgo = 40 * kDay;
constexpr int64_t kApprovedAgoMin = 7 * kDay, kApprovedAgoMax = 24 * kDay;
constexpr int64_t kWaitingAgoMin = 2 * kHour, kWaitingAgoMax = 6 * kDay;

// What phones sign from: WeChat's in-app browser above all, then the phones' own browsers.
constexpr Weighted kPhoneAgents[] = {
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Mobile/15E148 MicroMessenger/8.0.50(0x1800322d) NetType/WIFI Language/zh_CN",
     22},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/4G Language/zh_CN",
     10},
    {"Mozilla/5.0 (Linux; Android 12; NOH-AN00 Build/HUAWEINOH-AN00; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 "
     "MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/5G Language/zh_CN ABI/arm64",
     16},
    {"Mozilla/5.0 (Linux; Android 14; 23127PN0CC Build/UKQ1.230804.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160117 MMWEBSDK/20240404 MMWEBID/6081 "
     "MicroMessenger/8.0.49.2600(0x2800313D) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64",
     12},
    {"Mozilla/5.0 (Linux; Android 13; V2309A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Version/4.0 Chrome/111.0.5563.116 Mobile Safari/537.36 XWEB/1110091 MMWEBSDK/20230805 MMWEBID/9915 "
     "MicroMessenger/8.0.42.2460(0x28002A35) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64",
     9},
    {"Mozilla/5.0 (Linux; Android 13; PHB110 Build/TP1A.220905.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Version/4.0 Chrome/115.0.5790.168 Mobile Safari/537.36 HeyTapBrowser/40.8.26.1",
     6},
    {"Mozilla/5.0 (Linux; U; Android 13; zh-cn; 22081212C Build/TKQ1.220829.002) AppleWebKit/537.36 (KHTML, like "
     "Gecko) Version/4.0 Chrome/109.0.5414.118 Mobile Safari/537.36 XiaoMi/MiuiBrowser/17.8.220217",
     6},
    {"Mozilla/5.0 (Linux; Android 12; HarmonyOS; ALN-AL00; HMSCore 6.13.0.302) AppleWebKit/537.36 (KHTML, like "
     "Gecko) Chrome/99.0.4844.88 HuaweiBrowser/14.0.5.302 Mobile Safari/537.36",
     8},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
     "Mobile/15E148 Safari/604.1",
     7},
    {"Mozilla/5.0 (Linux; Android 11; M2012K11AC Build/RKQ1.200826.002) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/120.0.6099.210 Mobile Safari/537.36",
     4},
};
// Mobile networks' address blocks (the server sees the carrier's address, not the phone's).
const Words kCarrierBlocks = {"223.104.", "117.136.", "112.97.", "39.144.", "120.229.", "113.57.",
                              "183.197.", "106.61."};
// Relatives who pick up in the parents' place, and whether the name is a man's.
struct ProxyRelation {
  std::string_view relation;
  bool man;
};
constexpr ProxyRelation kProxyRelations[] = {{"姑姑", false}, {"姨妈", false}, {"舅舅", true}, {"表姐", false}};

std::string_view Pick(Rng& r, const Words& w) { return w[static_cast<size_t>(r.Below(w.size()))]; }

template <size_t N>
std::string_view PickWeighted(Rng& r, const Weighted (&table)[N]) {
  uint64_t total = 0;
  for (const auto& e : table) total += static_cast<uint64_t>(e.weight);
  uint64_t x = r.Below(total);
  for (const auto& e : table) {
    uint64_t w = static_cast<uint64_t>(e.weight);
    if (x < w) return e.item;
    x -= w;
  }
  return table[N - 1].item;
}

std::string Pad2(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// Chinese numerals for grade names, 1..9.
std::string GradeName(int g) {
  static constexpr std::array<std::string_view, 10> kNum = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  return std::string(kNum[static_cast<size_t>(g)]) + "年级";
}

std::string ClassName(int g, int n) { return GradeName(g) + "(" + std::to_string(n) + ")班"; }

// "2026-09-01" -> "2026年9月1日".
std::string ZhDate(const std::string& iso) {
  auto d = ParseDate(iso);
  if (!d) return iso;
  return std::to_string(d->y) + "年" + std::to_string(d->m) + "月" + std::to_string(d->d) + "日";
}

// The school's 托管协议 for the term: the service (1+X), its times from the term's bands, fees
// (the county's approved standard; a private boarding school charges nothing), safety and
// pickup, the family's part, voluntary participation, exit, personal data, and the rest.
std::string AgreementBody(const GenSchool& s, const GenTerm& t) {
  const bool no_fee = s.type == "private_boarding";
  std::string times;
  bool evening = false, seasonal = false;
  for (const GenBand& b : t.bands) {
    times += (times.empty() ? "" : "；") + b.name + " " + b.start_time + "至" + b.end_time;
    evening = evening || b.kind == "evening";
    seasonal = seasonal || b.season != "all";
  }
  std::string days = "学校在教学日的周一至周五提供服务";
  for (int wd : enroll::SplitInts(t.excluded_weekdays)) {
    static constexpr std::array<std::string_view, 8> kDayZh = {"", "一", "二", "三", "四", "五", "六", "日"};
    if (wd >= 1 && wd <= 7)
      days += "，本学期每周" + std::string(kDayZh[static_cast<size_t>(wd)]) + "下午为教师集中学习时间，当天不提供课后服务";
  }
  std::string b;
  b += "甲方：" + s.name + "\n乙方：学生监护人（在本平台在线签署的家长）\n\n";
  b += "为满足学生放学后在校托管的需求，根据教育部办公厅《关于做好中小学生课后服务工作的指导意见》和上级教育行政部门关于"
       "义务教育课后服务工作的要求，学校按照“家长自愿、学校组织、公益普惠、安全第一”的原则开展课后服务。经双方协商，就" +
       t.name + "（" + ZhDate(t.start_date) + "至" + ZhDate(t.end_date) + "）课后服务事宜达成如下协议。\n\n";
  b += "一、服务内容（“1+X”）\n“1”为基础托管服务：教师看护学生完成书面作业，答疑解惑，对学习有困难的学生进行个别辅导，"
       "为学有余力的学生拓展学习空间；“X”为拓展服务：科技、体育、艺术、劳动、阅读、影视、兴趣小组和社团等活动，由学生和"
       "家长在学校公布的课程中自愿选择。课后服务不讲授新课，不组织集体补课。\n\n";
  b += "二、服务时间\n" + days + "。各时段为：" + times + "。";
  if (seasonal && t.winter_from) b += "自" + ZhDate(*t.winter_from) + "起执行冬季作息。";
  if (evening) b += "晚自习仅面向七至九年级学生。";
  b += "国家法定节假日、寒暑假及学校依规调休的日期不提供服务；遇恶劣天气、突发公共卫生事件等需要调整的，学校提前通过班级群和"
       "本平台告知。\n\n";
  if (no_fee)
    b += "三、服务费用\n本校为民办寄宿制学校，按照规定开展课后服务不收取任何费用，拓展服务所需材料由学校统一提供。\n\n";
  else
    b += "三、服务费用\n课后服务收费严格执行" + std::string(kCountyName) +
         "价格主管部门会同教育行政部门核定的标准，按学期据实收取，收费标准在校内和本平台公示，学校不以任何名义另行收费。"
         "家庭经济困难学生、残疾学生、烈士子女等按规定减免。拓展服务中确需家长负担材料费的项目，在选课前单独公示，由家长"
         "自愿选择。\n\n";
  b += "四、安全与接送\n学生参加课后服务期间由学校安排教师看护，学校落实安全管理责任。服务结束后，学生按乙方在申请表中选择的"
       "方式离校：由监护人接送的，监护人按时到校接领；委托他人接送的，须在申请表中登记受托人姓名和手机号码，受托人凭接送卡"
       "接领；选择自行离校的，乙方确认学生具备独立安全回家的能力，并对学生离校后的安全负责。未按时接领的，值班教师看护学生至"
       "家长到达。学生因故不参加当天服务的，乙方应提前告知班主任。\n\n";
  b += "五、乙方责任\n乙方如实告知学生的健康状况（如过敏史、慢性疾病、需服用的药物等），保持联系电话畅通；教育学生遵守学校纪律"
       "和安全规定，爱护公共设施；学生身体不适或有特殊情况的，及时告知学校。\n\n";
  b += "六、自愿参加\n课后服务遵循自愿原则，学校不强制、不变相强制学生参加。未报名的学生确有特殊情况需要留校的，学校照常看护，"
       "不歧视、不区别对待。\n\n";
  b += "七、退出\n乙方可随时通过本平台或书面向班主任申请退出，退出自申请中载明的生效日起停止服务";
  b += no_fee ? "。\n\n" : "，已缴费用按未服务天数据实退还。\n\n";
  b += "八、个人信息保护\n学校收集的学生和监护人信息（姓名、班级、联系方式、健康状况、接送安排等）仅用于本学期课后服务的组织、"
       "安全管理和家校沟通，按照《中华人民共和国个人信息保护法》的要求妥善保管，未经乙方同意不向第三方提供。\n\n";
  b += "九、其他\n本协议有效期为本学期。学校调整服务内容、时间或收费的，将发布新版本协议，乙方重新阅读并签署后生效。乙方在本平台"
       "在线阅读并签署本协议，与书面签字具有同等效力。对课后服务的意见和建议，可向学校课后服务管理办公室或家长委员会"
       "（家长监督小组）反映。";
  return b;
}

enum class FamilyKind { kTwoParents, kSingle, kThree, kLeftBehind };

struct FamilyMember {
  Index guardian;
  std::string relation;
};

struct Family {
  FamilyKind kind = FamilyKind::kTwoParents;
  std::string surname;                 // the father's, which the children carry
  std::vector<FamilyMember> members;   // first is the primary contact
  bool low_income = false;
  std::vector<Index> children;         // into Builder::children_
  std::optional<Index> mother, father;
};

struct Child {
  Index family = 0;
  Index klass = 0;
  GenStudent s;
};

class Builder {
 public:
  // Registration draws from a stream of its own, so adding it changed nothing else of the demo.
  explicit Builder(uint64_t seed) : rng_(seed), enrol_rng_(seed ^ kEnrolmentStream) {}

  DemoData Build() {
    Areas();
    Schools();
    Terms();
    for (Index s = 0; s < d_.schools.size(); ++s) GradesAndClasses(s);
    MainStaff();
    SmallStaff();
    Rooms();
    ClassTeachers();
    PlaceChildren();
    WriteStudents();
    ParentVolunteers();
    Accounts();
    Agreements();
    Applications();
    return std::move(d_);
  }

 private:
  // ---- names, numbers ------------------------------------------------------------------------
  std::string Surname() { return std::string(PickWeighted(rng_, kSurnames)); }

  std::string ChildGiven(bool boy) {
    int roll = rng_.Range(0, 99);
    if (roll < 70) return std::string(Pick(rng_, boy ? kBoyNames : kGirlNames));
    if (roll < 90)
      return std::string(Pick(rng_, boy ? kBoyFirst : kGirlFirst)) +
             std::string(Pick(rng_, boy ? kBoySecond : kGirlSecond));
    return std::string(Pick(rng_, boy ? kBoySingle : kGirlSingle));
  }
  std::string AdultName(const std::string& surname, bool man) {
    return surname + std::string(Pick(rng_, man ? kManNames : kWomanNames));
  }
  std::string OldName(const std::string& surname, bool man) {
    return surname + std::string(Pick(rng_, man ? kOldManNames : kOldWomanNames));
  }

  std::string Mobile() {
    for (;;) {
      std::string m(Pick(rng_, kMobilePrefixes));
      for (int i = 0; i < 8; ++i) m += static_cast<char>('0' + rng_.Below(10));
      if (mobiles_.insert(m).second) return m;
    }
  }

  // A birth date for a child in grade g of the 2026 autumn term: the cohort born from 1 Sept
  // (2020-g) to 31 Aug (2021-g); about 2% are a year older.
  std::string ChildBirth(int g) {
    int year = 2020 - g - (rng_.Chance(200) ? 1 : 0);
    int64_t from = DaysFromCivil(Date{year, 9, 1});
    int64_t to = DaysFromCivil(Date{year + 1, 8, 31});
    int64_t day = from + static_cast<int64_t>(rng_.Below(static_cast<uint64_t>(to - from + 1)));
    return FormatDate(CivilFromDays(day));
  }

  std::string IdNumber(const std::string& birth, bool male) {
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

  // ---- areas, schools, terms -------------------------------------------------------------------
  void Areas() {
    d_.areas.push_back({"city", kCityName, std::nullopt, "17:00"});
    d_.areas.push_back({"county", kCountyName, Index{0}, "17:00"});
  }

  void Schools() {
    d_.schools.push_back({1, kMainSchoolName, "实验学校", "nine_year", "public", "青山县城关镇学府路88号"});
    d_.schools.push_back({1, "青山县城关第二小学", "城关二小", "primary", "public", "青山县城关镇解放路12号"});
    d_.schools.push_back({1, "青山县东湖中学", "东湖中学", "junior", "public", "青山县东湖镇东湖大道6号"});
    d_.schools.push_back({1, "青山县育英寄宿制小学", "育英小学", "primary", "private_boarding",
                          "青山县城南新区育英路1号"});
  }

  void Terms() {
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
    term(0, "", {{"morning", "all", "早间看护", "07:30", "08:00"},
                 {"noon", "all", "午间看护", "12:00", "13:30"},
                 {"after_school", "summer", "课后服务（夏季）", "15:40", "17:40"},
                 {"after_school", "winter", "课后服务（冬季）", "15:20", "17:20"},
                 {"evening", "all", "晚自习（七至九年级）", "18:30", "20:30"}});
    // The small primary school keeps Thursday afternoons for teacher study: a "5+2" deviation
    // the county sees on its compliance board.
    term(1, "4", {{"morning", "all", "早间看护", "07:40", "08:10"},
                  {"after_school", "all", "课后服务", "15:30", "17:30"}});
    term(2, "", {{"morning", "all", "早读看护", "07:10", "07:40"},
                 {"noon", "all", "午间看护", "12:00", "13:30"},
                 {"after_school", "summer", "课后服务（夏季）", "16:00", "18:00"},
                 {"after_school", "winter", "课后服务（冬季）", "15:40", "17:40"},
                 {"evening", "all", "晚自习", "19:00", "20:30"}});
    term(3, "", {{"noon", "all", "午休看护", "12:00", "14:00"},
                 {"after_school", "all", "课后服务", "15:30", "17:30"}});
  }

  // ---- grades and classes ----------------------------------------------------------------------
  struct Plan {
    int first, last, classes_per_grade, size_min, size_max;
  };
  static std::vector<Plan> PlansFor(Index school) {
    switch (school) {
      case 0: return {{1, 6, 6, kMainClassSizeMin, kMaxClassSize}, {7, 9, 4, kMainClassSizeMin, kMaxClassSize}};
      case 1: return {{1, 6, 1, 47, 50}};
      case 2: return {{7, 9, 2, 47, 50}};
      default: return {{1, 6, 1, 23, 27}};
    }
  }

  void GradesAndClasses(Index school) {
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

  // ---- staff -------------------------------------------------------------------------------------
  Index AddStaff(Index school, std::string kind, std::string position, std::string subjects,
                 int female_bp, std::string institution = "", bool old = false) {
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

  Index Teacher(Index school, const std::string& subject, int female_bp) {
    return AddStaff(school, "in_school", subject + "教师", subject, female_bp);
  }

  void MainStaff() {
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
        {"语文", 20, 8, 8000}, {"数学", 18, 8, 7000}, {"英语", 8, 6, 8500},  {"科学", 5, 0, 6000},
        {"物理", 0, 3, 4000},  {"化学", 0, 2, 5000},  {"生物", 0, 2, 6000},  {"历史", 0, 2, 6000},
        {"地理", 0, 2, 5500},  {"道德与法治", 3, 2, 7000}, {"体育", 5, 3, 2500}, {"音乐", 3, 2, 8000},
        {"美术", 3, 2, 7000},  {"信息技术", 2, 1, 4000}, {"心理健康", 1, 0, 8000},
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

    static constexpr std::array<std::string_view, 10> kRetired = {
        "书法", "国画", "围棋", "象棋", "合唱", "剪纸", "太极拳", "数学辅导", "作文辅导", "京剧"};
    for (auto subject : kRetired)
      AddStaff(m, "retired", "退休教师", std::string(subject), 5000, "", /*old=*/true);
    static constexpr std::array<std::string_view, 8> kInstitution = {
        "机器人", "编程", "航模", "3D打印", "科学实验", "无人机", "电子制作", "创客"};
    for (auto subject : kInstitution) {
      Index s = AddStaff(m, "institution", "培训中心教师", std::string(subject), 4000, kInstitutionName);
      if (!external_) external_ = s;
    }
    AddStaff(m, "volunteer", "大学生志愿者", "英语口语", 6000, "青山县志愿者协会");
    AddStaff(m, "volunteer", "社区志愿者", "足球", 1000, "青山县志愿者协会");
    AddStaff(m, "volunteer", "社区志愿者", "阅读推广", 8000, "县图书馆");
  }

  void SmallStaff() {
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
    add(1, {{"语文", 6, 8500}, {"数学", 6, 7500}, {"英语", 2, 9000}, {"科学", 1, 6000}, {"体育", 1, 2000},
            {"音乐", 1, 8000}, {"美术", 1, 7000}});
    AddStaff(1, "in_school", "保安", "", 0);
    AddStaff(1, "retired", "退休教师", "书法", 3000, "", true);
    AddStaff(1, "volunteer", "社区志愿者", "剪纸", 9000, "青山县志愿者协会");

    add(2, {{"语文", 3, 8000}, {"数学", 3, 6000}, {"英语", 3, 8500}, {"物理", 1, 4000}, {"化学", 1, 5000},
            {"生物", 1, 6000}, {"历史", 1, 6000}, {"地理", 1, 5000}, {"道德与法治", 1, 7000},
            {"体育", 2, 2000}, {"音乐", 1, 8000}, {"美术", 1, 7000}, {"信息技术", 1, 4000}});
    AddStaff(2, "in_school", "保安", "", 0);
    AddStaff(2, "in_school", "保安", "", 0);
    AddStaff(2, "in_school", "校医", "", 6000);

    add(3, {{"语文", 4, 8500}, {"数学", 3, 7500}, {"英语", 2, 9000}, {"科学", 1, 6000}, {"体育", 1, 2000},
            {"音乐", 1, 8000}, {"美术", 1, 7000}});
    for (int i = 0; i < 3; ++i) AddStaff(3, "in_school", "生活老师", "", 9000);
    AddStaff(3, "in_school", "保安", "", 0);
    AddStaff(3, "in_school", "校医", "", 6000);
  }

  // Class teachers: primary classes take their 语文 and 数学 teachers, junior classes teachers of
  // the main subjects; small schools their 语文/数学 teachers.
  void ClassTeachers() {
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

  template <class T>
  void Shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[static_cast<size_t>(rng_.Below(i))]);
  }

  // ---- rooms -------------------------------------------------------------------------------------
  void AddRoom(Index school, std::string name, std::string kind, int capacity, std::string equipment) {
    d_.rooms.push_back({school, std::move(name), std::move(kind), capacity, std::move(equipment)});
  }

  void Rooms() {
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

  // ---- families and children --------------------------------------------------------------------
  Index NewGuardian(std::string name) {
    d_.guardians.push_back({std::move(name), Mobile()});
    return d_.guardians.size() - 1;
  }

  Index NewFamily() {
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
      if (rng_.Chance(5000))
        f.members.push_back({NewGuardian(OldName(Surname(), false)), "祖母"});
      else
        f.members.push_back({NewGuardian(OldName(Surname(), false)), "外婆"});
    } else if (roll < 1800) {
      f.kind = FamilyKind::kSingle;
      if (rng_.Chance(6000))
        mother();
      else
        father();
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

  void PlaceChild(Index family, Index klass) {
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

  // A random class with room left, of the given school(s), not in grade `not_grade`.
  std::optional<Index> FreeClass(bool main_school, int not_grade) {
    std::vector<Index> candidates;
    for (Index k = 0; k < d_.classes.size(); ++k) {
      const GenClass& c = d_.classes[k];
      if ((c.school == 0) != main_school || remaining_[k] <= 0 || c.grade_number == not_grade) continue;
      candidates.push_back(k);
    }
    if (candidates.empty()) return std::nullopt;
    return candidates[static_cast<size_t>(rng_.Below(candidates.size()))];
  }
  std::optional<Index> FreeClassIn(Index school, int not_grade) {
    std::vector<Index> candidates;
    for (Index k = 0; k < d_.classes.size(); ++k) {
      const GenClass& c = d_.classes[k];
      if (c.school != school || remaining_[k] <= 0 || c.grade_number == not_grade) continue;
      candidates.push_back(k);
    }
    if (candidates.empty()) return std::nullopt;
    return candidates[static_cast<size_t>(rng_.Below(candidates.size()))];
  }

  void PlaceChildren() {
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

  // Students class by class (shuffled within the class, numbered in that order), with their
  // guardians' links.
  void WriteStudents() {
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

  // Three parents of the main school volunteer (家长志愿者): staff rows with their own mobile.
  void ParentVolunteers() {
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

  // ---- accounts ----------------------------------------------------------------------------------
  std::string StudentPlace(Index child) const {
    const GenStudent& s = d_.students[child_student_[child]];
    return s.name + "（" + d_.schools[s.school].short_name + d_.classes[s.klass].name + "）";
  }

  void Accounts() {
    using auth::Role;
    auto staff_account = [&](Role r, std::string login, Index staff) {
      GenAccount a;
      a.role = r;
      a.login = std::move(login);
      a.display_name = d_.staff[staff].name;
      a.school = d_.staff[staff].school;
      a.staff = staff;
      a.note = d_.schools[d_.staff[staff].school].short_name + " " + d_.staff[staff].position;
      d_.accounts.push_back(std::move(a));
    };
    auto class_teacher_of = [&](int grade, int number) -> Index {
      for (const GenClass& c : d_.classes)
        if (c.school == 0 && c.grade_number == grade && c.number == number && c.class_teacher) return *c.class_teacher;
      return principal_;
    };

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
    if (!cross) cross = Index{0};
    if (!committee) committee = Index{1};

    for (int i = 0; i < auth::kRoleCount; ++i) {
      auto r = static_cast<Role>(i);
      switch (r) {
        case Role::kPrincipal: staff_account(r, "principal", principal_); break;
        case Role::kVicePrincipal: staff_account(r, "vice", vice_); break;
        case Role::kOfficeDirector: staff_account(r, "office", director_); break;
        case Role::kOfficeStaff: staff_account(r, "clerk", clerk_); break;
        case Role::kCourseGroup: staff_account(r, "course", course_); break;
        case Role::kSafetyOfficer: staff_account(r, "safety", safety_); break;
        case Role::kGuard: staff_account(r, "guard", guard_); break;
        case Role::kSchoolDoctor: staff_account(r, "doctor", doctor_); break;
        case Role::kLiaison: staff_account(r, "liaison", liaison_); break;
        case Role::kParentCommittee: {
          const Family& f = families_[*committee];
          Index g = f.father ? *f.father : f.members.front().guardian;
          GenAccount a;
          a.role = r;
          a.login = "committee";
          a.display_name = d_.guardians[g].name;
          a.school = Index{0};
          a.guardian = g;
          a.note = "家长委员会（家长监督小组）代表，孩子：" + StudentPlace(f.children.front());
          d_.accounts.push_back(std::move(a));
          break;
        }
        case Role::kGradeLeader: {
          Index t = class_teacher_of(3, 1);
          staff_account(r, "grade3", t);
          d_.accounts.back().note = "实验学校 三年级年级组长（兼三年级(1)班班主任）";
          break;
        }
        case Role::kClassTeacher: staff_account(r, "classteacher", class_teacher_of(3, 2)); break;
        case Role::kTeacher: staff_account(r, "teacher", teacher_); break;
        case Role::kExternalStaff:
          staff_account(r, "external", external_.value_or(principal_));
          d_.accounts.back().note = std::string("实验学校 ") + kInstitutionName + " " +
                                    d_.staff[external_.value_or(principal_)].subjects + "教师";
          break;
        case Role::kGuardian: {
          const Family& f = families_[*cross];
          Index g = f.mother ? *f.mother : f.members.front().guardian;
          GenAccount a;
          a.role = r;
          a.login = d_.guardians[g].mobile;
          a.display_name = d_.guardians[g].name;
          a.school = Index{0};
          a.guardian = g;
          a.note = "家长，孩子：";
          for (size_t c = 0; c < f.children.size(); ++c)
            a.note += (c ? "、" : "") + StudentPlace(f.children[c]);
          d_.accounts.push_back(std::move(a));
          break;
        }
        case Role::kCountyOfficer:
        case Role::kCityOfficer: {
          bool county = r == Role::kCountyOfficer;
          bool man = rng_.Chance(5000);
          GenAccount a;
          a.role = r;
          a.login = county ? "county" : "city";
          a.display_name = AdultName(Surname(), man);
          a.area = county ? Index{1} : Index{0};
          a.note = county ? "青山县教育局基础教育股（只读，县内4所学校）" : "临江市教育局（只读，全市学校）";
          d_.accounts.push_back(std::move(a));
          break;
        }
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

  // ---- registration: agreements and applications --------------------------------------------------
  std::optional<Index> AccountOf(auth::Role r) const {
    for (Index i = 0; i < d_.accounts.size(); ++i)
      if (d_.accounts[i].role == r) return i;
    return std::nullopt;
  }

  int64_t Seconds(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(enrol_rng_.Below(static_cast<uint64_t>(hi - lo) + 1));
  }

  std::string ProxyMobile() {
    for (;;) {
      std::string m(Pick(enrol_rng_, kMobilePrefixes));
      for (int i = 0; i < 8; ++i) m += static_cast<char>('0' + enrol_rng_.Below(10));
      if (mobiles_.insert(m).second) return m;
    }
  }

  // Version 1 of each current term's agreement, published by the office before families applied.
  void Agreements() {
    for (Index t = 0; t < d_.terms.size(); ++t) {
      const GenTerm& term = d_.terms[t];
      if (!term.is_current) continue;
      const GenSchool& s = d_.schools[term.school];
      GenAgreement a;
      a.term = t;
      a.title = s.name + "课后服务托管协议（" + term.name + "）";
      a.body = AgreementBody(s, term);
      if (term.school == 0) a.account = AccountOf(auth::Role::kOfficeDirector);
      a.ago_s = kAgreementPublishedAgo + Seconds(0, 8 * kHour);
      agreement_of_school_[term.school] = d_.agreements.size();
      d_.agreements.push_back(std::move(a));
    }
  }

  // Every child gets a status by the shares above; then the children behind the demo logins are
  // pinned: the guardian's and the parent committee's children are approved (they can choose
  // courses at once), and the class teacher's class has its first children approved and a few
  // waiting in the review queue.
  void Applications() {
    using enroll::AppStatus;
    std::vector<std::vector<Index>> guardians_of(d_.students.size());  // primary first
    for (const GenLink& l : d_.links) guardians_of[l.student].push_back(l.guardian);
    std::map<Index, Index> guardian_login;  // guardian -> their kGuardian account (only that role applies)
    std::set<Index> pinned_families;        // guardians whose children must be enrolled
    for (Index i = 0; i < d_.accounts.size(); ++i) {
      const GenAccount& a = d_.accounts[i];
      if (!a.guardian) continue;
      pinned_families.insert(*a.guardian);
      if (a.role == auth::Role::kGuardian) guardian_login[*a.guardian] = i;
    }

    std::vector<std::optional<AppStatus>> status(d_.students.size());
    std::vector<bool> pinned(d_.students.size(), false);
    for (Index i = 0; i < d_.students.size(); ++i) {
      const uint64_t roll = enrol_rng_.Below(10000);
      if (roll < kApprovedShareBp) status[i] = AppStatus::kApproved;
      else if (roll < kApprovedShareBp + kSubmittedShareBp) status[i] = AppStatus::kSubmitted;
      else if (roll < kApprovedShareBp + kSubmittedShareBp + kClassApprovedShareBp) status[i] = AppStatus::kClassApproved;
      for (Index g : guardians_of[i])
        if (pinned_families.count(g)) {
          status[i] = AppStatus::kApproved;
          pinned[i] = true;
        }
    }
    if (auto ct = AccountOf(auth::Role::kClassTeacher); ct && d_.accounts[*ct].staff) {
      std::vector<Index> members;  // in student number order
      for (Index i = 0; i < d_.students.size(); ++i) {
        const GenClass& k = d_.classes[d_.students[i].klass];
        if (k.school == 0 && k.class_teacher == d_.accounts[*ct].staff) members.push_back(i);
      }
      int queued = 0;
      for (size_t j = 0; j < members.size(); ++j) {
        if (j < static_cast<size_t>(kClassTeacherFirstApproved)) {
          status[members[j]] = AppStatus::kApproved;
          pinned[members[j]] = true;
        }
        queued += status[members[j]] == AppStatus::kSubmitted;
      }
      for (size_t j = members.size(); j-- > 0 && queued < kClassTeacherQueueMin;) {
        if (pinned[members[j]] || status[members[j]] == AppStatus::kSubmitted) continue;
        status[members[j]] = AppStatus::kSubmitted;
        ++queued;
      }
    }
    for (Index i = 0; i < d_.students.size(); ++i)
      if (status[i]) d_.applications.push_back(MakeApplication(i, *status[i], guardians_of[i], guardian_login));
  }

  GenApplication MakeApplication(Index i, enroll::AppStatus status, const std::vector<Index>& guardians,
                                 const std::map<Index, Index>& guardian_login) {
    using enroll::AppStatus;
    using enroll::Band;
    Rng& r = enrol_rng_;
    const GenStudent& st = d_.students[i];
    const GenClass& k = d_.classes[st.klass];
    GenApplication a;
    a.student = i;
    a.status = status;
    a.agreement = agreement_of_school_.at(st.school);
    const GenTerm& term = d_.terms[d_.agreements[a.agreement].term];

    // Days: Monday to Friday but the school's excluded weekdays; some families drop one.
    const std::vector<int> excluded = enroll::SplitInts(term.excluded_weekdays);
    for (int day = enroll::kFirstServiceDay; day <= enroll::kLastServiceDay; ++day)
      if (std::find(excluded.begin(), excluded.end(), day) == excluded.end()) a.days.push_back(day);
    if (a.days.size() == 5 && r.Chance(kFourDaysBp)) {
      const int drop = r.Chance(5000) ? 5 : r.Range(1, 4);
      a.days.erase(std::find(a.days.begin(), a.days.end(), drop));
    }
    // Bands: the after-school service, often noon care, evening self-study for some juniors; only
    // what the school offers this term.
    std::set<std::string> offered;
    for (const GenBand& b : term.bands) offered.insert(b.kind);
    auto offers = [&](Band b) { return offered.count(std::string(enroll::BandName(b))) > 0; };
    const bool noon = offers(Band::kNoon) && r.Chance(kNoonBp);
    const bool evening = enroll::IsJunior(k.grade_number) && offers(Band::kEvening) && r.Chance(kEveningBp);
    for (Band b : enroll::AllBands())
      if ((b == Band::kNoon && noon) || (b == Band::kAfterSchool && offers(b)) || (b == Band::kEvening && evening))
        a.bands.push_back(b);
    if (a.bands.empty())
      for (Band b : enroll::AllBands())
        if (offers(b) && (b != Band::kEvening || enroll::IsJunior(k.grade_number)) && a.bands.empty()) a.bands.push_back(b);

    // Pickup: mostly a guardian; older children may go home alone; a few families name a relative.
    const int self_bp = k.grade_number < kSelfPickupMinGrade ? 0
                        : enroll::IsJunior(k.grade_number) ? kSelfPickupJuniorBp
                                                           : kSelfPickupPrimaryBp;
    if (r.Chance(self_bp)) {
      a.pickup = enroll::PickupMode::kSelf;
    } else if (r.Chance(kProxyPickupBp)) {
      const ProxyRelation& rel = kProxyRelations[r.Below(std::size(kProxyRelations))];
      a.pickup = enroll::PickupMode::kProxy;
      a.proxy_name = std::string(PickWeighted(r, kSurnames)) + std::string(Pick(r, rel.man ? kManNames : kWomanNames));
      a.proxy_mobile = ProxyMobile();
      a.note = "父母在外务工，平时由孩子的" + std::string(rel.relation) + a.proxy_name + "接送。";
    } else {
      a.pickup = enroll::PickupMode::kGuardian;
      a.pickup_guardian = guardians.size() > 1 && r.Chance(kSecondGuardianPickupBp) ? guardians[1] : guardians[0];
    }
    if (!st.health_notes.empty() && r.Chance(kHealthNoteBp)) a.note += "孩子" + st.health_notes + "，请老师留意。";

    // The guardian with the demo login signs for their child; otherwise the primary guardian.
    a.signer = guardians.front();
    for (Index g : guardians)
      if (guardian_login.count(g)) {
        a.signer = g;
        break;
      }
    if (auto it = guardian_login.find(a.signer); it != guardian_login.end()) a.signer_account = it->second;
    a.device = std::string(PickWeighted(r, kPhoneAgents));
    a.client = std::string(Pick(r, kCarrierBlocks)) + std::to_string(r.Range(0, 255)) + "." + std::to_string(r.Range(1, 254));

    // Times, backwards from the last step.
    int64_t submit_ago = 0, class_ago = 0, approve_ago = 0;
    if (status == AppStatus::kApproved) {
      approve_ago = Seconds(kApprovedAgoMin, kApprovedAgoMax);
      class_ago = approve_ago + Seconds(kHour, 4 * kDay);
      submit_ago = class_ago + Seconds(30 * kMinute, 3 * kDay);
    } else if (status == AppStatus::kClassApproved) {
      class_ago = Seconds(kWaitingAgoMin, kWaitingAgoMax);
      submit_ago = class_ago + Seconds(30 * kMinute, 3 * kDay);
    } else {
      submit_ago = Seconds(kWaitingAgoMin, kWaitingAgoMax);
    }
    a.signed_ago_s = submit_ago + Seconds(30, 10 * kMinute);
    a.created_ago_s = a.signed_ago_s + Seconds(2 * kMinute, 25 * kMinute);

    // The review chain as the service records it: each step's from/to by enroll::Transition.
    AppStatus at = AppStatus::kDraft;
    auto step = [&](enroll::Step s, std::string who, auth::Role role, std::optional<Index> account, int64_t ago) {
      GenDecision d;
      d.step = s;
      d.from = at;
      d.to = at = *enroll::Transition(at, s);
      d.user_name = std::move(who);
      d.role = role;
      d.account = account;
      d.ago_s = ago;
      a.decisions.push_back(std::move(d));
    };
    step(enroll::Step::kSubmit, d_.guardians[a.signer].name, auth::Role::kGuardian, a.signer_account, submit_ago);
    if (status == AppStatus::kSubmitted) return a;
    const auto ct_account = AccountOf(auth::Role::kClassTeacher);
    const bool ct_login = ct_account && d_.accounts[*ct_account].staff == k.class_teacher;
    step(enroll::Step::kClassApprove, k.class_teacher ? d_.staff[*k.class_teacher].name : std::string(),
         auth::Role::kClassTeacher, ct_login ? ct_account : std::nullopt, class_ago);
    if (status == AppStatus::kClassApproved) return a;
    const Index head = principals_.at(st.school);
    step(enroll::Step::kApprove, d_.staff[head].name, auth::Role::kPrincipal,
         st.school == 0 ? AccountOf(auth::Role::kPrincipal) : std::nullopt, approve_ago);
    return a;
  }

  Rng rng_;
  Rng enrol_rng_;
  DemoData d_;
  std::unordered_set<std::string> mobiles_, ids_;
  std::vector<int> remaining_;
  std::vector<std::set<std::string>> class_names_;
  std::vector<Family> families_;
  std::vector<Child> children_;
  std::vector<Index> child_student_;
  std::map<std::string, std::vector<Index>> primary_teachers_, junior_teachers_;
  std::map<Index, std::vector<Index>> small_teachers_;
  std::map<Index, std::set<std::string>> staff_names_;
  std::map<Index, Index> principals_;          // school -> its principal (staff)
  std::map<Index, Index> agreement_of_school_;  // school -> its current term's agreement
  Index principal_ = 0, vice_ = 0, course_ = 0, director_ = 0, clerk_ = 0, safety_ = 0, guard_ = 0,
        doctor_ = 0, liaison_ = 0, teacher_ = 0;
  std::optional<Index> external_;
};

}  // namespace

DemoData Generate(uint64_t seed) { return Builder(seed).Build(); }

}  // namespace kehou::demo
