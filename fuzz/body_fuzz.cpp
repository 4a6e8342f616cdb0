// Fuzz target: the JSON body reader (core/body.h). Any bytes as a request body: ParseObject
// never throws, and every typed read either answers a value that honours its rule or leaves a
// field error; nothing crashes, overflows or reads out of bounds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/body.h"
#include "core/text.h"

using kehou::BodyReader;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto j = BodyReader::ParseObject(text);
  if (!j.ok()) return 0;
  BodyReader r(*j);
  if (auto s = r.Text("name", {.max_len = 60, .label = "名称"})) {
    if (kehou::Utf8Length(*s) > 60 || kehou::HasControl(*s) || !kehou::ValidUtf8(*s)) std::abort();
  }
  if (auto n = r.Int("capacity", {.min = 1, .max = 45})) {
    if (*n < 1 || *n > 45) std::abort();
  }
  (void)r.Id("id");
  (void)r.Bool("active");
  (void)r.Date("date");
  (void)r.Time("time");
  if (auto ids = r.IdList("ids", {.max_items = 100})) {
    if (ids->size() > 100) std::abort();
    for (auto id : *ids)
      if (id < 1) std::abort();
  }
  (void)r.TextList("words", {.multiline = true});
  if (const auto* nested = r.Raw("pickup", false, {}, nlohmann::json::value_t::object)) {
    BodyReader p(*nested, "pickup.");
    (void)p.Text("mode", {.required = true});
    (void)p.Nullable("guardian_id", [&] { return p.Id("guardian_id"); });
    (void)p.Finish(kehou::UnknownFields::kRefuse);
  }
  auto s = r.Finish(kehou::UnknownFields::kRefuse);
  if (!s.ok() && (s.error().code != kehou::kInvalid || s.error().message.empty())) std::abort();
  return 0;
}
