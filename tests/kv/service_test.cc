// The lin-kv service's routing, driven through a fake in-memory network (no processes):
// who proposes, who forwards, who answers, and which errors are definite.
#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <tuple>
#include <map>
#include <memory>
#include <set>

#include "kv/command.h"
#include "kv/state_machine.h"
#include "raft/service.h"

namespace kv {
namespace {

using raft::ClientHandle;
using raft::ForwardRejected;
using raft::ForwardRequest;
using raft::NodeId;
using raft::PeerMessage;
using raft::Service;
using raft::ServiceConfig;

class FakeNet;

struct NodeHost final : raft::ServiceHost {
  FakeNet* net = nullptr;
  NodeId id;
  std::map<ClientHandle, Result> answers;
  void send(NodeId to, PeerMessage m) override;
  void respond(ClientHandle c, const raft::Outcome& outcome) override {
    ASSERT_FALSE(answers.contains(c)) << "answered twice";
    answers.emplace(c, result_of(outcome));
  }
};

class FakeNet {
 public:
  explicit FakeNet(std::size_t n, std::uint64_t snapshot_entries = 0,
                   const std::function<void(ServiceConfig&)>& tweak = {}) {
    std::vector<NodeId> voters;
    for (std::size_t i = 1; i <= n; ++i) voters.emplace_back(i);
    for (NodeId id : voters) {
      auto& node = nodes_[id];
      node.host.net = this;
      node.host.id = id;
      ServiceConfig cfg;
      cfg.raft.id = id;
      cfg.raft.voters = voters;
      cfg.raft.seed = id.value() * 7919;
      cfg.leader_wait_ticks = 10;
      cfg.request_timeout_ticks = 60;
      cfg.snapshot_entries = snapshot_entries;
      cfg.raft.max_snapshot_chunk_bytes = 256;
      if (tweak) tweak(cfg);
      node.service = std::make_unique<Service>(cfg, node.storage, node.machine, node.host);
    }
  }

  Service& service(NodeId id) { return *nodes_.at(id).service; }
  /// A client request to node `id`, as the Maelstrom node makes it: reads as queries, writes
  /// and cas as commands.
  void submit(NodeId id, ClientHandle client, const Operation& op) {
    if (op.kind == Operation::Kind::kRead) {
      service(id).read(client, encode_operation(op));
    } else {
      service(id).propose(client, encode_operation(op));
    }
  }
  raft::MemoryStorage& storage(NodeId id) { return nodes_.at(id).storage; }
  std::map<ClientHandle, Result>& answers(NodeId id) { return nodes_.at(id).host.answers; }

  void enqueue(NodeId from, NodeId to, PeerMessage m) {
    queue_.push_back({from, to, std::move(m)});
  }
  void deliver_all(bool duplicate_forwards = false) {
    for (int guard = 0; guard < 100000 && !queue_.empty(); ++guard) {
      auto [from, to, m] = std::move(queue_.front());
      queue_.pop_front();
      if (cut_.contains(from) != cut_.contains(to)) continue;
      if (drop && drop(from, to, m)) continue;
      if (duplicate_forwards && std::holds_alternative<ForwardRequest>(m)) {
        duplicates_.push_back({from, to, m});
      }
      nodes_.at(to).service->handle_peer(from, m);
    }
  }
  void replay_duplicates() {
    for (auto& d : duplicates_) queue_.push_back(d);
    duplicates_.clear();
    deliver_all();
  }
  void tick(int n = 1) {
    for (int i = 0; i < n; ++i) {
      for (auto& [id, node] : nodes_) node.service->tick();
      deliver_all();
    }
  }
  /// Ticks node `id` alone, delivering nothing.
  void tick_node(NodeId id) { nodes_.at(id).service->tick(); }
  NodeId elect() {
    for (int i = 0; i < 200; ++i) {
      for (auto& [id, node] : nodes_) {
        if (node.service->raft().is_leader() && !cut_.contains(id)) {
          tick(2);  // let the no-op commit and followers learn the leader
          return id;
        }
      }
      tick();
    }
    return raft::kNoNode;
  }
  /// Messages for which this returns true are lost.
  std::function<bool(NodeId from, NodeId to, const PeerMessage& m)> drop;
  /// How many queued messages satisfy `pred` (without delivering them).
  std::size_t count_queued(const std::function<bool(const PeerMessage&)>& pred) const {
    std::size_t n = 0;
    for (const auto& q : queue_) n += pred(q.m) ? 1 : 0;
    return n;
  }
  /// Takes the queued messages out without delivering them.
  std::vector<std::tuple<NodeId, NodeId, PeerMessage>> take_queue() {
    std::vector<std::tuple<NodeId, NodeId, PeerMessage>> out;
    for (auto& q : queue_) out.emplace_back(q.from, q.to, std::move(q.m));
    queue_.clear();
    return out;
  }
  void isolate(NodeId id) { cut_.insert(id); }
  void heal() { cut_.clear(); }
  NodeId follower_of(NodeId leader, int k = 0) {
    for (auto& [id, node] : nodes_) {
      if (id != leader && k-- == 0) return id;
    }
    return raft::kNoNode;
  }

 private:
  struct Node {
    raft::MemoryStorage storage;
    StateMachine machine;
    NodeHost host;
    std::unique_ptr<Service> service;
  };
  struct InFlight {
    NodeId from, to;
    PeerMessage m;
  };
  std::map<NodeId, Node> nodes_;
  std::deque<InFlight> queue_;
  std::vector<InFlight> duplicates_;
  std::set<NodeId> cut_;
};

void NodeHost::send(NodeId to, PeerMessage m) { net->enqueue(id, to, std::move(m)); }


TEST(Service, LeaderAnswersWriteOnlyAfterItCommits) {
  FakeNet net(3);
  const NodeId l = net.elect();
  ASSERT_FALSE(l.is_none());
  net.submit(l, 1, Operation::write(1, 5));
  EXPECT_FALSE(net.answers(l).contains(1)) << "not before a quorum has it";
  net.deliver_all();
  ASSERT_TRUE(net.answers(l).contains(1));
  EXPECT_TRUE(net.answers(l)[1].ok);
}

TEST(Service, FollowerForwardsWritesAndAnswersWithTheAppliedOutcome) {
  FakeNet net(3);
  const NodeId l = net.elect();
  const NodeId f1 = net.follower_of(l, 0), f2 = net.follower_of(l, 1);
  net.submit(f1, 1, Operation::write(7, 1));
  net.deliver_all();
  net.tick();
  ASSERT_TRUE(net.answers(f1).contains(1));
  EXPECT_TRUE(net.answers(f1)[1].ok);
  net.submit(f2, 2, Operation::cas(7, 2, 3));
  net.submit(f2, 3, Operation::cas(8, 2, 3));
  net.deliver_all();
  net.tick();
  EXPECT_EQ(net.answers(f2)[2].code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(net.answers(f2)[3].code, ErrorCode::kKeyDoesNotExist);
}

TEST(Service, FollowerReadsThroughReadIndexWithoutWritingTheLog) {
  FakeNet net(3);
  const NodeId l = net.elect();
  const NodeId f = net.follower_of(l);
  net.submit(l, 1, Operation::write(1, 9));
  net.deliver_all();
  net.tick();
  const raft::Index last = net.service(l).raft().log().last_index();
  net.submit(f, 2, Operation::read(1));
  net.deliver_all();
  net.tick();
  ASSERT_TRUE(net.answers(f).contains(2));
  EXPECT_EQ(net.answers(f)[2].value, 9);
  EXPECT_EQ(net.service(l).raft().log().last_index(), last) << "a read appends nothing";
}

TEST(Service, NoLeaderMeansError11AfterWaiting) {
  FakeNet net(3);
  // Before any election nobody leads: the request waits, then fails definitely.
  net.submit(NodeId{1}, 1, Operation::write(1, 1));
  net.submit(NodeId{1}, 2, Operation::read(1));
  net.isolate(NodeId{1});
  net.tick(11);
  ASSERT_TRUE(net.answers(NodeId{1}).contains(1));
  EXPECT_EQ(net.answers(NodeId{1})[1].code, ErrorCode::kTemporarilyUnavailable);
  EXPECT_EQ(net.answers(NodeId{1})[2].code, ErrorCode::kTemporarilyUnavailable);
}

// The rule: a write or cas that reached a leader may still commit, so it never gets a
// definite error -- only its applied outcome or the indefinite 0.
TEST(Service, WriteHandedToALeaderNeverGetsADefiniteError) {
  FakeNet net(3);
  const NodeId l = net.elect();
  const NodeId f = net.follower_of(l);
  net.isolate(l);
  net.submit(l, 1, Operation::write(1, 1));  // proposed, cannot commit
  net.tick(80);
  ASSERT_TRUE(net.answers(l).contains(1));
  EXPECT_EQ(net.answers(l)[1].code, ErrorCode::kTimeout);

  FakeNet net2(3);
  const NodeId l2 = net2.elect();
  const NodeId f2 = net2.follower_of(l2);
  net2.submit(f2, 1, Operation::write(1, 1));  // forwarded...
  net2.isolate(l2);                                // ...but the leader is cut off
  net2.tick(80);
  ASSERT_TRUE(net2.answers(f2).contains(1));
  EXPECT_NE(net2.answers(f2)[1].code, ErrorCode::kTemporarilyUnavailable);
  (void)f;
}

TEST(Service, DuplicatedForwardAppliesOnce) {
  FakeNet net(3);
  const NodeId l = net.elect();
  const NodeId f = net.follower_of(l);
  net.submit(f, 1, Operation::write(1, 5));
  net.deliver_all(/*duplicate_forwards=*/true);
  net.submit(l, 2, Operation::write(1, 6));
  net.deliver_all();
  net.replay_duplicates();  // the old "write 5" arrives again
  net.tick(2);
  net.submit(l, 3, Operation::read(1));
  net.deliver_all();
  net.tick(2);
  ASSERT_TRUE(net.answers(l).contains(3));
  EXPECT_EQ(net.answers(l)[3].value, 6);
}

TEST(Service, RequestsSurviveALeaderChange) {
  FakeNet net(5);
  const NodeId l = net.elect();
  net.submit(l, 1, Operation::write(1, 1));
  net.deliver_all();
  net.tick();
  net.isolate(l);
  const NodeId l2 = net.elect();
  ASSERT_NE(l2, l);
  net.submit(l2, 2, Operation::cas(1, 1, 2));
  net.deliver_all();
  net.tick(2);
  EXPECT_TRUE(net.answers(l2)[2].ok);
  net.heal();
  net.tick(5);
  net.submit(l, 3, Operation::read(1));
  net.deliver_all();
  net.tick(3);
  ASSERT_TRUE(net.answers(l).contains(3));
  EXPECT_EQ(net.answers(l)[3].value, 2) << "the old leader reads through the new one";
}

// §7: a follower cut off while the others compact their logs catches up from the leader's
// snapshot (in chunks) and then serves reads from the restored state.
TEST(Service, PartitionedFollowerCatchesUpThroughASnapshot_7) {
  FakeNet net(3, /*snapshot_entries=*/10);
  const NodeId l = net.elect();
  const NodeId f = net.follower_of(l);
  net.isolate(f);
  for (int i = 0; i < 60; ++i) {
    net.submit(l, 100 + i, Operation::write(i % 7, i));
    net.deliver_all();
  }
  ASSERT_GT(net.storage(l).first_index().value(), 50u) << "the leader compacted";
  net.heal();
  net.tick(10);
  EXPECT_GT(net.storage(f).snapshot().meta.index.value(), 1u) << "installed a snapshot";
  EXPECT_EQ(net.service(f).state().snapshot(), net.service(l).state().snapshot())
      << "byte-identical state, dedup included";
  net.submit(f, 1, Operation::read(6));
  net.deliver_all();
  net.tick(3);
  ASSERT_TRUE(net.answers(f).contains(1));
  EXPECT_EQ(net.answers(f)[1].value, 55);
}

// The deduplication state travels in the snapshot: a node that restored from one still
// ignores a duplicate of a command the snapshot covers.
TEST(Service, DuplicateOfACommandCoveredByASnapshotStillAppliesOnce) {
  FakeNet net(3, /*snapshot_entries=*/5);
  const NodeId l = net.elect();
  const NodeId f = net.follower_of(l);
  const NodeId g = net.follower_of(l, 1);
  net.isolate(g);
  net.submit(f, 1, Operation::write(1, 5));
  net.deliver_all(/*duplicate_forwards=*/true);
  net.submit(l, 2, Operation::write(1, 6));
  for (int i = 0; i < 20; ++i) {
    net.submit(l, 10 + i, Operation::write(100 + i, i));
    net.deliver_all();
  }
  net.heal();
  net.tick(10);
  ASSERT_GT(net.storage(g).snapshot().meta.index.value(), 1u);
  net.replay_duplicates();  // "write 5" proposed again, after the snapshot
  net.tick(3);
  net.submit(g, 3, Operation::read(1));
  net.deliver_all();
  net.tick(3);
  ASSERT_TRUE(net.answers(g).contains(3));
  EXPECT_EQ(net.answers(g)[3].value, 6);
  EXPECT_EQ(net.service(g).state().snapshot(), net.service(l).state().snapshot());
}

bool is_forward(const PeerMessage& m) { return std::holds_alternative<ForwardRequest>(m); }

// A forward that is lost on the way is handed over again (after write_retry_ticks) rather
// than waiting out the whole request timeout and ending indefinite.
TEST(Service, LostForwardIsRetriedAndTheWriteSucceeds) {
  FakeNet net(3);
  const NodeId l = net.elect();
  const NodeId f = net.follower_of(l);
  int dropped = 0;
  net.drop = [&](NodeId, NodeId, const PeerMessage& m) { return is_forward(m) && dropped++ == 0; };
  net.submit(f, 1, Operation::write(3, 4));
  net.deliver_all();
  ASSERT_EQ(dropped, 1);
  net.tick(25);  // write_retry_ticks is 20, the request timeout 60
  ASSERT_TRUE(net.answers(f).contains(1));
  EXPECT_TRUE(net.answers(f)[1].ok) << static_cast<int>(net.answers(f)[1].code);
}

// A leader's proposal overwritten after it lost leadership (§5.3) is proposed again through
// the new leader as soon as the overwrite commits.
TEST(Service, OverwrittenProposalIsRetriedThroughTheNewLeader) {
  FakeNet net(3);
  const NodeId l = net.elect();
  net.isolate(l);
  net.submit(l, 1, Operation::write(5, 1));  // never leaves the old leader
  const NodeId l2 = net.elect();
  ASSERT_NE(l2, l);
  net.submit(l2, 2, Operation::write(6, 1));
  net.deliver_all();
  net.tick(2);
  net.heal();
  net.tick(8);  // well before write_retry_ticks (20): only the overwrite can trigger it
  ASSERT_TRUE(net.answers(l).contains(1));
  EXPECT_TRUE(net.answers(l)[1].ok) << static_cast<int>(net.answers(l)[1].code);
}

// A rejected forward used to be re-sent at once to the same (stale) leader, in the same
// call: a message storm at network speed until the follower's view changed.
TEST(Service, RejectedForwardIsNotBouncedBackAtOnce) {
  FakeNet net(3);
  const NodeId l = net.elect();
  const NodeId f = net.follower_of(l);
  net.submit(f, 1, Operation::write(1, 2));
  auto queued = net.take_queue();
  ASSERT_EQ(queued.size(), 1u);
  const auto& fwd = std::get<ForwardRequest>(std::get<2>(queued[0]));
  // As if l had just lost leadership and knew no leader.
  ASSERT_EQ(fwd.commands.size(), 1u);
  const std::uint64_t seq = fwd.commands[0].seq;
  net.service(f).handle_peer(l, ForwardRejected{{seq}, raft::kNoNode});
  EXPECT_EQ(net.count_queued(is_forward), 0u) << "re-forwarded in the same call";
  std::size_t forwards = 0;
  net.drop = [&](NodeId, NodeId to, const PeerMessage& m) {
    if (!is_forward(m) || to != l) return false;
    ++forwards;  // every try reaches the stale node, and is rejected again
    return true;
  };
  for (int i = 0; i < 8; ++i) {
    const std::size_t before = forwards;
    net.tick();
    if (forwards > before) net.service(f).handle_peer(l, ForwardRejected{{seq}, raft::kNoNode});
    net.deliver_all();
  }
  EXPECT_LE(forwards, 3u) << "backoff 1, 2, 4 ticks: at most 3 tries in 8 ticks";
  net.drop = {};
}

// An entry over raft::Config::max_entry_bytes is refused at once with a definite 12; the
// service keeps serving.
TEST(Service, AWriteLargerThanTheEntryLimitGetsError12) {
  FakeNet net(3);
  const NodeId l = net.elect();
  const NodeId f = net.follower_of(l);
  const std::string huge((1 << 20) + 1, 'x');  // the default limit is 1 MiB
  net.submit(f, 1, Operation::write(1, huge));
  net.submit(l, 2, Operation::cas(1, 0, huge));
  ASSERT_TRUE(net.answers(f).contains(1));
  EXPECT_EQ(net.answers(f)[1].code, ErrorCode::kMalformedRequest);
  ASSERT_TRUE(net.answers(l).contains(2));
  EXPECT_EQ(net.answers(l)[2].code, ErrorCode::kMalformedRequest);
  net.submit(f, 3, Operation::write(1, 7));
  net.deliver_all();
  net.tick();
  ASSERT_TRUE(net.answers(f).contains(3));
  EXPECT_TRUE(net.answers(f)[3].ok);
}

// A read that cannot be served (here: every read-index request is lost) asks again with a
// doubling wait. It used to ask every read_retry_ticks (5) until its timeout, each ask
// costing the leader a heartbeat round: most of the server messages under the kill nemesis,
// where a restarted follower that lost its log could never serve a read.
TEST(Service, UnservedReadRetriesBackOff) {
  FakeNet net(3);
  const NodeId l = net.elect();
  const NodeId f = net.follower_of(l);
  std::size_t asks = 0;
  net.drop = [&](NodeId from, NodeId, const PeerMessage& m) {
    const auto* rm = std::get_if<raft::Message>(&m);
    if (from != f || rm == nullptr || !std::holds_alternative<raft::ReadIndexRequest>(rm->body)) {
      return false;
    }
    ++asks;
    return true;
  };
  net.submit(f, 1, Operation::read(1));
  net.deliver_all();
  net.tick(59);  // the request timeout is 60 ticks
  EXPECT_LE(asks, 5u) << "asked at 0, 5, 15, 35 (+ at most one more), not every 5 ticks";
  EXPECT_GE(asks, 3u) << "it does keep asking";
  net.tick(2);
  ASSERT_TRUE(net.answers(f).contains(1));
  EXPECT_EQ(net.answers(f)[1].code, ErrorCode::kTemporarilyUnavailable);
}

// A broken invariant in the core stops the node; nothing in the service catches it and
// carries on (core invariant breaches used to throw std::logic_error, which the node API
// answered with 13 while the node kept voting and acknowledging). Here the storage claims a
// commit index beyond the entries it holds: it lost acknowledged writes.
TEST(ServiceDeathTest, StorageThatLostCommittedEntriesStopsTheNode) {
  raft::MemoryStorage storage;
  storage.append({raft::Entry{raft::Term{1}, raft::Index{1}, raft::EntryType::kNoop, ""}});
  storage.set_hard_state(raft::HardState{raft::Term{1}, NodeId{1}, raft::Index{5}});
  NodeHost host;
  StateMachine machine;
  ServiceConfig cfg;
  cfg.raft.id = NodeId{1};
  cfg.raft.voters = {NodeId{1}, NodeId{2}, NodeId{3}};
  EXPECT_DEATH(Service(cfg, storage, machine, host), "fail-stop: raft: stored commit index 5 is beyond");
}

// Messages cannot make a follower contradict its committed entries: an append starting
// below the commit index is answered as stale, so the fail-stop in maybe_append is a last
// line of defence, not something a peer can trigger by reordering.
TEST(Service, AStaleConflictingAppendBelowTheCommitIndexIsHarmless) {
  FakeNet net(3);
  const NodeId l = net.elect();
  const NodeId f = net.follower_of(l);
  net.submit(l, 1, Operation::write(1, 5));
  net.deliver_all();
  net.tick(2);
  const raft::Index committed = net.service(f).raft().log().committed();
  ASSERT_GE(committed.value(), 2u);
  const raft::Term term = net.service(f).raft().term();
  net.service(f).handle_peer(
      l, raft::Message{l, f, term,
                       raft::AppendRequest{raft::Index{0}, raft::Term{0},
                                           {raft::Entry{raft::Term{term.value() + 1}, raft::Index{1},
                                                        raft::EntryType::kNoop, ""}},
                                           raft::Index{0}}});
  EXPECT_EQ(net.service(f).raft().log().committed(), committed);
  EXPECT_EQ(net.service(f).raft().log().term_or_zero(raft::Index{1}), raft::Term{1});
}

}  // namespace
}  // namespace kv

namespace kv {
namespace {

// begin_batch/end_batch (the TCP runtime's group commit): proposals taken in one batch
// leave in one AppendEntries per follower, and each still gets its own applied answer.
TEST(Service, ABatchOfProposalsLeavesInOneAppendPerFollowerAndEachIsAnswered) {
  FakeNet net(3);
  const NodeId l = net.elect();
  ASSERT_FALSE(l.is_none());
  const auto is_append = [](const PeerMessage& m) {
    const auto* rm = std::get_if<raft::Message>(&m);
    return rm && std::holds_alternative<raft::AppendRequest>(rm->body);
  };
  net.service(l).begin_batch();
  for (ClientHandle c = 1; c <= 10; ++c) net.submit(l, c, Operation::write(static_cast<int>(c), 1));
  EXPECT_EQ(net.count_queued(is_append), 0u) << "nothing leaves before end_batch";
  net.service(l).end_batch();
  EXPECT_EQ(net.count_queued(is_append), 2u) << "one AppendEntries per follower for the whole batch";
  net.deliver_all();
  net.tick(2);
  ASSERT_EQ(net.answers(l).size(), 10u);
  for (const auto& [c, r] : net.answers(l)) EXPECT_TRUE(r.ok) << c;
}

// The messages of `m`, a bundle's one by one.
std::vector<const PeerMessage*> unbundled(const PeerMessage& m) {
  if (const auto* b = std::get_if<raft::PeerBundle>(&m)) {
    std::vector<const PeerMessage*> out;
    for (const PeerMessage& inner : b->messages) out.push_back(&inner);
    return out;
  }
  return {&m};
}

// Batching with a bound (max_batch_delay_ticks): a leader holds its proposals and releases
// them together on its batch tick -- one AppendEntries per follower carries them all --
// and every one is answered.
TEST(Service, ABatchingLeaderReleasesHeldProposalsTogetherWithinTheDelay) {
  constexpr int kDelay = 4;
  FakeNet net(3, 0, [](ServiceConfig& c) { c.max_batch_delay_ticks = kDelay; });
  const NodeId l = net.elect();
  ASSERT_FALSE(l.is_none());
  net.deliver_all();
  std::vector<raft::AppendRequest> appends;
  const auto take_appends = [&] {
    for (auto& [from, to, m] : net.take_queue()) {
      for (const PeerMessage* p : unbundled(m)) {
        const auto* rm = std::get_if<raft::Message>(p);
        if (rm && std::holds_alternative<raft::AppendRequest>(rm->body)) {
          appends.push_back(std::get<raft::AppendRequest>(rm->body));
        }
      }
      net.enqueue(from, to, std::move(m));
    }
  };
  for (ClientHandle c = 1; c <= 5; ++c) net.submit(l, c, Operation::write(static_cast<int>(c), 1));
  take_appends();
  EXPECT_TRUE(appends.empty()) << "held for the batch";
  int ticks = 0;
  while (appends.empty() && ticks < kDelay) {
    net.tick_node(l);
    ++ticks;
    take_appends();
  }
  ASSERT_EQ(appends.size(), 2u) << "one AppendEntries per follower within " << kDelay << " ticks";
  for (const auto& a : appends) EXPECT_EQ(a.entries.size(), 5u);
  net.deliver_all();
  net.tick(2 * kDelay);
  ASSERT_EQ(net.answers(l).size(), 5u);
  for (const auto& [c, r] : net.answers(l)) EXPECT_TRUE(r.ok) << c;
}

// A batching follower holds the commands its clients send until its next tick, then
// forwards them all to the leader in one message; each is answered.
TEST(Service, ABatchingFollowerForwardsHeldCommandsInOneMessageAtItsNextTick) {
  FakeNet net(3, 0, [](ServiceConfig& c) { c.max_batch_delay_ticks = 4; });
  const NodeId l = net.elect();
  ASSERT_FALSE(l.is_none());
  net.deliver_all();
  const NodeId f = net.follower_of(l);
  const auto forwards = [&] {
    std::vector<ForwardRequest> out;
    for (auto& [from, to, m] : net.take_queue()) {
      for (const PeerMessage* p : unbundled(m)) {
        if (const auto* fr = std::get_if<ForwardRequest>(p)) out.push_back(*fr);
      }
      net.enqueue(from, to, std::move(m));
    }
    return out;
  };
  for (ClientHandle c = 1; c <= 3; ++c) net.submit(f, c, Operation::write(static_cast<int>(c), 2));
  EXPECT_TRUE(forwards().empty()) << "held until the follower's next tick";
  net.tick_node(f);
  const auto sent = forwards();
  ASSERT_EQ(sent.size(), 1u) << "one forward for the three commands";
  EXPECT_EQ(sent[0].commands.size(), 3u);
  net.deliver_all();
  net.tick(12);
  ASSERT_EQ(net.answers(f).size(), 3u);
  for (const auto& [c, r] : net.answers(f)) EXPECT_TRUE(r.ok) << c;
}

}  // namespace
}  // namespace kv
