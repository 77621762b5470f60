// Maelstrom's partition shapes (Jepsen's nemesis.combined): each start of a partition picks
// one shape at random and turns it into a grudge over the server nodes. Clients and
// services never appear in a grudge, so they are never partitioned.
#pragma once

#include <string>
#include <vector>

#include "tests/workbench/src/network.h"
#include "tests/workbench/src/rng.h"

namespace workbench {

enum class PartitionShape {
  One,            // isolate one random node
  MinorityThird,  // cut off floor((n-1)/3) shuffled nodes (none at all for n <= 3)
  Majority,       // shuffle, split into halves, smaller half first
  MajoritiesRing  // every node sees a majority, each a different one (one-directional cuts)
};

// In Jepsen's order, which is the order the random pick indexes.
const std::vector<PartitionShape>& all_partition_shapes();
std::string to_string(PartitionShape s);

Grudge make_grudge(PartitionShape shape, const std::vector<std::string>& nodes, Rng& rng);

// Every node drops messages from every node outside its own component.
Grudge complete_grudge(const std::vector<std::vector<std::string>>& components);

// Jepsen's rendering, e.g. {"n1" #{"n2" "n3"}, "n2" #{"n1"}, "n3" #{"n1"}}.
std::string grudge_to_edn(const Grudge& g);

}  // namespace workbench
