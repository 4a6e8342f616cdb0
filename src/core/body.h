// body.h: the one typed reader of JSON request bodies (and of JSON objects nested in them).
// Every handler and service reads its input through it, so a wrong type, an out-of-range number,
// a control character or an over-long text answers 400 with a Chinese message naming the field,
// never a 500 or a silent conversion.
//
//   BodyReader r(body);
//   auto name = r.Text("name", {.required = true, .max_len = 100, .label = "名称"});
//   auto cap = r.Int("capacity", {.min = 1, .max = 45, .label = "容量"});
//   if (auto s = r.Finish(); !s.ok()) return s.error();   // the first field error
//
// A reader keeps the first error only; after it, every read answers nullopt. Reads of absent or
// null fields answer nullopt (an error if the rule says required). Thread-safety: one request's.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace kehou {

// Text: a JSON string (numbers are refused, never turned into text). Trimmed unless trim=false;
// invalid UTF-8 is refused; control characters too (tab/CR/LF allowed with multiline).
struct TextRule {
  bool required = false;  // absent, null or (after trimming) empty is an error
  size_t max_len = 0;     // in characters (code points); 0: no limit beyond the body's
  bool no_control = true;
  bool multiline = false;    // allow tab, CR, LF
  bool trim = true;          // passwords: false
  std::string_view label{};  // the field's Chinese name in messages (default: the key)
};
// Integers: a JSON integer or a string of one; must fit in 64 bits and in [min, max].
struct IntRule {
  bool required = false;
  int64_t min = std::numeric_limits<int64_t>::min();
  int64_t max = std::numeric_limits<int64_t>::max();
  std::string_view label{};
};
// Booleans (true/false or 0/1), dates 'YYYY-MM-DD', times 'HH:MM', id lists.
struct FieldRule {
  bool required = false;
  std::string_view label{};
  size_t max_items = 10'000;  // lists only
};

// What Finish does with keys nobody read.
enum class UnknownFields { kIgnore, kRefuse };

class BodyReader {
 public:
  using Json = nlohmann::json;
  // `prefix` names nested objects in errors: "pickup." -> field "pickup.mode".
  explicit BodyReader(const Json& j, std::string prefix = {});

  // The body as a JSON object, or Error::Invalid (not JSON, or not an object).
  static Result<Json> ParseObject(std::string_view body);

  bool Has(std::string_view key) const;      // present, even as null
  bool Present(std::string_view key) const;  // present and not null
  bool IsNull(std::string_view key) const;
  std::string Field(std::string_view key) const { return prefix_ + std::string(key); }

  std::optional<std::string> Text(std::string_view key, const TextRule& rule = {});
  std::optional<int64_t> Int(std::string_view key, const IntRule& rule = {});
  std::optional<int64_t> Id(std::string_view key, const FieldRule& rule = {});  // Int >= 1
  std::optional<bool> Bool(std::string_view key, const FieldRule& rule = {});
  std::optional<kehou::Date> Date(std::string_view key, const FieldRule& rule = {});
  std::optional<int> Time(std::string_view key, const FieldRule& rule = {});  // minutes after midnight
  std::optional<std::vector<int64_t>> IdList(std::string_view key, const FieldRule& rule = {});
  std::optional<std::vector<int64_t>> IntList(std::string_view key, const IntRule& rule = {},
                                              size_t max_items = 10'000);
  std::optional<std::vector<std::string>> TextList(std::string_view key, const TextRule& rule = {},
                                                   size_t max_items = 10'000);
  // The raw value (for nested objects and arrays the caller reads itself, e.g. with a nested
  // BodyReader); marks the key as read. nullptr if absent or null (an error if required), or if
  // `want` is given and the value is not of that type (an error naming the field).
  const Json* Raw(std::string_view key, bool required = false, std::string_view label = {},
                  std::optional<Json::value_t> want = std::nullopt);

  // For nullable fields: absent -> nullopt; null -> optional(nullopt); value -> optional(value).
  template <class F>
  auto Nullable(std::string_view key, F read) -> std::optional<std::optional<typename decltype(read())::value_type>> {
    using T = typename decltype(read())::value_type;
    Mark(key);
    if (!Has(key)) return std::nullopt;
    if (IsNull(key)) return std::optional<T>{};
    auto v = read();
    if (!v) return std::nullopt;
    return std::optional<T>{std::move(*v)};
  }

  void Require(std::string_view key, std::string_view label = {});  // present and not null
  void Allow(std::initializer_list<std::string_view> keys);         // known without a read
  // Records an error for `key` (the first one wins).
  void Fail(std::string_view key, std::string zh, std::string_view en);
  void Set(Error e);

  bool ok() const { return !error_.has_value(); }
  const std::optional<Error>& error() const { return error_; }
  // The first error, or with UnknownFields::kRefuse an error naming the first key never read.
  Status Finish(UnknownFields unknown = UnknownFields::kIgnore) const;
  const Json& json() const { return j_; }

 private:
  const Json* Get(std::string_view key, bool required, std::string_view label);
  std::string Label(std::string_view key, std::string_view label) const;
  void Mark(std::string_view key);
  std::optional<int64_t> IntOf(const Json& v, std::string_view key, const IntRule& rule);
  std::optional<std::string> TextOf(const Json& v, std::string_view key, const TextRule& rule);

  const Json& j_;
  std::string prefix_;
  std::vector<std::string> seen_;
  std::optional<Error> error_;
};

}  // namespace kehou
