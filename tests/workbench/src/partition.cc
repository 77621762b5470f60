#include "tests/workbench/src/partition.h"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

namespace workbench {
namespace {

using Nodes = std::vector<std::string>;

std::size_t majority(std::size_t n) { return n / 2 + 1; }

Grudge one(const Nodes& nodes, Rng& rng) {
  const std::string loner = rng.pick(nodes);
  Nodes rest;
  for (const auto& n : nodes)
    if (n != loner) rest.push_back(n);
  return complete_grudge({{loner}, rest});
}

Grudge split_at(Nodes shuffled, std::size_t k) {
  Nodes first(shuffled.begin(), shuffled.begin() + static_cast<long>(k));
  Nodes second(shuffled.begin() + static_cast<long>(k), shuffled.end());
  return complete_grudge({first, second});
}

// Exact ring for small clusters: node i of a shuffled ring keeps the window of `majority`
// consecutive nodes centred on it and drops everyone else.
Grudge ring_perfect(Nodes nodes, Rng& rng) {
  rng.shuffle(nodes);
  const std::size_t n = nodes.size(), m = majority(n);
  Grudge g;
  for (std::size_t i = 0; i < n; ++i) {
    std::set<std::string> window;
    for (std::size_t j = 0; j < m; ++j) window.insert(nodes[(i + j) % n]);
    auto& dropped = g[nodes[(i + m / 2) % n]];
    for (const auto& x : nodes)
      if (!window.count(x)) dropped.insert(x);
  }
  return g;
}

// Larger clusters: repeatedly link a least-connected node to another least-connected node it
// is not yet linked to, until every node sees a majority (itself included); then drop the rest.
Grudge ring_stochastic(const Nodes& nodes, Rng& rng) {
  const std::size_t m = majority(nodes.size());
  std::map<std::string, std::set<std::string>> conns;
  for (const auto& n : nodes) conns[n] = {n};
  while (true) {
    std::vector<std::pair<std::size_t, std::string>> order;
    std::map<std::size_t, Nodes> by_degree;
    for (const auto& [n, c] : conns) by_degree[c.size()].push_back(n);
    for (auto& [deg, group] : by_degree) {
      rng.shuffle(group);
      for (const auto& n : group) order.emplace_back(deg, n);
    }
    const auto& [a_deg, a] = order.front();
    if (a_deg >= m) break;
    for (const auto& [b_deg, b] : order) {
      if (conns[a].count(b)) continue;
      conns[a].insert(b);
      conns[b].insert(a);
      break;
    }
  }
  Grudge g;
  for (const auto& n : nodes) {
    auto& dropped = g[n];
    for (const auto& x : nodes)
      if (!conns[n].count(x)) dropped.insert(x);
  }
  return g;
}

}  // namespace

const std::vector<PartitionShape>& all_partition_shapes() {
  static const std::vector<PartitionShape> shapes = {PartitionShape::One, PartitionShape::MinorityThird,
                                                     PartitionShape::Majority, PartitionShape::MajoritiesRing};
  return shapes;
}

std::string to_string(PartitionShape s) {
  switch (s) {
    case PartitionShape::One: return "one";
    case PartitionShape::MinorityThird: return "minority-third";
    case PartitionShape::Majority: return "majority";
    case PartitionShape::MajoritiesRing: return "majorities-ring";
  }
  return "?";
}

Grudge complete_grudge(const std::vector<std::vector<std::string>>& components) {
  std::set<std::string> universe;
  for (const auto& c : components) universe.insert(c.begin(), c.end());
  Grudge g;
  for (const auto& c : components) {
    const std::set<std::string> mine(c.begin(), c.end());
    for (const auto& n : c) {
      auto& dropped = g[n];
      for (const auto& x : universe)
        if (!mine.count(x)) dropped.insert(x);
    }
  }
  return g;
}

Grudge make_grudge(PartitionShape shape, const std::vector<std::string>& nodes, Rng& rng) {
  if (nodes.empty()) return {};
  switch (shape) {
    case PartitionShape::One: return one(nodes, rng);
    case PartitionShape::Majority: {
      Nodes s = nodes;
      rng.shuffle(s);
      return split_at(s, s.size() / 2);
    }
    case PartitionShape::MinorityThird: {
      Nodes s = nodes;
      rng.shuffle(s);
      return split_at(s, (s.size() - 1) / 3);
    }
    case PartitionShape::MajoritiesRing:
      return nodes.size() <= 5 ? ring_perfect(nodes, rng) : ring_stochastic(nodes, rng);
  }
  return {};
}

std::string grudge_to_edn(const Grudge& g) {
  std::string out = "{";
  bool first = true;
  for (const auto& [dest, srcs] : g) {
    if (!first) out += ", ";
    first = false;
    out += nlohmann::json(dest).dump() + " #{";
    bool f2 = true;
    for (const auto& s : srcs) {
      if (!f2) out += " ";
      f2 = false;
      out += nlohmann::json(s).dump();
    }
    out += "}";
  }
  return out + "}";
}

}  // namespace workbench
