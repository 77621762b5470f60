#include "raft/testing/invariants.h"

#include <cstdint>

#include <algorithm>
#include <limits>
#include <sstream>

namespace raft::testing {

namespace {
std::string describe(const Entry& e) {
  std::ostringstream os;
  os << "(index " << e.index << ", term " << e.term << ", " << e.data.size() << " bytes)";
  return os.str();
}
bool same_entry(const Entry& a, const Entry& b) {
  return a.index == b.index && a.term == b.term && a.type == b.type && a.data == b.data;
}
}  // namespace

void InvariantChecker::violation(std::string what) {
  // Keep the first ones: later violations are usually consequences.
  if (violations_.size() < 50) violations_.push_back(std::move(what));
}

std::string InvariantChecker::report() const {
  std::string out;
  for (const std::string& v : violations_) out += v + "\n";
  return out;
}

void InvariantChecker::observe(const Raft& node) {
  Seen& seen = seen_[node.id()];
  check_election_safety(node);
  check_monotonic(node, seen);
  record_committed(node, seen);
  check_leader_completeness(node, seen);
  check_configuration(node);
}

// Thesis §4.1: the configuration in effect is the latest one in the log, committed or
// not. The node names the entry it took it from; that entry must hold exactly it, and no
// configuration entry may follow it in the uncommitted suffix. (Configurations between
// it and the commit index are not searched: sound, if not complete, and cheap.)
void InvariantChecker::check_configuration(const Raft& node) {
  // Runs after every event of every node: nothing is built unless something is wrong.
  const RaftLog& log = node.log();
  const Index at = node.configuration_index();
  const auto who = [&] { return "Configuration: node " + std::to_string(node.id().value()); };
  const Index first = log.first_index();
  const Index last = log.last_index();
  if (at >= first && at <= last) {
    const Entry e = log.entry_at(at);
    auto decoded = decode_conf_state(e.data.view());
    if (e.type != EntryType::kConfig || !decoded || *decoded != node.configuration()) {
      violation(who() + " uses " + node.configuration().describe() +
                ", not the configuration of entry " + std::to_string(at.value()));
      return;
    }
  }
  const Index from = std::max({at.next(), log.committed().next(), first});
  for (Index i = from; i <= last; i = i.next()) {
    if (log.type_at(i) == EntryType::kConfig) {  // no copy of the entry
      violation(who() + " uses the configuration of entry " + std::to_string(at.value()) +
                " although its log holds a later one at " + std::to_string(i.value()) +
                " (a configuration takes effect when appended)");
      return;
    }
  }
}

void InvariantChecker::check_election_safety(const Raft& node) {
  if (!node.is_leader()) return;
  auto [it, inserted] = leader_of_term_.try_emplace(node.term(), node.id());
  if (!inserted && it->second != node.id()) {
    violation("Election Safety: nodes " + std::to_string(it->second.value()) + " and " +
              std::to_string(node.id().value()) + " both led term " +
              std::to_string(node.term().value()));
  }
}

void InvariantChecker::check_monotonic(const Raft& node, Seen& seen) {
  // §7: a snapshot holds committed entries only, so a log starts at most just past the
  // commit index.
  if (node.log().first_index().prev() > node.log().committed()) {
    violation("Compaction: node " + std::to_string(node.id().value()) +
              " compacted its log up to " + std::to_string(node.log().first_index().prev().value()) +
              " past its commit index " + std::to_string(node.log().committed().value()));
  }
  if (node.term() < seen.term) {
    violation("Monotonic term: node " + std::to_string(node.id().value()) +
              " went from term " + std::to_string(seen.term.value()) + " back to " +
              std::to_string(node.term().value()));
  }
  if (node.log().committed() < seen.commit) {
    violation("Monotonic commit: node " + std::to_string(node.id().value()) +
              " went from commit " + std::to_string(seen.commit.value()) + " back to " +
              std::to_string(node.log().committed().value()));
  }
  seen.term = std::max(seen.term, node.term());
}

void InvariantChecker::record_committed(const Raft& node, Seen& seen) {
  // Every entry this node considers committed must equal what the cluster committed at
  // that index; entries beyond the cluster's known committed prefix extend it.
  const Index commit = node.log().committed();
  if (commit <= seen.commit) return;
  // Entries below the log's first index are in its snapshot: check the snapshot's last
  // entry against the cluster's committed log, then read the entries after it.
  const Index covered = node.log().first_index().prev();
  if (covered > seen.commit && covered.value() > 0 && covered.value() <= committed_.size() &&
      node.log().term(covered) != committed_[covered.value() - 1].term) {
    violation("State Machine Safety: node " + std::to_string(node.id().value()) +
              " holds a snapshot ending at " + std::to_string(covered.value()) +
              " whose term differs from the committed entry " +
              describe(committed_[covered.value() - 1]));
  }
  const Index from = std::max(seen.commit.next(), covered.next());
  const std::vector<Entry> newly =
      from > commit ? std::vector<Entry>{}
                    : node.log().entries_from(from, commit.value() - from.value() + 1,
                                              std::numeric_limits<std::size_t>::max());
  for (const Entry& e : newly) {
    const Index i = e.index;
    if (i.value() <= committed_.size()) {
      const Entry& known = committed_[i.value() - 1];
      if (!same_entry(known, e)) {
        violation("State Machine Safety: node " + std::to_string(node.id().value()) +
                  " committed " + describe(e) + " where " + describe(known) +
                  " was committed");
      }
    } else if (i.value() == committed_.size() + 1) {
      committed_.push_back(e);
      commit_term_.push_back(node.term());
    }  // else: past a stretch only a snapshot showed us; not checkable entry by entry
  }
  seen.commit = std::max(seen.commit, commit);
}

void InvariantChecker::check_leader_completeness(const Raft& node, Seen& seen) {
  if (!node.is_leader()) return;
  if (seen.leader_term != node.term()) {
    seen.leader_term = node.term();
    seen.leader_checked = Index{0};
  }
  // A leader never removes entries from its own log during its term, so entries checked
  // once stay checked.
  // Entries its snapshot covers are committed by construction; check from its last one.
  const Index covered = node.log().first_index().prev();
  if (covered > seen.leader_checked.next()) seen.leader_checked = covered.prev();
  for (Index i = seen.leader_checked.next(); i.value() <= committed_.size(); i = i.next()) {
    const Entry& c = committed_[i.value() - 1];
    // A leader of an older term may not have it: the entry was committed after its time.
    const bool must_have = node.term() >= commit_term_[i.value() - 1];
    if (must_have && node.log().term(i) != c.term) {
      violation("Leader Completeness: leader " + std::to_string(node.id().value()) +
                " of term " + std::to_string(node.term().value()) + " lacks committed entry " +
                describe(c));
      break;
    }
    seen.leader_checked = i;
  }
}

void InvariantChecker::observe_applied(NodeId node, const Entry& entry, Term term_bound) {
  Seen& seen = seen_[node];
  if (term_bound.value() > 0 && entry.index.value() == committed_.size() + 1) {
    committed_.push_back(entry);
    commit_term_.push_back(term_bound);
  }
  if (entry.index != seen.applied.next()) {
    violation("Apply order: node " + std::to_string(node.value()) + " applied index " +
              std::to_string(entry.index.value()) + " after " +
              std::to_string(seen.applied.value()));
  }
  seen.applied = entry.index;
  if (entry.index.value() == 0) return;  // reported as an apply-order violation above
  const std::size_t slot = entry.index.value() - 1;
  if (slot >= applied_.size()) applied_.resize(slot + 1);  // a gap is reported above
  const Entry& first = applied_[slot];
  if (first.index.value() == 0) {
    applied_[slot] = entry;
  } else if (!same_entry(first, entry)) {
    violation("State Machine Safety: node " + std::to_string(node.value()) + " applied " +
              describe(entry) + " where another node applied " + describe(first));
  }
}

void InvariantChecker::observe_snapshot(NodeId node, const SnapshotMeta& meta) {
  Seen& seen = seen_[node];
  if (meta.index < seen.applied) {
    violation("Apply order: node " + std::to_string(node.value()) +
              " restored a snapshot ending at " + std::to_string(meta.index.value()) +
              " after applying up to " + std::to_string(seen.applied.value()));
  }
  if (meta.index.value() > 0 && meta.index.value() <= committed_.size() &&
      committed_[meta.index.value() - 1].term != meta.term) {
    violation("State Machine Safety: node " + std::to_string(node.value()) +
              " restored a snapshot ending at (index " + std::to_string(meta.index.value()) +
              ", term " + std::to_string(meta.term.value()) + ") where " +
              describe(committed_[meta.index.value() - 1]) + " was committed");
  }
  seen.applied = meta.index;
}

void InvariantChecker::observe_restart(NodeId node, Index from) {
  Seen& seen = seen_[node];
  // The commit index is a hint a restarted node may have to relearn (a durable log writes
  // a commit-only change with its next record): it may come back lower, never the term.
  // Committed entries are then checked again from the start as the node re-commits them.
  seen.commit = Index{0};
  seen.applied = from;
  seen.leader_term = Term{0};
  seen.leader_checked = Index{0};
}

void InvariantChecker::check_log_matching(std::span<const Raft* const> nodes) {
  // Each log read once, in bulk (entry_at would copy one entry per call), from its first
  // index (what snapshots compacted away is no longer there to compare).
  std::vector<std::vector<Entry>> logs;
  logs.reserve(nodes.size());
  for (const Raft* n : nodes) {
    logs.push_back(n->log().entries_from(n->log().first_index(),
                                         std::numeric_limits<std::size_t>::max(),
                                         std::numeric_limits<std::size_t>::max()));
  }
  auto at = [&](std::size_t x, std::uint64_t index) -> const Entry* {
    const std::vector<Entry>& l = logs[x];
    if (l.empty() || index < l.front().index.value() || index > l.back().index.value()) {
      return nullptr;
    }
    return &l[index - l.front().index.value()];
  };
  for (std::size_t a = 0; a < nodes.size(); ++a) {
    for (std::size_t b = a + 1; b < nodes.size(); ++b) {
      if (logs[a].empty() || logs[b].empty()) continue;
      const std::uint64_t lo =
          std::max(logs[a].front().index.value(), logs[b].front().index.value());
      // Find the highest index where both logs hold the same term; everything from the
      // overlap's start up to it must be identical.
      std::uint64_t i = std::min(logs[a].back().index.value(), logs[b].back().index.value());
      while (i >= lo && at(a, i)->term != at(b, i)->term) --i;
      for (std::uint64_t j = i; j >= lo && j > 0; --j) {
        if (!same_entry(*at(a, j), *at(b, j))) {
          violation("Log Matching: nodes " + std::to_string(nodes[a]->id().value()) + " and " +
                    std::to_string(nodes[b]->id().value()) + " agree at index " +
                    std::to_string(i) + " but differ at " + std::to_string(j));
          break;
        }
      }
    }
  }
}

}  // namespace raft::testing
