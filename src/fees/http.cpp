#include "fees/http.h"

#include "access/grants.h"
#include "core/time.h"
#include "fees/service.h"
#include "http/bind.h"
#include "http/query.h"

namespace kehou::fees {
namespace {

using http::Bind;
using http::In;
using http::Request;
using http::Response;

Result<BillQuery> QueryOf(const Request& req) {
  KEHOU_ASSIGN_OR_RETURN(http::ListQuery list, http::SearchListOf(req, {"school_id", "term_id", "class_id", "status",
                                                                        "q", "page", "page_size", "format"}));
  BillQuery q;
  q.term_id = list.term_id;
  KEHOU_ASSIGN_OR_RETURN(q.class_id, req.OptIdQuery("class_id"));
  q.status = req.Query("status").value_or("");
  q.q = std::move(list.q);
  q.page = list.page.page;
  q.page_size = list.page.size;
  return q;
}

}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  using namespace auth;          // NOLINT: Bit, Role, Scope, the masks: routes read as a table
  using namespace auth::grants;  // NOLINT
  const std::string api = "/api/v1/fees";
  // --- fees (src/fees) — issue 14 §1-2: finance data for the office and leadership
  r.Get(api + "/settings", http::Allow{managers, admin},
        Bind({}, [&db](const In& in) { return GetSettings(db, in.me(), in.school); }));
  r.Put(api + "/settings", http::Allow{managers, admin},
        Bind({.body = true}, [&db](const In& in) { return PutSettings(db, in.me(), in.school, in.body); }));
  r.Get(api + "/standards", http::Allow{managers, admin},
        Bind({.query = {"school_id", "term_id"}, .opt_ids = {"term_id"}},
             [&db](const In& in) { return ListStandards(db, in.me(), in.school, in.QueryId("term_id")); }));
  r.Post(api + "/standards", http::Allow{managers, admin}, Bind({.body = true, .status = 201}, [&db](const In& in) {
           return CreateStandard(db, in.me(), in.school, in.body);
         }));
  r.Put(api + "/standards/:id", http::Allow{managers, admin},
        Bind({.body = true}, [&db](const In& in) { return UpdateStandard(db, in.me(), in.school, in.id, in.body); }));
  r.Delete(api + "/standards/:id", http::Allow{managers, admin},
           Bind({}, [&db](const In& in) { return DeleteStandard(db, in.me(), in.school, in.id); }));
  r.Post(api + "/late-windows", http::Allow{managers, admin}, Bind({.body = true, .status = 201}, [&db](const In& in) {
           return OpenLateWindow(db, in.me(), in.school, in.body);
         }));
  r.Post(api + "/bills/issue", http::Allow{managers, admin}, Bind({.body = true}, [&db](const In& in) {
           return IssueBills(db, in.me(), in.school, in.body, TodayLocal());
         }));
  // ?term_id&status&class_id&q&page&page_size; ?format=xlsx downloads every bill of the filter.
  r.Get(api + "/bills", http::Allow{managers, admin}, Bind({}, [&db](const In& in) -> Result<Response> {
          KEHOU_ASSIGN_OR_RETURN(BillQuery q, QueryOf(in.req));
          if (in.req.Query("format").value_or("") == "xlsx") {
            KEHOU_ASSIGN_OR_RETURN(FileOut f, ExportBills(db, in.me(), in.school, q));
            return http::Download(std::move(f));
          }
          KEHOU_ASSIGN_OR_RETURN(Json list, ListBills(db, in.me(), in.school, q));
          return http::JsonResponse(list);
        }));
  r.Get(api + "/bills/:id", http::Allow{managers, admin, guardian},
        Bind({}, [&db](const In& in) { return GetBill(db, in.me(), in.school, in.id, TodayLocal()); }));
  r.Get(api + "/my-bills", http::Allow{guardian},
        Bind({.school = false}, [&db](const In& in) { return MyBills(db, in.me(), TodayLocal()); }));
  // the leadership group
  r.Post(api + "/bills/:id/exemptions", http::Allow{{kLeaders, Scope::kSchool}, admin},
         Bind({.body = true, .status = 201},
              [&db](const In& in) { return AddExemption(db, in.me(), in.school, in.id, in.body, TodayLocal()); }));
  r.Post(api + "/bills/:id/cash", http::Allow{managers, admin}, Bind({.body = true}, [&db](const In& in) {
           return RecordCash(db, in.me(), in.school, in.id, in.body, TodayLocal());
         }));
  r.Post(api + "/bills/:id/pay", http::Allow{guardian},
         Bind({}, [&db](const In& in) { return PayWithTestProvider(db, in.me(), in.id, TodayLocal()); }));
  r.Post(api + "/test-provider/notifications", http::Allow{managers, admin},
         Bind({.body = true}, [&db](const In& in) { return MakeTestNotification(db, in.me(), in.school, in.body); }));
  r.Get(api + "/exceptions", http::Allow{managers, admin},
        Bind({.query = {"school_id", "state", "page", "page_size"}}, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(http::Page page, http::PageOf(in.req));
          return ListExceptions(db, in.me(), in.school, in.req.Query("state").value_or(""), page.page, page.size);
        }));
  r.Post(api + "/bills/:id/refunds", http::Allow{managers, admin},
         Bind({.body = true, .status = 201},
              [&db](const In& in) { return RequestRefund(db, in.me(), in.school, in.id, in.body, TodayLocal()); }));
  // a leader approves
  r.Post(api + "/refunds/:id/approve", http::Allow{{kLeaders, Scope::kSchool}, admin},
         Bind({}, [&db](const In& in) { return ApproveRefund(db, in.me(), in.school, in.id, TodayLocal()); }));
  r.Get(api + "/refunds", http::Allow{managers, admin},
        Bind({.query = {"school_id", "status", "page", "page_size"}}, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(http::Page page, http::PageOf(in.req));
          return ListRefunds(db, in.me(), in.school, in.req.Query("status").value_or(""), page.page, page.size);
        }));
  r.Post(api + "/exceptions/:id/resolve", http::Allow{managers, admin}, Bind({.body = true}, [&db](const In& in) {
           return ResolveException(db, in.me(), in.school, in.id, in.body);
         }));
  // Refund payouts: the bank file of approved refunds, then the batch marked paid (payouts.cpp).
  // refund payouts (s11-money)
  r.Post(api + "/refund-payouts", http::Allow{managers, admin}, Bind({.status = 201}, [&db](const In& in) {
           return CreatePayoutBatch(db, in.me(), in.school, TodayLocal());
         }));
  r.Get(api + "/refund-payouts", http::Allow{managers, admin},
        Bind({.query = {"school_id", "page", "page_size"}}, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(http::Page page, http::PageOf(in.req));
          return ListPayoutBatches(db, in.me(), in.school, page.page, page.size);
        }));
  r.Get(api + "/refund-payouts/:id/file", http::Allow{managers, admin},
        Bind({}, [&db](const In& in) { return PayoutFile(db, in.me(), in.school, in.id); }));
  r.Post(api + "/refund-payouts/:id/paid", http::Allow{managers, admin}, Bind({.body = true}, [&db](const In& in) {
           return MarkPayoutPaid(db, in.me(), in.school, in.id, in.body, TodayLocal());
         }));
  // Reminders, the daily reconciliation, receipts (issue 14 §1-2, §5).
  // payment reminders (s10-pay)
  r.Post(api + "/reminders", http::Allow{managers, admin}, Bind({.body = true}, [&db](const In& in) {
           return SendReminders(db, in.me(), in.school, in.body, TodayLocal());
         }));
  http::RouteOptions import_options;
  import_options.max_body = http::kImportBodyLimit;
  r.Post(api + "/reconciliations", http::Allow{managers, admin},
         Bind({.body = true},
              [&db](const In& in) -> Result<Response> {
                KEHOU_ASSIGN_OR_RETURN(Json out, ImportStatement(db, in.me(), in.school, in.body));
                if (out["ok"].get<bool>()) return http::JsonResponse(out, 201);
                // 422: the error envelope plus every row's error; nothing was written.
                const size_t bad = out["errors"].size();
                return http::RowErrors(
                    Error::RuleBroken("对账单有 " + std::to_string(bad) + " 处错误，未导入任何数据，请修改后重新导入",
                                      std::to_string(bad) + " errors; nothing was imported", "csv"),
                    out, in.req);
              }),
         import_options);
  r.Get(api + "/reconciliations", http::Allow{managers, admin},
        Bind({.query = {"school_id", "page", "page_size"}}, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(http::Page page, http::PageOf(in.req));
          return ListReconciliations(db, in.me(), in.school, page.page, page.size);
        }));
  r.Get(api + "/reconciliations/:id", http::Allow{managers, admin},
        Bind({}, [&db](const In& in) { return GetReconciliation(db, in.me(), in.school, in.id); }));
  r.Get(api + "/bills/:id/receipt", http::Allow{managers, admin, guardian},
        Bind({}, [&db](const In& in) { return Receipt(db, in.me(), in.school, in.id); }));
  // Public: WeChat Pay posts here (the order's notify_url names the school). Only a body signed by
  // the school's platform key, fresh, and decrypting with its API v3 key is accepted.
  // signature-checked
  r.Post(api + "/callback/wechatpay/:school_id", http::Allow::Public(/*csrf_exempt=*/true), [&db](Request& req) {
    auto school = req.IdParam("school_id");
    if (!school.ok()) return http::ErrorResponse(Error::NotFound("学校不存在", "no such school", "school_id"), req);
    wechatpay::Headers h{req.Header("Wechatpay-Timestamp"), req.Header("Wechatpay-Nonce"),
                         req.Header("Wechatpay-Signature"), req.Header("Wechatpay-Serial")};
    return http::Answer(HandleWeChatPayCallback(db, *school, h, req.body, NowMs(), req.remote), req);
  });
}

}  // namespace kehou::fees
