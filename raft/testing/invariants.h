// An invariant checker for Raft's safety properties (§5.2-§5.4, Figure 3), usable by every
// test, the in-test cluster and the simulator. It watches nodes from the outside through
// the core's read-only observers and remembers what it has seen, so it catches a
// violation at the first observation that exposes it.
//
//   Election Safety      at most one leader per term.
//   Log Matching         two logs with an entry of the same index and term agree on every
//                        entry up to it (check_log_matching: pairwise, on demand).
//   Leader Completeness  an entry committed anywhere is in the log of every leader of a
//                        later term. (Checked for leaders of terms >= the term of the
//                        first node seen with the entry committed: sound, if not complete.)
//   State Machine Safety no two nodes apply different entries at one index; every node
//                        applies in index order without gaps.
//   Monotonicity         a node's term never goes back, across crashes too (it is
//                        persisted before anything depends on it); its commit index never
//                        goes back while it runs (after a restart it restarts from the
//                        persisted hint, which may be older).
//   Configuration        a node uses the latest configuration in its log (thesis §4.1).
#pragma once

#include <map>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "raft/raft.h"

namespace raft::testing {

class InvariantChecker {
 public:
  /// Look at a node's current state (after it processed its Ready).
  void observe(const Raft& node);
  /// A node applied this entry to its state machine. With `term_bound` (a term at or
  /// after the one the entry was committed in: the applying node's term) the entry also
  /// extends the cluster's committed log -- needed when logs are compacted right after
  /// applying, before the node is observed.
  void observe_applied(NodeId node, const Entry& entry, Term term_bound = Term{});
  /// A node restarted from storage: it will apply again from its snapshot's index
  /// (`from`, 0 without one), and its volatile commit index restarts from the persisted one.
  void observe_restart(NodeId node, Index from = Index{});
  /// A node restored its state machine from a snapshot (received from the leader): it
  /// must cover only committed entries and never go back behind what the node applied.
  void observe_snapshot(NodeId node, const SnapshotMeta& meta);
  /// Pairwise Log Matching over the given nodes' whole logs. O(nodes² × log length).
  void check_log_matching(std::span<const Raft* const> nodes);

  [[nodiscard]] bool ok() const { return violations_.empty(); }
  [[nodiscard]] const std::vector<std::string>& violations() const { return violations_; }
  /// All violations, one per line (for test failure messages).
  [[nodiscard]] std::string report() const;

 private:
  struct Seen {
    Term term;
    Index commit;
    Index applied;               // last index applied since the last restart
    Index leader_checked;        // leader completeness checked up to here, in leader_term
    Term leader_term;
  };
  void violation(std::string what);
  void check_election_safety(const Raft& node);
  void check_monotonic(const Raft& node, Seen& seen);
  void record_committed(const Raft& node, Seen& seen);
  void check_leader_completeness(const Raft& node, Seen& seen);
  void check_configuration(const Raft& node);

  std::unordered_map<NodeId, Seen> seen_;
  std::map<Term, NodeId> leader_of_term_;
  /// The cluster's committed log: committed_[i] has index i+1. commit_term_[i] is the
  /// term of the first node seen holding it committed -- an upper bound on the term in
  /// which it was committed (exact when that node is the leader that committed it).
  std::vector<Entry> committed_;
  std::vector<Term> commit_term_;
  /// The first entry anyone applied at each index: applied_[i] has index i+1 (an entry
  /// with index 0 marks a slot no node has applied yet).
  std::vector<Entry> applied_;
  std::vector<std::string> violations_;
};

}  // namespace raft::testing
