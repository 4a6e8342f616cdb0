// solve.cpp: the exact optimum. T1..T4 as a min-cost flow (LEMON NetworkSimplex), certified by
// complementary slackness in 128-bit arithmetic; T5 (the lottery) as serial dictatorship over the
// optimal face: zero-reduced-cost residual paths that leave earlier children untouched.
//
// Network: S -> child (first seat: bonus W1*[priority] + W2 + W3; further seats: W3), child ->
// clash class (cap 1, only when L > 1 and two listed sections clash), child or class -> section
// (cap 1, cost rank_cost[r-1]), section -> T (cap = capacity), S -> T bypass (cost 0).
#include <algorithm>
#include <array>
#include <cstdlib>
#include <numeric>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wpedantic"
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>
#pragma GCC diagnostic pop

#include "allocate/internal.h"

namespace kehou::allocate::internal {
namespace {

__extension__ typedef __int128 i128;

struct Net {
  int S = 0, T = 0;
  std::vector<int> owner;  // per node: child index or -1
  std::vector<int> src, dst;
  std::vector<int64_t> lo, hi, flow;
  std::array<std::vector<int64_t>, 4> tier;  // per-tier cost coefficient of each arc (minimised)
  std::vector<int8_t> rc;                    // sign of the final stage's reduced cost
  std::vector<int> first_arc, extra_arc;     // per child (-1: none)
  std::vector<std::vector<int>> class_arc;   // per child, per class
  std::vector<std::vector<int>> assign_arc;  // per child, per option
  std::vector<int> section_node;
  int64_t supply = 0;

  void Clear(size_t children) {
    owner.clear();
    src.clear(), dst.clear(), lo.clear(), hi.clear(), flow.clear(), rc.clear();
    for (auto& t : tier) t.clear();
    first_arc.assign(children, -1);
    extra_arc.assign(children, -1);
    class_arc.resize(children);
    assign_arc.resize(children);
    for (size_t c = 0; c < children; ++c) class_arc[c].clear(), assign_arc[c].clear();
    section_node.clear();
    supply = 0;
  }
  int AddNode(int who) {
    owner.push_back(who);
    return static_cast<int>(owner.size()) - 1;
  }
  int AddArc(int u, int v, int64_t cap, int64_t t1 = 0, int64_t t2 = 0, int64_t t3 = 0, int64_t t4 = 0) {
    src.push_back(u);
    dst.push_back(v);
    lo.push_back(0);
    hi.push_back(cap);
    flow.push_back(0);
    tier[0].push_back(t1);
    tier[1].push_back(t2);
    tier[2].push_back(t3);
    tier[3].push_back(t4);
    return static_cast<int>(src.size()) - 1;
  }
  size_t arcs() const { return src.size(); }
  size_t nodes() const { return owner.size(); }
};

Error Internal(const std::string& what) {
  return MakeError(kInternal, "分配求解内部错误：" + what, "allocation solver failure: " + what);
}

using Graph = lemon::SmartDigraph;
using Simplex = lemon::NetworkSimplex<Graph, int64_t, int64_t>;

// LEMON reads parameters through maps; these read our vectors by arc / node id (ids are the
// insertion order of a SmartDigraph, which is our index order).
struct ArcVec {
  using Key = Graph::Arc;
  using Value = int64_t;
  const std::vector<int64_t>* v;
  Value operator[](const Key& a) const { return (*v)[static_cast<size_t>(Graph::id(a))]; }
};
struct NodeSupply {
  using Key = Graph::Node;
  using Value = int64_t;
  int S, T;
  int64_t supply;
  Value operator[](const Key& n) const {
    const int id = Graph::id(n);
    return id == S ? supply : id == T ? -supply : 0;
  }
};

// Per-thread buffers reused across rounds: a county allocates school after school without
// returning memory to the system between them.
struct Solver {
  Graph g;
  Simplex ns{g};
  std::vector<int64_t> pot, excess, cost;

  void Load(const Net& net) {
    g.clear();
    g.reserveNode(static_cast<int>(net.nodes()));
    g.reserveArc(static_cast<int>(net.arcs()));
    for (size_t v = 0; v < net.nodes(); ++v) g.addNode();
    for (size_t a = 0; a < net.arcs(); ++a) g.addArc(Graph::nodeFromId(net.src[a]), Graph::nodeFromId(net.dst[a]));
    ns.reset();
  }

  // One min-cost flow solve with the given costs; fills flow and reduced-cost signs; certifies
  // optimality by complementary slackness with the dual potentials.
  Status Stage(Net& net, const std::vector<int64_t>& c) {
    ns.resetParams();
    ns.lowerMap(ArcVec{&net.lo})
        .upperMap(ArcVec{&net.hi})
        .costMap(ArcVec{&c})
        .supplyMap(NodeSupply{net.S, net.T, net.supply});
    if (ns.run(Simplex::BLOCK_SEARCH) != Simplex::OPTIMAL) return Internal("no optimal flow");
    pot.resize(net.nodes());
    for (size_t v = 0; v < net.nodes(); ++v) pot[v] = ns.potential(Graph::nodeFromId(static_cast<int>(v)));
    net.rc.assign(net.arcs(), 0);
    excess.assign(net.nodes(), 0);
    for (size_t a = 0; a < net.arcs(); ++a) {
      const int64_t f = ns.flow(Graph::arcFromId(static_cast<int>(a)));
      net.flow[a] = f;
      excess[static_cast<size_t>(net.src[a])] -= f;
      excess[static_cast<size_t>(net.dst[a])] += f;
      if (f < net.lo[a] || f > net.hi[a]) return Internal("flow outside bounds");
      const i128 rc =
          static_cast<i128>(c[a]) + pot[static_cast<size_t>(net.src[a])] - pot[static_cast<size_t>(net.dst[a])];
      if ((f < net.hi[a] && rc < 0) || (f > net.lo[a] && rc > 0)) return Internal("optimality certificate failed");
      net.rc[a] = static_cast<int8_t>(rc > 0 ? 1 : rc < 0 ? -1 : 0);
    }
    for (size_t v = 0; v < net.nodes(); ++v) {
      const int64_t want = static_cast<int>(v) == net.S ? -net.supply : static_cast<int>(v) == net.T ? net.supply : 0;
      if (excess[v] != want) return Internal("flow not conserved");
    }
    return Ok();
  }
};

// T5: serial dictatorship over the optimal face.
class LotteryWalk {
 public:
  // Prepares for a new round on `net`; buffers are kept between rounds.
  void Reset(const Prepared& p, Net& net) {
    p_ = &p;
    net_ = &net;
    const size_t n = net.nodes();
    start_.assign(n + 1, 0);
    for (size_t a = 0; a < net.arcs(); ++a) {
      ++start_[static_cast<size_t>(net.src[a]) + 1];
      ++start_[static_cast<size_t>(net.dst[a]) + 1];
    }
    for (size_t v = 0; v < n; ++v) start_[v + 1] += start_[v];
    adj_.resize(start_[n]);
    fill_.assign(start_.begin(), start_.end() - 1);
    for (size_t a = 0; a < net.arcs(); ++a) {
      adj_[fill_[static_cast<size_t>(net.src[a])]++] = static_cast<int>(a) << 1;        // forward
      adj_[fill_[static_cast<size_t>(net.dst[a])]++] = (static_cast<int>(a) << 1) | 1;  // backward
    }
    stamp_.assign(n, 0);
    gen_ = 0;
    parent_.assign(n, -1);
    excess_.assign(n, 0);
    fixed_.assign(p.options.size(), 0);
  }

  int Run() {
    int moves = 0;
    for (int c : p_->order) {
      current_ = c;
      if (!p_->options[static_cast<size_t>(c)].empty()) moves += Improve(c) ? 1 : 0;
      fixed_[static_cast<size_t>(c)] = 1;
    }
    return moves;
  }

 private:
  bool Fwd(size_t a) const { return net_->rc[a] == 0 && net_->flow[a] < net_->hi[a]; }
  bool Bwd(size_t a) const { return net_->rc[a] == 0 && net_->flow[a] > net_->lo[a]; }
  bool Blocked(int v) const {
    const int o = net_->owner[static_cast<size_t>(v)];
    return o >= 0 && (o == current_ || fixed_[static_cast<size_t>(o)]);
  }

  // True when option set a (sorted indices; index order = rank order) is better for the child:
  // more sections, then lexicographically better ranks.
  static bool Better(const std::vector<int>& a, const std::vector<int>& b) {
    if (a.size() != b.size()) return a.size() > b.size();
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
  }

  bool Improve(int c) {
    const auto cu = static_cast<size_t>(c);
    const auto& opts = p_->options[cu];
    const auto& aa = net_->assign_arc[cu];
    held_.clear();
    for (size_t i = 0; i < aa.size(); ++i)
      if (net_->flow[static_cast<size_t>(aa[i])] > 0) held_.push_back(static_cast<int>(i));
    if (p_->child_L[cu] == 1) {  // candidates: each better-ranked option alone, best first
      const int limit = held_.empty() ? static_cast<int>(opts.size()) : held_[0];
      for (int j = 0; j < limit; ++j) {
        // Cheap necessary condition: the arc to the option must lie on the optimal face.
        if (!Fwd(static_cast<size_t>(aa[static_cast<size_t>(j)]))) continue;
        set_.assign(1, j);
        if (TryMove(c, set_)) return true;
      }
      return false;
    }
    cands_.clear();
    const int m = static_cast<int>(opts.size());
    for (uint32_t mask = 1; mask < (1u << m); ++mask) {
      set_.clear();
      uint32_t classes = 0;
      bool ok = true;
      for (int j = 0; j < m && ok; ++j) {
        if (!(mask & (1u << j))) continue;
        const int cls = opts[static_cast<size_t>(j)].cls;
        if (cls >= 0) {
          ok = !(classes & (1u << cls));
          classes |= 1u << cls;
        }
        set_.push_back(j);
      }
      if (ok && static_cast<int>(set_.size()) <= p_->child_L[cu] && Better(set_, held_)) cands_.push_back(set_);
    }
    std::sort(cands_.begin(), cands_.end(), Better);
    for (const auto& set : cands_) {
      if (TryMove(c, set)) return true;
    }
    return false;
  }

  void Change(size_t a, int64_t d) {
    net_->flow[a] += d;
    excess_[static_cast<size_t>(net_->src[a])] -= d;
    excess_[static_cast<size_t>(net_->dst[a])] += d;
    log_.emplace_back(a, d);
  }

  void Rollback() {
    for (auto it = log_.rbegin(); it != log_.rend(); ++it) {
      net_->flow[it->first] -= it->second;
      excess_[static_cast<size_t>(net_->src[it->first])] += it->second;
      excess_[static_cast<size_t>(net_->dst[it->first])] -= it->second;
    }
    log_.clear();
  }

  // Can child c hold exactly `set` while T1..T4 stay optimal and earlier children keep theirs?
  // If so the flow is changed accordingly. The child's own arcs move to the new set (each change
  // must lie on the optimal face: zero reduced cost, within bounds); the imbalance this leaves at
  // sections and at S is repaired by unit augmentations along zero-reduced-cost residual paths
  // that avoid the child and every child already fixed.
  bool TryMove(int c, const std::vector<int>& set) {
    const auto cu = static_cast<size_t>(c);
    const auto& opts = p_->options[cu];
    want_assign_.assign(opts.size(), 0);
    want_class_.assign(net_->class_arc[cu].size(), 0);
    for (int j : set) {
      want_assign_[static_cast<size_t>(j)] = 1;
      const int cls = opts[static_cast<size_t>(j)].cls;
      if (cls >= 0) want_class_[static_cast<size_t>(cls)] = 1;
    }
    const auto n = static_cast<int64_t>(set.size());
    changes_.clear();
    auto want = [&](int a, int64_t f) {
      if (a < 0) return f == 0;
      const auto au = static_cast<size_t>(a);
      if (net_->flow[au] == f) return true;
      if (f < net_->lo[au] || f > net_->hi[au] || net_->rc[au] != 0) return false;
      changes_.emplace_back(au, f);
      return true;
    };
    bool ok =
        want(net_->first_arc[cu], std::min<int64_t>(n, 1)) && want(net_->extra_arc[cu], std::max<int64_t>(n - 1, 0));
    for (size_t k = 0; ok && k < want_class_.size(); ++k) ok = want(net_->class_arc[cu][k], want_class_[k]);
    for (size_t j = 0; ok && j < opts.size(); ++j) ok = want(net_->assign_arc[cu][j], want_assign_[j]);
    if (!ok) return false;
    log_.clear();
    sources_.clear();
    for (auto [a, f] : changes_) Change(a, f - net_->flow[a]);
    for (auto [a, f] : changes_) {
      for (int v : {net_->src[a], net_->dst[a]}) {
        const int64_t e = excess_[static_cast<size_t>(v)];
        if (net_->owner[static_cast<size_t>(v)] == c) {
          if (e != 0) {  // cannot happen: the child's own nodes balance by construction
            Rollback();
            return false;
          }
        } else if (e > 0 && std::find(sources_.begin(), sources_.end(), v) == sources_.end()) {
          sources_.push_back(v);
        }
      }
    }
    while (true) {
      live_.clear();
      for (int v : sources_)
        if (excess_[static_cast<size_t>(v)] > 0) live_.push_back(v);
      if (live_.empty()) break;
      const int end = Bfs(live_);
      if (end < 0) {
        Rollback();
        return false;
      }
      for (int v = end; parent_[static_cast<size_t>(v)] >= 0;) {
        const int e = parent_[static_cast<size_t>(v)];
        const auto a = static_cast<size_t>(e >> 1);
        if (e & 1) {
          Change(a, -1);
          v = net_->dst[a];
        } else {
          Change(a, +1);
          v = net_->src[a];
        }
      }
    }
    log_.clear();  // every excess is back to zero: the total is conserved and no source is left
    return true;
  }

  // Breadth-first search from the sources to any node with negative excess; parent_ holds the
  // entry used to reach each node ((arc << 1) | backward). Returns the node reached or -1.
  int Bfs(const std::vector<int>& from) {
    if (++gen_ == 0) {
      std::fill(stamp_.begin(), stamp_.end(), 0u);
      gen_ = 1;
    }
    queue_.clear();
    for (int v : from) {
      stamp_[static_cast<size_t>(v)] = gen_;
      parent_[static_cast<size_t>(v)] = -1;
      queue_.push_back(v);
    }
    for (size_t qi = 0; qi < queue_.size(); ++qi) {
      const int u = queue_[qi];
      if (excess_[static_cast<size_t>(u)] < 0) return u;
      for (size_t i = start_[static_cast<size_t>(u)]; i < start_[static_cast<size_t>(u) + 1]; ++i) {
        const int e = adj_[i];
        const auto a = static_cast<size_t>(e >> 1);
        int v;
        if (e & 1) {  // u is the head: walk the arc backwards
          if (!Bwd(a)) continue;
          v = net_->src[a];
        } else {
          if (!Fwd(a)) continue;
          v = net_->dst[a];
        }
        if (stamp_[static_cast<size_t>(v)] == gen_ || Blocked(v)) continue;
        stamp_[static_cast<size_t>(v)] = gen_;
        parent_[static_cast<size_t>(v)] = e;
        queue_.push_back(v);
      }
    }
    return -1;
  }

  const Prepared* p_ = nullptr;
  Net* net_ = nullptr;
  std::vector<size_t> start_, fill_;
  std::vector<int> adj_;
  std::vector<uint32_t> stamp_;
  std::vector<int> parent_;
  std::vector<int64_t> excess_;
  std::vector<uint8_t> fixed_;
  std::vector<int> queue_, held_, set_, sources_, live_;
  std::vector<std::vector<int>> cands_;
  std::vector<int64_t> want_assign_, want_class_;
  std::vector<std::pair<size_t, int64_t>> changes_;
  std::vector<std::pair<size_t, int64_t>> log_;
  uint32_t gen_ = 0;
  int current_ = -1;
};

std::array<i128, 4> TierValues(const Net& net) {
  std::array<i128, 4> v{};
  for (size_t t = 0; t < 4; ++t)
    for (size_t a = 0; a < net.arcs(); ++a) v[t] += static_cast<i128>(net.tier[t][a]) * net.flow[a];
  return v;
}

struct Workspace {
  Net net;
  Solver solver;
  LotteryWalk walk;
  std::vector<int64_t> cost, costs;
  std::vector<int> cls_node;
};

// The whole range of the rank tier (T4) and the children with a choice: what the weights of the
// tiers above must exceed.
struct TierRange {
  i128 range4 = 0;
  int64_t children = 0;
};

// The flow network: source -> child (a first seat, then up to cap-1 more) -> clash class ->
// section -> sink, plus a source -> sink arc for the seats left empty.
TierRange BuildNet(const Prepared& p, Workspace& ws) {
  const Input& in = *p.input;
  const size_t n = in.children.size();
  Net& net = ws.net;
  net.Clear(n);
  net.S = net.AddNode(-1);
  net.T = net.AddNode(-1);
  net.section_node.resize(in.sections.size());
  for (size_t s = 0; s < in.sections.size(); ++s) {
    net.section_node[s] = net.AddNode(-1);
    net.AddArc(net.section_node[s], net.T, in.sections[s].capacity);
  }
  // T4 per held seat: its rank cost; without T3 (seats_first false) minus a bonus above every
  // cost, so each seat is worth points(r) = bonus - cost(r) >= 1 (most points wins).
  const int64_t bonus = in.options.seats_first || p.cost.empty() ? 0 : p.cost.back() + 1;
  auto cost4 = [&](const Option& o) { return p.cost[static_cast<size_t>(o.rank - 1)] - bonus; };
  TierRange range;  // range4: largest possible |T4|
  for (size_t c = 0; c < n; ++c) {
    const auto& opts = p.options[c];
    if (opts.empty()) continue;
    ++range.children;
    int slots = 0;  // most sections the child can hold without a clash
    for (const Option& o : opts) slots += o.cls < 0 ? 1 : 0;
    slots += p.classes[c];
    const int64_t cap = std::min(p.child_L[c], slots);
    ws.costs.clear();
    for (const Option& o : opts) ws.costs.push_back(std::abs(cost4(o)));
    std::sort(ws.costs.rbegin(), ws.costs.rend());
    for (int64_t i = 0; i < cap; ++i) range.range4 += ws.costs[static_cast<size_t>(i)];
    const bool prio = in.children[c].priority_groups != 0;
    const int k = net.AddNode(static_cast<int>(c));
    net.first_arc[c] = net.AddArc(net.S, k, 1, prio ? -1 : 0, -1, p.L > 1 ? -1 : 0);
    if (cap > 1) net.extra_arc[c] = net.AddArc(net.S, k, cap - 1, 0, 0, -1);
    ws.cls_node.resize(static_cast<size_t>(p.classes[c]));
    for (auto& cn : ws.cls_node) {
      cn = net.AddNode(static_cast<int>(c));
      net.class_arc[c].push_back(net.AddArc(k, cn, 1));
    }
    for (const Option& o : opts) {
      const int from = o.cls < 0 ? k : ws.cls_node[static_cast<size_t>(o.cls)];
      net.assign_arc[c].push_back(
          net.AddArc(from, net.section_node[static_cast<size_t>(o.section)], 1, 0, 0, 0, cost4(o)));
    }
    net.supply += cap;
  }
  net.AddArc(net.S, net.T, net.supply);
  return range;
}

// The tiers in order: in one solve with lexicographic weights (each larger than the whole range of
// the tiers below it) when they fit in 64 bits, else one solve per tier on the optimal face of the last.
Status SolveTiers(const Prepared& p, const TierRange& range, Workspace& ws, SolveStats* stats) {
  const Input& in = *p.input;
  Net& net = ws.net;
  const bool seats_tier = p.L > 1 && in.options.seats_first;
  const i128 seats = net.supply;
  const i128 w3 = seats_tier ? range.range4 + 1 : 0;
  const i128 w2 = w3 * seats + range.range4 + 1;
  const i128 w1 = w2 * range.children + w3 * seats + range.range4 + 1;
  const i128 arc_max = w1 + w2 + w3;
  const i128 total = arc_max * range.children + w3 * seats + range.range4;
  const bool combined = !in.options.sequential_tiers && arc_max < (i128{1} << 52) && total < (i128{1} << 60);
  if (stats) stats->sequential = !combined;
  ws.solver.Load(net);
  if (combined) {
    ws.cost.resize(net.arcs());
    for (size_t a = 0; a < net.arcs(); ++a) {
      ws.cost[a] =
          static_cast<int64_t>(w1 * net.tier[0][a] + w2 * net.tier[1][a] + w3 * net.tier[2][a] + net.tier[3][a]);
    }
    return ws.solver.Stage(net, ws.cost);
  }
  for (size_t t = 0; t < 4; ++t) {
    if (t == 2 && !seats_tier) continue;  // seats == placed, or ranks before seats
    if (Status st = ws.solver.Stage(net, net.tier[t]); !st) return st.error();
    if (t == 3) break;
    for (size_t a = 0; a < net.arcs(); ++a) {  // restrict to the optimal face of this tier
      if (net.rc[a] > 0) net.hi[a] = net.lo[a];
      if (net.rc[a] < 0) net.lo[a] = net.hi[a];
    }
  }
  return Ok();
}

}  // namespace

Result<std::vector<std::vector<int>>> SolveOptimum(const Prepared& p, SolveStats* stats) {
  thread_local Workspace ws;
  const size_t n = p.input->children.size();
  Net& net = ws.net;
  const TierRange range = BuildNet(p, ws);
  if (Status st = SolveTiers(p, range, ws, stats); !st) return st.error();
  const std::array<i128, 4> optimum = TierValues(net);
  ws.walk.Reset(p, net);
  const int moves = ws.walk.Run();
  if (stats) stats->lottery_moves = moves;
  if (TierValues(net) != optimum) return Internal("lottery step changed the objective");
  std::vector<std::vector<int>> held(n);
  for (size_t c = 0; c < n; ++c)
    for (size_t j = 0; j < net.assign_arc[c].size(); ++j)
      if (net.flow[static_cast<size_t>(net.assign_arc[c][j])] > 0) held[c].push_back(static_cast<int>(j));
  return held;
}

}  // namespace kehou::allocate::internal
