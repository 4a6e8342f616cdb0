// bench_allocate: `make bench-allocate`. A synthetic county (100 schools x 2,000 children, 10
// weekly slots, ranked lists of 5 drawn with Zipf-like popularity so popular sections are
// oversubscribed, ~8% priority-group children, one course per child). In one run it measures:
//   1. Kehou's allocation (kehou::allocate::Allocate) per school, on 1 thread and on all cores;
//   2. random serial dictatorship (a plain lottery);
//   3. an independent exact optimum: GLPK's simplex on each school's LP, tier after tier
//      (max priority placed; fix; max placed; fix; min rank cost). The constraint matrix is
//      totally unimodular and each fixed tier is a face of an integral polytope, so the LP optima
//      are the integer optima; values are checked to be integral.
// Human lines first, the last line is JSON.
// Usage: kehou_bench_allocate [--schools N] [--children N] [--no-reference] [--threads N]
#include <glpk.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "allocate/allocate.h"

namespace ka = kehou::allocate;

namespace {

struct Config {
  int schools = 100;
  int children = 2000;
  int sections = 60;
  int threads = 0;  // 0 = hardware_concurrency
  bool reference = true;
};

ka::Input MakeSchool(int school, const Config& cfg) {
  std::mt19937_64 rng(0x6b65686f75ull * 1000003ull + static_cast<uint64_t>(school));
  auto U = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  ka::Input in;
  const int64_t base = static_cast<int64_t>(school) * 100000;
  for (int s = 0; s < cfg.sections; ++s) {
    ka::Section sec;
    sec.id = base + s + 1;
    sec.capacity = U(25, ka::kMaxSectionSize);
    const int kind = U(0, 9);
    sec.grades = kind < 4   ? std::vector<int>{1, 2, 3, 4, 5, 6}
                 : kind < 7 ? std::vector<int>{1, 2, 3}
                            : std::vector<int>{4, 5, 6};
    const int slot = U(0, 9);  // 10 slots: 5 weekdays x 2 bands
    sec.slots = {ka::Slot{1 + slot / 2, slot % 2}};
    in.sections.push_back(sec);
  }
  // Zipf-like popularity over a random order of the sections.
  std::vector<int> order(static_cast<size_t>(cfg.sections));
  for (int s = 0; s < cfg.sections; ++s) order[static_cast<size_t>(s)] = s;
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<double> weight(static_cast<size_t>(cfg.sections));
  for (int i = 0; i < cfg.sections; ++i)
    weight[static_cast<size_t>(order[static_cast<size_t>(i)])] = 1.0 / std::pow(i + 1.0, 0.9);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int c = 0; c < cfg.children; ++c) {
    ka::Child ch;
    ch.id = base + 50000 + c;
    ch.grade = 1 + c % 6;
    ch.priority_groups = unit(rng) < 0.08 ? static_cast<uint8_t>(1u << U(0, 2)) : 0;
    std::vector<int> elig;
    double total = 0;
    for (int s = 0; s < cfg.sections; ++s) {
      const auto& g = in.sections[static_cast<size_t>(s)].grades;
      if (std::find(g.begin(), g.end(), ch.grade) != g.end()) {
        elig.push_back(s);
        total += weight[static_cast<size_t>(s)];
      }
    }
    while (ch.ranked.size() < 5 && ch.ranked.size() < elig.size()) {
      double x = unit(rng) * total;
      size_t k = 0;
      while (k + 1 < elig.size() && x >= weight[static_cast<size_t>(elig[k])])
        x -= weight[static_cast<size_t>(elig[k++])];
      const int64_t id = in.sections[static_cast<size_t>(elig[k])].id;
      if (std::find(ch.ranked.begin(), ch.ranked.end(), id) == ch.ranked.end()) ch.ranked.push_back(id);
    }
    in.children.push_back(std::move(ch));
  }
  return in;
}

ka::Seed SchoolSeed(int school) {
  ka::Seed s{};
  for (size_t i = 0; i < s.size(); ++i)
    s[i] = static_cast<unsigned char>((school * 131 + static_cast<int>(i) * 17) & 0xff);
  return s;
}

double CpuNow() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double Now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// Runs f(school) for every school on `threads` threads; returns wall seconds.
template <class F>
double RunAll(int schools, int threads, F f) {
  std::atomic<int> next{0};
  const double t0 = Now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (int s; (s = next.fetch_add(1)) < schools;) f(s);
    });
  }
  for (auto& th : pool) th.join();
  return Now() - t0;
}

// The independent exact reference: GLPK simplex, tier after tier. Returns tiers (L = 1).
struct Ref {
  int64_t priority_placed = 0, placed = 0, rank_cost = 0;
  bool integral = true;
};

Ref GlpkOptimum(const ka::Input& in) {
  const std::vector<int64_t> cost = ka::RankCostTable(in.options);
  glp_prob* lp = glp_create_prob();
  const int m = static_cast<int>(in.sections.size());
  const int n = static_cast<int>(in.children.size());
  glp_add_rows(lp, m + n);
  for (int s = 0; s < m; ++s) glp_set_row_bnds(lp, s + 1, GLP_UP, 0.0, in.sections[static_cast<size_t>(s)].capacity);
  for (int c = 0; c < n; ++c) glp_set_row_bnds(lp, m + c + 1, GLP_UP, 0.0, 1.0);
  struct Var {
    int child;
    int rank;
  };
  std::vector<Var> vars;
  std::vector<int> ia{0}, ja{0};
  std::vector<double> ar{0};
  for (int c = 0; c < n; ++c) {
    const ka::Child& ch = in.children[static_cast<size_t>(c)];
    for (size_t r = 0; r < ch.ranked.size(); ++r) {
      for (int s = 0; s < m; ++s) {
        const ka::Section& sec = in.sections[static_cast<size_t>(s)];
        if (sec.id != ch.ranked[r]) continue;
        if (std::find(sec.grades.begin(), sec.grades.end(), ch.grade) == sec.grades.end()) continue;
        vars.push_back(Var{c, static_cast<int>(r) + 1});
        const int col = static_cast<int>(vars.size());
        ia.push_back(s + 1), ja.push_back(col), ar.push_back(1.0);
        ia.push_back(m + c + 1), ja.push_back(col), ar.push_back(1.0);
      }
    }
  }
  const int cols = static_cast<int>(vars.size());
  glp_add_cols(lp, cols);
  for (int j = 1; j <= cols; ++j) glp_set_col_bnds(lp, j, GLP_DB, 0.0, 1.0);
  glp_load_matrix(lp, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());
  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  Ref ref;
  auto tier = [&](int t) -> double {  // 0: priority placed (max), 1: placed (max), 2: rank cost (min)
    glp_set_obj_dir(lp, t == 2 ? GLP_MIN : GLP_MAX);
    for (int j = 1; j <= cols; ++j) {
      const Var& v = vars[static_cast<size_t>(j - 1)];
      double coef = 0;
      if (t == 0) coef = in.children[static_cast<size_t>(v.child)].priority_groups ? 1.0 : 0.0;
      if (t == 1) coef = 1.0;
      if (t == 2) coef = static_cast<double>(cost[static_cast<size_t>(v.rank - 1)]);
      glp_set_obj_coef(lp, j, coef);
    }
    glp_simplex(lp, &parm);
    const double z = glp_get_obj_val(lp);
    for (int j = 1; j <= cols; ++j) {
      const double x = glp_get_col_prim(lp, j);
      if (std::fabs(x - std::round(x)) > 1e-6) ref.integral = false;
    }
    if (t < 2) {  // fix this tier at its optimum before the next
      const int row = glp_add_rows(lp, 1);
      std::vector<int> ind{0};
      std::vector<double> val{0};
      for (int j = 1; j <= cols; ++j) {
        const Var& v = vars[static_cast<size_t>(j - 1)];
        if (t == 1 || in.children[static_cast<size_t>(v.child)].priority_groups) ind.push_back(j), val.push_back(1.0);
      }
      glp_set_mat_row(lp, row, static_cast<int>(ind.size()) - 1, ind.data(), val.data());
      glp_set_row_bnds(lp, row, GLP_FX, std::round(z), std::round(z));
    }
    return z;
  };
  ref.priority_placed = std::llround(tier(0));
  ref.placed = std::llround(tier(1));
  ref.rank_cost = std::llround(tier(2));
  glp_delete_prob(lp);
  return ref;
}

struct Totals {
  int64_t students = 0, placed = 0, first = 0, priority = 0, priority_placed = 0, rank_cost = 0, moves = 0;
  void Add(const ka::Input& in, const ka::Allocation& a) {
    students += static_cast<int64_t>(in.children.size());
    for (const ka::Child& c : in.children) priority += c.priority_groups ? 1 : 0;
    placed += a.tiers.placed;
    priority_placed += a.tiers.priority_placed;
    rank_cost += a.tiers.rank_cost;
    moves += a.lottery_moves;
    for (const ka::Placement& p : a.placements) first += p.rank == 1 ? 1 : 0;
  }
};

double Share(int64_t a, int64_t b) { return b ? static_cast<double>(a) / static_cast<double>(b) : 0.0; }

}  // namespace

int main(int argc, char** argv) {
  Config cfg;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--schools" && i + 1 < argc) cfg.schools = std::atoi(argv[++i]);
    else if (a == "--children" && i + 1 < argc) cfg.children = std::atoi(argv[++i]);
    else if (a == "--threads" && i + 1 < argc) cfg.threads = std::atoi(argv[++i]);
    else if (a == "--no-reference") cfg.reference = false;
    else {
      std::fprintf(stderr, "usage: %s [--schools N] [--children N] [--threads N] [--no-reference]\n", argv[0]);
      return 2;
    }
  }
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int threads = cfg.threads > 0 ? cfg.threads : cores;
  const auto S = static_cast<size_t>(cfg.schools);

  std::vector<ka::Input> county(S);
  std::vector<ka::Seed> seeds(S);
  for (size_t s = 0; s < S; ++s) {
    county[s] = MakeSchool(static_cast<int>(s), cfg);
    seeds[s] = SchoolSeed(static_cast<int>(s));
  }
  int64_t seats = 0, oversub = 0, sections = 0;
  for (const auto& in : county) {
    std::vector<int> first(in.sections.size(), 0);
    for (const auto& c : in.children) {
      for (size_t k = 0; k < in.sections.size(); ++k)
        if (!c.ranked.empty() && in.sections[k].id == c.ranked[0]) ++first[k];
    }
    for (size_t k = 0; k < in.sections.size(); ++k) {
      seats += in.sections[k].capacity;
      oversub += first[k] > in.sections[k].capacity ? 1 : 0;
      ++sections;
    }
  }
  std::printf(
      "county: %d schools x %d children = %d students, %lld sections, %lld seats (%.2f per child), "
      "%lld sections oversubscribed by 1st choices alone\n",
      cfg.schools, cfg.children, cfg.schools * cfg.children, static_cast<long long>(sections),
      static_cast<long long>(seats), static_cast<double>(seats) / (cfg.schools * cfg.children),
      static_cast<long long>(oversub));

  // 1. Kehou, one thread, then all cores.
  std::vector<ka::Allocation> kehou(S);
  std::atomic<int> failures{0};
  auto solve = [&](int s) {
    auto a = ka::Allocate(county[static_cast<size_t>(s)], seeds[static_cast<size_t>(s)]);
    if (!a) {
      std::fprintf(stderr, "school %d: %s\n", s, a.error().message_en.c_str());
      ++failures;
      return;
    }
    kehou[static_cast<size_t>(s)] = std::move(*a);
  };
  const double c0 = CpuNow();
  const double t1 = RunAll(cfg.schools, 1, solve);
  const double cpu1 = CpuNow() - c0;
  std::vector<ka::Allocation> first_run = kehou;
  const double tn = RunAll(cfg.schools, threads, solve);
  if (failures) return 1;
  int nondeterministic = 0;
  for (size_t s = 0; s < S; ++s) nondeterministic += first_run[s].placements == kehou[s].placements ? 0 : 1;
  first_run.clear();
  Totals kt;
  int infeasible = 0, sequential = 0;
  for (size_t s = 0; s < S; ++s) {
    kt.Add(county[s], kehou[s]);
    if (!ka::CheckFeasible(county[s], kehou[s].placements)) ++infeasible;
    sequential += kehou[s].sequential ? 1 : 0;
  }
  std::printf(
      "kehou:  %.3f s on 1 thread (%.3f s CPU), %.3f s on %d threads; placed %.4f, first choice %.4f, priority placed "
      "%.4f, lottery moves %lld, infeasible schools %d, sequential-tier schools %d, "
      "schools differing between the 1-thread and %d-thread runs %d\n",
      t1, cpu1, tn, threads, Share(kt.placed, kt.students), Share(kt.first, kt.students),
      Share(kt.priority_placed, kt.priority), static_cast<long long>(kt.moves), infeasible, sequential, threads,
      nondeterministic);

  // 2. Random serial dictatorship.
  std::vector<ka::Allocation> rsd(S);
  const double tr = RunAll(cfg.schools, 1, [&](int s) {
    rsd[static_cast<size_t>(s)] =
        *ka::RandomSerialDictatorship(county[static_cast<size_t>(s)], seeds[static_cast<size_t>(s)]);
  });
  Totals rt;
  for (size_t s = 0; s < S; ++s) rt.Add(county[s], rsd[s]);
  std::printf("rsd:    %.3f s on 1 thread; placed %.4f, first choice %.4f, priority placed %.4f\n", tr,
              Share(rt.placed, rt.students), Share(rt.first, rt.students), Share(rt.priority_placed, rt.priority));

  // 3. Independent exact optimum (GLPK), tier by tier, per school.
  double gap = 0, tref = 0;
  int64_t gap_p = 0, gap_n = 0, gap_r = 0, mismatched = 0, ref_p = 0, ref_n = 0, ref_r = 0;
  bool integral = true;
  if (cfg.reference) {
    std::vector<Ref> refs(S);
    tref = RunAll(cfg.schools, threads, [&](int s) {  // GLPK 5 keeps its state thread-local
      refs[static_cast<size_t>(s)] = GlpkOptimum(county[static_cast<size_t>(s)]);
    });
    for (size_t s = 0; s < S; ++s) {
      const Ref& r = refs[s];
      integral = integral && r.integral;
      const ka::Tiers& k = kehou[s].tiers;
      gap_p += r.priority_placed - k.priority_placed;
      gap_n += r.placed - k.placed;
      gap_r += k.rank_cost - r.rank_cost;
      ref_p += r.priority_placed, ref_n += r.placed, ref_r += r.rank_cost;
      if (r.priority_placed != k.priority_placed || r.placed != k.placed || r.rank_cost != k.rank_cost) ++mismatched;
    }
    // Relative gap of the first tier that differs (0 when every school matches on every tier).
    if (gap_p) gap = Share(gap_p, ref_p);
    else if (gap_n) gap = Share(gap_n, ref_n);
    else if (gap_r) gap = Share(gap_r, ref_r);
    std::printf(
        "glpk:   %.3f s on %d threads; optimum priority placed %lld, placed %lld, rank cost %lld; integral %s; "
        "gaps (opt - kehou) priority %lld, placed %lld, rank cost %lld; schools differing %lld\n",
        tref, threads, static_cast<long long>(ref_p), static_cast<long long>(ref_n), static_cast<long long>(ref_r),
        integral ? "yes" : "NO", static_cast<long long>(gap_p), static_cast<long long>(gap_n),
        static_cast<long long>(-gap_r), static_cast<long long>(mismatched));
  }
  std::printf(
      "{\"bench\":\"allocate\",\"students\":%lld,\"seconds\":%.4f,\"first_choice_share\":%.4f,"
      "\"placed_share\":%.4f,\"welfare_gap_to_optimum\":%.6g,\"rsd_first_choice_share\":%.4f,"
      "\"rsd_placed_share\":%.4f,\"seconds_1_thread\":%.4f,\"cpu_seconds_1_thread\":%.4f,\"threads\":%d,\"cores\":%d,"
      "\"priority_placed_share\":%.4f,\"rsd_priority_placed_share\":%.4f,\"rsd_seconds\":%.4f,"
      "\"gap_priority_placed\":%lld,\"gap_placed\":%lld,\"gap_rank_cost\":%lld,\"schools_differing\":%lld,"
      "\"reference\":\"%s\",\"reference_seconds\":%.3f,\"infeasible_schools\":%d}\n",
      static_cast<long long>(kt.students), tn, Share(kt.first, kt.students), Share(kt.placed, kt.students), gap,
      Share(rt.first, rt.students), Share(rt.placed, rt.students), t1, cpu1, threads, cores,
      Share(kt.priority_placed, kt.priority), Share(rt.priority_placed, rt.priority), tr, static_cast<long long>(gap_p),
      static_cast<long long>(gap_n), static_cast<long long>(gap_r), static_cast<long long>(mismatched),
      cfg.reference ? (integral ? "glpk_simplex" : "glpk_simplex_NONINTEGRAL") : "none", tref, infeasible);
  return infeasible == 0 && nondeterministic == 0 && gap == 0 ? 0 : 1;
}
