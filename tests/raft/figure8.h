// The scenario of the Raft paper's Figure 8 (§5.4.2), step by step, on a 5-node cluster.
// Shared by the regression test (production core: nothing committed is ever lost) and
// the planted-bug test (a core that commits earlier-term entries by counting replicas:
// the invariant checker must catch it).
#pragma once

#include "raft/testing/cluster.h"

namespace raft::test {

inline void figure8_config(Config& c) {
  c.pre_vote = false;       // elections are started by hand; keep them simple
  c.check_quorum = false;
  c.max_entries_per_msg = 1;  // so the test can hold back individual entries
}

/// Removes entries at or above `index` from an AppendRequest (the follower sees a
/// shorter message, as if the leader had sent less).
inline bool strip_entries_from(Message& m, std::uint64_t index) {
  if (auto* a = std::get_if<AppendRequest>(&m.body)) {
    std::erase_if(a->entries, [&](const Entry& e) { return e.index.value() >= index; });
  }
  return false;
}

/// Runs Figure 8 (a)-(d). Returns S1's commit index at the end of step (c), when the
/// term-1 entry at index 2 sits on a majority but no term-3 entry does.
inline Index run_figure8(testing::Cluster& c) {
  const NodeId s1{1}, s5{5};
  // (a) S1 leads term 1; entry 2 ("x") reaches only S2.
  c.elect(s1);
  c.partition({s1, NodeId{2}});
  c.propose(s1, "x");
  c.deliver_all();
  c.heal();
  // (b) S1 crashes; S5 wins term 2 with S3 and S4 and appends its no-op at index 2,
  // which reaches nobody.
  c.crash(s1);
  c.set_filter([&](Message& m) { return m.from == s5 && strip_entries_from(m, 1); });
  c.elect(s5);
  // (c) S5 crashes; S1 restarts and wins term 3, and replicates its term-1 entry 2 to a
  // majority, while its own term-3 no-op (index 3) reaches nobody.
  c.crash(s5);
  c.restart(s1);
  c.set_filter([](Message& m) { return strip_entries_from(m, 3); });
  for (int i = 0; i < 3 && !c.node(s1).is_leader(); ++i) c.elect(s1);
  c.deliver_all();
  const Index commit_at_c = c.node(s1).log().committed();
  // (d) S1 crashes; S5 restarts and, with the most up-to-date last term (2), wins and
  // overwrites index 2 everywhere.
  c.crash(s1);
  c.restart(s5);
  c.set_filter({});
  for (int i = 0; i < 4 && !c.node(s5).is_leader(); ++i) c.elect(s5);
  c.deliver_all();
  return commit_at_c;
}

}  // namespace raft::test
