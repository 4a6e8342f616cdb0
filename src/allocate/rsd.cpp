// rsd.cpp: random serial dictatorship, the "plain lottery" baseline.
#include "allocate/allocate.h"
#include "allocate/internal.h"

namespace kehou::allocate {

Result<Allocation> RandomSerialDictatorship(const Input& input, const Seed& seed) {
  auto p = internal::Prepare(input, seed);
  if (!p) return p.error();
  std::vector<int> left(input.sections.size());
  for (size_t s = 0; s < left.size(); ++s) left[s] = input.sections[s].capacity;
  std::vector<std::vector<int>> held(input.children.size());
  for (int c : p->order) {
    const auto cu = static_cast<size_t>(c);
    const auto& opts = p->options[cu];
    for (size_t j = 0; j < opts.size() && static_cast<int>(held[cu].size()) < p->child_L[cu]; ++j) {
      const auto s = static_cast<size_t>(opts[j].section);
      if (left[s] <= 0) continue;
      bool clash = false;
      for (int h : held[cu]) {
        clash = clash || internal::Clash(input.sections[s],
                                         input.sections[static_cast<size_t>(opts[static_cast<size_t>(h)].section)]);
      }
      if (clash) continue;
      --left[s];
      held[cu].push_back(static_cast<int>(j));
    }
  }
  return internal::BuildAllocation(*p, held, seed);
}

}  // namespace kehou::allocate
