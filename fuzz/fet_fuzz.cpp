// Fuzz target: the .fet reader (timetable/fet.h over timetable/xml_pull.h). Any bytes as a .fet
// file: either an error or a problem whose every index is in range, and which, written back as a
// .fet file, reads again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "timetable/fet.h"

namespace {

using kehou::timetable::Problem;

bool In(int i, size_t n) { return i >= 0 && static_cast<size_t>(i) < n; }

void CheckIndexes(const Problem& p) {
  const size_t S = static_cast<size_t>(p.Slots());
  if (p.breaks.size() != S) std::abort();
  for (const auto& t : p.teachers)
    if (t.unavailable.size() != S) std::abort();
  for (const auto& s : p.sets) {
    if (s.parent >= 0 && !In(s.parent, p.sets.size())) std::abort();
    for (int a : s.atoms)
      if (!In(a, p.atoms.size())) std::abort();
  }
  for (const auto& x : p.activities) {
    for (int t : x.teachers)
      if (!In(t, p.teachers.size())) std::abort();
    for (int s : x.sets)
      if (!In(s, p.sets.size())) std::abort();
    for (int r : x.allowed_rooms)
      if (!In(r, p.rooms.size())) std::abort();
    for (int r : x.preferred_rooms)
      if (!In(r, p.rooms.size())) std::abort();
    if (x.locked_slot >= 0 && !In(x.locked_slot, S)) std::abort();
    if (x.locked_room >= 0 && !In(x.locked_room, p.rooms.size())) std::abort();
  }
  for (const auto& g : p.groups)
    for (int a : g.activities)
      if (!In(a, p.activities.size())) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto d = kehou::timetable::ReadFet(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!d.ok()) return 0;
  CheckIndexes(d->problem);
  auto again = kehou::timetable::ReadFet(kehou::timetable::WriteFet(d->problem));
  if (!again.ok()) std::abort();
  CheckIndexes(again->problem);
  return 0;
}
