// Properties over random fault schedules (RapidCheck generates and shrinks them): the
// in-test cluster runs each schedule and the invariant checker watches every step.
// On failure RapidCheck prints the seed and a reproduce string; replay with
//   RC_PARAMS="reproduce=<string>" build/bin/raft_tests --gtest_filter=<test>
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

#include "raft/testing/cluster.h"

namespace raft {
namespace {

using testing::Cluster;

enum class Op { kTick, kDeliver, kDeliverShuffled, kDrop, kPropose, kRead, kCrash,
                kRestart, kIsolate, kHeal, kCompact };

struct Step {
  Op op;
  std::uint64_t node;  // 1-based
  std::uint64_t count;
};

const char* op_name(Op op) {
  static const char* names[] = {"tick",    "deliver", "deliver-shuffled", "drop",
                                "propose", "read",    "crash",            "restart",
                                "isolate", "heal",    "compact"};
  return names[static_cast<int>(op)];
}

// RapidCheck prints failing schedules with this (found by argument-dependent lookup).
void showValue(const Step& s, std::ostream& os) {
  os << op_name(s.op) << "(node " << s.node << ", count " << s.count << ")";
}

rc::Gen<Step> gen_step(std::uint64_t nodes) {
  return rc::gen::build<Step>(
      rc::gen::set(&Step::op,
                   rc::gen::weightedElement<Op>({{30, Op::kTick}, {30, Op::kDeliver},
                                                 {6, Op::kDeliverShuffled}, {4, Op::kDrop},
                                                 {12, Op::kPropose}, {4, Op::kRead},
                                                 {2, Op::kCrash}, {3, Op::kRestart},
                                                 {2, Op::kIsolate}, {3, Op::kHeal},
                                                 {3, Op::kCompact}})),
      rc::gen::set(&Step::node, rc::gen::inRange<std::uint64_t>(1, nodes + 1)),
      rc::gen::set(&Step::count, rc::gen::inRange<std::uint64_t>(1, 30)));
}

void apply(Cluster& c, const Step& s, int& next_cmd) {
  const NodeId id{s.node};
  const bool alive = c.state(id).raft != nullptr;
  switch (s.op) {
    case Op::kTick:
      for (std::uint64_t i = 0; i < s.count % 5 + 1; ++i) c.tick_all();
      break;
    case Op::kDeliver: c.deliver_all(s.count); break;
    case Op::kDeliverShuffled:
      c.shuffle_queue();
      c.deliver_all(s.count);
      break;
    case Op::kDrop:
      for (std::uint64_t i = 0; i < s.count && !c.queue().empty(); ++i) c.queue().pop_front();
      break;
    case Op::kPropose:
      if (alive) c.propose(id, "v" + std::to_string(next_cmd++));
      break;
    case Op::kRead:
      if (alive) (void)c.node(id).read_index("r");
      break;
    case Op::kCrash:
      if (alive) c.crash(id);
      break;
    case Op::kRestart:
      if (!alive) c.restart(id);
      break;
    case Op::kIsolate: c.isolate(id); break;
    case Op::kHeal: c.heal(); break;
    case Op::kCompact:  // log compaction (§7) at the node's applied index
      if (alive) c.compact(id);
      break;
  }
}

void run_schedule(std::uint64_t nodes, const std::vector<Step>& steps, bool pre_vote) {
  Cluster c(nodes, 42, [&](Config& cfg) {
    cfg.pre_vote = pre_vote;
    cfg.max_snapshot_chunk_bytes = 64;  // several chunks per snapshot, to lose and reorder
  });
  int next_cmd = 0;
  for (const Step& s : steps) {
    apply(c, s, next_cmd);
    RC_ASSERT(c.checker().ok());
  }
  c.check_log_matching();
  if (!c.checker().ok()) RC_FAIL(c.checker().report());

  // Liveness once faults stop: restart everyone, heal, and within a bounded number of
  // rounds a leader emerges and a new proposal is applied everywhere. (A leader found at
  // once may still step down: it may not have heard from a quorum lately.)
  c.heal();
  for (NodeId id : c.ids()) {
    if (!c.state(id).raft) c.restart(id);
  }
  auto applied_everywhere = [&](const std::string& data) {
    for (NodeId id : c.ids()) {
      const auto& applied = c.state(id).applied;
      if (std::none_of(applied.begin(), applied.end(),
                       [&](const Entry& e) { return e.data == data; })) {
        return false;
      }
    }
    return true;
  };
  bool live = false;
  for (int attempt = 0; attempt < 5 && !live; ++attempt) {
    const NodeId l = c.wait_for_leader(400);
    if (l.is_none() || !c.propose(l, "final").has_value()) continue;
    c.run(30);
    live = applied_everywhere("final");
  }
  RC_ASSERT(live);
  c.check_log_matching();
  if (!c.checker().ok()) RC_FAIL(c.checker().report());
}

RC_GTEST_PROP(RaftProperties, SafetyInvariantsHoldAndClusterRecoversUnderRandomFaults3, ()) {
  const auto steps = *rc::gen::container<std::vector<Step>>(gen_step(3));
  run_schedule(3, steps, true);
}

RC_GTEST_PROP(RaftProperties, SafetyInvariantsHoldAndClusterRecoversUnderRandomFaults5, ()) {
  const auto steps = *rc::gen::container<std::vector<Step>>(gen_step(5));
  run_schedule(5, steps, true);
}

RC_GTEST_PROP(RaftProperties, SafetyInvariantsHoldWithoutPreVote, ()) {
  const auto steps = *rc::gen::container<std::vector<Step>>(gen_step(3));
  run_schedule(3, steps, false);
}

}  // namespace
}  // namespace raft
