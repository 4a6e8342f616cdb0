#include "core/body.h"

#include <gtest/gtest.h>

namespace kehou {
namespace {

using Json = nlohmann::json;

Error FirstError(const BodyReader& r) {
  auto s = r.Finish();
  EXPECT_FALSE(s.ok());
  return s.ok() ? Error{} : s.error();
}

TEST(BodyReader, ParseObjectRefusesNonObjects) {
  EXPECT_TRUE(BodyReader::ParseObject(R"({"a":1})").ok());
  EXPECT_FALSE(BodyReader::ParseObject("[1]").ok());
  EXPECT_FALSE(BodyReader::ParseObject("{").ok());
  EXPECT_FALSE(BodyReader::ParseObject("").ok());
  EXPECT_EQ(BodyReader::ParseObject("7").error().code, kInvalid);
}

TEST(BodyReader, TextRefusesNumbersInsteadOfConverting) {
  Json j = Json::parse(R"({"address": 9223372036854775808, "login": 12, "name": " 王 "})");
  BodyReader r(j);
  EXPECT_EQ(r.Text("name"), "王");  // trimmed
  EXPECT_EQ(r.Text("address", {.label = "地址"}), std::nullopt);
  Error e = FirstError(r);
  EXPECT_EQ(e.code, kInvalid);
  EXPECT_EQ(e.field, "address");
  EXPECT_EQ(e.message, "地址应为文字");
}

TEST(BodyReader, TextLimitsAndControlCharacters) {
  Json j = {{"a", std::string(100, 'x')},
            {"b", std::string(101, 'x')},
            {"c", "课\x01程"},
            {"d", "第一行\n第二行"},
            {"e", "  "},
            {"f", "\xC2\x85"},
            {"g", "\xFF"}};
  BodyReader r(j);
  EXPECT_TRUE(r.Text("a", {.max_len = 100}));
  EXPECT_FALSE(BodyReader(j).Text("b", {.max_len = 100}));
  EXPECT_FALSE(BodyReader(j).Text("c"));
  EXPECT_FALSE(BodyReader(j).Text("d"));
  EXPECT_TRUE(BodyReader(j).Text("d", {.multiline = true}));
  EXPECT_FALSE(BodyReader(j).Text("e", {.required = true}));
  EXPECT_FALSE(BodyReader(j).Text("f"));  // C1 control (NEL)
  EXPECT_FALSE(BodyReader(j).Text("g"));  // not UTF-8
  BodyReader c(j);
  c.Text("c", {.label = "课程名称"});
  EXPECT_EQ(FirstError(c).message, "课程名称含有控制字符");
}

TEST(BodyReader, IntRangeTypesAndOverflow) {
  Json j = Json::parse(R"({"cap": 45, "over": 46, "s": " 7 ", "f": 1.5, "big": 9223372036854775808,
                           "bigs": "99999999999999999999", "neg": -1, "t": true})");
  EXPECT_EQ(BodyReader(j).Int("cap", {.min = 1, .max = 45}), 45);
  EXPECT_EQ(BodyReader(j).Int("s"), 7);
  BodyReader over(j);
  EXPECT_FALSE(over.Int("over", {.min = 1, .max = 45, .label = "容量"}));
  EXPECT_EQ(FirstError(over).message, "容量应在 1 到 45 之间");
  EXPECT_FALSE(BodyReader(j).Int("f"));
  EXPECT_FALSE(BodyReader(j).Int("big"));
  EXPECT_FALSE(BodyReader(j).Int("bigs"));
  EXPECT_FALSE(BodyReader(j).Int("t"));
  EXPECT_FALSE(BodyReader(j).Id("neg"));
  BodyReader req(j);
  EXPECT_FALSE(req.Int("missing", {.required = true, .label = "容量"}));
  EXPECT_EQ(FirstError(req).message, "请填写容量");
}

TEST(BodyReader, FirstErrorWinsAndLaterReadsAnswerNothing) {
  Json j = {{"a", "x"}, {"b", 2}};
  BodyReader r(j);
  EXPECT_FALSE(r.Int("a"));
  EXPECT_FALSE(r.Int("b"));  // valid, but the reader already failed
  EXPECT_EQ(FirstError(r).field, "a");
}

TEST(BodyReader, BoolDateTimeLists) {
  Json j = Json::parse(R"({"on": true, "one": 1, "two": 2, "d": "2026-02-28", "bad": "2026-02-30", "t": "07:30",
                           "ids": [1, 2], "zero": [0], "strs": ["1"], "words": ["a", " b "], "notlist": 3})");
  EXPECT_EQ(BodyReader(j).Bool("on"), true);
  EXPECT_EQ(BodyReader(j).Bool("one"), true);
  EXPECT_FALSE(BodyReader(j).Bool("two"));
  EXPECT_EQ(BodyReader(j).Date("d"), (Date{2026, 2, 28}));
  EXPECT_FALSE(BodyReader(j).Date("bad"));
  EXPECT_EQ(BodyReader(j).Time("t"), 450);
  EXPECT_EQ(BodyReader(j).IdList("ids"), (std::vector<int64_t>{1, 2}));
  EXPECT_FALSE(BodyReader(j).IdList("zero"));
  EXPECT_FALSE(BodyReader(j).IdList("strs"));
  EXPECT_FALSE(BodyReader(j).IdList("notlist"));
  EXPECT_FALSE(BodyReader(j).IdList("ids", {.max_items = 1}));
  EXPECT_EQ(BodyReader(j).TextList("words"), (std::vector<std::string>{"a", "b"}));
}

TEST(BodyReader, NullableAndNestedPrefix) {
  Json j = Json::parse(R"({"room_id": null, "class_id": 3, "pickup": {"mode": 5}})");
  BodyReader r(j);
  auto room = r.Nullable("room_id", [&] { return r.Id("room_id"); });
  ASSERT_TRUE(room);
  EXPECT_FALSE(room->has_value());
  auto cls = r.Nullable("class_id", [&] { return r.Id("class_id"); });
  EXPECT_EQ(cls, std::optional<std::optional<int64_t>>(3));
  EXPECT_FALSE(r.Nullable("absent", [&] { return r.Id("absent"); }));
  const Json* p = r.Raw("pickup", true, "接送", Json::value_t::object);
  ASSERT_NE(p, nullptr);
  BodyReader pr(*p, "pickup.");
  EXPECT_FALSE(pr.Text("mode"));
  EXPECT_EQ(FirstError(pr).field, "pickup.mode");
}

TEST(BodyReader, UnknownFieldsRefusedOnRequest) {
  Json j = {{"name", "a"}, {"nmae", "b"}};
  BodyReader r(j);
  r.Text("name");
  EXPECT_TRUE(r.Finish().ok());
  auto s = r.Finish(UnknownFields::kRefuse);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "nmae");
  r.Allow({"nmae"});
  EXPECT_TRUE(r.Finish(UnknownFields::kRefuse).ok());
}

TEST(ErrorFactories, CodesNamesAndStatuses) {
  EXPECT_EQ(Error::NotFound("学生不存在", "no such student", "student_id").code, kNotFound);
  EXPECT_EQ(Error::Invalid("x", "y", "f").field, "f");
  EXPECT_EQ(ErrorStatus(Error::Conflict("x").code), 409);
  EXPECT_EQ(ErrorStatus(ErrorCode::kRuleBroken), 422);
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kNotFound), "not_found");
  EXPECT_EQ(Error::Unavailable("忙", "busy", 2).retry_after, 2);
}

Result<int> Half(int n) {
  if (n % 2) return Error::Invalid("应为偶数", "must be even", "n");
  return n / 2;
}
Status Even(int n) {
  if (n % 2) return Error::Invalid("应为偶数");
  return Ok();
}
Result<int> Quarter(int n) {
  KEHOU_ASSIGN_OR_RETURN(int h, Half(n));
  KEHOU_ASSIGN_OR_RETURN(auto q, Half(h));
  return q;
}
Status BothEven(int a, int b) {
  KEHOU_TRY(Even(a));
  KEHOU_TRY(Half(b));
  return Ok();
}

TEST(ErrorMacros, TryAndAssignOrReturn) {
  EXPECT_EQ(Quarter(8).value(), 2);
  EXPECT_FALSE(Quarter(6).ok());
  EXPECT_EQ(Quarter(6).error().field, "n");
  EXPECT_TRUE(BothEven(2, 4).ok());
  EXPECT_FALSE(BothEven(1, 4).ok());
  EXPECT_FALSE(BothEven(2, 3).ok());
}

}  // namespace
}  // namespace kehou

namespace kehou {
namespace {
TEST(ErrorCodeJson, IsItsNameBothWays) {
  nlohmann::json j = {{"code", kNotFound}};
  EXPECT_EQ(j.dump(), R"({"code":"not_found"})");
  EXPECT_EQ(j["code"].get<ErrorCode>(), kNotFound);
  EXPECT_EQ(nlohmann::json("what").get<ErrorCode>(), kInternal);
  EXPECT_EQ(ParseErrorCode("rule_broken"), kRuleBroken);
  EXPECT_EQ(ParseErrorCode("nope"), std::nullopt);
}
}  // namespace
}  // namespace kehou
