// take_cache.cpp (select): see take_cache.h.
#include "select/take_cache.h"

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <utility>

namespace kehou::select::take_cache {
namespace {

std::mutex g_mu;
std::map<std::pair<int64_t, int64_t>, Offer> g_offers;
std::unordered_map<int64_t, store::Child> g_children;
std::unordered_map<int64_t, int64_t> g_filled;                       // school -> last fill started
std::unordered_map<int64_t, std::map<int64_t, std::string>> g_held;  // child -> term -> seats
Stats g_stats;

}  // namespace

std::optional<Offer> FindOffer(int64_t round_id, int64_t section_id) {
  std::lock_guard lock(g_mu);
  auto it = g_offers.find({round_id, section_id});
  if (it == g_offers.end()) return std::nullopt;
  return it->second;
}

void PutOffer(int64_t round_id, int64_t section_id, Offer offer) {
  std::lock_guard lock(g_mu);
  if (g_offers.size() >= kMaxEntries) g_offers.clear();
  g_offers[{round_id, section_id}] = std::move(offer);
}

void ForgetOffer(int64_t round_id, int64_t section_id) {
  std::lock_guard lock(g_mu);
  g_offers.erase({round_id, section_id});
}

std::optional<store::Child> FindChild(int64_t student_id) {
  std::lock_guard lock(g_mu);
  auto it = g_children.find(student_id);
  if (it == g_children.end()) return std::nullopt;
  return it->second;
}

void PutChild(const store::Child& child) {
  std::lock_guard lock(g_mu);
  if (g_children.size() >= kMaxEntries) g_children.clear();
  g_children[child.id] = child;
}

void ForgetChild(int64_t student_id) {
  std::lock_guard lock(g_mu);
  g_children.erase(student_id);
}

bool ChildFillDue(int64_t school_id, int64_t now_ms) {
  std::lock_guard lock(g_mu);
  auto it = g_filled.find(school_id);
  if (it != g_filled.end() && now_ms - it->second < kChildFillMs) return false;
  g_filled[school_id] = now_ms;
  return true;
}

void PutChildren(const std::vector<store::Child>& children) {
  std::lock_guard lock(g_mu);
  if (g_children.size() + children.size() >= kMaxEntries) g_children.clear();
  for (const auto& c : children) g_children[c.id] = c;
}

std::string ChildFacts(const store::Child& child) {
  return nlohmann::json::array({child.id, child.school_id, child.grade, child.name}).dump();
}

std::string Held(int64_t student_id, int64_t term) {
  std::lock_guard lock(g_mu);
  auto it = g_held.find(student_id);
  if (it == g_held.end()) return "[]";
  auto t = it->second.find(term);
  return t == it->second.end() ? "[]" : t->second;
}

void PutHeld(int64_t student_id, int64_t term, std::string held_json) {
  std::lock_guard lock(g_mu);
  if (g_held.size() >= kMaxEntries) g_held.clear();
  g_held[student_id][term] = held_json.empty() ? "[]" : std::move(held_json);
}

void ForgetHeld(int64_t student_id) {
  std::lock_guard lock(g_mu);
  g_held.erase(student_id);
}

Stats GetStats() {
  std::lock_guard lock(g_mu);
  return g_stats;
}
void Count(int64_t Stats::*which) {
  std::lock_guard lock(g_mu);
  ++(g_stats.*which);
}

void Clear() {
  std::lock_guard lock(g_mu);
  g_offers.clear();
  g_children.clear();
  g_filled.clear();
  g_held.clear();
  g_stats = {};
}

}  // namespace kehou::select::take_cache
