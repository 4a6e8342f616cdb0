// history.cpp (pickup): what a loader of past days records on its own transaction (the demo's
// batch choices and handovers), through pickup's store; see service.h "for the demo's history".
#include "pickup/service.h"
#include "pickup/store.h"

namespace kehou::pickup {

std::vector<int64_t> ChildrenOfGuardianAt(db::Conn& c, int64_t guardian_id, int64_t school_id) {
  std::vector<int64_t> out;
  for (auto [sid, child] : store::ChildrenOfGuardian(c, guardian_id))
    if (sid == school_id) out.push_back(child);
  return out;
}

std::optional<ChildGuardian> FirstGuardianOf(db::Conn& c, int64_t school_id, int64_t student_id) {
  auto gs = store::GuardiansOf(c, school_id, student_id);
  if (gs.empty()) return std::nullopt;
  return ChildGuardian{gs.front().id, gs.front().name, gs.front().relation};
}

void RecordBatchChoice(db::Conn& c, int64_t school_id, int64_t student_id, int64_t batch_id, int64_t user_id,
                       int64_t now_ms) {
  store::PutBatchChoice(c, school_id, student_id, "", batch_id, user_id, now_ms);
}

void RecordPastHandover(db::Conn& c, int64_t school_id, const Date& day, int64_t student_id, int64_t batch_id,
                        const ChildGuardian& g, const std::string& by_name, int64_t at_ms, int64_t by_user_id) {
  store::Handover h;
  h.student_id = student_id;
  h.batch_id = batch_id;
  h.adult_kind = "guardian";
  h.adult_id = g.id;
  h.adult_name = g.name;
  h.relation = g.relation;
  h.by_name = by_name;
  h.at = at_ms;
  store::InsertHandover(c, school_id, FormatDate(day), h, std::nullopt, by_user_id);
}

}  // namespace kehou::pickup
