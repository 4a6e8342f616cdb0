// payments.cpp (fees): cash at the office, the WeChat Pay v3 callback, the local test provider and
// the filing of exceptions (suspense.cpp settles them) (service.h).
#include <openssl/rand.h>

#include "auth/audit.h"
#include "core/body.h"
#include "fees/internal.h"
#include "fees/service.h"
#include "fees/store.h"
#include "ledger/service.h"

namespace kehou::fees {

using namespace internal;

namespace {

constexpr const char* kCallbackLogin = "wechatpay";  // the audit's "who" of a provider callback

std::string RandomDigits(size_t n) {
  std::string out(n, '0');
  std::vector<unsigned char> raw(n);
  if (RAND_bytes(raw.data(), static_cast<int>(n)) != 1) return std::to_string(NowMs());
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<char>('0' + raw[i] % 10);
  return out;
}

Result<school::Term> TermOfBill(db::Conn& c, const db::Row& b) {
  auto t = school::TermOf(c, b.Int("school_id"), b.Int("term_id"));
  if (!t) return Error::NotFound("学期不存在", "no such term", "term_id");
  return *t;
}

int64_t Outstanding(const db::Row& b) {
  int64_t due = b.Int("gross_fen") - b.Int("reduction_fen") - b.Int("paid_fen");
  return due > 0 ? due : 0;
}

Status CheckPayable(const db::Row& b) {
  if (b.Text("status") == "exempted")
    return Error::Conflict("该账单已全额减免，无需缴费", "the bill is exempted", "id");
  if (Outstanding(b) == 0) return Error::Conflict("该账单已缴清", "the bill is paid", "id");
  return Ok();
}

// The matching of a verified, decrypted transaction: pays the bill or files an exception.
// Runs inside the callback's transaction. Returns "paid", "exception" or "duplicate".
std::string Match(db::Conn& c, int64_t sid, const store::Merchant& m, const Json& t, int64_t now,
                  const std::string& client) {
  auto text = [&](const char* k) {
    return t.contains(k) && t[k].is_string() ? t[k].get<std::string>() : std::string();
  };
  std::string txn = text("transaction_id"), out_trade_no = text("out_trade_no");
  int64_t amount = 0;
  if (t.contains("amount") && t["amount"].is_object() && t["amount"].contains("total") &&
      t["amount"]["total"].is_number_integer())
    amount = t["amount"]["total"].get<int64_t>();
  if (txn.empty()) txn = "(none)-" + std::to_string(now);
  if (c.QueryOne(store::kPaymentByTxn, {std::string("wechat"), txn}) ||
      c.QueryOne(store::kExceptionByTxn, {sid, std::string("wechat"), txn}))
    return "duplicate";
  std::string code, reason;
  std::optional<int64_t> bill_id = BillOfOutTradeNo(out_trade_no);
  std::optional<db::Row> bill;
  if (bill_id) bill = c.QueryOne(store::kBillToPay, {*bill_id, sid});
  std::string currency;
  if (t.contains("amount") && t["amount"].is_object() && t["amount"].contains("currency") &&
      t["amount"]["currency"].is_string())
    currency = t["amount"]["currency"].get<std::string>();
  if (text("transaction_id").empty()) {
    code = "no_transaction", reason = "通知缺少微信支付订单号（transaction_id）";
  } else if (text("mchid") != m.mchid) {
    code = "merchant_mismatch", reason = "商户号与本校不符";
  } else if (text("trade_state") != "SUCCESS") {
    code = "not_success", reason = "交易状态不是支付成功（" + text("trade_state") + "）";
  } else if (currency != "CNY") {
    code = "currency", reason = "币种不是人民币（" + currency + "）";
  } else if (!bill) {
    code = "unknown_order", reason = "找不到对应账单（商户订单号 " + out_trade_no + "）";
  } else if (ledger::TermClosed(c, sid, bill->Int("term_id"))) {
    code = "term_closed", reason = "账单所在学期决算已批准，账目已冻结";
  } else if (Outstanding(*bill) == 0) {
    code = "already_paid", reason = "账单已缴清或已减免，重复收款需退款";
  } else if (amount != Outstanding(*bill)) {
    code = "amount_mismatch",
    reason = "金额不符：通知 " + FormatYuan(amount) + "，账单待缴 " + FormatYuan(Outstanding(*bill));
  }
  Json log{{"transaction_id", txn}, {"out_trade_no", out_trade_no}, {"amount_fen", amount}};
  if (!code.empty()) {
    int64_t id = c.Insert(store::kInsertException,
                          {sid, std::string("wechat"), txn, out_trade_no,
                           bill ? db::Value(bill->Int("id")) : db::Null(), amount, code, reason, t.dump(), now});
    log["reason_code"] = code;
    // Money taken for an unmatched order goes to suspense in the same transaction; a refusal
    // (a bug: the term is open) rolls the callback back and the provider delivers it again.
    if (auto s = PostExceptionToSuspense(c, sid, id); !s.ok()) throw std::runtime_error(s.error().message);
    auth::AuditAnonymous(c, kCallbackLogin, client, {"payment_exception", "fee_exception", id, nullptr, &log, sid});
    return "exception";
  }
  int64_t pid =
      c.Insert(store::kInsertPayment, {sid, bill->Int("id"), std::string("wechat"), txn, amount, now, db::Null(), now});
  Recompute(c, sid, bill->Int("id"), now);
  // The term is open (checked above), so the posting cannot be refused short of a bug: then the
  // whole callback rolls back (500) and the provider delivers it again.
  if (auto s = PostPayment(c, sid, bill->Int("id"), pid, nullptr); !s.ok()) throw std::runtime_error(s.error().message);
  log["payment_id"] = pid;
  auth::AuditAnonymous(c, kCallbackLogin, client, {"pay", "fee_bill", bill->Int("id"), nullptr, &log, sid});
  return "paid";
}

Result<Json> Callback(db::Db& db, int64_t school_id, const wechatpay::Headers& h, const std::string& body,
                      int64_t now_ms, const std::string& client) {
  if (h.timestamp.empty() || h.nonce.empty() || h.signature.empty() || h.serial.empty())
    return Error::Unauthenticated("缺少微信支付签名头（Wechatpay-Timestamp/Nonce/Signature/Serial）",
                                  "missing Wechatpay-Timestamp, -Nonce, -Signature or -Serial");
  auto merchant = db.Read([&](db::Conn& c) { return store::LoadMerchant(c, school_id); });
  if (!merchant) return Error::NotFound("该学校未配置收款商户", "the school has no payment merchant", "school_id");
  wechatpay::MerchantKeys keys{merchant->platform_serial, merchant->platform_public_pem, merchant->api_v3_key};
  KEHOU_ASSIGN_OR_RETURN(Json t, wechatpay::VerifyAndDecrypt(h, body, keys, now_ms / 1000));
  std::string outcome;
  try {
    outcome = db.Write([&](db::Conn& c) { return Match(c, school_id, *merchant, t, now_ms, client); });
  } catch (const db::DbError& e) {
    // The same transaction delivered twice at once (several servers): the other delivery's
    // commit won the unique index on the transaction reference.
    if (!e.unique_violation) throw;
    outcome = "duplicate";
  }
  return Json{{"code", "SUCCESS"}, {"message", "成功"}, {"outcome", outcome}};
}

}  // namespace

Result<Json> HandleWeChatPayCallback(db::Db& db, int64_t school_id, const wechatpay::Headers& h,
                                     const std::string& body, int64_t now_ms, const std::string& client) {
  return Callback(db, school_id, h, body, now_ms, client);
}

Result<Json> RecordCash(db::Db& db, const Principal& who, SchoolArg school, int64_t bill_id, const Json& body,
                        const Date& today) {
  BodyReader r(body);
  auto amount = r.Int("amount_fen", {.required = true, .min = 1, .max = kMaxFeeFen, .label = "金额"});
  auto receipt = r.Text("receipt_no", {.required = true, .max_len = 40, .label = "收据编号"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(db::Row b, BillFor(c, who, school, bill_id));
    int64_t sid = b.Int("school_id");
    KEHOU_TRY(CheckPayable(b));
    KEHOU_ASSIGN_OR_RETURN(school::Term t, TermOfBill(c, b));
    KEHOU_TRY(CheckOpen(c, sid, t, today));
    if (*amount != Outstanding(b))
      return Error::Invalid("现金金额须等于待缴金额 " + FormatYuan(Outstanding(b)),
                            "the amount must equal the outstanding amount", "amount_fen");
    if (c.QueryOne(store::kPaymentByTxn, {std::string("cash"), *receipt}))
      return Error::Conflict("收据编号已使用", "the receipt number is already used", "receipt_no");
    int64_t now = NowMs();
    int64_t pid = c.Insert(store::kInsertPayment, {sid, bill_id, std::string("cash"), *receipt, *amount, now,
                                                   who.user_id ? db::Value(who.user_id) : db::Null(), now});
    Recompute(c, sid, bill_id, now);
    KEHOU_TRY(PostPayment(c, sid, bill_id, pid, &who));
    Json what{{"payment_id", pid}, {"channel", "cash"}, {"receipt_no", *receipt}, {"amount_fen", *amount}};
    auth::Audit(c, who, {"pay_cash", "fee_bill", bill_id, nullptr, &what, sid});
    return BillJson(c, *BillFor(c, who, school, bill_id), true, today);
  });
}

namespace {
Result<wechatpay::TestProvider> TestProviderOf(const store::Merchant& m) {
  if (!m.test_private_pem)
    return Error::Conflict("本校收款商户不是本地测试通道", "the school's merchant is not the local test provider",
                           "school_id");
  return wechatpay::TestProvider{m.mchid, m.platform_serial, *m.test_private_pem, m.platform_public_pem, m.api_v3_key};
}

Json TransactionOf(const store::Merchant& m, int64_t bill_id, int64_t amount, const std::string& txn, int64_t now_ms) {
  return Json{{"mchid", m.mchid},
              {"appid", m.appid},
              {"out_trade_no", OutTradeNo(bill_id)},
              {"transaction_id", txn},
              {"trade_type", "JSAPI"},
              {"trade_state", "SUCCESS"},
              {"trade_state_desc", "支付成功"},
              {"success_time", FormatInstant(now_ms)},
              {"amount", {{"total", amount}, {"payer_total", amount}, {"currency", "CNY"}, {"payer_currency", "CNY"}}},
              {"payer", {{"openid", "test-openid"}}}};
}
}  // namespace

Result<Json> PayWithTestProvider(db::Db& db, const Principal& who, int64_t bill_id, const Date& today) {
  struct Order {
    int64_t school_id = 0, amount = 0;
    store::Merchant merchant;
  };
  auto order = db.Read([&](db::Conn& c) -> Result<Order> {
    KEHOU_ASSIGN_OR_RETURN(db::Row b, BillFor(c, who, std::nullopt, bill_id));
    KEHOU_TRY(CheckPayable(b));
    KEHOU_ASSIGN_OR_RETURN(school::Term t, TermOfBill(c, b));
    KEHOU_TRY(CheckOpen(c, b.Int("school_id"), t, today));
    auto m = store::LoadMerchant(c, b.Int("school_id"));
    if (!m)
      return Error::Conflict("学校尚未开通在线缴费，请到学校办公室缴费", "the school has no online payment", "id");
    return Order{b.Int("school_id"), Outstanding(b), *m};
  });
  if (!order.ok()) return order.error();
  KEHOU_ASSIGN_OR_RETURN(auto provider, TestProviderOf(order->merchant));
  int64_t now = NowMs();
  Json t = TransactionOf(order->merchant, bill_id, order->amount, "4200" + RandomDigits(24), now);
  KEHOU_ASSIGN_OR_RETURN(auto n, provider.Notify(t, now / 1000));
  KEHOU_ASSIGN_OR_RETURN(Json answer, Callback(db, order->school_id, n.headers, n.body, now, who.client));
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(db::Row b, BillFor(c, who, std::nullopt, bill_id));
    Json out = BillJson(c, b, true, today);
    out["outcome"] = answer["outcome"];
    return out;
  });
}

Result<int64_t> PayManyWithTestProvider(db::Db& db, int64_t school_id, const std::vector<int64_t>& bill_ids,
                                        const std::string& client) {
  auto merchant = db.Read([&](db::Conn& c) { return store::LoadMerchant(c, school_id); });
  if (!merchant) return Error::NotFound("该学校未配置收款商户", "the school has no payment merchant", "school_id");
  KEHOU_ASSIGN_OR_RETURN(auto provider, TestProviderOf(*merchant));
  const wechatpay::MerchantKeys keys{merchant->platform_serial, merchant->platform_public_pem, merchant->api_v3_key};
  return db.Write([&](db::Conn& c) -> Result<int64_t> {
    int64_t paid = 0;
    for (int64_t id : bill_ids) {
      auto b = c.QueryOne(store::kBillAmounts, {id, school_id});
      if (!b || !CheckPayable(*b).ok()) continue;
      const int64_t now = NowMs();
      KEHOU_ASSIGN_OR_RETURN(
          auto n,
          provider.Notify(TransactionOf(*merchant, id, Outstanding(*b), "4200" + RandomDigits(24), now), now / 1000));
      KEHOU_ASSIGN_OR_RETURN(Json t, wechatpay::VerifyAndDecrypt(n.headers, n.body, keys, now / 1000));
      if (Match(c, school_id, *merchant, t, now, client) == "paid") ++paid;
    }
    return paid;
  });
}

Result<Json> MakeTestNotification(db::Db& db, const Principal& who, SchoolArg school, const Json& body) {
  BodyReader r(body);
  auto bill = r.Id("bill_id", {.required = true, .label = "账单"});
  auto amount = r.Int("amount_fen", {.required = true, .min = 1, .max = kMaxFeeFen, .label = "金额"});
  auto txn = r.Text("transaction_id", {.max_len = 32, .label = "交易号"});
  auto ts = r.Int("timestamp", {.min = 0, .label = "时间戳"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  auto m = db.Read([&](db::Conn& c) -> Result<store::Merchant> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto found = store::LoadMerchant(c, sid);
    if (!found) return Error::Conflict("本校没有收款商户", "the school has no merchant", "school_id");
    return *found;
  });
  if (!m.ok()) return m.error();
  KEHOU_ASSIGN_OR_RETURN(auto provider, TestProviderOf(*m));
  int64_t now = NowMs();
  std::string id = txn && !txn->empty() ? *txn : "4200" + RandomDigits(24);
  KEHOU_ASSIGN_OR_RETURN(auto n, provider.Notify(TransactionOf(*m, *bill, *amount, id, now), ts.value_or(now / 1000)));
  return Json{{"headers",
               {{"Wechatpay-Timestamp", n.headers.timestamp},
                {"Wechatpay-Nonce", n.headers.nonce},
                {"Wechatpay-Signature", n.headers.signature},
                {"Wechatpay-Serial", n.headers.serial},
                {"Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048"}}},
              {"body", n.body},
              {"transaction_id", id}};
}

Result<bool> EnsureTestMerchant(db::Conn& c, int64_t school_id) {
  if (store::LoadMerchant(c, school_id)) return false;
  KEHOU_ASSIGN_OR_RETURN(auto p, wechatpay::TestProvider::Generate("19" + RandomDigits(8)));
  c.Exec(store::kInsertMerchant, {school_id, p.mchid, std::string("wxd0000000test"), p.api_v3_key, p.serial,
                                  p.public_pem, p.private_pem, NowMs()});
  return true;
}

}  // namespace kehou::fees
