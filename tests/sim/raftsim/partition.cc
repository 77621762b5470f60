#include "raftsim/partition.h"

#include <numeric>
#include <vector>

#include "raftsim/rng.h"

namespace raftsim {

namespace {

std::vector<int> shuffled_nodes(int n, Rng& rng) {
  std::vector<int> nodes(static_cast<std::size_t>(n));
  std::iota(nodes.begin(), nodes.end(), 1);
  rng.shuffle(nodes);
  return nodes;
}

// Cuts every link between the first `k` of `order` and the rest, both ways.
Cuts split(const std::vector<int>& order, std::size_t k) {
  Cuts c;
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = k; j < order.size(); ++j) c.cut_both(order[i], order[j]);
  }
  return c;
}

// Node at ring position p hears only positions p .. p+m-1 (m = a majority). Neighbouring
// windows overlap but differ, so each node sees its own majority, and p hears p+1 while
// p+1 does not hear p: the cuts are one-directional.
Cuts majorities_ring(const std::vector<int>& ring) {
  const std::size_t n = ring.size();
  const std::size_t m = n / 2 + 1;
  Cuts c;
  for (std::size_t p = 0; p < n; ++p) {
    for (std::size_t d = m; d < n; ++d) c.cut(ring[(p + d) % n], ring[p]);
  }
  return c;
}

Cuts asymmetric(int n, Rng& rng) {
  Cuts c;
  for (int a = 1; a <= n; ++a) {
    for (int b = 1; b <= n; ++b) {
      if (a != b && rng.uniform(0, 2) == 0) c.cut(a, b);
    }
  }
  if (c.empty() && n > 1) {
    const int a = static_cast<int>(rng.uniform(1, n));
    c.cut(a, a % n + 1);
  }
  return c;
}

}  // namespace

const char* shape_name(PartitionShape s) {
  switch (s) {
    case PartitionShape::kIsolateOne: return "isolate-one";
    case PartitionShape::kHalves: return "halves";
    case PartitionShape::kMinorityThird: return "minority-third";
    case PartitionShape::kMajoritiesRing: return "majorities-ring";
    case PartitionShape::kAsymmetric: return "asymmetric";
  }
  return "?";
}

std::optional<PartitionShape> parse_shape(std::string_view name) {
  for (PartitionShape s : kAllShapes) {
    if (name == shape_name(s)) return s;
  }
  return std::nullopt;
}

Cuts make_cuts(const Partition& p, int n) {
  Rng rng(p.seed * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(p.shape));
  const std::vector<int> order = shuffled_nodes(n, rng);
  switch (p.shape) {
    case PartitionShape::kIsolateOne: return split(order, 1);
    case PartitionShape::kHalves: return split(order, static_cast<std::size_t>(n / 2));
    case PartitionShape::kMinorityThird:
      return split(order, static_cast<std::size_t>(std::max(0, (n - 1) / 3)));
    case PartitionShape::kMajoritiesRing: return majorities_ring(order);
    case PartitionShape::kAsymmetric: return asymmetric(n, rng);
  }
  return {};
}

std::string Cuts::describe(int n) const {
  if (directed_.empty()) return "no cuts";
  // Group nodes that can talk both ways with someone in the group (union by links).
  std::vector<int> group(static_cast<std::size_t>(n) + 1);
  std::iota(group.begin(), group.end(), 0);
  auto find = [&](int x) {
    while (group[static_cast<std::size_t>(x)] != x) x = group[static_cast<std::size_t>(x)];
    return x;
  };
  for (int a = 1; a <= n; ++a) {
    for (int b = a + 1; b <= n; ++b) {
      if (!blocks(a, b) && !blocks(b, a)) group[static_cast<std::size_t>(find(b))] = find(a);
    }
  }
  // A clean split: every cross-group link is cut both ways and in-group links are open.
  bool clean = true;
  for (int a = 1; a <= n && clean; ++a) {
    for (int b = 1; b <= n && clean; ++b) {
      if (a != b && (find(a) == find(b)) == blocks(a, b)) clean = false;
    }
  }
  std::string out;
  if (clean) {
    for (int root = 1; root <= n; ++root) {
      std::string members;
      for (int x = 1; x <= n; ++x) {
        if (find(x) == root) members += (members.empty() ? "" : ",") + std::to_string(x);
      }
      if (!members.empty()) out += (out.empty() ? "{" : " | {") + members + "}";
    }
    return out;
  }
  for (const auto& [a, b] : directed_) {
    out += (out.empty() ? "" : " ") + std::to_string(a) + "-/->" + std::to_string(b);
  }
  return out;
}

}  // namespace raftsim
