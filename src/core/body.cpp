#include "core/body.h"

#include <algorithm>

#include "core/text.h"

namespace kehou {

BodyReader::BodyReader(const Json& j, std::string prefix) : j_(j), prefix_(std::move(prefix)) {}

Result<nlohmann::json> BodyReader::ParseObject(std::string_view body) {
  Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return Error::Invalid("请求内容不是有效的 JSON 对象", "the request body is not a JSON object");
  return j;
}

bool BodyReader::Has(std::string_view key) const { return j_.is_object() && j_.contains(key); }
bool BodyReader::Present(std::string_view key) const { return Has(key) && !j_.find(key)->is_null(); }
bool BodyReader::IsNull(std::string_view key) const { return Has(key) && j_.find(key)->is_null(); }

void BodyReader::Mark(std::string_view key) {
  if (std::find(seen_.begin(), seen_.end(), key) == seen_.end()) seen_.emplace_back(key);
}

void BodyReader::Allow(std::initializer_list<std::string_view> keys) {
  for (auto k : keys) Mark(k);
}

std::string BodyReader::Label(std::string_view key, std::string_view label) const {
  return label.empty() ? "字段 " + Field(key) + " " : std::string(label);
}

void BodyReader::Set(Error e) {
  if (!error_) error_ = std::move(e);
}

void BodyReader::Fail(std::string_view key, std::string zh, std::string_view en) {
  Set(Error::Invalid(std::move(zh), Field(key) + " " + std::string(en), Field(key)));
}

void BodyReader::Require(std::string_view key, std::string_view label) {
  Mark(key);
  if (!Present(key)) Fail(key, "请填写" + Label(key, label), "is required");
}

const nlohmann::json* BodyReader::Get(std::string_view key, bool required, std::string_view label) {
  Mark(key);
  if (error_) return nullptr;
  if (!Present(key)) {
    if (required) Fail(key, "请填写" + Label(key, label), "is required");
    return nullptr;
  }
  return &*j_.find(key);
}

const nlohmann::json* BodyReader::Raw(std::string_view key, bool required, std::string_view label,
                                      std::optional<Json::value_t> want) {
  const Json* v = Get(key, required, label);
  if (!v || !want || v->type() == *want) return v;
  if (*want == Json::value_t::array) Fail(key, Label(key, label) + "应为列表", "must be a list");
  else if (*want == Json::value_t::object) Fail(key, Label(key, label) + "格式有误（应为对象）", "must be an object");
  else Fail(key, Label(key, label) + "类型有误", "has the wrong type");
  return nullptr;
}

std::optional<std::string> BodyReader::TextOf(const Json& v, std::string_view key, const TextRule& rule) {
  if (!v.is_string()) {
    Fail(key, Label(key, rule.label) + "应为文字", "must be text");
    return std::nullopt;
  }
  const auto& raw = v.get_ref<const std::string&>();
  if (!ValidUtf8(raw)) {
    Fail(key, Label(key, rule.label) + "含有无效字符", "is not valid UTF-8");
    return std::nullopt;
  }
  std::string s = rule.trim ? Trim(raw) : raw;
  if (rule.required && s.empty()) {
    Fail(key, "请填写" + Label(key, rule.label), "is required");
    return std::nullopt;
  }
  if (rule.no_control && HasControl(s, rule.multiline)) {
    Fail(key, Label(key, rule.label) + "含有控制字符", "contains control characters");
    return std::nullopt;
  }
  if (rule.max_len > 0 && Utf8Length(s) > rule.max_len) {
    Fail(key, Label(key, rule.label) + "不能超过 " + std::to_string(rule.max_len) + " 个字",
         "is longer than " + std::to_string(rule.max_len) + " characters");
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> BodyReader::Text(std::string_view key, const TextRule& rule) {
  const Json* v = Get(key, rule.required, rule.label);
  if (!v) return std::nullopt;
  return TextOf(*v, key, rule);
}

std::optional<int64_t> BodyReader::IntOf(const Json& v, std::string_view key, const IntRule& rule) {
  std::optional<int64_t> n;
  bool too_big = false;
  if (v.is_number_unsigned()) {
    auto u = v.get<uint64_t>();
    if (u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) n = static_cast<int64_t>(u);
    else too_big = true;
  } else if (v.is_number_integer()) {
    n = v.get<int64_t>();
  } else if (v.is_string()) {
    std::string s = Trim(v.get_ref<const std::string&>());
    n = ParseInt(s);
    // ParseInt refuses overflow; tell "too large" from "not a number" for a clearer message.
    if (!n && !s.empty() &&
        std::all_of(s.begin() + (s[0] == '-' || s[0] == '+'), s.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        s.size() > 1)
      too_big = true;
  }
  const bool ranged =
      rule.min != std::numeric_limits<int64_t>::min() || rule.max != std::numeric_limits<int64_t>::max();
  auto range_zh = [&] {
    if (rule.min == 1 && rule.max == std::numeric_limits<int64_t>::max()) return std::string("应为正整数");
    if (rule.max == std::numeric_limits<int64_t>::max()) return "应为不小于 " + std::to_string(rule.min) + " 的整数";
    if (rule.min == std::numeric_limits<int64_t>::min()) return "应为不大于 " + std::to_string(rule.max) + " 的整数";
    return "应在 " + std::to_string(rule.min) + " 到 " + std::to_string(rule.max) + " 之间";
  };
  auto range_en = [&] {
    return "must be an integer from " + std::to_string(rule.min) + " to " + std::to_string(rule.max);
  };
  if (too_big) {
    if (ranged) Fail(key, Label(key, rule.label) + range_zh(), range_en());
    else Fail(key, Label(key, rule.label) + "超出范围", "is out of range");
    return std::nullopt;
  }
  if (!n) {
    Fail(key,
         Label(key, rule.label) +
             (ranged && rule.min == 1 && rule.max == std::numeric_limits<int64_t>::max() ? "应为正整数" : "应为整数"),
         "must be an integer");
    return std::nullopt;
  }
  if (*n < rule.min || *n > rule.max) {
    Fail(key, Label(key, rule.label) + range_zh(), range_en());
    return std::nullopt;
  }
  return n;
}

std::optional<int64_t> BodyReader::Int(std::string_view key, const IntRule& rule) {
  const Json* v = Get(key, rule.required, rule.label);
  if (!v) return std::nullopt;
  return IntOf(*v, key, rule);
}

std::optional<int64_t> BodyReader::Id(std::string_view key, const FieldRule& rule) {
  return Int(key, IntRule{.required = rule.required, .min = 1, .label = rule.label});
}

std::optional<bool> BodyReader::Bool(std::string_view key, const FieldRule& rule) {
  const Json* v = Get(key, rule.required, rule.label);
  if (!v) return std::nullopt;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_number_integer() && (v->get<int64_t>() == 0 || v->get<int64_t>() == 1)) return v->get<int64_t>() == 1;
  Fail(key, Label(key, rule.label) + "应为是/否（true/false）", "must be true or false");
  return std::nullopt;
}

std::optional<Date> BodyReader::Date(std::string_view key, const FieldRule& rule) {
  auto s = Text(key, {.required = rule.required, .label = rule.label});
  if (!s) return std::nullopt;
  if (s->empty() && !rule.required) return std::nullopt;
  if (auto d = ParseDate(*s)) return d;
  Fail(key, Label(key, rule.label) + "应为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD");
  return std::nullopt;
}

std::optional<int> BodyReader::Time(std::string_view key, const FieldRule& rule) {
  auto s = Text(key, {.required = rule.required, .label = rule.label});
  if (!s) return std::nullopt;
  if (auto t = ParseTimeOfDay(*s)) return t;
  Fail(key, Label(key, rule.label) + "应为时间 HH:MM", "must be a time HH:MM");
  return std::nullopt;
}

std::optional<std::vector<int64_t>> BodyReader::IntList(std::string_view key, const IntRule& rule, size_t max_items) {
  const Json* v = Get(key, rule.required, rule.label);
  if (!v) return std::nullopt;
  if (!v->is_array()) {
    Fail(key, Label(key, rule.label) + "应为列表", "must be a list");
    return std::nullopt;
  }
  if (v->size() > max_items) {
    Fail(key, Label(key, rule.label) + "最多 " + std::to_string(max_items) + " 项",
         "has more than " + std::to_string(max_items) + " items");
    return std::nullopt;
  }
  std::vector<int64_t> out;
  out.reserve(v->size());
  for (const auto& e : *v) {
    if (e.is_string()) {  // list items are numbers, not numeric strings
      Fail(key, Label(key, rule.label) + "应为整数列表", "must be a list of integers");
      return std::nullopt;
    }
    auto n = IntOf(e, key, rule);
    if (!n) return std::nullopt;
    out.push_back(*n);
  }
  return out;
}

std::optional<std::vector<int64_t>> BodyReader::IdList(std::string_view key, const FieldRule& rule) {
  return IntList(key, IntRule{.required = rule.required, .min = 1, .label = rule.label}, rule.max_items);
}

std::optional<std::vector<std::string>> BodyReader::TextList(std::string_view key, const TextRule& rule,
                                                             size_t max_items) {
  const Json* v = Get(key, rule.required, rule.label);
  if (!v) return std::nullopt;
  if (!v->is_array()) {
    Fail(key, Label(key, rule.label) + "应为列表", "must be a list");
    return std::nullopt;
  }
  if (v->size() > max_items) {
    Fail(key, Label(key, rule.label) + "最多 " + std::to_string(max_items) + " 项",
         "has more than " + std::to_string(max_items) + " items");
    return std::nullopt;
  }
  std::vector<std::string> out;
  TextRule item = rule;
  item.required = false;
  for (const auto& e : *v) {
    auto s = TextOf(e, key, item);
    if (!s) return std::nullopt;
    out.push_back(std::move(*s));
  }
  return out;
}

Status BodyReader::Finish(UnknownFields unknown) const {
  if (error_) return *error_;
  if (unknown == UnknownFields::kRefuse && j_.is_object())
    for (const auto& [k, v] : j_.items())
      if (std::find(seen_.begin(), seen_.end(), k) == seen_.end()) {
        std::string name = Field(k.size() > 64 ? k.substr(0, 64) : k);
        return Error::Invalid("不认识的字段：" + name, "unknown field " + name, name);
      }
  return Ok();
}

}  // namespace kehou
