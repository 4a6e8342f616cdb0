#include "ledger/http.h"

#include "access/grants.h"
#include "core/time.h"
#include "http/bind.h"
#include "http/query.h"
#include "ledger/service.h"

namespace kehou::ledger {
namespace {

using http::Bind;
using http::In;
using http::Request;
using http::Response;

Result<JournalQuery> QueryOf(const Request& req) {
  KEHOU_ASSIGN_OR_RETURN(http::ListQuery list,
                         http::SearchListOf(req, {"school_id", "term_id", "source_type", "account", "month", "q",
                                                  "page", "page_size", "format"}));
  JournalQuery q{.term_id = list.term_id,
                 .source_type = req.Query("source_type").value_or(""),
                 .account = req.Query("account").value_or(""),
                 .month = req.Query("month").value_or(""),
                 .q = std::move(list.q),
                 .page = list.page.page,
                 .page_size = list.page.size};
  if (q.source_type.size() > 20 || q.account.size() > 10 || q.month.size() > 7)
    return Error::Invalid("查询参数过长", "a query parameter is too long", "q");
  return q;
}

}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  using namespace auth;          // NOLINT: Bit, Role, Scope, the masks: routes read as a table
  using namespace auth::grants;  // NOLINT
  const std::string api = "/api/v1/ledger";
  const http::Spec term_only{.query = {"school_id", "term_id"}, .opt_ids = {"term_id"}};  // ?school_id&term_id only
  // --- ledger (src/ledger) — issue 14 §3: the books for the office and leadership; guardians read
  // only published disclosures of their children's schools
  r.Get(api + "/accounts", http::Allow{managers, admin},
        Bind(term_only, [&db](const In& in) { return ListAccounts(db, in.me(), in.school, in.QueryId("term_id")); }));
  // ?term_id&source_type&account&month&q&page&page_size; ?format=xlsx downloads every line of the filter.
  r.Get(api + "/entries", http::Allow{managers, admin}, Bind({}, [&db](const In& in) -> Result<Response> {
          KEHOU_ASSIGN_OR_RETURN(JournalQuery q, QueryOf(in.req));
          if (in.req.Query("format").value_or("") == "xlsx") {
            KEHOU_ASSIGN_OR_RETURN(FileOut f, ExportJournal(db, in.me(), in.school, q));
            return http::Download(std::move(f));
          }
          KEHOU_ASSIGN_OR_RETURN(Json list, ListJournal(db, in.me(), in.school, q));
          return http::JsonResponse(list);
        }));
  r.Post(api + "/entries/:id/reverse", http::Allow{managers, admin},
         Bind({.body = true, .status = 201},
              [&db](const In& in) { return ReverseEntry(db, in.me(), in.school, in.id, in.body, TodayLocal()); }));
  r.Post(api + "/documents", http::Allow{managers, admin}, Bind({.body = true, .status = 201}, [&db](const In& in) {
           return CreateDocument(db, in.me(), in.school, in.body, TodayLocal());
         }));
  r.Get(api + "/budget", http::Allow{managers, admin},
        Bind(term_only, [&db](const In& in) { return GetBudget(db, in.me(), in.school, in.QueryId("term_id")); }));
  r.Put(api + "/budget", http::Allow{managers, admin},
        Bind({.body = true}, [&db](const In& in) { return PutBudget(db, in.me(), in.school, in.body); }));
  r.Post(api + "/final-accounts", http::Allow{managers, admin}, Bind({.body = true}, [&db](const In& in) {
           return PrepareFinalAccounts(db, in.me(), in.school, in.body, TodayLocal());
         }));
  // leadership approves
  r.Post(api + "/final-accounts/approve", http::Allow{{kLeaders, Scope::kSchool}, admin},
         Bind({.body = true}, [&db](const In& in) { return ApproveFinalAccounts(db, in.me(), in.school, in.body); }));
  r.Get(api + "/disclosures", http::Allow{managers, admin}, Bind(term_only, [&db](const In& in) {
          return ListDisclosures(db, in.me(), in.school, in.QueryId("term_id"));
        }));
  r.Get(api + "/disclosure-preview", http::Allow{managers, admin},
        Bind({.query = {"school_id", "term_id", "month"}, .opt_ids = {"term_id"}}, [&db](const In& in) {
          std::string month = in.req.Query("month").value_or(FormatMonth(MonthOf(TodayLocal())));
          return PreviewDisclosure(db, in.me(), in.school, month, in.QueryId("term_id"), TodayLocal());
        }));
  r.Post(api + "/disclosures", http::Allow{managers, admin}, Bind({.body = true, .status = 201}, [&db](const In& in) {
           return PublishDisclosure(db, in.me(), in.school, in.body, TodayLocal());
         }));
  // ?format=pdf: the printable disclosure.
  r.Get(api + "/disclosures/:id", http::Allow{managers, admin, guardian},
        Bind({.query = {"school_id", "format"}}, [&db](const In& in) -> Result<Response> {
          if (in.req.Query("format").value_or("") == "pdf") {
            KEHOU_ASSIGN_OR_RETURN(FileOut f, DisclosurePdf(db, in.me(), in.school, in.id));
            return http::Download(std::move(f));
          }
          KEHOU_ASSIGN_OR_RETURN(Json d, GetDisclosure(db, in.me(), in.school, in.id));
          return http::JsonResponse(d);
        }));
  r.Get(api + "/my-disclosures", http::Allow{guardian},
        Bind({.school = false}, [&db](const In& in) { return MyDisclosures(db, in.me()); }));
}

}  // namespace kehou::ledger
