// Fuzz target: the Raft core in a small cluster, under the invariant checker. The input is a
// script -- each byte pair an action: tick a node, deliver / drop / duplicate one queued
// message (any of them: reordering), propose, read, transfer leadership, crash or restart
// a node, cut or heal a link. Peers are honest (Raft's failure model: no Byzantine messages); the network and the
// schedule are the adversary.
//
// Properties: Election Safety, Log Matching, Leader Completeness, State Machine Safety and
// the persistence rules (raft/testing/invariants.h) after every step; no fail-stop; and at
// the end, once the network heals and every node is up, a leader is elected and commits.
#include <cstdint>
#include <string>

#include <spdlog/spdlog.h>

#include "fuzz_check.h"
#include "raft/testing/cluster.h"

namespace {

using raft::NodeId;

constexpr std::size_t kNodes = 3;

class Script {
 public:
  Script(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  [[nodiscard]] bool done() const { return pos_ >= size_; }
  std::uint8_t next() { return pos_ < size_ ? data_[pos_++] : 0; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

NodeId node_of(std::uint8_t b) { return NodeId{1 + b % kNodes}; }

void step(raft::testing::Cluster& c, std::uint8_t action, std::uint8_t arg) {
  auto& q = c.queue();
  switch (action % 10) {
    case 0:
    case 1: c.tick(node_of(arg)); break;
    case 2:
    case 3:
      if (!q.empty()) c.deliver_at(arg % q.size());
      break;
    case 4:
      if (!q.empty()) q.erase(q.begin() + static_cast<std::ptrdiff_t>(arg % q.size()));
      break;
    case 5:
      if (!q.empty() && q.size() < 4096) q.push_back(q[arg % q.size()]);
      break;
    case 6:
      if (!c.state(node_of(arg)).raft) break;
      if (arg >= 240) {
        c.compact(node_of(arg));  // log compaction (§7): followers may need InstallSnapshot
      } else {
        (void)c.propose(node_of(arg), "v" + std::to_string(arg));
      }
      break;
    case 7:
      if (!c.state(node_of(arg)).raft) break;
      if (arg >= 240) {
        // Leadership transfer (thesis §3.10) from whoever leads to node_of(arg).
        if (const NodeId l = c.leader(); !l.is_none()) {
          (void)c.node(l).transfer_leadership(node_of(arg));
          c.process_ready();
        }
      } else {
        (void)c.node(node_of(arg)).read_index("r" + std::to_string(arg));
        c.process_ready();
      }
      break;
    case 8:
      if (c.state(node_of(arg)).raft) {
        c.crash(node_of(arg));
      } else {
        c.restart(node_of(arg));
      }
      break;
    default:
      if (arg < 128) {
        c.cut(node_of(arg), node_of(arg / kNodes));
      } else {
        c.heal();
      }
      break;
  }
}

std::string describe(raft::testing::Cluster& c) {
  std::string out;
  for (const NodeId id : c.ids()) {
    const raft::Raft& r = c.node(id);
    out += " | n" + std::to_string(id.value()) + " " + raft::role_name(r.role()) + " t" +
           std::to_string(r.term().value()) + " last " + std::to_string(r.log().last_index().value()) +
           " commit " + std::to_string(r.log().committed().value());
    if (const raft::Progress* p = r.progress(NodeId{1 + id.value() % kNodes})) {
      out += " (next peer: match " + std::to_string(p->match().value()) + " " +
             raft::progress_state_name(p->state()) + ")";
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = [] {
    spdlog::set_level(spdlog::level::off);
    return true;
  }();
  (void)quiet;
  if (size > 4096) return 0;  // long scripts only slow the search down
  raft::testing::Cluster c(kNodes, /*seed=*/size);
  Script s(data, size);
  while (!s.done()) {
    const std::uint8_t action = s.next();
    step(c, action, s.next());
    fuzz::check(c.checker().ok(), c.checker().report());
  }
  c.check_log_matching();
  fuzz::check(c.checker().ok(), c.checker().report());
  // Liveness once the faults stop: everyone up, no cuts. Within 40 election timeouts some
  // leader commits an entry of its own term (a leader cut off during the script may first
  // step down by check-quorum, §6.2 of the thesis; that takes an election timeout).
  c.heal();
  for (const NodeId id : c.ids()) {
    if (!c.state(id).raft) c.restart(id);
  }
  if (const NodeId l = c.leader(); !l.is_none()) (void)c.propose(l, "final");
  bool committed_own_term = false;
  for (int round = 0; round < 400 && !committed_own_term; ++round) {
    c.run(1);
    const NodeId l = c.leader();
    if (l.is_none()) continue;
    const raft::RaftLog& log = c.node(l).log();
    committed_own_term = log.term_or_zero(log.committed()) == c.node(l).term();
  }
  fuzz::check(committed_own_term, "no leader committed in its term after healing:" + describe(c));
  c.check_log_matching();
  fuzz::check(c.checker().ok(), c.checker().report());
  return 0;
}
