// common_passwords.cpp: the weakest passwords, compiled in (issue 10 §3). A hand-picked list of
// the most common leaked passwords (English and pinyin patterns, keyboard walks, years, names of
// this product) among those long enough to pass the length and letters+digits rule; anything
// shorter or without both letters and digits is refused by that rule already. Compared
// case-insensitively. Thread-safety: immutable data.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>

#include "auth/service.h"

namespace kehou::auth {
namespace {
// Sorted, lower case.
constexpr std::array<std::string_view, 217> kCommon{{
    "000000aa",     "0123456789a",    "11111111a",   "111111aa",   "112233aa",    "123456",       "12345678",
    "123456789",    "1234567890a",    "123456789a",  "12345678a",  "12345678ab",  "12345678abc",  "1234567a",
    "123456a",      "123456aa",       "123456ab",    "123456abc",  "123456qq",    "12345abc",     "12345qwe",
    "1234abcd",     "1234qwer",       "123abc123",   "123qwe123",  "123qweasd",   "1314520a",     "147258369a",
    "147852369a",   "159357abc",      "159753qq",    "1a2b3c4d",   "1q2w3e4r",    "1q2w3e4r5t",   "1qaz2wsx",
    "1qaz2wsx3edc", "1qazxsw2",       "2024abcd",    "2025abcd",   "2026abcd",    "2wsx3edc",     "520131400a",
    "5201314a",     "66666666a",      "666666aa",    "741852963a", "7758258a",    "7758521a",     "87654321a",
    "88888888a",    "888888aa",       "a00000000",   "a11111111",  "a1234567",    "a12345678",    "a123456789",
    "a1234567890",  "a1b2c3d4",       "a1b2c3d4e5",  "a5201314",   "a7758521",    "a88888888",    "aa123456",
    "aa12345678",   "aaa12345",       "aaaaaa11",    "abc123123",  "abc12345",    "abc123456",    "abc1234567",
    "abc123abc",    "abc20242024",    "abc2025",     "abc2026a",   "abcd1234",    "abcd12345",    "abcdefg1",
    "abcdefg123",   "abcdefgh1",      "admin123",    "admin1234",  "admin12345",  "admin2024",    "admin2025",
    "admin2026",    "administrator1", "aini1314",    "asd12345",   "asdf1234",    "asdfgh123",    "autumn2025",
    "banzhuren1",   "baobei123",      "baobei520",   "baseball1",  "batman123",   "beijing1",     "beijing123",
    "changeme1",    "changeme123",    "charlie1",    "chelsea1",   "chen1234",    "china123",     "china1234",
    "computer1",    "default1",       "default123",  "dragon123",  "football1",   "google123",    "guest123",
    "guest1234",    "hello123",       "hello1234",   "hello12345", "huang123",    "iloveu1314",   "iloveyou1",
    "iloveyou2",    "internet1",      "jiazhang123", "jordan23",   "kehou123",    "kehou1234",    "kehou2026",
    "laogong520",   "laopo520",       "laoshi123",   "letmein1",   "li123456",    "liu123456",    "liverpool1",
    "master123",    "michael1",       "monkey123",   "nihao123",   "nihao1234",   "p@ssw0rd",     "p@ssword",
    "pa55word",     "pass1234",       "pass12345",   "pass2024",   "pass2025",    "pass2026",     "passw0rd",
    "password",     "password01",     "password1",   "password12", "password123", "password2024", "password2025",
    "password2026", "princess1",      "q1w2e3r4",    "q1w2e3r4t5", "qazwsx123",   "qazwsxedc1",   "qq123456",
    "qq1234567",    "qq5201314",      "qwe12345",    "qwe123456",  "qweasd123",   "qweasdzxc1",   "qwer1234",
    "qwerty",       "qwerty123",      "qwerty2026",  "root1234",   "samsung1",    "school123",    "school2026",
    "secret123",    "shadow123",      "shanghai1",   "spring2026", "student1",    "student123",   "summer2024",
    "summer2025",   "summer2026",     "sunshine1",   "superman1",  "teacher1",    "teacher123",   "test1234",
    "test12345",    "trustno1a",      "user1234",    "wang1234",   "welcome1",    "welcome123",   "welcome2026",
    "winter2025",   "winter2026",     "wo5201314",   "woaini123",  "woaini1314",  "woaini520",    "wocaonima1",
    "woshishui1",   "xiaohong1",      "xiaoming1",   "xiaozhang1", "xuesheng123", "xuexiao123",   "yang1234",
    "zaq12wsx",     "zhang123",       "zhao1234",    "zhongguo1",  "zhongguo123", "zxc12345",     "zxcv1234",
}};
}  // namespace

bool IsCommonPassword(std::string_view password) {
  std::string lower(password);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return std::binary_search(kCommon.begin(), kCommon.end(), std::string_view(lower));
}

size_t CommonPasswordCount() { return kCommon.size(); }

}  // namespace kehou::auth
