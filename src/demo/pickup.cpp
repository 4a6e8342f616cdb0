#include "demo/pickup.h"

#include <nlohmann/json.hpp>
#include <set>

#include "access/principal.h"
#include "attendance/present.h"
#include "attendance/service.h"
#include "attendance/store.h"
#include "auth/audit.h"
#include "core/time.h"
#include "enroll/store.h"
#include "pickup/rules.h"
#include "pickup/service.h"
#include "pickup/store.h"

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

auth::Principal Staff(db::Conn& c, int64_t school_id, const char* login, auth::Role role) {
  auth::Principal p;
  if (auto u = c.QueryOne("SELECT id, display_name, staff_id FROM users WHERE login = $1 AND school_id = $2",
                          {std::string(login), school_id})) {
    p.user_id = u->Int(0);
    p.display_name = u->Text(1);
    p.staff_id = u->OptInt(2);
  }
  p.login = login;
  p.role = role;
  p.school_id = school_id;
  p.scope = auth::Scope::kSchool;
  p.client = "kehou demo";
  return p;
}

auth::Principal GuardianOf(db::Conn& c, int64_t guardian_id) {
  auth::Principal p;
  if (auto u = c.QueryOne("SELECT id, display_name FROM users WHERE guardian_id = $1", {guardian_id})) {
    p.user_id = u->Int(0);
    p.display_name = u->Text(1);
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
  auto sessions = db.Read([&](db::Conn& c) { return attendance::store::SessionsOn(c, school_id, day); });
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

}  // namespace

Result<DemoPickup> CreateDemoPickup(db::Db& db, int64_t school_id, int64_t now_ms) {
  DemoPickup out;
  const Date today = LocalDate(now_ms);
  auth::Principal office, guard, guardian;
  std::vector<int64_t> guardian_children;
  std::vector<std::pair<int64_t, int>> batches;  // (id, leave minutes)
  db.Read([&](db::Conn& c) {
    office = Staff(c, school_id, "office", auth::Role::kOfficeDirector);
    guard = Staff(c, school_id, "guard", auth::Role::kGuard);
    // The demo guardian: the first guardian account with a child here (as the attendance demo).
    if (auto g = c.QueryOne("SELECT u.guardian_id FROM users u WHERE u.role = 'guardian' AND EXISTS (SELECT 1 FROM"
                            " student_guardians sg WHERE sg.guardian_id = u.guardian_id AND sg.school_id = $1)"
                            " ORDER BY u.id LIMIT 1",
                            {school_id}))
      guardian = GuardianOf(c, g->Int(0));
    if (guardian.guardian_id)
      for (auto [sid, child] : pickup::store::ChildrenOfGuardian(c, *guardian.guardian_id))
        if (sid == school_id) guardian_children.push_back(child);
    for (const auto& b : enroll::store::BatchesOf(c, school_id, false))
      batches.emplace_back(b.id, ParseTimeOfDay(b.leave_time).value_or(17 * 60));
  });
  if (!office.user_id || !guard.user_id || guardian_children.empty() || batches.empty())
    return MakeError(kInternal, "演示学校缺少办公室、门卫、家长账号或放学批次",
                     "the demo school lacks accounts or batches");
  const int64_t child_g = guardian_children.front();

  // The two demo days: the last day with children at school before today (attendance's), and the
  // teaching day before it (called here).
  std::optional<Date> open_day, closed_day;
  for (int back = 1; back <= kLookBackDays && !open_day; ++back)
    if (!Present(db, school_id, AddDays(today, -back)).empty()) open_day = AddDays(today, -back);
  if (!open_day) return out;    // no history to show
  std::optional<Date> any_day;  // preferably a day the guardian's child attends (the proxy collects them)
  for (int back = 1; back <= kLookBackDays && !closed_day; ++back) {
    Date d = AddDays(*open_day, -back);
    auto sessions = db.Read([&](db::Conn& c) { return attendance::store::SessionsOn(c, school_id, d); });
    if (sessions.empty()) continue;
    if (!any_day) any_day = d;
    for (const auto& s : sessions) {
      auto roster = attendance::SessionRoster(db, office, std::nullopt, s.section_id, d, s.band, now_ms);
      if (roster.ok())
        for (const auto& it : (*roster)["items"])
          if (it["student_id"] == child_g) closed_day = d;
    }
  }
  if (!closed_day) closed_day = any_day;
  if (closed_day) {
    if (auto st = CallAll(db, office, school_id, *closed_day); !st.ok()) return st.error();
  }

  // Every child at school on the demo days gets a default batch (the guardians' choice).
  std::set<int64_t> children;
  for (const auto& d : {std::optional<Date>(today), open_day, closed_day})
    if (d)
      for (int64_t id : Present(db, school_id, *d)) children.insert(id);
  children.insert(guardian_children.begin(), guardian_children.end());
  std::map<int64_t, std::pair<int64_t, int>> batch_of;
  db.Write([&](db::Conn& c) {
    for (int64_t id : children) {
      const auto& b = batches[static_cast<size_t>(id) % batches.size()];
      batch_of[id] = b;
      pickup::store::PutBatchChoice(c, school_id, id, "", b.first, guardian.user_id, now_ms);
    }
    Json after = {{"children", children.size()}};
    auth::Audit(c, office, {"demo_batch_choices", "pickup_batch", std::nullopt, nullptr, &after, school_id});
  });

  // Proxies of the demo guardian's first child: one valid, one expired two days ago; cards for all.
  const Json form = {{"name", "代接授权书.pdf"}, {"type", "application/pdf"}, {"data", kFormPdf}};
  auto valid = pickup::CreateProxy(db, guardian, std::nullopt,
                                   {{"student_id", child_g},
                                    {"name", "李秀兰"},
                                    {"relation", "外婆"},
                                    {"id_last4", "4821"},
                                    {"mobile", "13912345678"},
                                    {"valid_from", FormatDate(AddDays(today, -30))},
                                    {"valid_to", FormatDate(AddDays(today, 150))},
                                    {"form", form}},
                                   now_ms - 30 * 86'400'000LL);
  if (!valid.ok()) return Failed("代接人", valid.error());
  auto expired = pickup::CreateProxy(db, guardian, std::nullopt,
                                     {{"student_id", child_g},
                                      {"name", "赵建国"},
                                      {"relation", "邻居"},
                                      {"id_last4", "103X"},
                                      {"valid_from", FormatDate(AddDays(today, -60))},
                                      {"valid_to", FormatDate(AddDays(today, -2))},
                                      {"form", form}},
                                     now_ms - 60 * 86'400'000LL);
  if (!expired.ok()) return Failed("代接人（已过期）", expired.error());
  out.proxies = 2;
  out.cards = 2;
  for (int64_t child : guardian_children) {
    auto card = pickup::IssueCard(
        db, guardian, std::nullopt,
        {{"student_id", child}, {"adult_kind", "guardian"}, {"adult_id", *guardian.guardian_id}}, now_ms);
    if (!card.ok()) return Failed("接送卡", card.error());
    ++out.cards;
  }

  // The on-time handovers of a day, all but `keep`, by the guard at the child's batch (one write).
  auto hand_all = [&](const Date& day, const std::set<int64_t>& keep) {
    auto present = Present(db, school_id, day);
    db.Write([&](db::Conn& c) {
      int n = 0;
      for (int64_t id : present) {
        if (keep.count(id)) continue;
        auto gs = pickup::store::GuardiansOf(c, school_id, id);
        if (gs.empty()) continue;
        const auto& b = batch_of.count(id) ? batch_of[id] : batches.front();
        pickup::store::Handover h;
        h.student_id = id;
        h.batch_id = b.first;
        h.adult_kind = "guardian";
        h.adult_id = gs.front().id;
        h.adult_name = gs.front().name;
        h.relation = gs.front().relation;
        h.by_name = guard.display_name;
        h.at = LocalInstant(day, b.second + 2 + static_cast<int>(id % 10));
        pickup::store::InsertHandover(c, school_id, FormatDate(day), h, std::nullopt, guard.user_id);
        ++n;
      }
      Json after = {{"date", FormatDate(day)}, {"handovers", n}};
      auth::Audit(c, guard, {"demo_handovers", "pickup_handover", std::nullopt, nullptr, &after, school_id});
      out.handovers += n;
    });
    return present;
  };

  if (closed_day) {  // the closed day: the proxy collects the guardian's child, one child late
    auto present = Present(db, school_id, *closed_day);
    std::optional<int64_t> late;
    for (int64_t id : present)
      if (std::find(guardian_children.begin(), guardian_children.end(), id) == guardian_children.end()) late = id;
    std::set<int64_t> keep{child_g};
    if (late) keep.insert(*late);
    hand_all(*closed_day, keep);
    if (std::find(present.begin(), present.end(), child_g) != present.end()) {
      auto& b = batch_of[child_g];
      auth::Principal g = guard;
      auto h = pickup::Handover(db, g, std::nullopt,
                                {{"student_id", child_g}, {"adult_kind", "proxy"}, {"adult_id", (*valid)["id"]}},
                                LocalInstant(*closed_day, b.second + 4));
      if (!h.ok()) return Failed("代接", h.error());
      ++out.handovers;
    }
    if (late) {
      const int64_t end = pickup::BatchEndMs(*closed_day, batch_of[*late].second);
      out.escalations = pickup::EscalateLate(db, end + pickup::kLateOfficeMinutes * 60'000 + 60'000);
      auto h = pickup::Handover(db, guard, std::nullopt,
                                {{"student_id", *late},
                                 {"adult_kind", "guardian"},
                                 {"adult_id", db.Read([&](db::Conn& c) {
                                    return pickup::store::GuardiansOf(c, school_id, *late).front().id;
                                  })}},
                                end + 25 * 60'000);
      if (!h.ok()) return Failed("迟接", h.error());
      ++out.handovers;
    }
    auto closed = pickup::CloseDay(db, office, std::nullopt, {{"date", FormatDate(*closed_day)}},
                                   LocalInstant(*closed_day, 19 * 60));
    if (!closed.ok()) return Failed("日终关账", closed.error());
    out.closed_days = 1;
    out.closed_day = FormatDate(*closed_day);
  }

  {  // the last day: everybody collected but one child (not the guardian's): the day stays open
    auto present = Present(db, school_id, *open_day);
    std::set<int64_t> keep;
    for (int64_t id : present)
      if (std::find(guardian_children.begin(), guardian_children.end(), id) == guardian_children.end()) {
        keep.insert(id);
        break;
      }
    hand_all(*open_day, keep);
    out.open_day = FormatDate(*open_day);
  }

  // Today: two children collected by their guardians, two more announced at the gate.
  auto present = Present(db, school_id, today);
  int n = 0;
  for (int64_t id : present) {
    if (std::find(guardian_children.begin(), guardian_children.end(), id) != guardian_children.end()) continue;
    auto gs = db.Read([&](db::Conn& c) { return pickup::store::GuardiansOf(c, school_id, id); });
    if (gs.empty()) continue;
    if (n < 2) {
      auto h = pickup::Handover(db, guard, std::nullopt,
                                {{"student_id", id}, {"adult_kind", "guardian"}, {"adult_id", gs.front().id}}, now_ms);
      if (!h.ok()) return Failed("今日交接", h.error());
      ++out.handovers;
    } else if (n < 4) {
      auto p = db.Read([&](db::Conn& c) { return GuardianOf(c, gs.front().id); });
      auto a = pickup::Arrive(db, p, {{"student_id", id}}, now_ms);
      if (!a.ok()) return Failed("到校", a.error());
      ++out.queued;
    } else {
      break;
    }
    ++n;
  }
  return out;
}

}  // namespace kehou::demo
