// internal.h (pickup): helpers the use-case files share. Not for other modules.
// Thread-safety: stateless.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "access/principal.h"
#include "core/result.h"
#include "pickup/rules.h"
#include "pickup/store.h"

namespace kehou::pickup::internal {

using Json = nlohmann::json;

Error ChildNotFound();
bool IsGuardian(const auth::Principal& who);
// The school of a child the principal may act for: a guardian their own child (any school); staff
// a child of their school. Else not_found.
Result<int64_t> SchoolForChild(db::Conn& c, const auth::Principal& who, std::optional<int64_t> school,
                               int64_t student_id);

struct BatchInfo {
  int64_t id = 0;
  std::string name, leave_time;
  int leave_minutes = 0;
};
// The school's active batches by id.
std::map<int64_t, BatchInfo> Batches(db::Conn& c, int64_t school_id);
// Each child's batch on `day`: the guardian's choice for the day, else their default, else the
// application's (approved, current term). Children with none are absent from the map.
std::map<int64_t, int64_t> BatchOfChildren(db::Conn& c, int64_t school_id, const Date& day);
std::optional<int64_t> BatchOfChild(db::Conn& c, int64_t school_id, int64_t student_id, const Date& day);

// One adult of a child as the gate sees them: the rule's input, names and the JSON shown.
struct Adult {
  AdultKind kind = AdultKind::kGuardian;
  std::optional<int64_t> id;
  std::string name, relation;
  Authorisation auth;
  Json json;  // {kind, id, name, relation, id_last4?, valid_from?, valid_to?, photo?}
};
// The adults of a child: guardians, then proxies (active first), each with restriction and dates.
std::vector<Adult> AdultsOf(db::Conn& c, int64_t school_id, int64_t student_id, bool with_photo);
// The adult (kind, id) of the child, or an unlinked one (not authorised) when not theirs.
Adult AdultOf(db::Conn& c, int64_t school_id, int64_t student_id, AdultKind kind, std::optional<int64_t> id,
              bool with_photo);
// AdultOf's answer from rows read already (a guardian or a proxy; not kSelf): the child's active
// restrictions, their guardians (for kGuardian) and the proxy of that id (for kProxy).
Adult AdultAmong(int64_t school_id, int64_t student_id, AdultKind kind, std::optional<int64_t> id,
                 const std::vector<store::Restriction>& rs, const std::vector<store::Guardian>& guardians,
                 const std::optional<store::Proxy>& proxy);
// The verdict as JSON fields: {ok, reason_code, reason}.
Json VerdictJson(const Status& s);
Json ChildJson(const store::Child& ch);
std::string NewToken();
// A new card for the adult (their earlier active card revoked), in the caller's write.
store::Card IssueCardIn(db::Conn& c, int64_t school_id, int64_t student_id, std::string_view kind, int64_t adult_id,
                        int64_t now_ms);
Json CardJson(const store::Card& k);
std::string MaskMobile(const std::string& m);
auth::Principal SystemPrincipal();

}  // namespace kehou::pickup::internal
