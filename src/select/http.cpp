#include "select/http.h"

#include "core/body.h"
#include "core/rate_limit.h"
#include "core/text.h"
#include "core/time.h"
#include "people/xlsx.h"
#include "select/service.h"
#include "select/verify.h"

namespace kehou::select {
namespace {

using http::Request;
using http::Response;

Response OutcomeResponse(const Outcome& o, const Request& req) {
  Response r = http::Answer(o.result, req);
  if (o.replay) r.headers.emplace_back("Idempotent-Replayed", "true");
  return r;
}

// :id, ?school_id, body -> fn(id, school, body)
template <class F>
Response With(Request& req, bool with_body, F&& fn, int ok_status = 200) {
  auto school = req.OptIdQuery("school_id");
  if (!school.ok()) return http::ErrorResponse(school.error(), req);
  int64_t id = 0;
  if (req.params.count("id")) {
    auto v = req.IdParam("id");
    if (!v.ok()) return http::ErrorResponse(v.error(), req);
    id = *v;
  }
  Json body = Json::object();
  if (with_body) {
    auto b = req.JsonBody();
    if (!b.ok()) return http::ErrorResponse(b.error(), req);
    body = std::move(*b);
  }
  return http::Answer(fn(id, *school, body), req, ok_status);
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
  // Taking and dropping a seat are a handful of statements: on SQLite they are answered in
  // batches, one commit each (http/server.cpp, the write lane).
  http::RouteOptions kLane;
  kLane.write_lane = true;
  r.Get(api + "/rounds", [&db](Request& req) {
    return With(req, false, [&](int64_t, auto school, const Json&) { return ListRounds(db, req.Me(), school); });
  });
  r.Post(api + "/rounds", [&db](Request& req) {
    return With(req, true, [&](int64_t, auto school, const Json& b) { return CreateRound(db, req.Me(), school, b); }, 201);
  });
  r.Get(api + "/rounds/:id", [&db](Request& req) {
    return With(req, false, [&](int64_t id, auto school, const Json&) { return GetRound(db, req.Me(), school, id); });
  });
  r.Put(api + "/rounds/:id", [&db](Request& req) {
    return With(req, true, [&](int64_t id, auto school, const Json& b) { return UpdateRound(db, req.Me(), school, id, b); });
  });
  r.Get(api + "/rounds/:id/seats", [&db](Request& req) {
    auto id = req.IdParam("id");
    if (!id.ok()) return http::ErrorResponse(id.error(), req);
    auto s = Seats(db, req.Me(), *id);
    if (!s.ok()) return http::ErrorResponse(s.error(), req);
    Response resp;
    resp.headers.emplace_back("ETag", (*s)->etag);
    resp.headers.emplace_back("Cache-Control", "private, max-age=1");
    if (req.Header("If-None-Match") == (*s)->etag) {
      resp.status = 304;
      resp.content_type.clear();
      return resp;
    }
    resp.body = (*s)->json;
    return resp;
  });
  r.Post(api + "/rounds/:id/take", [&db](Request& req) {
    return Seat(req, [&db, &req](int64_t round, int64_t student, int64_t section, const std::string& key,
                                 const std::string& fingerprint) {
      return TakeSeat(db, req.Me(), round, student, section, key, fingerprint);
    });
  }, kLane);
  r.Post(api + "/rounds/:id/drop", [&db](Request& req) {
    return Seat(req, [&db, &req](int64_t round, int64_t student, int64_t section, const std::string& key,
                                 const std::string& fingerprint) {
      return DropSeat(db, req.Me(), round, student, section, key, fingerprint);
    });
  }, kLane);
  r.Get(api + "/me/courses", [&db](Request& req) { return http::Answer(FamilyCourses(db, req.Me()), req); });
  r.Get(api + "/rounds/:id/mine", [&db](Request& req) {
    return With(req, false, [&](int64_t id, auto, const Json&) { return Mine(db, req.Me(), id); });
  });
  r.Put(api + "/rounds/:id/preferences", [&db](Request& req) {
    if (auto limited = FamilyLimit(req)) return *limited;
    return With(req, true, [&](int64_t id, auto, const Json& b) -> Result<Json> {
      BodyReader in(b);
      auto student = in.Id("student_id", {.required = true, .label = "学生"});
      auto ids = in.IdList("section_ids", {.label = "志愿教学班"});
      // The family's own limit for this child (absent or null: the round's).
      auto limit = in.Int("course_limit", {.min = 1, .max = kMaxPerChildLimit, .label = "该生最多选几门"});
      KEHOU_TRY(in.Finish());
      return SetPreferences(db, req.Me(), id, *student, ids.value_or(std::vector<int64_t>{}),
                            limit ? std::optional<int>(static_cast<int>(*limit)) : std::nullopt);
    });
  });
  r.Post(api + "/rounds/:id/allocate", [&db](Request& req) {
    return With(req, false, [&](int64_t id, auto school, const Json&) { return Allocate(db, req.Me(), school, id); });
  });
  // ?page=&page_size= pages the unplaced children; ?format=xlsx downloads all of them and the
  // children who did not take part as a workbook.
  r.Get(api + "/rounds/:id/report", [&db](Request& req) {
    if (req.Query("format").value_or("") == "xlsx") {
      auto school = req.OptIdQuery("school_id");
      if (!school.ok()) return http::ErrorResponse(school.error(), req);
      auto id = req.IdParam("id");
      if (!id.ok()) return http::ErrorResponse(id.error(), req);
      auto rep = Report(db, req.Me(), *school, *id, ReportListing{1, 0, true});
      if (!rep.ok()) return http::ErrorResponse(rep.error(), req);
      std::vector<std::vector<std::string>> rows;
      for (const char* list : {"unplaced", "absent"})
        for (const Json& x : (*rep)[list])
          rows.push_back({std::string(list) == "unplaced" ? "参与未录取" : "未参与", x.value("student_no", ""),
                          x.value("name", ""), std::to_string(x.value("grade", 0)), x.value("class_name", ""),
                          std::to_string(x.value("ranked", 0)), std::to_string(x.value("waiting", 0))});
      auto book = people::BuildXlsx("未录取名单", {"情况", "学号", "姓名", "年级", "班级", "志愿数", "候补"}, rows);
      if (!book.ok()) return http::ErrorResponse(book.error(), req);
      return http::Download(std::move(*book), std::string(people::kXlsxContentType),
                            "选课轮次" + std::to_string(*id) + "-未录取名单.xlsx");
    }
    auto page = http::PageOf(req);
    if (!page.ok()) return http::ErrorResponse(page.error(), req);
    return With(req, false, [&](int64_t id, auto school, const Json&) {
      return Report(db, req.Me(), school, id, ReportListing{page->page, page->size, false});
    });
  });
  r.Get(api + "/rounds/:id/verification", [&db](Request& req) {
    return With(req, false, [&](int64_t id, auto school, const Json&) { return Verification(db, req.Me(), school, id); });
  });
  r.Post(api + "/sections/:id/place", [&db](Request& req) {
    return With(req, true, [&](int64_t id, auto school, const Json& b) -> Result<Json> {
      BodyReader in(b);
      auto student = in.Id("student_id", {.required = true, .label = "学生"});
      auto round = in.Id("round_id", {.label = "选课轮次"});
      KEHOU_TRY(in.Finish());
      return Place(db, req.Me(), school, id, *student, round);
    });
  });
  r.Post(api + "/sections/:id/remove", [&db](Request& req) {
    return With(req, true, [&](int64_t id, auto school, const Json& b) -> Result<Json> {
      BodyReader in(b);
      auto student = in.Id("student_id", {.required = true, .label = "学生"});
      KEHOU_TRY(in.Finish());
      return Remove(db, req.Me(), school, id, *student);
    });
  });
  r.Get(api + "/sections/:id/waitlist", [&db](Request& req) {
    return With(req, false, [&](int64_t id, auto school, const Json&) { return Waitlist(db, req.Me(), school, id); });
  });
  r.Post(api + "/sections/:id/waitlist", [&db](Request& req) {
    return With(req, true, [&](int64_t id, auto, const Json& b) -> Result<Json> {
      BodyReader in(b);
      auto student = in.Id("student_id", {.required = true, .label = "学生"});
      KEHOU_TRY(in.Finish());
      return JoinWaitlist(db, req.Me(), id, *student);
    }, 201);
  });
  r.Post(api + "/waitlist/:id/accept", [&db](Request& req) {
    return With(req, false, [&](int64_t id, auto, const Json&) { return AnswerOffer(db, req.Me(), id, true); });
  });
  r.Post(api + "/waitlist/:id/decline", [&db](Request& req) {
    return With(req, false, [&](int64_t id, auto, const Json&) { return AnswerOffer(db, req.Me(), id, false); });
  });
}

}  // namespace kehou::select
