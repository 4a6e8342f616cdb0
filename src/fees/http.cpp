#include "fees/http.h"

#include "core/time.h"
#include "fees/service.h"

namespace kehou::fees {
namespace {

using http::Request;
using http::Response;

// ?school_id, :id (when the route has one), the JSON body (when with_body) -> fn(id, school, body)
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

Result<BillQuery> QueryOf(const Request& req) {
  KEHOU_TRY(req.OnlyQuery({"school_id", "term_id", "class_id", "status", "q", "page", "page_size", "format"}));
  BillQuery q;
  KEHOU_ASSIGN_OR_RETURN(q.term_id, req.OptIdQuery("term_id"));
  KEHOU_ASSIGN_OR_RETURN(q.class_id, req.OptIdQuery("class_id"));
  q.status = req.Query("status").value_or("");
  q.q = req.Query("q").value_or("");
  if (q.q.size() > 60) return Error::Invalid("搜索词过长", "q is too long", "q");
  KEHOU_ASSIGN_OR_RETURN(http::Page p, http::PageOf(req));
  q.page = p.page;
  q.page_size = p.size;
  return q;
}

}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  const std::string api = "/api/v1/fees";
  r.Get(api + "/settings", [&db](Request& req) {
    return With(req, false, [&](int64_t, auto school, const Json&) { return GetSettings(db, req.Me(), school); });
  });
  r.Put(api + "/settings", [&db](Request& req) {
    return With(req, true, [&](int64_t, auto school, const Json& b) { return PutSettings(db, req.Me(), school, b); });
  });
  r.Get(api + "/standards", [&db](Request& req) {
    if (auto s = req.OnlyQuery({"school_id", "term_id"}); !s.ok()) return http::ErrorResponse(s.error(), req);
    auto term = req.OptIdQuery("term_id");
    if (!term.ok()) return http::ErrorResponse(term.error(), req);
    return With(req, false, [&](int64_t, auto school, const Json&) { return ListStandards(db, req.Me(), school, *term); });
  });
  r.Post(api + "/standards", [&db](Request& req) {
    return With(req, true, [&](int64_t, auto school, const Json& b) { return CreateStandard(db, req.Me(), school, b); }, 201);
  });
  r.Put(api + "/standards/:id", [&db](Request& req) {
    return With(req, true, [&](int64_t id, auto school, const Json& b) { return UpdateStandard(db, req.Me(), school, id, b); });
  });
  r.Delete(api + "/standards/:id", [&db](Request& req) {
    return With(req, false, [&](int64_t id, auto school, const Json&) { return DeleteStandard(db, req.Me(), school, id); });
  });
  r.Post(api + "/late-windows", [&db](Request& req) {
    return With(req, true, [&](int64_t, auto school, const Json& b) { return OpenLateWindow(db, req.Me(), school, b); }, 201);
  });
  r.Post(api + "/bills/issue", [&db](Request& req) {
    return With(req, true, [&](int64_t, auto school, const Json& b) {
      return IssueBills(db, req.Me(), school, b, TodayLocal());
    });
  });
  // ?term_id&status&class_id&q&page&page_size; ?format=xlsx downloads every bill of the filter.
  r.Get(api + "/bills", [&db](Request& req) {
    auto q = QueryOf(req);
    if (!q.ok()) return http::ErrorResponse(q.error(), req);
    auto school = req.OptIdQuery("school_id");
    if (!school.ok()) return http::ErrorResponse(school.error(), req);
    if (req.Query("format").value_or("") == "xlsx") {
      auto f = ExportBills(db, req.Me(), *school, *q);
      if (!f.ok()) return http::ErrorResponse(f.error(), req);
      return http::Download(std::move(*f));
    }
    return http::Answer(ListBills(db, req.Me(), *school, *q), req);
  });
  r.Get(api + "/bills/:id", [&db](Request& req) {
    return With(req, false, [&](int64_t id, auto school, const Json&) {
      return GetBill(db, req.Me(), school, id, TodayLocal());
    });
  });
  r.Get(api + "/my-bills", [&db](Request& req) { return http::Answer(MyBills(db, req.Me(), TodayLocal()), req); });
  r.Post(api + "/bills/:id/exemptions", [&db](Request& req) {
    return With(req, true, [&](int64_t id, auto school, const Json& b) {
      return AddExemption(db, req.Me(), school, id, b, TodayLocal());
    }, 201);
  });
  r.Post(api + "/bills/:id/cash", [&db](Request& req) {
    return With(req, true, [&](int64_t id, auto school, const Json& b) {
      return RecordCash(db, req.Me(), school, id, b, TodayLocal());
    });
  });
  r.Post(api + "/bills/:id/pay", [&db](Request& req) {
    return With(req, false, [&](int64_t id, auto, const Json&) { return PayWithTestProvider(db, req.Me(), id, TodayLocal()); });
  });
  r.Post(api + "/test-provider/notifications", [&db](Request& req) {
    return With(req, true, [&](int64_t, auto school, const Json& b) { return MakeTestNotification(db, req.Me(), school, b); });
  });
  r.Get(api + "/exceptions", [&db](Request& req) {
    if (auto s = req.OnlyQuery({"school_id", "state", "page", "page_size"}); !s.ok()) return http::ErrorResponse(s.error(), req);
    auto page = http::PageOf(req);
    if (!page.ok()) return http::ErrorResponse(page.error(), req);
    return With(req, false, [&](int64_t, auto school, const Json&) {
      return ListExceptions(db, req.Me(), school, req.Query("state").value_or(""), page->page, page->size);
    });
  });
  r.Post(api + "/bills/:id/refunds", [&db](Request& req) {
    return With(req, true, [&](int64_t id, auto school, const Json& b) {
      return RequestRefund(db, req.Me(), school, id, b, TodayLocal());
    }, 201);
  });
  r.Post(api + "/refunds/:id/approve", [&db](Request& req) {
    return With(req, false, [&](int64_t id, auto school, const Json&) { return ApproveRefund(db, req.Me(), school, id, TodayLocal()); });
  });
  r.Get(api + "/refunds", [&db](Request& req) {
    if (auto s = req.OnlyQuery({"school_id", "status", "page", "page_size"}); !s.ok()) return http::ErrorResponse(s.error(), req);
    auto page = http::PageOf(req);
    if (!page.ok()) return http::ErrorResponse(page.error(), req);
    return With(req, false, [&](int64_t, auto school, const Json&) {
      return ListRefunds(db, req.Me(), school, req.Query("status").value_or(""), page->page, page->size);
    });
  });
  r.Post(api + "/exceptions/:id/resolve", [&db](Request& req) {
    return With(req, true, [&](int64_t id, auto school, const Json& b) { return ResolveException(db, req.Me(), school, id, b); });
  });
  // Refund payouts: the bank file of approved refunds, then the batch marked paid (payouts.cpp).
  r.Post(api + "/refund-payouts", [&db](Request& req) {
    return With(req, false, [&](int64_t, auto school, const Json&) { return CreatePayoutBatch(db, req.Me(), school, TodayLocal()); }, 201);
  });
  r.Get(api + "/refund-payouts", [&db](Request& req) {
    if (auto s = req.OnlyQuery({"school_id", "page", "page_size"}); !s.ok()) return http::ErrorResponse(s.error(), req);
    auto page = http::PageOf(req);
    if (!page.ok()) return http::ErrorResponse(page.error(), req);
    return With(req, false, [&](int64_t, auto school, const Json&) {
      return ListPayoutBatches(db, req.Me(), school, page->page, page->size);
    });
  });
  r.Get(api + "/refund-payouts/:id/file", [&db](Request& req) {
    auto school = req.OptIdQuery("school_id");
    if (!school.ok()) return http::ErrorResponse(school.error(), req);
    auto id = req.IdParam("id");
    if (!id.ok()) return http::ErrorResponse(id.error(), req);
    auto f = PayoutFile(db, req.Me(), *school, *id);
    if (!f.ok()) return http::ErrorResponse(f.error(), req);
    return http::Download(std::move(*f));
  });
  r.Post(api + "/refund-payouts/:id/paid", [&db](Request& req) {
    return With(req, true, [&](int64_t id, auto school, const Json& b) { return MarkPayoutPaid(db, req.Me(), school, id, b, TodayLocal()); });
  });
  // Reminders, the daily reconciliation, receipts (issue 14 §1-2, §5).
  r.Post(api + "/reminders", [&db](Request& req) {
    return With(req, true, [&](int64_t, auto school, const Json& b) { return SendReminders(db, req.Me(), school, b, TodayLocal()); });
  });
  http::RouteOptions import_options;
  import_options.max_body = http::kImportBodyLimit;
  r.Post(
      api + "/reconciliations",
      [&db](Request& req) {
        auto school = req.OptIdQuery("school_id");
        if (!school.ok()) return http::ErrorResponse(school.error(), req);
        auto body = req.JsonBody();
        if (!body.ok()) return http::ErrorResponse(body.error(), req);
        auto out = ImportStatement(db, req.Me(), *school, *body);
        if (!out.ok()) return http::ErrorResponse(out.error(), req);
        if ((*out)["ok"].get<bool>()) return http::JsonResponse(*out, 201);
        // 422: the error envelope plus every row's error; nothing was written.
        const size_t bad = (*out)["errors"].size();
        Response resp = http::ErrorResponse(
            Error::RuleBroken("对账单有 " + std::to_string(bad) + " 处错误，未导入任何数据，请修改后重新导入",
                              std::to_string(bad) + " errors; nothing was imported", "csv"),
            req);
        Json j = Json::parse(resp.body);
        for (auto it = out->begin(); it != out->end(); ++it) j[it.key()] = it.value();
        return http::JsonResponse(j, 422);
      },
      import_options);
  r.Get(api + "/reconciliations", [&db](Request& req) {
    if (auto s = req.OnlyQuery({"school_id", "page", "page_size"}); !s.ok()) return http::ErrorResponse(s.error(), req);
    auto page = http::PageOf(req);
    if (!page.ok()) return http::ErrorResponse(page.error(), req);
    return With(req, false, [&](int64_t, auto school, const Json&) {
      return ListReconciliations(db, req.Me(), school, page->page, page->size);
    });
  });
  r.Get(api + "/reconciliations/:id", [&db](Request& req) {
    return With(req, false, [&](int64_t id, auto school, const Json&) { return GetReconciliation(db, req.Me(), school, id); });
  });
  r.Get(api + "/bills/:id/receipt", [&db](Request& req) {
    auto school = req.OptIdQuery("school_id");
    if (!school.ok()) return http::ErrorResponse(school.error(), req);
    auto id = req.IdParam("id");
    if (!id.ok()) return http::ErrorResponse(id.error(), req);
    auto f = Receipt(db, req.Me(), *school, *id);
    if (!f.ok()) return http::ErrorResponse(f.error(), req);
    return http::Download(std::move(*f));
  });
  // Public: WeChat Pay posts here (the order's notify_url names the school). Only a body signed by
  // the school's platform key, fresh, and decrypting with its API v3 key is accepted.
  r.Post(api + "/callback/wechatpay/:school_id", [&db](Request& req) {
    auto school = req.IdParam("school_id");
    if (!school.ok()) return http::ErrorResponse(Error::NotFound("学校不存在", "no such school", "school_id"), req);
    wechatpay::Headers h{req.Header("Wechatpay-Timestamp"), req.Header("Wechatpay-Nonce"),
                         req.Header("Wechatpay-Signature"), req.Header("Wechatpay-Serial")};
    return http::Answer(HandleWeChatPayCallback(db, *school, h, req.body, NowMs(), req.remote), req);
  });
}

}  // namespace kehou::fees
