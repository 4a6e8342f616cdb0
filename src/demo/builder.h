// builder.h (demo): what the demo generator's parts share — the word and weight tables the names,
// numbers and registrations are drawn from, and the Builder that makes the county as plain values.
// Its methods live by use case: generator.cpp (names, numbers, areas, schools, terms, grades),
// builder_staff.cpp (staff, rooms), builder_families.cpp (families, children, accounts) and
// builder_registration.cpp (agreements and applications). Private to src/demo. Not thread-safe
// (one Builder per Generate call).
#pragma once
#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <unordered_set>

#include "core/ids.h"
#include "core/time.h"
#include "demo/generator.h"

namespace kehou::demo::internal {

using Words = std::vector<std::string_view>;

struct Weighted {
  std::string_view item;
  int weight;
};

// Common surnames with their approximate share of the population, in hundredths of a percent.
constexpr Weighted kSurnames[] = {
    {"王", 725}, {"李", 719}, {"张", 683}, {"刘", 538}, {"陈", 453}, {"杨", 308}, {"黄", 223}, {"赵", 229}, {"吴", 205},
    {"周", 192}, {"徐", 145}, {"孙", 138}, {"马", 129}, {"朱", 126}, {"胡", 115}, {"郭", 114}, {"何", 106}, {"高", 100},
    {"林", 97},  {"罗", 86},  {"郑", 78},  {"梁", 73},  {"谢", 72},  {"宋", 63},  {"唐", 63},  {"许", 60},  {"韩", 58},
    {"冯", 55},  {"邓", 54},  {"曹", 53},  {"彭", 51},  {"曾", 48},  {"肖", 47},  {"田", 46},  {"董", 45},  {"袁", 44},
    {"潘", 42},  {"于", 41},  {"蒋", 41},  {"蔡", 40},  {"余", 39},  {"杜", 38},  {"叶", 37},  {"程", 36},  {"苏", 35},
    {"魏", 35},  {"吕", 34},  {"丁", 33},  {"任", 33},  {"沈", 32},  {"姚", 30},  {"卢", 30},  {"姜", 29},  {"崔", 28},
    {"钟", 28},  {"谭", 27},  {"陆", 26},  {"汪", 26},  {"范", 25},  {"金", 25},  {"石", 24},  {"廖", 24},  {"贾", 23},
    {"夏", 22},  {"韦", 22},  {"付", 21},  {"方", 21},  {"白", 20},  {"邹", 20},  {"孟", 19},  {"熊", 19},  {"秦", 18},
    {"邱", 18},  {"江", 18},  {"尹", 17},  {"薛", 17},  {"闫", 16},  {"段", 16},  {"雷", 16},  {"侯", 15},  {"龙", 15},
    {"史", 15},  {"陶", 14},  {"黎", 14},  {"贺", 14},  {"顾", 13},  {"毛", 13},  {"郝", 13},  {"龚", 12},  {"邵", 12},
    {"万", 12},  {"钱", 12},  {"严", 11},  {"覃", 11},  {"武", 11},  {"戴", 11},  {"莫", 10},  {"孔", 10},  {"向", 10},
    {"汤", 10},  {"常", 9},   {"温", 9},   {"康", 9},   {"施", 8},   {"文", 8},   {"牛", 8},   {"樊", 8},   {"葛", 8},
    {"邢", 7},   {"安", 7},   {"齐", 7},   {"易", 7},   {"乔", 7},   {"伍", 7},   {"庞", 6},   {"颜", 6},   {"倪", 6},
    {"庄", 6},   {"聂", 6},   {"章", 6},   {"鲁", 5},   {"岳", 5},   {"翟", 5},   {"殷", 5},   {"詹", 5},   {"申", 5},
    {"欧阳", 4}, {"耿", 4},   {"关", 4},   {"兰", 4},   {"焦", 4},   {"俞", 4},   {"左", 4},   {"柳", 4},   {"甘", 4},
    {"祝", 4},   {"包", 4},   {"宁", 3},   {"尚", 3},   {"符", 3},   {"舒", 3},   {"阮", 3},   {"柯", 3},   {"纪", 3},
    {"梅", 3},   {"童", 3},   {"凌", 3},   {"毕", 3},   {"单", 3},   {"季", 3},   {"裴", 3},   {"霍", 3},   {"涂", 3},
    {"成", 3},   {"苗", 3},   {"谷", 3},   {"盛", 3},   {"曲", 3},   {"翁", 3},   {"冉", 2},   {"骆", 2},   {"蓝", 2},
    {"路", 2},   {"游", 2},   {"辛", 2},   {"靳", 2},   {"司马", 1}, {"诸葛", 1},
};

// Popular given names of children born 2011-2020.
inline const Words kBoyNames = {
    "子轩", "浩然", "宇轩", "梓豪", "俊熙", "浩宇", "子墨", "宇航", "博文", "皓轩", "一鸣", "子睿", "梓睿", "铭泽",
    "家豪", "晨阳", "嘉懿", "天佑", "睿哲", "子豪", "俊杰", "明轩", "泽宇", "思远", "煜祺", "智宸", "昊然", "明杰",
    "立诚", "峻熙", "弘文", "鸿煊", "烨霖", "哲瀚", "鑫鹏", "致远", "俊驰", "雨泽", "晟睿", "文昊", "远航", "旭尧",
    "鸿涛", "荣轩", "越泽", "瑾瑜", "志泽", "睿渊", "楷瑞", "梓航", "奕辰", "宇泽", "沐阳", "锦程", "梓晨", "浩轩",
    "子涵", "一诺", "嘉豪", "俊宇", "宇辰", "梓轩", "铭轩", "承泽", "子阳", "浩博", "皓宇", "博涛", "君浩", "诗杰",
    "宸宇", "奕博", "思源", "宏宇", "泽楷", "锦轩", "天宇", "晨希", "景行", "若愚", "亦凡", "佳乐", "昊天", "子航",
};
inline const Words kGirlNames = {
    "子涵", "欣怡", "梓萱", "雨桐", "诗涵", "梓涵", "可馨", "一诺", "语桐", "欣妍", "紫涵", "思涵",
    "佳怡", "梦琪", "雨涵", "若汐", "诗琪", "语嫣", "艺涵", "芷若", "依诺", "梓琪", "子萱", "佳琪",
    "欣然", "雨萱", "思彤", "一涵", "沐橙", "安琪", "诗雨", "晨曦", "婉清", "静怡", "晓彤", "梦瑶",
    "嘉怡", "悦彤", "雅琪", "馨月", "可欣", "若曦", "紫萱", "语汐", "心怡", "依依", "芊芊", "欣悦",
    "雨欣", "梓彤", "诗语", "思琪", "雅涵", "佳琳", "梓妍", "语彤", "馨怡", "雨萌", "书瑶", "羽彤",
    "梦涵", "可心", "佳宁", "欣彤", "若彤", "诗萱", "梓悦", "一然", "沐晴", "雨菲", "思颖", "婧琪",
};
// Characters for combined names (first + second) and single-character names.
inline const Words kBoyFirst = {"子", "浩", "宇", "俊", "梓", "博", "明", "志", "嘉", "思", "天", "文",
                                "一", "晨", "泽", "睿", "皓", "锦", "铭", "家", "承", "逸", "煜", "昊"};
inline const Words kBoySecond = {"轩", "然", "辰", "航", "睿", "杰", "宇", "泽", "鑫", "豪", "博", "哲",
                                 "恒", "铭", "阳", "霖", "熙", "川", "远", "诚", "凯", "瑞", "翔", "林"};
inline const Words kBoySingle = {"浩", "轩", "宇", "杰", "涛", "博", "睿", "哲", "凯", "鑫", "航", "畅", "磊", "越"};
inline const Words kGirlFirst = {"欣", "梓", "雨", "诗", "语", "可", "思", "子", "佳", "紫", "一", "若",
                                 "梦", "心", "依", "芷", "雅", "嘉", "婉", "晓", "静", "沐", "书", "艺"};
inline const Words kGirlSecond = {"怡", "萱", "桐", "涵", "琪", "彤", "妍", "悦", "琳", "菲", "瑶", "萌",
                                  "然", "婷", "璇", "蕾", "晴", "宁", "馨", "冉", "熙", "诺", "淇", "雯"};
inline const Words kGirlSingle = {"萱", "涵", "怡", "琪", "悦", "彤", "婷", "妍", "琳", "瑶", "欣", "雪", "楠"};

// Parents and teachers, born about 1965-2000.
inline const Words kManNames = {
    "伟",   "强",   "磊",   "军",   "洋",   "勇",   "杰",   "涛",   "明",   "超",   "刚",   "平",   "辉",   "鹏",
    "华",   "飞",   "斌",   "波",   "宇",   "浩",   "凯",   "健",   "俊",   "帆",   "帅",   "旭",   "宁",   "龙",
    "林",   "建华", "建军", "志强", "志明", "海涛", "晓东", "国强", "文杰", "永刚", "俊杰", "宏伟", "建平", "立新",
    "晓峰", "振华", "海波", "伟东", "明亮", "小龙", "成龙", "东升", "春雷", "文斌", "新华", "家明", "志伟", "卫东",
    "金龙", "鹏飞", "少华", "剑锋", "永强", "建明", "海峰", "晓军", "红军", "德胜", "光明",
};
inline const Words kWomanNames = {
    "芳",   "娜",   "敏",   "静",   "丽",   "艳",   "娟",   "霞",   "燕",   "玲",   "婷",   "雪",   "琳",   "倩",
    "慧",   "颖",   "洁",   "红",   "梅",   "莉",   "晶",   "丹",   "萍",   "秀英", "桂英", "海燕", "丽娟", "红梅",
    "晓燕", "春梅", "小红", "丽华", "美玲", "雪梅", "玉洁", "慧敏", "晓丽", "婷婷", "丽丽", "静静", "晓霞", "秋菊",
    "雅琴", "文静", "月红", "凤霞", "彩霞", "春燕", "晓红", "丽萍", "小燕", "海霞", "玉兰", "翠萍", "淑华", "秀梅",
    "佳慧", "思敏", "雨婷", "晓琳", "丹丹", "亚楠", "明月", "艳芳", "美华", "金凤",
};
// Grandparents and retired teachers, born about 1945-1965.
inline const Words kOldManNames = {"建国", "国华", "德明", "福生", "长青", "振国", "永福", "德华", "志刚",
                                   "国平", "卫国", "桂林", "富贵", "庆祥", "金山", "来福", "保国", "光荣",
                                   "树林", "玉山", "洪亮", "新民", "胜利", "满堂", "春生", "学文"};
inline const Words kOldWomanNames = {"秀兰", "桂兰", "玉兰", "淑珍", "秀珍", "凤英", "桂芳", "秀英",
                                     "玉珍", "素珍", "翠花", "玉梅", "凤兰", "淑芬", "桂香", "金凤",
                                     "玉芬", "兰英", "月英", "秀云", "桂珍", "淑英", "春兰", "冬梅"};

constexpr Weighted kHealthNotes[] = {
    {"花生过敏", 20},
    {"哮喘", 18},
    {"先天性心脏病（已手术，避免剧烈运动）", 5},
    {"芒果过敏", 8},
    {"海鲜过敏", 10},
    {"乳糖不耐受", 8},
    {"癫痫（按时服药）", 3},
    {"1型糖尿病（午间需测血糖）", 2},
    {"蚕豆病（G6PD缺乏）", 6},
    {"高度近视，避免头部碰撞", 8},
    {"青霉素过敏", 10},
    {"鸡蛋过敏", 6},
};

// Mobile prefixes in use on the mainland (China Mobile, Unicom, Telecom, Broadnet).
inline const Words kMobilePrefixes = {"130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
                                      "150", "151", "152", "153", "155", "156", "157", "158", "159", "166",
                                      "173", "176", "177", "178", "180", "181", "182", "183", "184", "185",
                                      "186", "187", "188", "189", "191", "193", "195", "198", "199"};

// Administrative division codes (6 digits) for the ID numbers: mostly the (fictional) local
// county, some from elsewhere (children of families who moved here).
constexpr std::string_view kLocalRegion = "362329";
inline const Words kOtherRegions = {"362301", "362321", "360102", "360121", "430104", "421022",
                                    "441900", "350203", "510107", "522426", "411302", "340881"};

// ---- registration (托管协议 and 线上报名) ------------------------------------------------------------
// The shape of the applications (basis points, Rng::Chance). Families choose all five days unless
// the school excludes one; some drop a day (often Friday, when a grandparent is free).
constexpr uint64_t kEnrolmentStream = 0x656E726F6C6D656EULL;  // "enrolmen": the registration PRNG stream
constexpr int kFourDaysBp = 1500;
constexpr int kNoonBp = 2500;     // noon care, where the school offers it
constexpr int kEveningBp = 3500;  // evening self-study: junior grades, where offered
// Children who go home on their own: only from grade 4 in the demo. (The enroll rules allow
// 'self' at any grade; schools in practice want younger children picked up.)
constexpr int kSelfPickupMinGrade = 4;
constexpr int kSelfPickupPrimaryBp = 1200;     // grades 4-6
constexpr int kSelfPickupJuniorBp = 4000;      // grades 7-9
constexpr int kProxyPickupBp = 300;            // a relative picks up (parents work away)
constexpr int kSecondGuardianPickupBp = 3000;  // the other guardian of the family picks up
constexpr int kHealthNoteBp = 6000;            // a family writes the child's health note into the form
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
inline const Words kCarrierBlocks = {"223.104.", "117.136.", "112.97.",  "39.144.",
                                     "120.229.", "113.57.",  "183.197.", "106.61."};
// Relatives who pick up in the parents' place, and whether the name is a man's.
struct ProxyRelation {
  std::string_view relation;
  bool man;
};
constexpr ProxyRelation kProxyRelations[] = {{"姑姑", false}, {"姨妈", false}, {"舅舅", true}, {"表姐", false}};

inline std::string_view Pick(Rng& r, const Words& w) { return w[static_cast<size_t>(r.Below(w.size()))]; }

template <size_t N>
inline std::string_view PickWeighted(Rng& r, const Weighted (&table)[N]) {
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

inline std::string Pad2(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// Chinese numerals for grade names, 1..9.
inline std::string GradeName(int g) {
  static constexpr std::array<std::string_view, 10> kNum = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  return std::string(kNum[static_cast<size_t>(g)]) + "年级";
}

inline std::string ClassName(int g, int n) { return GradeName(g) + "(" + std::to_string(n) + ")班"; }

// "2026-09-01" -> "2026年9月1日".
inline std::string ZhDate(const std::string& iso) {
  auto d = ParseDate(iso);
  if (!d) return iso;
  return std::to_string(d->y) + "年" + std::to_string(d->m) + "月" + std::to_string(d->d) + "日";
}

// The school's 托管协议 for the term: the service (1+X), its times from the term's bands, fees
// (the county's approved standard; a private boarding school charges nothing), safety and
// pickup, the family's part, voluntary participation, exit, personal data, and the rest.
inline std::string AgreementBody(const GenSchool& s, const GenTerm& t) {
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
      days +=
          "，本学期每周" + std::string(kDayZh[static_cast<size_t>(wd)]) + "下午为教师集中学习时间，当天不提供课后服务";
  }
  std::string b;
  b += "甲方：" + s.name + "\n乙方：学生监护人（在本平台在线签署的家长）\n\n";
  b +=
      "为满足学生放学后在校托管的需求，根据教育部办公厅《关于做好中小学生课后服务工作的指导意见》和上级教育行政部门关于"
      "义务教育课后服务工作的要求，学校按照“家长自愿、学校组织、公益普惠、安全第一”的原则开展课后服务。经双方协商，就" +
      t.name + "（" + ZhDate(t.start_date) + "至" + ZhDate(t.end_date) + "）课后服务事宜达成如下协议。\n\n";
  b += "一、服务内容（“1+X”）\n“1”为基础托管服务：教师看护学生完成书面作业，答疑解惑，对学习有困难的学生进行个别辅导，"
       "为学有余力的学生拓展学习空间；“X”为拓展服务：科技、体育、艺术、劳动、阅读、影视、兴趣小组和社团等活动，由学生和"
       "家长在学校公布的课程中自愿选择。课后服务不讲授新课，不组织集体补课。\n\n";
  b += "二、服务时间\n" + days + "。各时段为：" + times + "。";
  if (seasonal && t.winter_from) b += "自" + ZhDate(*t.winter_from) + "起执行冬季作息。";
  if (evening) b += "晚自习仅面向七至九年级学生。";
  b += "国家法定节假日、寒暑假及学校依规调休的日期不提供服务；遇恶劣天气、突发公共卫生事件等需要调整的，学校提前通过班"
       "级群和"
       "本平台告知。\n\n";
  if (no_fee)
    b += "三、服务费用\n本校为民办寄宿制学校，按照规定开展课后服务不收取任何费用，拓展服务所需材料由学校统一提供。\n\n";
  else
    b +=
        "三、服务费用\n课后服务收费严格执行" + std::string(kCountyName) +
        "价格主管部门会同教育行政部门核定的标准，按学期据实收取，收费标准在校内和本平台公示，学校不以任何名义另行收费。"
        "家庭经济困难学生、残疾学生、烈士子女等按规定减免。拓展服务中确需家长负担材料费的项目，在选课前单独公示，由家长"
        "自愿选择。\n\n";
  b += "四、安全与接送\n学生参加课后服务期间由学校安排教师看护，学校落实安全管理责任。服务结束后，学生按乙方在申请表中"
       "选择的"
       "方式离校：由监护人接送的，监护人按时到校接领；委托他人接送的，须在申请表中登记受托人姓名和手机号码，受托人凭接"
       "送卡"
       "接领；选择自行离校的，乙方确认学生具备独立安全回家的能力，并对学生离校后的安全负责。未按时接领的，值班教师看护"
       "学生至"
       "家长到达。学生因故不参加当天服务的，乙方应提前告知班主任。\n\n";
  b += "五、乙方责任\n乙方如实告知学生的健康状况（如过敏史、慢性疾病、需服用的药物等），保持联系电话畅通；教育学生遵守"
       "学校纪律"
       "和安全规定，爱护公共设施；学生身体不适或有特殊情况的，及时告知学校。\n\n";
  b += "六、自愿参加\n课后服务遵循自愿原则，学校不强制、不变相强制学生参加。未报名的学生确有特殊情况需要留校的，学校照"
       "常看护，"
       "不歧视、不区别对待。\n\n";
  b += "七、退出\n乙方可随时通过本平台或书面向班主任申请退出，退出自申请中载明的生效日起停止服务";
  b += no_fee ? "。\n\n" : "，已缴费用按未服务天数据实退还。\n\n";
  b += "八、个人信息保护\n学校收集的学生和监护人信息（姓名、班级、联系方式、健康状况、接送安排等）仅用于本学期课后服务"
       "的组织、"
       "安全管理和家校沟通，按照《中华人民共和国个人信息保护法》的要求妥善保管，未经乙方同意不向第三方提供。\n\n";
  b += "九、其他\n本协议有效期为本学期。学校调整服务内容、时间或收费的，将发布新版本协议，乙方重新阅读并签署后生效。乙"
       "方在本平台"
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
  std::string surname;                // the father's, which the children carry
  std::vector<FamilyMember> members;  // first is the primary contact
  bool low_income = false;
  std::vector<Index> children;  // into Builder::children_
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

  std::string ChildGiven(bool boy);
  std::string AdultName(const std::string& surname, bool man);
  std::string OldName(const std::string& surname, bool man);

  std::string Mobile();

  // A birth date for a child in grade g of the 2026 autumn term: the cohort born from 1 Sept
  // (2020-g) to 31 Aug (2021-g); about 2% are a year older.
  std::string ChildBirth(int g);

  std::string IdNumber(const std::string& birth, bool male);

  // ---- areas, schools, terms -------------------------------------------------------------------
  void Areas();

  void Schools();

  void Terms();

  // ---- grades and classes ----------------------------------------------------------------------
  struct Plan {
    int first, last, classes_per_grade, size_min, size_max;
  };
  static std::vector<Plan> PlansFor(Index school);

  void GradesAndClasses(Index school);

  // ---- staff -------------------------------------------------------------------------------------
  Index AddStaff(Index school, std::string kind, std::string position, std::string subjects, int female_bp,
                 std::string institution = "", bool old = false);

  Index Teacher(Index school, const std::string& subject, int female_bp);

  void MainStaff();

  void SmallStaff();

  // Class teachers: primary classes take their 语文 and 数学 teachers, junior classes teachers of
  // the main subjects; small schools their 语文/数学 teachers.
  void ClassTeachers();

  template <class T>
  void Shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[static_cast<size_t>(rng_.Below(i))]);
  }

  // ---- rooms -------------------------------------------------------------------------------------
  void AddRoom(Index school, std::string name, std::string kind, int capacity, std::string equipment);

  void Rooms();

  // ---- families and children --------------------------------------------------------------------
  Index NewGuardian(std::string name);

  Index NewFamily();

  void PlaceChild(Index family, Index klass);

  // A random class with room left, of the given school(s), not in grade `not_grade`.
  std::optional<Index> FreeClass(bool main_school, int not_grade);
  std::optional<Index> FreeClassIn(Index school, int not_grade);

  void PlaceChildren();

  // Students class by class (shuffled within the class, numbered in that order), with their
  // guardians' links.
  void WriteStudents();

  // Three parents of the main school volunteer (家长志愿者): staff rows with their own mobile.
  void ParentVolunteers();

  // ---- accounts ----------------------------------------------------------------------------------
  std::string StudentPlace(Index child) const;

  void StaffAccount(auth::Role r, std::string login, Index staff);
  Index ClassTeacherOf(int grade, int number) const;  // of the main school (else the principal)
  // The families behind the guardian account and the parent committee's account.
  std::pair<Index, Index> AccountFamilies() const;
  void CommitteeAccount(Index family);
  void GuardianAccount(Index family);
  void OfficerAccount(auth::Role r);  // county or city

  // One account per role, in the roles' order.
  void Accounts();

  // ---- registration: agreements and applications --------------------------------------------------
  std::optional<Index> AccountOf(auth::Role r) const;

  int64_t Seconds(int64_t lo, int64_t hi);

  std::string ProxyMobile();

  // Version 1 of each current term's agreement, published by the office before families applied.
  void Agreements();

  // Every child gets a status by the shares above; then the children behind the demo logins are
  // pinned: the guardian's and the parent committee's children are approved (they can choose
  // courses at once), and the class teacher's class has its first children approved and a few
  // waiting in the review queue.
  void Applications();

  GenApplication MakeApplication(Index i, enroll::AppStatus status, const std::vector<Index>& guardians,
                                 const std::map<Index, Index>& guardian_login);

  // The application's times (backwards from its last step) and its review chain up to its status.
  void ReviewChain(GenApplication& a, const GenStudent& st, const GenClass& k);

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
  std::map<Index, Index> principals_;           // school -> its principal (staff)
  std::map<Index, Index> agreement_of_school_;  // school -> its current term's agreement
  Index principal_ = 0, vice_ = 0, course_ = 0, director_ = 0, clerk_ = 0, safety_ = 0, guard_ = 0, doctor_ = 0,
        liaison_ = 0, teacher_ = 0;
  std::optional<Index> external_;
};

}  // namespace kehou::demo::internal
