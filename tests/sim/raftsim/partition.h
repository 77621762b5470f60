// Network partitions: which node pairs cannot talk. The shapes are Maelstrom's/Jepsen's
// nemesis shapes plus random asymmetric cuts. A partition is stored as (shape, seed) and
// turned into concrete cuts on demand, so a fault schedule stays small, shrinks well and
// prints the exact groups it cuts.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace raftsim {

enum class PartitionShape {
  kIsolateOne,      // one node cut off from all others, both ways
  kHalves,          // a random minority half and majority half, both ways
  kMinorityThird,   // floor((n-1)/3) nodes cut off from the rest (nothing when n < 4)
  kMajoritiesRing,  // every node hears a different majority; cuts are one-directional
  kAsymmetric,      // each directed link cut with probability 1/3 (at least one)
};

inline constexpr PartitionShape kAllShapes[] = {
    PartitionShape::kIsolateOne, PartitionShape::kHalves, PartitionShape::kMinorityThird,
    PartitionShape::kMajoritiesRing, PartitionShape::kAsymmetric};

const char* shape_name(PartitionShape s);
std::optional<PartitionShape> parse_shape(std::string_view name);

/// One-directional link cuts between nodes 1..n. (a, b) cut: messages a -> b are dropped.
class Cuts {
 public:
  void cut(int from, int to) { directed_.emplace(from, to); }
  void cut_both(int a, int b) {
    cut(a, b);
    cut(b, a);
  }
  [[nodiscard]] bool blocks(int from, int to) const { return directed_.contains({from, to}); }
  [[nodiscard]] bool empty() const { return directed_.empty(); }
  [[nodiscard]] const std::set<std::pair<int, int>>& directed() const { return directed_; }
  /// "{1,3} | {2,4,5}" when the cuts split the nodes into groups that cannot talk at all,
  /// else the list of cut links, "1->3 2->5 ...".
  [[nodiscard]] std::string describe(int n) const;

 private:
  std::set<std::pair<int, int>> directed_;
};

struct Partition {
  PartitionShape shape = PartitionShape::kIsolateOne;
  std::uint64_t seed = 0;  // picks which nodes land where
};

/// The cuts `p` makes in a cluster of nodes 1..n. Deterministic in (p, n).
Cuts make_cuts(const Partition& p, int n);

}  // namespace raftsim
