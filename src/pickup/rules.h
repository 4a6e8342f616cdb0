// rules.h (pickup): the plain decisions of dismissal and pickup (issue 13 §3): may this adult
// collect this child on this day, which escalation steps are due for a child not collected,
// and may the day be closed. No I/O; tested at every limit (rules_test.cpp).
// Thread-safety: pure functions.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace kehou::pickup {

inline constexpr int kBatchWindowMinutes = 15;   // a batch's handovers run this long after its time
inline constexpr int kLateGuardianMinutes = 10;  // after the batch's end: the guardians are told
inline constexpr int kLateOfficeMinutes = 20;    // the class teacher and the office
inline constexpr int kLateLeaderMinutes = 40;    // the school's leaders
inline constexpr int kLateSteps = 3;
inline constexpr int kMaxLateMinutes = 240;               // a school's setting: no step later than 4 hours
inline constexpr int kMaxProxyDays = 366;                 // an authorisation runs at most a year
inline constexpr int kMaxProxiesPerChild = 6;             // active proxies a child may have
inline constexpr size_t kMaxPhotoBytes = 400 * 1024;      // the photo's data URL
inline constexpr size_t kMaxFormBytes = 2 * 1024 * 1024;  // the signed form, base64
inline constexpr size_t kTokenChars = 20;                 // card token: 100 random bits (base32)
inline constexpr size_t kCodeChars = 8;                   // printed under the QR code, searchable at the gate

enum class AdultKind { kGuardian, kProxy, kSelf };
std::string_view AdultKindName(AdultKind k);  // guardian | proxy | self
std::optional<AdultKind> ParseAdultKind(std::string_view s);

// What the gate knows about an adult's authorisation for one child.
struct Authorisation {
  AdultKind kind = AdultKind::kGuardian;
  bool linked = true;                        // a guardian of the child / a proxy of the child
  std::optional<Date> valid_from, valid_to;  // proxies
  bool revoked = false;
  std::string revoke_reason;
  std::optional<std::string> restriction;  // an active custody or court restriction
  bool card_revoked = false;               // scanned with a revoked card
  bool self_permission = false;            // kSelf: the guardian's written permission
};

// Ok, or the refusal with its reason in Chinese (code: restricted, revoked, not_yet_valid,
// expired, card_revoked, no_self_permission, not_authorised). A restriction is checked first.
// valid_from and valid_to are inclusive: expired the day after valid_to.
Status CheckAuthorisation(const Authorisation& a, const Date& day);

// A new proxy's authorisation: from <= to, to not before today, at most kMaxProxyDays long; the
// ID's last four characters are digits (the last may be X).
Status CheckProxyDates(const Date& from, const Date& to, const Date& today);
bool ValidIdLast4(std::string_view s);

// Minutes after the batch's end for each escalation step: the school's setting (pickup_settings,
// GET/PUT /pickup/settings), else these defaults.
struct LateRule {
  int guardian = kLateGuardianMinutes, office = kLateOfficeMinutes, leader = kLateLeaderMinutes;
};
// A school's rule: each step 1..kMaxLateMinutes, strictly increasing (guardian < office < leader).
// The field is late_guardian_minutes, late_office_minutes or late_leader_minutes.
Status CheckLateRule(const LateRule& r);
// The minutes of step 1..kLateSteps.
int LateStepMinutes(const LateRule& r, int step);
// The batch's end: its leave time plus kBatchWindowMinutes, on `day` (school-local).
int64_t BatchEndMs(const Date& day, int leave_minutes);
// How many steps are due at now_ms for a child not collected by batch_end_ms (0..kLateSteps):
// step 1 from exactly +guardian minutes, 2 from +office, 3 from +leader.
int LateStepsDue(int64_t batch_end_ms, int64_t now_ms, const LateRule& rule = {});

// The end-of-day check: every child present that day has left (a handover, or on their own by
// permission). Answers the children still unaccounted for, in the order given.
std::vector<int64_t> Unaccounted(const std::vector<int64_t>& present, const std::vector<int64_t>& left);

}  // namespace kehou::pickup
