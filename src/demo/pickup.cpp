#include "demo/pickup.h"

#include <nlohmann/json.hpp>
#include <set>

#include "access/principal.h"
#include "attendance/present.h"
#include "attendance/service.h"
#include "auth/audit.h"
#include "core/time.h"
#include "demo/logins.h"
#include "demo/store.h"
#include "enroll/service.h"
#include "pickup/rules.h"
#include "pickup/service.h"

namespace kehou::demo {
namespace {

using Json = nlohmann::json;

constexpr int kLookBackDays = 21;  // how far back the demo looks for its two teaching days
// A one-page PDF standing in for the scanned, signed authorisation form.
constexpr const char* kFormPdf =
    "JVBERi0xLjQKMSAwIG9iajw8L1R5cGUvQ2F0YWxvZy9QYWdlcyAyIDAgUj4+ZW5kb2JqCjIgMCBvYmo8PC9UeXBlL1BhZ2VzL0tpZHNbMyAw"
    "IFJdL0NvdW50IDE+PmVuZG9iagozIDAgb2JqPDwvVHlwZS9QYWdlL1BhcmVudCAyIDAgUi9NZWRpYUJveFswIDAgNTk1IDg0Ml0+PmVuZG9i"
    "agp0cmFpbGVyPDwvUm9vdCAxIDAgUj4+CiUlRU9G";

Error Failed(const std::string& what, const Error& e) {
  return MakeError(e.code, "演示接送数据：" + what + "失败：" + e.message, "demo pickup: " + what + ": " + e.message,
                   e.field);
}

auth::Principal GuardianOf(db::Conn& c, int64_t guardian_id) {
  auth::Principal p;
  if (auto u = store::UserOfGuardian(c, guardian_id)) {
    p.user_id = u->id;
    p.display_name = u->display_name;
  }
  p.login = "guardian";
  p.role = auth::Role::kGuardian;
  p.guardian_id = guardian_id;
  p.scope = auth::Scope::kOwnChildren;
  p.client = "kehou demo";
  return p;
}

std::vector<int64_t> Present(db::Db& db, int64_t school_id, const Date& d) {
  return db.Read([&](db::Conn& c) {
    std::vector<int64_t> out;
    std::set<int64_t> seen;
    for (const auto& p : attendance::PresenceOn(c, school_id, d))
      if (seen.insert(p.student_id).second) out.push_back(p.student_id);
    return out;
  });
}

// Calls every session of `day` as the office: everybody present.
Status CallAll(db::Db& db, const auth::Principal& office, int64_t school_id, const Date& day) {
  auto sessions = db.Read([&](db::Conn& c) { return attendance::SessionsOn(c, school_id, day); });
  for (const auto& s : sessions) {
    const int64_t at = LocalInstant(day, s.time.start + 10);
    auto roster = attendance::SessionRoster(db, office, std::nullopt, s.section_id, day, s.band, at);
    if (!roster.ok()) return Failed("点名", roster.error());
    if ((*roster)["items"].empty()) continue;
    Json marks = Json::array();
    for (const auto& it : (*roster)["items"])
      marks.push_back({{"student_id", it["student_id"]}, {"status", "present"}});
    auto saved = attendance::SaveRoll(db, office, std::nullopt, s.section_id,
                                      {{"date", FormatDate(day)}, {"band", s.band}, {"marks", marks}}, at);
    if (!saved.ok()) return Failed("点名", saved.error());
  }
  return Ok();
}

// The pickup demo, step by step: the accounts and batches, the two demo days, the guardians'
// batch choices, proxies and cards, then the handovers of the closed day, the open day and today.
class PickupDemo {
 public:
  PickupDemo(db::Db& db, int64_t school_id, int64_t now_ms)
      : db_(db), school_id_(school_id), now_ms_(now_ms), today_(LocalDate(now_ms)) {}

  Result<DemoPickup> Run() {
    KEHOU_TRY(LoadAccounts());
    KEHOU_TRY(FindDays());
    if (!open_day_) return out_;  // no history to show
    ChooseBatches();
    KEHOU_TRY(ProxiesAndCards());
    if (closed_day_) KEHOU_TRY(ClosedDay());
    OpenDay();
    KEHOU_TRY(Today());
    return out_;
  }

 private:
  Status LoadAccounts() {
    db_.Read([&](db::Conn& c) {
      office_ = DemoLogin(c, school_id_, "office", auth::Role::kOfficeDirector).value_or(auth::Principal{});
      guard_ = DemoLogin(c, school_id_, "guard", auth::Role::kGuard).value_or(auth::Principal{});
      // The demo guardian: the first guardian account with a child here (as the attendance demo).
      if (auto g = store::FirstGuardianAccount(c, school_id_); g && g->guardian_id)
        guardian_ = GuardianOf(c, *g->guardian_id);
      if (guardian_.guardian_id)
        guardian_children_ = pickup::ChildrenOfGuardianAt(c, *guardian_.guardian_id, school_id_);
      for (const auto& b : enroll::BatchesOf(c, school_id_, false))
        batches_.emplace_back(b.id, ParseTimeOfDay(b.leave_time).value_or(17 * 60));
    });
    if (!office_.user_id || !guard_.user_id || guardian_children_.empty() || batches_.empty())
      return MakeError(kInternal, "演示学校缺少办公室、门卫、家长账号或放学批次",
                       "the demo school lacks accounts or batches");
    child_g_ = guardian_children_.front();
    return Ok();
  }

  bool IsGuardianChild(int64_t id) const {
    return std::find(guardian_children_.begin(), guardian_children_.end(), id) != guardian_children_.end();
  }

  // The two demo days: the last day with children at school before today (attendance's), and the
  // teaching day before it (called here), preferably one the guardian's child attends (the proxy
  // collects them).
  Status FindDays() {
    for (int back = 1; back <= kLookBackDays && !open_day_; ++back)
      if (!Present(db_, school_id_, AddDays(today_, -back)).empty()) open_day_ = AddDays(today_, -back);
    if (!open_day_) return Ok();
    std::optional<Date> any_day;
    for (int back = 1; back <= kLookBackDays && !closed_day_; ++back) {
      Date d = AddDays(*open_day_, -back);
      auto sessions = db_.Read([&](db::Conn& c) { return attendance::SessionsOn(c, school_id_, d); });
      if (sessions.empty()) continue;
      if (!any_day) any_day = d;
      for (const auto& s : sessions) {
        auto roster = attendance::SessionRoster(db_, office_, std::nullopt, s.section_id, d, s.band, now_ms_);
        if (roster.ok())
          for (const auto& it : (*roster)["items"])
            if (it["student_id"] == child_g_) closed_day_ = d;
      }
    }
    if (!closed_day_) closed_day_ = any_day;
    if (closed_day_) return CallAll(db_, office_, school_id_, *closed_day_);
    return Ok();
  }

  // Every child at school on the demo days gets a default batch (the guardians' choice).
  void ChooseBatches() {
    std::set<int64_t> children;
    for (const auto& d : {std::optional<Date>(today_), open_day_, closed_day_})
      if (d)
        for (int64_t id : Present(db_, school_id_, *d)) children.insert(id);
    children.insert(guardian_children_.begin(), guardian_children_.end());
    db_.Write([&](db::Conn& c) {
      for (int64_t id : children) {
        const auto& b = batches_[static_cast<size_t>(id) % batches_.size()];
        batch_of_[id] = b;
        pickup::RecordBatchChoice(c, school_id_, id, b.first, guardian_.user_id, now_ms_);
      }
      Json after = {{"children", children.size()}};
      auth::Audit(c, office_, {"demo_batch_choices", "pickup_batch", std::nullopt, nullptr, &after, school_id_});
    });
  }

  // Proxies of the demo guardian's first child: one valid, one expired two days ago; cards for all.
  Status ProxiesAndCards() {
    const Json form = {{"name", "代接授权书.pdf"}, {"type", "application/pdf"}, {"data", kFormPdf}};
    auto valid = pickup::CreateProxy(db_, guardian_, std::nullopt,
                                     {{"student_id", child_g_},
                                      {"name", "李秀兰"},
                                      {"relation", "外婆"},
                                      {"id_last4", "4821"},
                                      {"mobile", "13912345678"},
                                      {"valid_from", FormatDate(AddDays(today_, -30))},
                                      {"valid_to", FormatDate(AddDays(today_, 150))},
                                      {"form", form}},
                                     now_ms_ - 30 * 86'400'000LL);
    if (!valid.ok()) return Failed("代接人", valid.error());
    valid_proxy_ = (*valid)["id"];
    auto expired = pickup::CreateProxy(db_, guardian_, std::nullopt,
                                       {{"student_id", child_g_},
                                        {"name", "赵建国"},
                                        {"relation", "邻居"},
                                        {"id_last4", "103X"},
                                        {"valid_from", FormatDate(AddDays(today_, -60))},
                                        {"valid_to", FormatDate(AddDays(today_, -2))},
                                        {"form", form}},
                                       now_ms_ - 60 * 86'400'000LL);
    if (!expired.ok()) return Failed("代接人（已过期）", expired.error());
    out_.proxies = 2;
    out_.cards = 2;
    for (int64_t child : guardian_children_) {
      auto card = pickup::IssueCard(
          db_, guardian_, std::nullopt,
          {{"student_id", child}, {"adult_kind", "guardian"}, {"adult_id", *guardian_.guardian_id}}, now_ms_);
      if (!card.ok()) return Failed("接送卡", card.error());
      ++out_.cards;
    }
    return Ok();
  }

  // The on-time handovers of a day, all but `keep`, by the guard at the child's batch (one write).
  std::vector<int64_t> HandAll(const Date& day, const std::set<int64_t>& keep) {
    auto present = Present(db_, school_id_, day);
    db_.Write([&](db::Conn& c) {
      int n = 0;
      for (int64_t id : present) {
        if (keep.count(id)) continue;
        auto g = pickup::FirstGuardianOf(c, school_id_, id);
        if (!g) continue;
        const auto& b = batch_of_.count(id) ? batch_of_[id] : batches_.front();
        pickup::RecordPastHandover(c, school_id_, day, id, b.first, *g, guard_.display_name,
                                   LocalInstant(day, b.second + 2 + static_cast<int>(id % 10)), guard_.user_id);
        ++n;
      }
      Json after = {{"date", FormatDate(day)}, {"handovers", n}};
      auth::Audit(c, guard_, {"demo_handovers", "pickup_handover", std::nullopt, nullptr, &after, school_id_});
      out_.handovers += n;
    });
    return present;
  }

  // The closed day: the proxy collects the guardian's child, one child late (escalated, then
  // collected), and the office closes the day.
  Status ClosedDay() {
    const Date day = *closed_day_;
    auto present = Present(db_, school_id_, day);
    std::optional<int64_t> late;
    for (int64_t id : present)
      if (!IsGuardianChild(id)) late = id;
    std::set<int64_t> keep{child_g_};
    if (late) keep.insert(*late);
    HandAll(day, keep);
    if (std::find(present.begin(), present.end(), child_g_) != present.end()) {
      auto& b = batch_of_[child_g_];
      auth::Principal g = guard_;
      auto h = pickup::Handover(db_, g, std::nullopt,
                                {{"student_id", child_g_}, {"adult_kind", "proxy"}, {"adult_id", valid_proxy_}},
                                LocalInstant(day, b.second + 4));
      if (!h.ok()) return Failed("代接", h.error());
      ++out_.handovers;
    }
    if (late) {
      const int64_t end = pickup::BatchEndMs(day, batch_of_[*late].second);
      out_.escalations = pickup::EscalateLate(db_, end + pickup::kLateOfficeMinutes * 60'000 + 60'000);
      auto h = pickup::Handover(
          db_, guard_, std::nullopt,
          {{"student_id", *late},
           {"adult_kind", "guardian"},
           {"adult_id", db_.Read([&](db::Conn& c) { return pickup::FirstGuardianOf(c, school_id_, *late)->id; })}},
          end + 25 * 60'000);
      if (!h.ok()) return Failed("迟接", h.error());
      ++out_.handovers;
    }
    auto closed = pickup::CloseDay(db_, office_, std::nullopt, {{"date", FormatDate(day)}}, LocalInstant(day, 19 * 60));
    if (!closed.ok()) return Failed("日终关账", closed.error());
    out_.closed_days = 1;
    out_.closed_day = FormatDate(day);
    return Ok();
  }

  // The last day: everybody collected but one child (not the guardian's): the day stays open.
  void OpenDay() {
    auto present = Present(db_, school_id_, *open_day_);
    std::set<int64_t> keep;
    for (int64_t id : present)
      if (!IsGuardianChild(id)) {
        keep.insert(id);
        break;
      }
    HandAll(*open_day_, keep);
    out_.open_day = FormatDate(*open_day_);
  }

  // Today: two children collected by their guardians, two more announced at the gate.
  Status Today() {
    auto present = Present(db_, school_id_, today_);
    int n = 0;
    for (int64_t id : present) {
      if (IsGuardianChild(id)) continue;
      auto g = db_.Read([&](db::Conn& c) { return pickup::FirstGuardianOf(c, school_id_, id); });
      if (!g) continue;
      if (n < 2) {
        auto h = pickup::Handover(db_, guard_, std::nullopt,
                                  {{"student_id", id}, {"adult_kind", "guardian"}, {"adult_id", g->id}}, now_ms_);
        if (!h.ok()) return Failed("今日交接", h.error());
        ++out_.handovers;
      } else if (n < 4) {
        auto p = db_.Read([&](db::Conn& c) { return GuardianOf(c, g->id); });
        auto a = pickup::Arrive(db_, p, {{"student_id", id}}, now_ms_);
        if (!a.ok()) return Failed("到校", a.error());
        ++out_.queued;
      } else {
        break;
      }
      ++n;
    }
    return Ok();
  }

  db::Db& db_;
  const int64_t school_id_, now_ms_;
  const Date today_;
  DemoPickup out_;
  auth::Principal office_, guard_, guardian_;
  std::vector<int64_t> guardian_children_;
  int64_t child_g_ = 0;
  std::vector<std::pair<int64_t, int>> batches_;  // (id, leave minutes)
  std::map<int64_t, std::pair<int64_t, int>> batch_of_;
  std::optional<Date> open_day_, closed_day_;
  Json valid_proxy_;
};

}  // namespace

Result<DemoPickup> CreateDemoPickup(db::Db& db, int64_t school_id, int64_t now_ms) {
  return PickupDemo(db, school_id, now_ms).Run();
}

}  // namespace kehou::demo
