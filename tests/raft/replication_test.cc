// Log replication (§5.3), commitment (§5.4.2, Figure 8), persistence ordering, batching,
// flow control and fast backtracking.
#include <gtest/gtest.h>

#include "figure8.h"
#include "raft/testing/cluster.h"
#include "test_util.h"

namespace raft {
namespace {

using test::bodies_of;
using test::entry;
using test::manual;
using test::msg;
using test::Solo;
using testing::Cluster;


std::vector<std::string> applied_data(Cluster& c, NodeId id) {
  std::vector<std::string> out;
  for (const Entry& e : c.state(id).applied) {
    if (e.type == EntryType::kNormal) out.push_back(e.data.str());
  }
  return out;
}

// §5.3: the leader replicates entries; once on a majority they commit, and every node
// applies the same commands in the same order.
TEST(Replication, CommittedEntriesReachEveryNodeInOrder_5_3) {
  Cluster c(5, 2);
  const NodeId l = c.wait_for_leader();
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(c.propose(l, "cmd" + std::to_string(i)));
  c.deliver_all();
  c.run(2);
  const auto expected = applied_data(c, l);
  ASSERT_EQ(expected.size(), 20u);
  for (NodeId id : c.ids()) EXPECT_EQ(applied_data(c, id), expected) << "node " << id;
  EXPECT_TRUE(c.checker().ok()) << c.checker().report();
}

// §5.4.2/§8: a new leader appends a no-op of its own term.
TEST(Replication, NewLeaderAppendsNoopOfItsTerm_5_4_2) {
  Cluster c(3, 4, manual);
  c.elect(NodeId{2});
  const RaftLog& log = c.node(NodeId{2}).log();
  const Entry last = log.entry_at(log.last_index());
  EXPECT_EQ(last.type, EntryType::kNoop);
  EXPECT_EQ(last.term, c.node(NodeId{2}).term());
  EXPECT_EQ(log.committed(), log.last_index()) << "the no-op commits once replicated";
}

// Regression for Figure 8 (§5.4.2): an entry of an earlier term stored on a majority is
// not committed by counting; then a newer leader overwrites it, and nothing committed is
// ever lost.
TEST(Replication, Figure8EarlierTermEntryOnMajorityIsNotCommitted_5_4_2) {
  Cluster c(5, 8, test::figure8_config);
  const Index commit_at_c = test::run_figure8(c);
  EXPECT_EQ(commit_at_c, Index{1}) << "S1 must not commit its term-1 entry at index 2";
  EXPECT_TRUE(c.node(NodeId{5}).is_leader());
  EXPECT_EQ(c.node(NodeId{2}).log().term(Index{2}), Term{2}) << "S5 overwrote index 2";
  c.check_log_matching();
  EXPECT_TRUE(c.checker().ok()) << c.checker().report();
}

// Regression: append acks leave only after the entries they acknowledge are persisted.
TEST(Replication, AppendAckLeavesOnlyAfterPersisting) {
  Solo s(2);
  s.raft->step(msg(1, 2, 1, AppendRequest{Index{0}, Term{0}, {entry(1, 1, "a")}, Index{0}}));
  Ready rd = s.raft->ready();
  EXPECT_TRUE(bodies_of<AppendResponse>(rd.messages).empty());
  auto acks = bodies_of<AppendResponse>(rd.messages_after_persist);
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_TRUE(acks[0].success);
  EXPECT_EQ(acks[0].index, Index{1});
  ASSERT_EQ(rd.entries.size(), 1u) << "the entry the ack promises is in the same Ready";
  EXPECT_EQ(rd.entries[0].data, "a");
}

// Persist only what must be: a heartbeat ack promises nothing a crash could undo (it only
// says "you are my leader now"), so a ReadIndex confirmation round never waits for a sync.
TEST(Replication, HeartbeatAckLeavesWithoutWaitingForPersist_6_4) {
  Solo s(2);
  // The heartbeat moves the follower to term 3: a hard state to persist in the same Ready.
  s.raft->step(msg(1, 2, 3, HeartbeatRequest{Index{0}, 7}));
  Ready rd = s.raft->ready();
  ASSERT_TRUE(rd.hard_state.has_value());
  EXPECT_TRUE(bodies_of<HeartbeatResponse>(rd.messages_after_persist).empty());
  auto acks = bodies_of<HeartbeatResponse>(rd.messages);
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].read_seq, 7u);
}

// The answer to a stale leader (§5.1: "reject the request" and tell it the newer term)
// promises nothing about our log or vote, so it need not wait for a sync either.
TEST(Replication, AnswerToStaleLeaderLeavesWithoutWaitingForPersist_5_1) {
  Solo s(2);
  s.raft->step(msg(3, 2, 5, AppendRequest{Index{0}, Term{0}, {}, Index{0}}));  // term 5
  s.persist();
  s.raft->step(msg(1, 2, 4, AppendRequest{Index{0}, Term{0}, {entry(1, 4, "x")}, Index{0}}));
  Ready rd = s.raft->ready();
  EXPECT_TRUE(bodies_of<AppendResponse>(rd.messages_after_persist).empty());
  ASSERT_EQ(bodies_of<AppendResponse>(rd.messages).size(), 1u);
  EXPECT_EQ(rd.messages.at(0).term, Term{5}) << "it carries the newer term";
  EXPECT_TRUE(rd.entries.empty()) << "nothing of the stale append is stored";
}

// Regression: responses from older terms are ignored (§5.1) -- a reordered success from
// the previous term must not advance a follower's match index in the new one.
TEST(Replication, StaleAppendResponsesFromOlderTermsAreIgnored_5_1) {
  Solo s(1, test::ids({1, 2, 3}), manual);
  s.raft->campaign();  // term 1
  s.persist();
  s.raft->step(msg(2, 1, 1, VoteResponse{false, true}));
  s.persist();
  ASSERT_TRUE(s.raft->is_leader());
  // Step down and get re-elected in term 3.
  s.raft->step(msg(3, 1, 2, AppendResponse{}));
  s.raft->campaign();
  s.persist();
  s.raft->step(msg(2, 1, 3, VoteResponse{false, true}));
  s.persist();
  ASSERT_TRUE(s.raft->is_leader());
  ASSERT_EQ(s.raft->term(), Term{3});
  s.raft->step(msg(2, 1, 1, AppendResponse{true, Index{1}, {}, {}}));
  EXPECT_EQ(s.raft->progress(NodeId{2})->match(), Index{0});
  s.raft->step(msg(2, 1, 3, AppendResponse{true, Index{2}, {}, {}}));
  EXPECT_EQ(s.raft->progress(NodeId{2})->match(), Index{2});
}

// A stale rejection (one answering an older probe) must not move next back again.
TEST(Replication, StaleRejectionIsIgnored) {
  Progress pr(Index{10}, 8);
  pr.maybe_update(Index{5});
  pr.become_replicate();
  EXPECT_FALSE(pr.maybe_decrease_to(Index{4}, Index{0})) << "rejection below match";
  Progress probe(Index{10}, 8);
  EXPECT_FALSE(probe.maybe_decrease_to(Index{7}, Index{0})) << "we last probed 9, not 7";
  EXPECT_TRUE(probe.maybe_decrease_to(Index{9}, Index{3}));
  EXPECT_EQ(probe.next(), Index{4});
}

// A leader of an older term that reaches a node of a newer term learns the new term
// and steps down (the node answers instead of silently dropping).
TEST(Replication, StaleLeaderLearnsNewTermFromFollower_5_1) {
  Solo s(2);
  s.storage.set_hard_state(HardState{Term{5}, kNoNode, Index{0}});
  s.raft = std::make_unique<Raft>(s.config, s.storage);
  s.raft->step(msg(1, 2, 3, AppendRequest{Index{0}, Term{0}, {}, Index{0}}));
  auto out = s.outbox();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].term, Term{5});
  EXPECT_TRUE(std::holds_alternative<AppendResponse>(out[0].body));
}

TEST(Replication, ProposeOnFollowerReturnsNotLeaderWithLeaderId) {
  Cluster c(3, 4, manual);
  c.elect(NodeId{3});
  auto r = c.node(NodeId{1}).propose("x");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().leader, NodeId{3});
  EXPECT_NE(r.error().message().find("node 3"), std::string::npos);
}

// Batching: all proposals made between two Readies leave in one AppendEntries per
// follower, and no message carries more than max_entries_per_msg entries.
TEST(Replication, ProposalsAreBatchedAndMessagesBounded) {
  Cluster c(3, 4, manual);
  c.elect(NodeId{1});
  Raft& l = c.node(NodeId{1});
  for (int i = 0; i < 64; ++i) ASSERT_TRUE(l.propose("p"));
  Ready rd = l.ready();
  auto appends = bodies_of<AppendRequest>(rd.messages);
  ASSERT_EQ(appends.size(), 2u);
  EXPECT_EQ(appends[0].entries.size(), 64u);

  Cluster small(3, 4, [](Config& cfg) {
    manual(cfg);
    cfg.max_entries_per_msg = 10;
  });
  small.elect(NodeId{1});
  for (int i = 0; i < 35; ++i) ASSERT_TRUE(small.node(NodeId{1}).propose("p"));
  Ready rd2 = small.node(NodeId{1}).ready();
  auto appends2 = bodies_of<AppendRequest>(rd2.messages);
  EXPECT_EQ(appends2.size(), 8u) << "4 messages of <= 10 entries to each of 2 followers";
  for (const auto& a : appends2) EXPECT_LE(a.entries.size(), 10u);
}

// Flow control: in Replicate state at most max_inflight_msgs appends are unacknowledged.
TEST(Replication, InflightWindowBoundsUnackedAppends) {
  Cluster c(3, 4, [](Config& cfg) {
    manual(cfg);
    cfg.max_entries_per_msg = 1;
    cfg.max_inflight_msgs = 3;
  });
  c.elect(NodeId{1});
  Raft& l = c.node(NodeId{1});
  ASSERT_EQ(l.progress(NodeId{2})->state(), ProgressState::kReplicate);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(l.propose("p"));
  Ready rd = l.ready();
  auto appends = rd.messages;
  std::size_t to2 = 0;
  for (const Message& m : appends) to2 += m.to == NodeId{2} ? 1 : 0;
  EXPECT_EQ(to2, 3u);
  EXPECT_TRUE(l.progress(NodeId{2})->is_paused());
}

// Regression: if every in-flight append to a follower is lost, heartbeat replies reopen
// the window, so the follower catches up once the network heals instead of starving.
TEST(Replication, FollowerCatchesUpAfterAWholeWindowOfAppendsWasLost) {
  Cluster c(3, 4, [](Config& cfg) {
    manual(cfg);
    cfg.max_entries_per_msg = 1;
    cfg.max_inflight_msgs = 2;
  });
  c.elect(NodeId{1});
  c.cut(NodeId{1}, NodeId{3});
  for (int i = 0; i < 6; ++i) c.propose(NodeId{1}, "p" + std::to_string(i));
  c.deliver_all();
  ASSERT_TRUE(c.node(NodeId{1}).progress(NodeId{3})->is_paused());
  c.heal();
  c.run(10);
  EXPECT_EQ(c.node(NodeId{3}).log().applied(), c.node(NodeId{1}).log().applied());
  EXPECT_EQ(c.state(NodeId{3}).applied.size(), c.state(NodeId{1}).applied.size());
}

// A follower in Probe state gets one append at a time.
TEST(Replication, ProbeSendsOneAppendAtATime) {
  Progress pr(Index{5}, 8);
  EXPECT_FALSE(pr.is_paused());
  pr.on_sent(Index{5}, 1);
  EXPECT_TRUE(pr.is_paused());
  pr.on_heartbeat_response();
  EXPECT_FALSE(pr.is_paused());
}

// Puts follower 2 of leader 1 back into Probe although its log already matches the
// leader's (a rejection above its match does that, as in etcd), and delivers the probe.
void force_caught_up_follower_into_probe(Cluster& c) {
  Raft& l = c.node(NodeId{1});
  ASSERT_EQ(l.progress(NodeId{2})->state(), ProgressState::kReplicate);
  const Index last = l.log().last_index();
  ASSERT_EQ(l.progress(NodeId{2})->match(), last);
  l.step(msg(2, 1, l.term().value(),
             AppendResponse{false, last.next(), last, l.log().term_or_zero(last)}));
  ASSERT_EQ(l.progress(NodeId{2})->state(), ProgressState::kProbe);
}

// etcd raft.go, MsgAppResp: a successful probe answer for exactly `match` also means the
// follower is caught up; it used to leave the follower in Probe, one append at a time,
// until the next proposal.
TEST(Replication, CaughtUpProbeAnswerReturnsFollowerToReplicate) {
  Cluster c(3, 4, manual);
  c.elect(NodeId{1});
  force_caught_up_follower_into_probe(c);
  c.process_ready();
  c.deliver_all();
  EXPECT_EQ(c.node(NodeId{1}).progress(NodeId{2})->state(), ProgressState::kReplicate);
}

// etcd raft.go, MsgHeartbeatResp: a follower in Probe gets an append on each heartbeat
// answer even when it looks caught up, so a lost probe does not leave it in Probe.
TEST(Replication, HeartbeatAnswerReprobesAFollowerInProbe) {
  Cluster c(3, 4, manual);
  c.elect(NodeId{1});
  force_caught_up_follower_into_probe(c);
  c.process_ready();
  c.set_filter([](Message& m) { return std::holds_alternative<AppendRequest>(m.body); });
  c.deliver_all();  // the probe is lost
  c.set_filter({});
  ASSERT_EQ(c.node(NodeId{1}).progress(NodeId{2})->state(), ProgressState::kProbe);
  for (int i = 0; i < 3; ++i) c.tick(NodeId{1});  // a heartbeat round
  c.deliver_all();
  EXPECT_EQ(c.node(NodeId{1}).progress(NodeId{2})->state(), ProgressState::kReplicate);
}

TEST(Replication, ProposalOverTheEntryLimitIsRefused) {
  Cluster c(3, 4, [](Config& cfg) {
    manual(cfg);
    cfg.max_entry_bytes = 100;
  });
  c.elect(NodeId{1});
  const Index last = c.node(NodeId{1}).log().last_index();
  const auto r = c.propose(NodeId{1}, std::string(101, 'x'));
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().too_large);
  EXPECT_NE(r.error().message().find("larger than the limit"), std::string::npos);
  EXPECT_EQ(c.node(NodeId{1}).log().last_index(), last);
  EXPECT_TRUE(c.propose(NodeId{1}, std::string(100, 'x')));
}

// A follower that lost acknowledged entries (restarted without its storage, as raft-kv
// under Maelstrom's kill without a data directory) rejects the probe at its own match
// index. The leader used to re-send the same probe at once, forever: under the workbench's
// kill nemesis, hundreds of server messages per operation. Now it waits for a heartbeat.
TEST(Replication, ProbeRejectedAtMatchIsNotResentAtOnce) {
  Progress pr(Index{10}, 8);
  pr.maybe_update(Index{5});
  pr.become_probe();
  ASSERT_EQ(pr.next(), Index{6});
  pr.on_sent(Index{5}, 0);
  EXPECT_FALSE(pr.maybe_decrease_to(Index{5}, Index{0}));
  EXPECT_TRUE(pr.is_paused()) << "the same probe would go out again at network speed";
  pr.on_heartbeat_response();
  EXPECT_FALSE(pr.is_paused()) << "a heartbeat answer allows the next try";
}

TEST(Replication, AFollowerThatLostItsLogCausesNoMessageStorm) {
  Cluster c(3, 4, manual);
  c.elect(NodeId{1});
  for (int i = 0; i < 5; ++i) c.propose(NodeId{1}, "p" + std::to_string(i));
  c.deliver_all();
  c.crash(NodeId{3});
  c.state(NodeId{3}).storage = std::make_unique<MemoryStorage>();  // amnesia
  c.restart(NodeId{3});
  c.tick(NodeId{1});  // a heartbeat makes node 3 a follower again
  c.deliver_all();
  c.propose(NodeId{1}, "next");  // its rejection sends the leader back to probing
  EXPECT_LT(c.deliver_all(), 50u) << "the leader and the follower ping-pong probes";
}

// Fast backtracking: a follower with a long divergent log of few terms is repaired in a
// number of round trips that depends on the number of terms, not of entries.
TEST(Replication, ConflictHintSkipsWholeTermsWhenBacktracking_5_3) {
  Cluster c(3, 4, manual);
  c.elect(NodeId{1});                  // term 1, no-op at 1
  c.isolate(NodeId{1});
  for (int i = 0; i < 50; ++i) c.propose(NodeId{1}, "stale");  // never replicated
  c.deliver_all();
  c.crash(NodeId{1});
  c.heal();
  c.elect(NodeId{2});                  // term 2
  for (int i = 0; i < 50; ++i) c.propose(NodeId{2}, "new");
  c.deliver_all();
  c.restart(NodeId{1});
  std::size_t rejections = 0;
  c.set_filter([&](Message& m) {
    if (const auto* r = std::get_if<AppendResponse>(&m.body); r && !r->success) ++rejections;
    return false;
  });
  c.run(3);
  EXPECT_LE(rejections, 3u);
  EXPECT_EQ(applied_data(c, NodeId{1}), applied_data(c, NodeId{2}));
  c.check_log_matching();
  EXPECT_TRUE(c.checker().ok()) << c.checker().report();
}

// Leader Completeness (§5.4) across many elections: every committed entry stays in every
// later leader's log, and in the end everyone applied the same sequence.
TEST(Replication, LeaderCompletenessAcrossRepeatedElections_5_4) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    Cluster c(5, seed, manual);
    std::mt19937_64 rng(seed);
    int next_cmd = 0;
    for (int round = 0; round < 30; ++round) {
      const NodeId candidate{1 + rng() % 5};
      c.elect(candidate);
      const NodeId l = c.leader();
      if (l.is_none()) continue;
      // Some proposals reach everyone, some only part of the cluster before the leader
      // is deposed.
      if (rng() % 2) c.isolate(NodeId{1 + rng() % 5});
      for (int i = 0; i < 3; ++i) c.propose(l, "c" + std::to_string(next_cmd++));
      c.deliver_all(rng() % 20);
      c.heal();
    }
    const NodeId last_leader = c.wait_for_leader();
    ASSERT_FALSE(last_leader.is_none()) << "seed " << seed;
    ASSERT_TRUE(c.propose(last_leader, "end"));
    c.run(5);
    c.check_log_matching();
    ASSERT_TRUE(c.checker().ok()) << "seed " << seed << "\n" << c.checker().report();
    for (NodeId id : c.ids()) {
      EXPECT_EQ(applied_data(c, id), applied_data(c, last_leader))
          << "seed " << seed << " node " << id << " applied " << c.state(id).applied.size()
          << " last " << c.node(id).log().last_index() << " commit "
          << c.node(id).log().committed() << " leader " << c.node(id).leader() << " term "
          << c.node(id).term();
    }
  }
}

// Crash and restart: a node recovers its term, vote and log from storage.
TEST(Replication, RestartedNodeRecoversHardStateAndLog) {
  Cluster c(3, 4, manual);
  c.elect(NodeId{1});
  c.propose(NodeId{1}, "a");
  c.deliver_all();
  const Term t = c.node(NodeId{2}).term();
  const Index last = c.node(NodeId{2}).log().last_index();
  c.crash(NodeId{2});
  c.restart(NodeId{2});
  EXPECT_EQ(c.node(NodeId{2}).term(), t);
  EXPECT_EQ(c.node(NodeId{2}).vote(), NodeId{1});
  EXPECT_EQ(c.node(NodeId{2}).log().last_index(), last);
  c.run(2);
  EXPECT_EQ(applied_data(c, NodeId{2}), std::vector<std::string>{"a"});
}

}  // namespace
}  // namespace raft
