// raftkv::Runtime in one process: three nodes on loopback TCP running the example counter
// (examples/counter/counter.h, the state machine the simulator tests too). Every wait polls with a generous deadline.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include "examples/counter/counter.h"
#include "transport/runtime.h"
#include "tests/transport/eventually.h"
#include "tests/transport/free_port.h"

namespace {

using namespace std::chrono_literals;
using raft::NodeId;

using raftkv::test::eventually;

struct Node {
  counter::Counter machine;
  std::unique_ptr<raftkv::Runtime> rt;
  std::mutex mu;
  std::vector<std::pair<NodeId, raft::Term>> leaders;  // on_leader_change calls
  std::atomic<std::uint64_t> applied{0};                // on_applied calls
};

class Cluster {
 public:
  explicit Cluster(int n, std::string data_dir = {}, std::uint64_t snapshot_entries = 10000) {
    for (int i = 1; i <= n; ++i) peers_[NodeId{static_cast<std::uint64_t>(i)}] = {"127.0.0.1", testing_ports::free_port()};
    data_dir_ = std::move(data_dir);
    snapshot_entries_ = snapshot_entries;
    for (int i = 1; i <= n; ++i) nodes_.push_back(std::make_unique<Node>());
    for (int i = 1; i <= n; ++i) start(i);
  }
  void start(int i) {
    Node& node = *nodes_[static_cast<std::size_t>(i - 1)];
    raftkv::RuntimeConfig cfg;
    cfg.id = NodeId{static_cast<std::uint64_t>(i)};
    cfg.peers = peers_;
    cfg.data_dir = data_dir_;
    cfg.snapshot_entries = snapshot_entries_;
    cfg.max_command_bytes = 4096;
    cfg.leader_wait = 500ms;
    cfg.on_leader_change = [&node](NodeId leader, raft::Term term) {
      std::lock_guard lock(node.mu);
      node.leaders.emplace_back(leader, term);
    };
    cfg.on_applied = [&node](const raft::Entry&) { ++node.applied; };
    auto rt = raftkv::Runtime::start(cfg, node.machine);
    if (!rt) throw std::runtime_error(rt.error());
    node.rt = std::move(*rt);
  }
  raftkv::Runtime& rt(int i) { return *nodes_[static_cast<std::size_t>(i - 1)]->rt; }
  Node& node(int i) { return *nodes_[static_cast<std::size_t>(i - 1)]; }
  int size() const { return static_cast<int>(nodes_.size()); }
  /// The id of the node that reports itself leader, once one does.
  int leader() {
    int found = 0;
    eventually([&] {
      for (int i = 1; i <= size(); ++i) {
        if (node(i).rt && rt(i).status().role == raft::Role::kLeader) found = i;
      }
      return found != 0;
    });
    return found;
  }

 private:
  std::map<NodeId, transport::Endpoint> peers_;
  std::string data_dir_;
  std::uint64_t snapshot_entries_ = 0;
  std::vector<std::unique_ptr<Node>> nodes_;
};

TEST(Runtime, ProposalsOnAnyNodeApplyOnceAndReadsSeeThemAll) {
  Cluster c(3);
  ASSERT_NE(c.leader(), 0);
  std::int64_t sum = 0;
  for (int k = 1; k <= 30; ++k) {
    const raftkv::Outcome o = c.rt(k % 3 + 1).propose("add c " + std::to_string(k)).get();
    ASSERT_TRUE(o.ok()) << o.error;
    sum += k;
    EXPECT_EQ(o.result, std::to_string(sum)) << "each add applies once, in order";
  }
  for (int i = 1; i <= 3; ++i) {
    const raftkv::Outcome o = c.rt(i).read("get c").get();
    ASSERT_TRUE(o.ok()) << o.error;
    EXPECT_EQ(o.result, std::to_string(sum)) << "a linearizable read on node " << i;
  }
  // Every node applies the 30 commands (plus the leader's no-op).
  for (int i = 1; i <= 3; ++i) EXPECT_TRUE(eventually([&] { return c.node(i).applied >= 31; }));
}

TEST(Runtime, LeaderChangesAreNotifiedAndStatusAgrees) {
  Cluster c(3);
  const int first = c.leader();
  ASSERT_NE(first, 0);
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(eventually([&] {
      std::lock_guard lock(c.node(i).mu);
      return !c.node(i).leaders.empty() && c.node(i).leaders.back().first == NodeId{static_cast<std::uint64_t>(first)};
    }));
  }
  c.rt(first).stop();  // the leader goes away: the others elect another and say so
  int second = 0;
  ASSERT_TRUE(eventually([&] {
    for (int i = 1; i <= 3; ++i) {
      if (i != first && c.rt(i).status().role == raft::Role::kLeader) second = i;
    }
    return second != 0;
  }));
  const int other = 6 - first - second;
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(c.node(other).mu);
    return c.node(other).leaders.back().first == NodeId{static_cast<std::uint64_t>(second)};
  }));
  const raftkv::RuntimeStatus s = c.rt(second).status();
  EXPECT_EQ(s.leader, NodeId{static_cast<std::uint64_t>(second)});
  EXPECT_GT(s.term, raft::Term{1});
  EXPECT_TRUE(c.rt(other).propose("add c 1").get().ok());
}

TEST(Runtime, OversizedCommandAndLeaderlessRequestsFailDefinitely) {
  Cluster c(3);
  ASSERT_NE(c.leader(), 0);
  const raftkv::Outcome big = c.rt(1).propose(std::string(8192, 'x')).get();
  EXPECT_EQ(big.status, raft::Outcome::Status::kTooLarge);
  // A node cut off from the others cannot find a leader: a read fails as unavailable.
  const int lone = c.leader() % 3 + 1;  // a follower
  c.rt(lone).isolate(true);
  raftkv::Outcome o;
  ASSERT_TRUE(eventually([&] {
    o = c.rt(lone).read("get c").get();
    return !o.ok();
  }));
  EXPECT_TRUE(o.definite_failure()) << o.error;
  c.rt(lone).isolate(false);
  ASSERT_TRUE(eventually([&] { return c.rt(lone).read("get c").get().ok(); }));
}

TEST(Runtime, RestartFromTheDataDirectoryRestoresSnapshotAndLog) {
  const std::string dir = ::testing::TempDir() + "runtime_restart";
  std::filesystem::remove_all(dir);
  {
    Cluster c(1, dir, /*snapshot_entries=*/10);
    ASSERT_EQ(c.leader(), 1);
    for (int k = 0; k < 25; ++k) ASSERT_TRUE(c.rt(1).propose("add c 2").get().ok());
  }
  Cluster again(1, dir, 10);  // same ports are not needed: one node talks to nobody
  ASSERT_EQ(again.leader(), 1);
  const raftkv::Outcome o = again.rt(1).read("get c").get();
  ASSERT_TRUE(o.ok()) << o.error;
  EXPECT_EQ(o.result, "50");
  std::filesystem::remove_all(dir);
}

}  // namespace
