// Properties of membership changes over random schedules (RapidCheck generates and
// shrinks them; on failure it prints a reproduce string, replay with
//   RC_PARAMS="reproduce=<string>" build/bin/raft_tests --gtest_filter=<test>).
// Random adds, removes, replacements, learner promotions and leadership transfers are
// interleaved with every fault the in-test cluster has (loss, duplication, reordering,
// crashes, partitions, compaction). The invariant checker watches every step: at most one leader
// per term across all configurations, Log Matching, Leader Completeness, State Machine
// Safety. Once faults end and the final configuration's members are up, a leader of it
// commits a new entry that every member applies.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

#include "raft/testing/cluster.h"

namespace raft {
namespace membership_props {

using testing::Cluster;

enum class MOp { kTick, kDeliver, kDeliverShuffled, kDrop, kDuplicate, kPropose, kCrash, kRestart,
                 kIsolate, kHeal, kCompact, kAddVoter, kAddLearner, kPromote, kRemove,
                 kReplace, kTransfer };

struct MStep {
  MOp op;
  std::uint64_t node;   // 1-based
  std::uint64_t other;  // second node (replace: the one removed)
  std::uint64_t count;
};

const char* mop_name(MOp op) {
  static const char* names[] = {"tick",     "deliver",     "deliver-shuffled", "drop",     "duplicate",
                                "propose",  "crash",       "restart",          "isolate",
                                "heal",     "compact",     "add-voter",        "add-learner",
                                "promote",  "remove",      "replace",          "transfer"};
  return names[static_cast<int>(op)];
}

void showValue(const MStep& s, std::ostream& os) {
  os << mop_name(s.op) << "(node " << s.node << ", other " << s.other << ", count " << s.count
     << ")";
}

// Nodes 1..3 start as voters; 4..kPool can be added.
constexpr std::uint64_t kPool = 6;

rc::Gen<MStep> gen_mstep() {
  return rc::gen::build<MStep>(
      rc::gen::set(&MStep::op,
                   rc::gen::weightedElement<MOp>(
                       {{30, MOp::kTick}, {30, MOp::kDeliver}, {6, MOp::kDeliverShuffled},
                        {4, MOp::kDrop}, {3, MOp::kDuplicate}, {10, MOp::kPropose}, {2, MOp::kCrash},
                        {3, MOp::kRestart}, {2, MOp::kIsolate}, {3, MOp::kHeal},
                        {2, MOp::kCompact}, {5, MOp::kAddVoter}, {5, MOp::kAddLearner},
                        {5, MOp::kPromote}, {5, MOp::kRemove}, {4, MOp::kReplace},
                        {4, MOp::kTransfer}})),
      rc::gen::set(&MStep::node, rc::gen::inRange<std::uint64_t>(1, kPool + 1)),
      rc::gen::set(&MStep::other, rc::gen::inRange<std::uint64_t>(1, kPool + 1)),
      rc::gen::set(&MStep::count, rc::gen::inRange<std::uint64_t>(1, 30)));
}

bool started(Cluster& c, NodeId id) {
  const auto all = c.ids();
  return std::find(all.begin(), all.end(), id) != all.end();
}

bool alive(Cluster& c, NodeId id) { return started(c, id) && c.state(id).raft != nullptr; }

// Asks the current leader (if any) for a change; a new machine is started first.
void change(Cluster& c, std::vector<ConfChange> steps) {
  const NodeId l = c.leader();
  if (l.is_none()) return;
  for (const ConfChange& ch : steps) {
    if (!started(c, ch.node)) c.add_node(ch.node);
  }
  (void)c.change(l, ConfChangeRequest{std::move(steps), false});
}

void apply_mstep(Cluster& c, const MStep& s, int& next_cmd) {
  const NodeId id{s.node};
  switch (s.op) {
    case MOp::kTick:
      for (std::uint64_t i = 0; i < s.count % 5 + 1; ++i) c.tick_all();
      break;
    case MOp::kDeliver: c.deliver_all(s.count); break;
    case MOp::kDeliverShuffled:
      c.shuffle_queue();
      c.deliver_all(s.count);
      break;
    case MOp::kDrop:
      for (std::uint64_t i = 0; i < s.count && !c.queue().empty(); ++i) c.queue().pop_front();
      break;
    case MOp::kDuplicate:
      if (!c.queue().empty() && c.queue().size() < 4096) {
        c.queue().push_back(c.queue()[s.count % c.queue().size()]);
      }
      break;
    case MOp::kPropose:
      if (alive(c, id)) (void)c.propose(id, "v" + std::to_string(next_cmd++));
      break;
    case MOp::kCrash:
      if (alive(c, id)) c.crash(id);
      break;
    case MOp::kRestart:
      if (started(c, id) && !alive(c, id)) c.restart(id);
      break;
    case MOp::kIsolate:
      if (started(c, id)) c.isolate(id);
      break;
    case MOp::kHeal: c.heal(); break;
    case MOp::kCompact:
      if (alive(c, id)) c.compact(id);
      break;
    case MOp::kAddVoter: change(c, {{ConfChangeType::kAddVoter, id}}); break;
    case MOp::kAddLearner: change(c, {{ConfChangeType::kAddLearner, id}}); break;
    case MOp::kPromote: change(c, {{ConfChangeType::kPromote, id}}); break;
    case MOp::kRemove: change(c, {{ConfChangeType::kRemove, id}}); break;
    case MOp::kReplace:
      change(c, {{ConfChangeType::kAddVoter, id}, {ConfChangeType::kRemove, NodeId{s.other}}});
      break;
    case MOp::kTransfer:
      if (const NodeId l = c.leader(); !l.is_none()) (void)c.node(l).transfer_leadership(id);
      break;
  }
}

bool applied(Cluster& c, NodeId id, const std::string& data) {
  const auto& a = c.state(id).applied;
  return std::any_of(a.begin(), a.end(), [&](const Entry& e) { return e.data == data; });
}

// Liveness: heal, restart every machine, and run until a leader's configuration is
// settled (committed, not joint); machines outside it are switched off (they left the
// cluster). Then that configuration commits a new entry that all its members apply.
void check_liveness(Cluster& c) {
  c.heal();
  for (NodeId id : c.ids()) {
    if (!c.state(id).raft) c.restart(id);
  }
  bool live = false;
  for (int attempt = 0; attempt < 8 && !live; ++attempt) {
    c.run(40);
    const NodeId l = c.leader();
    if (l.is_none()) continue;
    const Raft& r = c.node(l);
    if (r.configuration().joint() || r.configuration_index() > r.log().committed()) continue;
    const ConfState conf = r.configuration();
    for (NodeId id : c.ids()) {
      if (!conf.is_member(id) && c.state(id).raft) c.crash(id);
    }
    const NodeId l2 = c.wait_for_leader(400);
    if (l2.is_none() || !c.propose(l2, "final").has_value()) continue;
    c.run(30);
    const std::vector<NodeId> members = conf.members();
    // Shows in the test output how many schedules really changed the membership.
    const bool changed = conf.voters != std::vector<NodeId>{NodeId{1}, NodeId{2}, NodeId{3}};
    RC_CLASSIFY(changed || !conf.learners.empty(), "membership changed");
    RC_CLASSIFY(!conf.learners.empty(), "ends with learners");
    live = std::all_of(members.begin(), members.end(),
                       [&](NodeId id) { return applied(c, id, "final"); });
  }
  RC_ASSERT(live);
}

void run_membership_schedule(const std::vector<MStep>& steps, bool pre_vote) {
  Cluster c(3, 42, [&](Config& cfg) {
    cfg.pre_vote = pre_vote;
    cfg.max_snapshot_chunk_bytes = 64;
  });
  // Start from a settled cluster, so that even short schedules change its membership.
  c.elect(NodeId{1});
  int next_cmd = 0;
  for (const MStep& s : steps) {
    apply_mstep(c, s, next_cmd);
    if (!c.checker().ok()) RC_FAIL(c.checker().report());
  }
  c.check_log_matching();
  if (!c.checker().ok()) RC_FAIL(c.checker().report());
  check_liveness(c);
  c.check_log_matching();
  if (!c.checker().ok()) RC_FAIL(c.checker().report());
}

RC_GTEST_PROP(MembershipProperties, NoTwoLeadersPerTermNothingCommittedLostAndLiveAcrossChanges, ()) {
  run_membership_schedule(*rc::gen::container<std::vector<MStep>>(gen_mstep()), true);
}

RC_GTEST_PROP(MembershipProperties, SafeAcrossChangesWithoutPreVote, ()) {
  run_membership_schedule(*rc::gen::container<std::vector<MStep>>(gen_mstep()), false);
}

}  // namespace membership_props
}  // namespace raft
