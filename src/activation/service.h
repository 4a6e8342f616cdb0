// service.h (activation): guardians activate their own account (issue 11). A guardian of an
// imported student asks for a code with their mobile (sent by SMS through the notification
// outbox) or types the code of the activation letter the school printed for their class, then
// chooses a password: the account (login = mobile) is made then, one per person however many
// schools their children are in. The office sees per class who has activated, prints letters
// (a QR code that opens the activation page with the mobile and code filled in) and reminds the
// rest by SMS.
// Thread-safety: ActivationService is thread-safe (its throttle is locked; Db is thread-safe).
#pragma once
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "access/principal.h"
#include "auth/service.h"
#include "core/file_out.h"
#include "core/rate_limit.h"
#include "core/result.h"
#include "db/db.h"

namespace kehou::activation {

using Json = nlohmann::json;

class ActivationService {
 public:
  explicit ActivationService(db::Db& db);

  // POST /activation/request {mobile}: the same answer whether or not the mobile is a guardian's
  // without an account (nobody learns who is a guardian); an SMS code goes out only when it is.
  // Rate limits per mobile (one a minute, five a day) apply to every mobile alike; per client
  // address, kSmsPerAddressBurst at once then kSmsPerAddressPerSecond (429 with Retry-After).
  Result<Json> RequestSms(std::string_view mobile, std::string_view client, int64_t now_ms);
  // POST /activation/complete {mobile, code, password}: makes the guardian's account. Wrong codes
  // are throttled per mobile and address as sign-ins are.
  Result<Json> Complete(std::string_view mobile, std::string_view code, std::string_view password,
                        std::string_view client, int64_t now_ms);

  // GET /activation/classes: per class, guardians and how many have activated.
  Result<Json> Classes(const auth::Principal& who, std::optional<int64_t> school);
  // GET /activation/classes/:id: the guardians of one class, child by child, with their state.
  Result<Json> ClassGuardians(const auth::Principal& who, std::optional<int64_t> school, int64_t class_id);
  // GET /activation/classes/:id/letters: a PDF of letters for the guardians of the class without an
  // account, each with a new code (valid kLetterCodeTtlMs; earlier letters stop working) and a QR
  // code of base_url + "/m/activate?mobile=…&code=…".
  Result<FileOut> Letters(const auth::Principal& who, std::optional<int64_t> school, int64_t class_id,
                          std::string_view base_url, int64_t now_ms);
  // POST /activation/classes/:id/remind: an SMS to each guardian of the class without an account
  // (once a day per guardian); {queued}.
  Result<Json> Remind(const auth::Principal& who, std::optional<int64_t> school, int64_t class_id, int64_t now_ms);

 private:
  db::Db& db_;
  auth::Throttle code_throttle_;  // wrong codes, per mobile and address
  RateLimiter sms_per_address_;   // SMS asked for, per client address (hashed)
  std::mutex sms_mu_;
  struct Sent {
    int64_t last_ms = 0;
    int count = 0;
    int64_t day_start_ms = 0;
  };
  std::unordered_map<std::string, Sent> sms_;  // per mobile, whether or not a guardian's
};

}  // namespace kehou::activation
