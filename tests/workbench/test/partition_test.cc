#include <gtest/gtest.h>

#include "tests/workbench/src/partition.h"

namespace workbench {
namespace {

std::vector<std::string> nodes(int n) {
  std::vector<std::string> v;
  for (int i = 0; i < n; ++i) v.push_back("n" + std::to_string(i));
  return v;
}

// How many nodes (itself included) each node still hears from.
std::map<std::string, std::size_t> hears(const Grudge& g, int n) {
  std::map<std::string, std::size_t> out;
  for (const auto& name : nodes(n)) {
    auto it = g.find(name);
    out[name] = static_cast<std::size_t>(n) - (it == g.end() ? 0 : it->second.size());
  }
  return out;
}

TEST(Partition, CompleteGrudgeCutsBothWays) {
  Grudge g = complete_grudge({{"a"}, {"b", "c"}});
  EXPECT_EQ(g["a"], (std::set<std::string>{"b", "c"}));
  EXPECT_EQ(g["b"], (std::set<std::string>{"a"}));
  EXPECT_EQ(g["c"], (std::set<std::string>{"a"}));
  EXPECT_EQ(grudge_to_edn(g), R"({"a" #{"b" "c"}, "b" #{"a"}, "c" #{"a"}})");
}

TEST(Partition, ShapesOverManySeeds) {
  for (int n : {1, 2, 3, 4, 5, 6, 7, 9}) {
    for (std::uint64_t seed = 0; seed < 50; ++seed) {
      Rng rng(seed);
      const std::size_t maj = static_cast<std::size_t>(n / 2 + 1);
      auto one = hears(make_grudge(PartitionShape::One, nodes(n), rng), n);
      std::size_t alone = 0;
      for (auto& [k, v] : one) alone += v == 1;
      EXPECT_EQ(alone, n == 2 ? 2u : 1u) << n;

      auto half = hears(make_grudge(PartitionShape::Majority, nodes(n), rng), n);
      std::size_t in_small = 0;
      for (auto& [k, v] : half) in_small += v == static_cast<std::size_t>(n / 2);
      if (n % 2 == 1) {
        EXPECT_EQ(in_small, static_cast<std::size_t>(n / 2)) << n;
      }

      auto third = hears(make_grudge(PartitionShape::MinorityThird, nodes(n), rng), n);
      std::size_t cut = 0;
      for (auto& [k, v] : third) cut += v < static_cast<std::size_t>(n);
      const std::size_t k = static_cast<std::size_t>((n - 1) / 3);
      EXPECT_EQ(cut, k == 0 ? 0u : static_cast<std::size_t>(n)) << n;  // both sides lose someone

      const Grudge ring = make_grudge(PartitionShape::MajoritiesRing, nodes(n), rng);
      for (auto& [node, count] : hears(ring, n)) EXPECT_GE(count, maj) << n << " " << node;
      if (n == 3 || n == 5) {
        // The exact ring: every node drops someone and no two see the same majority; with 3
        // nodes the cuts are one-directional (a drops b, b drops c, c drops a).
        bool asymmetric = false;
        std::set<std::set<std::string>> seen;
        for (const auto& [a, dropped] : ring) {
          EXPECT_FALSE(dropped.empty());
          seen.insert(dropped);
          for (const auto& b : dropped) asymmetric = asymmetric || !ring.at(b).count(a);
        }
        EXPECT_EQ(seen.size(), static_cast<std::size_t>(n));
        EXPECT_EQ(asymmetric, n == 3);
      }
    }
  }
}

TEST(Partition, SameSeedSameGrudge) {
  for (auto shape : all_partition_shapes()) {
    Rng a(42), b(42);
    EXPECT_EQ(make_grudge(shape, nodes(7), a), make_grudge(shape, nodes(7), b)) << to_string(shape);
  }
}

}  // namespace
}  // namespace workbench
