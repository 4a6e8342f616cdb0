// Fuzz target: the import planner (people/import.h). Any bytes as a preview/import request body
// ({"rows":[...]} or {"csv":"..."}): SheetFromImportBody never throws, and planning a sheet for
// students and staff either lists errors or plans rows that the rules accept.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/ids.h"
#include "people/import.h"

using namespace kehou::people;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto body = nlohmann::json::parse(reinterpret_cast<const char*>(data), reinterpret_cast<const char*>(data) + size,
                                    nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return 0;
  auto sheet = SheetFromImportBody(body);
  if (!sheet.ok()) return 0;
  StudentImportContext sc;
  sc.today = kehou::Date{2026, 9, 1};
  for (int g = 1; g <= 9; ++g)
    for (int c = 1; c <= 4; ++c) sc.class_ids[{g, c}] = g * 10 + c;
  sc.student_ids["2025001"] = 7;
  auto students = PlanStudentImport(*sheet, sc);
  if (students.ok())
    for (const auto& p : students.items) {
      if (p.input.guardians.empty()) std::abort();
      for (const auto& g : p.input.guardians)
        if (!kehou::ValidMobile(g.mobile)) std::abort();
      if (!p.input.id_number.empty() && !kehou::ValidIdNumber(p.input.id_number)) std::abort();
    }
  StaffImportContext fc;
  auto staff = PlanStaffImport(*sheet, fc);
  if (staff.ok())
    for (const auto& p : staff.items)
      if (!kehou::ValidMobile(p.input.mobile)) std::abort();
  (void)PlanJson(students);
  (void)PlanJson(staff);
  return 0;
}
