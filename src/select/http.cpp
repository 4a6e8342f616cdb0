#include "select/http.h"

#include "access/grants.h"
#include "core/body.h"
#include "core/rate_limit.h"
#include "core/text.h"
#include "core/time.h"
#include "http/bind.h"
#include "people/xlsx.h"
#include "select/service.h"
#include "select/verify.h"

namespace kehou::select {
namespace {

using http::Allow;
using http::Bind;
using http::In;
using http::Request;
using http::Response;

Response OutcomeResponse(const Outcome& o, const Request& req) {
  Response r = http::Answer(o.result, req);
  if (o.replay) r.headers.emplace_back("Idempotent-Replayed", "true");
  return r;
}

// Take / drop: {student_id, section_id, idempotency_key} (or the Idempotency-Key header).
// One bucket per guardian account (a family's phone).
RateLimiter& FamilyLimiter() {
  static RateLimiter limiter(kFamilyRequestsPerSecond, kFamilyBurst);
  return limiter;
}

// nullopt when the family may go ahead, else the 429 answer.
std::optional<Response> FamilyLimit(const Request& req) {
  const auto& me = req.Me();
  if (!me.guardian_id) return std::nullopt;
  int wait = FamilyLimiter().Take(*me.guardian_id, NowMs());
  if (wait == 0) return std::nullopt;
  Error e = MakeError(kRateLimited, "操作太频繁，请 " + std::to_string(wait) + " 秒后再试",
                      "too many requests from this family, retry in " + std::to_string(wait) + " s");
  e.retry_after = wait;
  return http::ErrorResponse(e, req);
}

template <class F>
Response Seat(Request& req, F&& fn) {
  if (auto limited = FamilyLimit(req)) return *limited;
  auto id = req.IdParam("id");
  if (!id.ok()) return http::ErrorResponse(id.error(), req);
  auto b = req.JsonBody();
  if (!b.ok()) return http::ErrorResponse(b.error(), req);
  BodyReader in(*b);
  auto student = in.Id("student_id", {.required = true, .label = "学生"});
  auto section = in.Id("section_id", {.required = true, .label = "教学班"});
  auto body_key = in.Text("idempotency_key", {.trim = false, .label = "幂等键"});  // checked by the service
  if (auto s = in.Finish(); !s.ok()) return http::ErrorResponse(s.error(), req);
  std::string key = req.Header("Idempotency-Key");
  if (key.empty() && body_key) key = *body_key;
  // What the key is stored with: method, path and the body without the key itself (the key may
  // come in the header or the body), keys sorted, no whitespace.
  std::string fingerprint;
  if (!key.empty()) {
    Json canonical = *b;
    if (canonical.is_object()) canonical.erase("idempotency_key");
    fingerprint = RequestFingerprint(req.method, req.path, canonical.dump());
  }
  // The database part runs on the write lane (http::RouteOptions::write_lane).
  return req.Defer([&req, fn = std::forward<F>(fn), round = *id, student = *student, section = *section,
                    key = std::move(key), fingerprint = std::move(fingerprint)] {
    return OutcomeResponse(fn(round, student, section, key, fingerprint), req);
  });
}

}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  const std::string api = "/api/v1";
  using namespace auth;          // NOLINT: Bit, Role, Scope, the masks: routes read as a table
  using namespace auth::grants;  // NOLINT
  // Taking and dropping a seat are a handful of statements: on SQLite they are answered in
  // batches, one commit each (http/server.cpp, the write lane).
  http::RouteOptions kLane;
  kLane.write_lane = true;
  r.Get(api + "/rounds", Allow{staff_read, officers, admin, guardian},
        Bind({}, [&db](const In& in) { return ListRounds(db, in.me(), in.school); }));
  r.Post(api + "/rounds", Allow{managers, admin}, Bind({.body = true, .status = 201}, [&db](const In& in) {
           return CreateRound(db, in.me(), in.school, in.body);
         }));
  r.Get(api + "/rounds/:id", Allow{staff_read, officers, admin, guardian},
        Bind({}, [&db](const In& in) { return GetRound(db, in.me(), in.school, in.id); }));
  r.Put(api + "/rounds/:id", Allow{managers, admin},
        Bind({.body = true}, [&db](const In& in) { return UpdateRound(db, in.me(), in.school, in.id, in.body); }));
  r.Get(api + "/rounds/:id/seats", Allow{staff_read, officers, admin, guardian},
        Bind({.school = false}, [&db](const In& in) -> Result<Response> {
          KEHOU_ASSIGN_OR_RETURN(auto s, Seats(db, in.me(), in.id));
          Response resp;
          resp.headers.emplace_back("ETag", s->etag);
          resp.headers.emplace_back("Cache-Control", "private, max-age=1");
          if (in.req.Header("If-None-Match") == s->etag) {
            resp.status = 304;
            resp.content_type.clear();
            return resp;
          }
          resp.body = s->json;
          return resp;
        }));
  r.Post(
      api + "/rounds/:id/take", Allow{guardian},
      [&db](Request& req) {
        return Seat(req, [&db, &req](int64_t round, int64_t student, int64_t section, const std::string& key,
                                     const std::string& fingerprint) {
          return TakeSeat(db, req.Me(), round, student, section, key, fingerprint);
        });
      },
      kLane);
  r.Post(
      api + "/rounds/:id/drop", Allow{guardian},
      [&db](Request& req) {
        return Seat(req, [&db, &req](int64_t round, int64_t student, int64_t section, const std::string& key,
                                     const std::string& fingerprint) {
          return DropSeat(db, req.Me(), round, student, section, key, fingerprint);
        });
      },
      kLane);
  r.Get(api + "/me/courses", Allow{{Bit(Role::kGuardian), Scope::kOwnChildren}},
        Bind({.school = false}, [&db](const In& in) { return FamilyCourses(db, in.me()); }));
  r.Get(api + "/rounds/:id/mine", Allow{guardian}, Bind({}, [&db](const In& in) { return Mine(db, in.me(), in.id); }));
  // The family's rate limit comes first, before anything is parsed.
  r.Put(api + "/rounds/:id/preferences", Allow{guardian},
        [bound = Bind({.body = true}, [&db](const In& in) -> Result<Json> {
           BodyReader b(in.body);
           auto student = b.Id("student_id", {.required = true, .label = "学生"});
           auto ids = b.IdList("section_ids", {.label = "志愿教学班"});
           // The family's own limit for this child (absent or null: the round's).
           auto limit = b.Int("course_limit", {.min = 1, .max = kMaxPerChildLimit, .label = "该生最多选几门"});
           KEHOU_TRY(b.Finish());
           return SetPreferences(db, in.me(), in.id, *student, ids.value_or(std::vector<int64_t>{}),
                                 limit ? std::optional<int>(static_cast<int>(*limit)) : std::nullopt);
         })](Request& req) {
          if (auto limited = FamilyLimit(req)) return *limited;
          return bound(req);
        });
  r.Post(api + "/rounds/:id/allocate", Allow{managers, admin},
         Bind({}, [&db](const In& in) { return Allocate(db, in.me(), in.school, in.id); }));
  // ?page=&page_size= pages the unplaced children; ?format=xlsx downloads all of them and the
  // children who did not take part as a workbook.
  r.Get(api + "/rounds/:id/report", Allow{{kManagers | Bit(Role::kCourseGroup), Scope::kSchool}, officers, admin},
        Bind({}, [&db](const In& in) -> Result<Response> {
          if (in.req.Query("format").value_or("") == "xlsx") {
            KEHOU_ASSIGN_OR_RETURN(Json rep, Report(db, in.me(), in.school, in.id, ReportListing{1, 0, true}));
            std::vector<std::vector<std::string>> rows;
            for (const char* list : {"unplaced", "absent"})
              for (const Json& x : rep[list])
                rows.push_back({std::string(list) == "unplaced" ? "参与未录取" : "未参与", x.value("student_no", ""),
                                x.value("name", ""), std::to_string(x.value("grade", 0)), x.value("class_name", ""),
                                std::to_string(x.value("ranked", 0)), std::to_string(x.value("waiting", 0))});
            KEHOU_ASSIGN_OR_RETURN(
                std::string book,
                people::BuildXlsx("未录取名单", {"情况", "学号", "姓名", "年级", "班级", "志愿数", "候补"}, rows));
            return http::Download(std::move(book), std::string(people::kXlsxContentType),
                                  "选课轮次" + std::to_string(in.id) + "-未录取名单.xlsx");
          }
          KEHOU_ASSIGN_OR_RETURN(http::Page page, http::PageOf(in.req));
          KEHOU_ASSIGN_OR_RETURN(Json rep,
                                 Report(db, in.me(), in.school, in.id, ReportListing{page.page, page.size, false}));
          return http::JsonResponse(rep);
        }));
  // The anonymised allocation record anyone of the school may re-run (kehou allocate --verify --input).
  r.Get(api + "/rounds/:id/verification", Allow{staff_read, officers, admin, guardian},
        Bind({}, [&db](const In& in) { return Verification(db, in.me(), in.school, in.id); }));
  r.Post(api + "/sections/:id/place", Allow{managers, admin}, Bind({.body = true}, [&db](const In& in) -> Result<Json> {
           BodyReader b(in.body);
           auto student = b.Id("student_id", {.required = true, .label = "学生"});
           auto round = b.Id("round_id", {.label = "选课轮次"});
           KEHOU_TRY(b.Finish());
           return Place(db, in.me(), in.school, in.id, *student, round);
         }));
  r.Post(api + "/sections/:id/remove", Allow{managers, admin},
         Bind({.body = true}, [&db](const In& in) -> Result<Json> {
           BodyReader b(in.body);
           auto student = b.Id("student_id", {.required = true, .label = "学生"});
           KEHOU_TRY(b.Finish());
           return Remove(db, in.me(), in.school, in.id, *student);
         }));
  r.Get(api + "/sections/:id/waitlist", Allow{{kManagers | Bit(Role::kCourseGroup), Scope::kSchool}, admin},
        Bind({}, [&db](const In& in) { return Waitlist(db, in.me(), in.school, in.id); }));
  r.Post(api + "/sections/:id/waitlist", Allow{guardian},
         Bind({.body = true, .status = 201}, [&db](const In& in) -> Result<Json> {
           BodyReader b(in.body);
           auto student = b.Id("student_id", {.required = true, .label = "学生"});
           KEHOU_TRY(b.Finish());
           return JoinWaitlist(db, in.me(), in.id, *student);
         }));
  r.Post(api + "/waitlist/:id/accept", Allow{guardian},
         Bind({}, [&db](const In& in) { return AnswerOffer(db, in.me(), in.id, true); }));
  r.Post(api + "/waitlist/:id/decline", Allow{guardian},
         Bind({}, [&db](const In& in) { return AnswerOffer(db, in.me(), in.id, false); }));
}

}  // namespace kehou::select
