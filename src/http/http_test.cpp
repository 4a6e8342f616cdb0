#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "access/grants.h"
#include "http/bind.h"
#include "http/dispatch.h"
#include "http/static_files.h"

namespace kehou::http {
namespace {

Response Ok(Request& req) { return JsonResponse({{"path", req.path}, {"params", req.params}}); }

// Routes whose permission rows their modules declare (school setup, people): declared here the
// same way, for the principal and the office.
const Allow kManagers{auth::grants::managers, auth::grants::admin};

TEST(Router, MatchesParamsPrefersLiteralsAndKnows405) {
  Router r;
  r.Get("/api/v1/classes", kManagers, Ok);
  r.Get("/api/v1/classes/:id/students", kManagers, Ok);
  r.Put("/api/v1/classes/:id", kManagers, Ok);
  std::map<std::string, std::string> params;
  bool exists = false;
  auto* m = r.Match("GET", "/api/v1/classes/42/students", params, &exists);
  ASSERT_TRUE(m);
  EXPECT_EQ(params["id"], "42");
  EXPECT_FALSE(r.Match("GET", "/api/v1/classes/42", params, &exists));
  EXPECT_TRUE(exists);  // PUT exists: 405, not 404
  EXPECT_FALSE(r.Match("GET", "/api/v1/nothing", params, &exists));
  EXPECT_FALSE(exists);
}

TEST(Router, RefusesRoutesWithoutAPermissionRow) {
  Router r;
  EXPECT_THROW(r.Get("/api/v1/secret", Ok), std::logic_error);
}

TEST(Router, ARouteDeclaredWithItsGrantsAddsItsPermissionRow) {
  using namespace auth::grants;
  Router r;
  EXPECT_FALSE(auth::FindPermission("GET", "/api/v1/declared-test"));
  r.Get("/api/v1/declared-test", Allow{managers, guardian}, Ok);
  const auth::Permission* p = auth::FindPermission("GET", "/api/v1/declared-test");
  ASSERT_TRUE(p);
  EXPECT_EQ(auth::ScopeFor(*p, auth::Role::kOfficeStaff), auth::Scope::kSchool);
  EXPECT_EQ(auth::ScopeFor(*p, auth::Role::kGuardian), auth::Scope::kOwnChildren);
  EXPECT_FALSE(auth::ScopeFor(*p, auth::Role::kTeacher));
  Router again;  // another router in the same process: the same declaration is no change
  again.Get("/api/v1/declared-test", Allow{managers, guardian}, Ok);
  Router other;
  EXPECT_THROW(other.Get("/api/v1/declared-test", Allow{admin}, Ok), std::logic_error);  // other grants
  EXPECT_THROW(other.Get("/api/v1/declared-none", Allow{}, Ok), std::logic_error);       // deny by default
  EXPECT_THROW(other.Get("/api/v1/health", Allow{managers}, Ok), std::logic_error);      // a listed row differs
  other.Post("/api/v1/declared-hook", Allow::Public(/*csrf_exempt=*/true), Ok);
  const auth::Permission* hook = auth::FindPermission("POST", "/api/v1/declared-hook");
  ASSERT_TRUE(hook);
  EXPECT_TRUE(hook->is_public);
  EXPECT_TRUE(hook->csrf_exempt);
}

std::string HeaderOf(const Response& r, std::string_view name) {
  for (auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

TEST(SecurityHeaders, ApiAndPagesGetCspFramingNosniffAndApiNoStore) {
  Response api = JsonResponse({{"ok", true}});
  AddSecurityHeaders("/api/v1/students", api);
  EXPECT_NE(HeaderOf(api, "Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(HeaderOf(api, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(HeaderOf(api, "X-Frame-Options"), "DENY");
  EXPECT_EQ(HeaderOf(api, "Cache-Control"), "no-store");
  Response page;
  page.headers.emplace_back("Cache-Control", "no-cache");
  page.headers.emplace_back("X-Content-Type-Options", "nosniff");
  AddSecurityHeaders("/m/rounds", page);
  EXPECT_NE(HeaderOf(page, "Content-Security-Policy").find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(HeaderOf(page, "Cache-Control"), "no-cache");  // the handler's own choice stays
  int nosniff = 0;
  for (auto& [k, v] : page.headers) nosniff += k == "X-Content-Type-Options";
  EXPECT_EQ(nosniff, 1);
  Response seats;
  seats.headers.emplace_back("cache-control", "private, max-age=1");
  AddSecurityHeaders("/api/v1/rounds/1/seats", seats);
  EXPECT_EQ(HeaderOf(seats, "Cache-Control"), "");  // kept as the handler set it (lower case)
}

TEST(Query, OptionalIdParameter) {
  Request req;
  req.query_string = "school_id=42&course_id=%20&class_id=0&room_id=x";
  EXPECT_EQ(req.OptIdQuery("school_id").value(), std::optional<int64_t>(42));
  EXPECT_EQ(req.OptIdQuery("course_id").value(), std::nullopt);  // blank
  EXPECT_EQ(req.OptIdQuery("term_id").value(), std::nullopt);    // absent
  EXPECT_EQ(req.OptIdQuery("class_id").error().field, "class_id");
  EXPECT_EQ(req.OptIdQuery("room_id").error().code, kInvalid);
}

TEST(Query, DecodesPercentAndPlus) {
  auto q = ParseQuery("q=%E5%BC%A0+%E4%B8%89&page=2&flag");
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q[0].second, "张 三");
  EXPECT_EQ(q[1].second, "2");
}

// Paging out of range is refused (it used to clamp, and page=2^63-1 overflowed the offset).
TEST(Query, PageOutOfRangeIsRefusedNotClamped) {
  auto page = [](std::string qs) {
    Request req;
    req.query_string = std::move(qs);
    return PageOf(req);
  };
  EXPECT_EQ(page("").value().page, 1);
  EXPECT_EQ(page("").value().size, 20);
  EXPECT_EQ(page("page=3&page_size=200").value().offset(), 400);
  EXPECT_EQ(page("page=1000000").value().page, kMaxPage);
  for (const char* bad : {"page=0", "page=-1", "page=1000001", "page=9223372036854775807", "page=x", "page_size=0",
                          "page_size=201", "page_size=999", "page_size=1e3"}) {
    auto p = page(bad);
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.error().code, kInvalid);
    EXPECT_EQ(p.error().field, std::string(bad).substr(0, std::string(bad).find('=')));
    EXPECT_NE(p.error().message.find("之间的整数"), std::string::npos) << p.error().message;
  }
}

TEST(Query, UnknownParametersAreRefusedOnRequest) {
  Request req;
  req.query_string = "user_id=1%20OR%201%3D1&action=login";
  EXPECT_TRUE(req.OnlyQuery({"user_id", "action"}).ok());
  EXPECT_FALSE(req.OptIntQuery("user_id", 1, 100).ok());  // "1 OR 1=1" is no integer
  req.query_string = "action=login&userid=1";
  auto s = req.OnlyQuery({"user_id", "action"});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "userid");
}

TEST(Proxy, ClientAddressFromTrustedHeaders) {
  Request req;
  EXPECT_EQ(ClientBehindProxy(req, "127.0.0.1"), "127.0.0.1");
  req.headers = {{"X-Forwarded-For", "6.6.6.6, 10.1.2.3"}};
  EXPECT_EQ(ClientBehindProxy(req, "127.0.0.1"), "10.1.2.3");
  req.headers.emplace_back("X-Real-IP", "10.9.9.9");
  EXPECT_EQ(ClientBehindProxy(req, "127.0.0.1"), "10.9.9.9");
}

// ---- the binder (http/bind.h)
Request BindReq(std::map<std::string, std::string> params, std::string query = {}, std::string body = {}) {
  Request req;
  req.method = "POST";
  req.path = "/api/v1/x";
  req.params = std::move(params);
  req.query_string = std::move(query);
  req.body = std::move(body);
  req.request_id = "t-1";
  auth::Principal p;
  p.role = auth::Role::kPrincipal;
  p.school_id = 7;
  req.user = p;
  return req;
}
Json ErrorOf(const Response& r) { return Json::parse(r.body)["error"]; }

TEST(Bind, PassesIdSchoolBodyAndDateAndAnswersWithTheStatus) {
  auto h = Bind({.body = true, .status = 201, .date = true}, [](const In& in) -> Result<Json> {
    return Json{{"id", in.id},
                {"school", in.school.value_or(0)},
                {"name", in.body.value("name", "")},
                {"date", in.date ? FormatDate(*in.date) : ""},
                {"me", in.me().school_id.value_or(0)}};
  });
  Request req = BindReq({{"id", "42"}}, "school_id=3&date=2026-12-05", R"({"name":"a"})");
  Response r = h(req);
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(Json::parse(r.body), (Json{{"id", 42}, {"school", 3}, {"name", "a"}, {"date", "2026-12-05"}, {"me", 7}}));
  Request bare = BindReq({});  // no :id, no ?school_id: 0 and nullopt (the service resolves the school)
  auto h2 = Bind({}, [](const In& in) -> Result<Json> {
    return Json{{"id", in.id}, {"has_school", in.school.has_value()}};
  });
  Response r2 = h2(bare);
  EXPECT_EQ(r2.status, 200);
  EXPECT_EQ(Json::parse(r2.body), (Json{{"id", 0}, {"has_school", false}}));
}

TEST(Bind, BadIdIs404NamingTheParameterAndTheHandlerNeverRuns) {
  bool ran = false;
  auto h = Bind({.params = {"term_id"}}, [&ran](const In&) -> Result<Json> {
    ran = true;
    return Json::object();
  });
  Request bad_id = BindReq({{"id", "abc"}, {"term_id", "2"}});
  Response r = h(bad_id);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorOf(r)["field"], "id");
  Request bad_term = BindReq({{"term_id", "0"}});
  r = h(bad_term);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorOf(r)["field"], "term_id");
  EXPECT_FALSE(ran);
  auto named = Bind({.params = {"term_id"}}, [](const In& in) -> Result<Json> {
    return Json{{"t", in.Param("term_id")}};
  });
  Request ok = BindReq({{"term_id", "9"}});
  EXPECT_EQ(Json::parse(named(ok).body)["t"], 9);
}

TEST(Bind, SchoolQueryDateAndUnknownKeysAre400NamingTheField) {
  auto h = Bind({.query = {"school_id", "date", "term_id"}, .date = true, .opt_ids = {"term_id"}},
                [](const In& in) -> Result<Json> {
                  return Json{{"term", in.QueryId("term_id").value_or(0)}};
                });
  Request bad_school = BindReq({}, "school_id=x");
  Response r = h(bad_school);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorOf(r)["field"], "school_id");
  Request bad_date = BindReq({}, "date=2026-02-30");
  r = h(bad_date);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorOf(r)["field"], "date");
  Request unknown = BindReq({}, "school_id=1&clas_id=3");
  r = h(unknown);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorOf(r)["field"], "clas_id");
  Request term = BindReq({}, "term_id=5");
  r = h(term);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Json::parse(r.body)["term"], 5);
  auto none = Bind({.query = kNoQuery}, [](const In&) -> Result<Json> { return Json::object(); });
  Request any = BindReq({}, "school_id=1");
  EXPECT_EQ(none(any).status, 400);
  // Without .school, a malformed ?school_id is not read at all.
  auto no_school = Bind({.school = false}, [](const In&) -> Result<Json> { return Json::object(); });
  Request ignored = BindReq({}, "school_id=x");
  EXPECT_EQ(no_school(ignored).status, 200);
}

TEST(Bind, BodyMustBeAJsonObject) {
  auto h = Bind({.body = true}, [](const In&) -> Result<Json> { return Json::object(); });
  for (const char* body : {"{not json", "[1,2]", ""}) {
    Request req = BindReq({}, "", body);
    Response r = h(req);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(ErrorOf(r)["code"], "invalid") << body;
  }
  // Without .body the body is not read: {} is passed.
  auto no_body = Bind({}, [](const In& in) -> Result<Json> { return Json{{"empty", in.body.empty()}}; });
  Request req = BindReq({}, "", "{not json");
  EXPECT_EQ(Json::parse(no_body(req).body)["empty"], true);
}

TEST(Bind, ServiceErrorsFilesStatusAndResponsesAreAnswered) {
  Request req = BindReq({{"id", "1"}});
  auto err = Bind({}, [](const In&) -> Result<Json> { return Error::Conflict("已存在", "exists", "name"); });
  Response r = err(req);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(ErrorOf(r)["message"], "已存在");
  EXPECT_EQ(ErrorOf(r)["field"], "name");
  auto file = Bind({}, [](const In& in) -> Result<FileOut> {
    return FileOut{"bytes" + std::to_string(in.id), "text/csv; charset=utf-8", "名单.csv"};
  });
  r = file(req);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "bytes1");
  EXPECT_EQ(r.content_type, "text/csv; charset=utf-8");
  EXPECT_NE(HeaderOf(r, "Content-Disposition").find("attachment"), std::string::npos);
  auto file_err = Bind({}, [](const In&) -> Result<FileOut> { return Error::NotFound("无", "none", "id"); });
  EXPECT_EQ(file_err(req).status, 404);
  auto status = Bind({}, [](const In&) -> Status { return kehou::Ok(); });
  EXPECT_EQ(status(req).status, 204);
  auto custom = Bind({}, [](const In&) -> Result<Response> {
    Response out = JsonResponse({{"ok", true}}, 202);
    out.headers.emplace_back("ETag", "x");
    return out;
  });
  r = custom(req);
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(HeaderOf(r, "ETag"), "x");
}

class DispatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Get("/api/v1/health", Ok);
    router_.Get("/api/v1/students", kManagers, Ok);
    router_.Post("/api/v1/students", kManagers, Ok);
    router_.Post("/api/v1/imports/:kind", kManagers, Ok, RouteOptions{kImportBodyLimit});
    router_.Get("/api/v1/auth/me", Allow{auth::grants::self}, Ok);
    hooks_.authenticate = [](std::string_view token) -> std::optional<auth::Principal> {
      auth::Principal p;
      p.csrf_token = "csrf";
      p.school_id = 1;
      if (token == std::string(64, 'p')) p.role = auth::Role::kPrincipal;
      else if (token == std::string(64, 'g')) p.role = auth::Role::kGuardian;
      else if (token == std::string(64, 'm')) {
        p.role = auth::Role::kPrincipal;
        p.must_change_password = true;
      } else return std::nullopt;
      return p;
    };
  }
  Response Run(std::string method, std::string path, std::vector<std::pair<std::string, std::string>> headers = {},
               std::string body = {}) {
    Request req;
    req.method = std::move(method);
    req.path = std::move(path);
    req.headers = std::move(headers);
    req.body = std::move(body);
    req.request_id = "t-1";
    return Dispatch(router_, hooks_, req);
  }
  Router router_;
  Hooks hooks_;
};

TEST_F(DispatchTest, PublicRoutesNeedNoLogin) { EXPECT_EQ(Run("GET", "/api/v1/health").status, 200); }

TEST_F(DispatchTest, AuthenticationThenPermissionThenCsrf) {
  EXPECT_EQ(Run("GET", "/api/v1/students").status, 401);
  EXPECT_EQ(Run("GET", "/api/v1/students", {{"Authorization", "Bearer " + std::string(64, 'x')}}).status, 401);
  EXPECT_EQ(Run("GET", "/api/v1/students", {{"Authorization", "Bearer " + std::string(64, 'g')}}).status, 403);
  EXPECT_EQ(Run("GET", "/api/v1/students", {{"Authorization", "Bearer " + std::string(64, 'p')}}).status, 200);
  std::string cookie = "kehou_session=" + std::string(64, 'p');
  EXPECT_EQ(Run("GET", "/api/v1/students", {{"Cookie", cookie}}).status, 200);
  EXPECT_EQ(Run("POST", "/api/v1/students", {{"Cookie", cookie}}, "{}").status, 403);  // no CSRF header
  EXPECT_EQ(Run("POST", "/api/v1/students", {{"Cookie", cookie}, {"X-CSRF-Token", "wrong"}}, "{}").status, 403);
  EXPECT_EQ(Run("POST", "/api/v1/students", {{"Cookie", cookie}, {"X-CSRF-Token", "csrf"}}, "{}").status, 200);
  // Bearer clients need no CSRF header.
  EXPECT_EQ(Run("POST", "/api/v1/students", {{"Authorization", "Bearer " + std::string(64, 'p')}}, "{}").status, 200);
}

TEST_F(DispatchTest, ForcedPasswordChangeBlocksAllButAccountRoutes) {
  auto h = std::vector<std::pair<std::string, std::string>>{{"Authorization", "Bearer " + std::string(64, 'm')}};
  EXPECT_EQ(Run("GET", "/api/v1/students", h).status, 403);
  EXPECT_EQ(Run("GET", "/api/v1/auth/me", h).status, 200);
}

TEST_F(DispatchTest, BodyLimitsAnd404And405) {
  auto h = std::vector<std::pair<std::string, std::string>>{{"Authorization", "Bearer " + std::string(64, 'p')}};
  EXPECT_EQ(Run("POST", "/api/v1/students", h, std::string(kDefaultBodyLimit + 1, 'x')).status, 413);
  EXPECT_EQ(Run("POST", "/api/v1/imports/students", h, std::string(kDefaultBodyLimit + 1, 'x')).status, 200);
  EXPECT_EQ(Run("POST", "/api/v1/imports/students", h, std::string(kImportBodyLimit + 1, 'x')).status, 413);
  EXPECT_EQ(Run("GET", "/api/v1/nope").status, 404);
  EXPECT_EQ(Run("DELETE", "/api/v1/students").status, 405);
}

TEST_F(DispatchTest, ErrorsAreChineseUnlessEnglishIsAsked) {
  auto zh = Run("GET", "/api/v1/students");
  EXPECT_NE(zh.body.find("登录"), std::string::npos);
  auto en = Run("GET", "/api/v1/students", {{"Accept-Language", "en-US,en;q=0.9"}});
  EXPECT_NE(en.body.find("please log in"), std::string::npos);
}

TEST_F(DispatchTest, HandlerExceptionsAre500WithoutInternals) {
  router_.Get("/api/v1/schools", kManagers, [](Request&) -> Response { throw std::runtime_error("secret detail"); });
  auto r = Run("GET", "/api/v1/schools", {{"Authorization", "Bearer " + std::string(64, 'p')}});
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
  EXPECT_NE(r.body.find("t-1"), std::string::npos);
}

// The safety net: a JSON type error read outside BodyReader is the body's fault, answered 400.
TEST_F(DispatchTest, JsonTypeErrorsFromABodyAre400Not500) {
  router_.Put("/api/v1/schools/:id", kManagers, [](Request& req) -> Response {
    auto b = req.JsonBody();
    return JsonResponse({{"name", b->at("name").get<std::string>()}});  // throws on {"name": 1}
  });
  auto bearer = std::pair<std::string, std::string>{"Authorization", "Bearer " + std::string(64, 'p')};
  EXPECT_EQ(Run("PUT", "/api/v1/schools/1", {bearer}, R"({"name":"a"})").status, 200);
  auto r = Run("PUT", "/api/v1/schools/1", {bearer}, R"({"name":1})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("类型"), std::string::npos) << r.body;
  EXPECT_EQ(Run("PUT", "/api/v1/schools/1", {bearer}, R"({})").status, 400);  // out_of_range
}

// Write-lane routes: the handler (parse, check) runs first; its Defer work runs after it, on the
// lane (allow_defer, the server calls RunDeferred inside the batch) or at once without a lane.
TEST_F(DispatchTest, DeferredWorkRunsLaterOrAtOnceAndItsExceptionsAre500) {
  int ran = 0;
  router_.Post("/api/v1/rooms", kManagers, [&](Request& req) {
    if (req.body == "bad") return JsonResponse({{"error", "x"}}, 400);  // refused before any work
    return req.Defer([&ran, &req] {
      ++ran;
      if (req.body == "throw") throw std::runtime_error("secret detail");
      return JsonResponse({{"by", req.user ? "someone" : "nobody"}}, 201);
    });
  });
  auto h = std::vector<std::pair<std::string, std::string>>{{"Authorization", "Bearer " + std::string(64, 'p')}};
  EXPECT_EQ(Run("POST", "/api/v1/rooms", h, "{}").status, 201);  // no lane: at once
  EXPECT_EQ(ran, 1);
  Request req;
  req.method = "POST";
  req.path = "/api/v1/rooms";
  req.headers = h;
  req.body = "{}";
  req.request_id = "t-2";
  Dispatch(router_, hooks_, req, /*allow_defer=*/true);
  EXPECT_EQ(ran, 1);  // left for the lane
  ASSERT_TRUE(static_cast<bool>(req.deferred));
  auto r = RunDeferred(req);
  EXPECT_EQ(r.status, 201);
  EXPECT_NE(r.body.find("someone"), std::string::npos);  // the work sees the authenticated request
  EXPECT_EQ(ran, 2);
  EXPECT_FALSE(static_cast<bool>(req.deferred));
  Request bad = req;
  bad.body = "bad";
  EXPECT_EQ(Dispatch(router_, hooks_, bad, true).status, 400);
  EXPECT_FALSE(static_cast<bool>(bad.deferred));
  Request boom = req;
  boom.body = "throw";
  Dispatch(router_, hooks_, boom, true);
  auto e = RunDeferred(boom);
  EXPECT_EQ(e.status, 500);
  EXPECT_EQ(e.body.find("secret"), std::string::npos);
  EXPECT_EQ(Dispatch(router_, hooks_, boom, false).status, 500);  // the same at once
}

class StaticTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("kehou_web_" + std::to_string(::getpid()));
    std::filesystem::create_directories(root_ / "web" / "assets");
    std::ofstream(root_ / "web" / "index.html") << "<html>index</html>";
    std::ofstream(root_ / "web" / "assets" / "app-abc123.js") << "console.log(1)";
    std::ofstream(root_ / "secret.txt") << "SECRET";
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::string Web() { return (root_ / "web").string(); }
  std::filesystem::path root_;
};

TEST_F(StaticTest, MimeCacheAndSpaFallback) {
  auto js = ServeStatic(Web(), "/assets/app-abc123.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js.headers[0].second, "public, max-age=31536000, immutable");
  auto page = ServeStatic(Web(), "/people/students");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body, "<html>index</html>");
  EXPECT_EQ(page.headers[0].second, "no-cache");
  EXPECT_EQ(ServeStatic(Web(), "/assets/missing.js").status, 404);
}

TEST(AcceptsEncoding, ListsWildcardsAndQZero) {
  EXPECT_TRUE(AcceptsEncoding("gzip, deflate, br, zstd", "br"));
  EXPECT_TRUE(AcceptsEncoding("gzip, deflate, br, zstd", "gzip"));
  EXPECT_FALSE(AcceptsEncoding("gzip, deflate", "br"));
  EXPECT_FALSE(AcceptsEncoding("", "gzip"));
  EXPECT_FALSE(AcceptsEncoding("identity", "gzip"));
  EXPECT_TRUE(AcceptsEncoding("GZIP;q=0.5", "gzip"));
  EXPECT_FALSE(AcceptsEncoding("gzip;q=0, br", "gzip"));
  EXPECT_FALSE(AcceptsEncoding("gzip; q=0.000", "gzip"));
  EXPECT_TRUE(AcceptsEncoding("*", "br"));
  EXPECT_FALSE(AcceptsEncoding("*, br;q=0", "br"));
  EXPECT_FALSE(AcceptsEncoding("brotli", "br"));
}

TEST_F(StaticTest, PrecompressedCopiesFollowAcceptEncoding) {
  // Copies beside the files, as `make web` writes them; the bytes stand for compressed bodies.
  std::ofstream(root_ / "web" / "assets" / "app-abc123.js.br") << "BROTLI";
  std::ofstream(root_ / "web" / "assets" / "app-abc123.js.gz") << "GZIP";
  std::ofstream(root_ / "web" / "index.html.gz") << "GZIPPED-INDEX";

  auto br = ServeStatic(Web(), "/assets/app-abc123.js", "gzip, deflate, br");
  EXPECT_EQ(br.status, 200);
  EXPECT_EQ(br.body, "BROTLI");
  EXPECT_EQ(br.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(HeaderOf(br, "Content-Encoding"), "br");
  EXPECT_EQ(HeaderOf(br, "Vary"), "Accept-Encoding");
  EXPECT_EQ(HeaderOf(br, "Cache-Control"), "public, max-age=31536000, immutable");

  auto gz = ServeStatic(Web(), "/assets/app-abc123.js", "gzip");
  EXPECT_EQ(gz.body, "GZIP");
  EXPECT_EQ(HeaderOf(gz, "Content-Encoding"), "gzip");

  auto plain = ServeStatic(Web(), "/assets/app-abc123.js", "");
  EXPECT_EQ(plain.body, "console.log(1)");
  EXPECT_EQ(HeaderOf(plain, "Content-Encoding"), "");
  EXPECT_EQ(HeaderOf(plain, "Vary"), "Accept-Encoding");
  EXPECT_EQ(ServeStatic(Web(), "/assets/app-abc123.js", "br;q=0, gzip;q=0").body, "console.log(1)");

  // The SPA fallback page is served compressed too, with its own type and no-cache.
  auto page = ServeStatic(Web(), "/people/students", "br, gzip");
  EXPECT_EQ(page.body, "GZIPPED-INDEX");
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(HeaderOf(page, "Content-Encoding"), "gzip");
  EXPECT_EQ(HeaderOf(page, "Cache-Control"), "no-cache");

  // A compressed copy is not a page of its own under another type.
  EXPECT_EQ(ServeStatic(Web(), "/assets/missing.js", "br").status, 404);
}

TEST_F(StaticTest, NoPathTraversalEncodedOrNot) {
  for (auto p : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
                 "/..%2fsecret.txt", "/assets\\..\\..\\secret.txt", "/%252e%252e/secret.txt"}) {
    auto r = ServeStatic(Web(), UrlDecode(p, false));
    EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << p;
  }
}

}  // namespace
}  // namespace kehou::http
