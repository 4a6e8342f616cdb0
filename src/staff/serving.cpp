// serving.cpp (staff): who may serve in a term, for the timetable's standby duties.
#include <sstream>

#include "staff/service.h"
#include "staff/store.h"

namespace kehou::staff {

std::vector<ServingPerson> ServingStaff(db::Conn& c, int64_t school, std::optional<int64_t> term_id, Date on) {
  std::vector<ServingPerson> out;
  auto term = store::FindTerm(c, school, term_id);
  if (!term) return out;
  for (const auto& r : store::ListRecords(c, school, "", "")) {
    if (r.Int("active") == 0) continue;
    ServingPerson p;
    p.staff_id = r.Int("staff_id");
    p.name = r.Text("name");
    p.kind = r.Text("kind");
    p.subjects = r.Text("subjects");
    const Status gate = CanServe(store::GateRecordOf(r), term->span, on);
    p.gate_ok = gate.ok();
    if (!gate.ok()) p.gate_reason = gate.error().message;
    if (auto days = ParseWeekdays(r.Text("will_weekdays"), "will_weekdays"); days.ok()) p.will_weekdays = *days;
    std::stringstream bands(r.Text("will_bands"));
    for (std::string b; std::getline(bands, b, ',');)
      if (!b.empty()) p.will_bands.push_back(b);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace kehou::staff
