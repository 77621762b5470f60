// Raft core throughput: a 3-node in-process cluster on MemoryStorage, messages delivered
// by function call, every Ready carried out in full (persist, send, apply, advance).
// Reports committed entries per second at the leader, for proposals in batches of 1
// (one proposal per Ready) and of 64 (64 proposals share one Ready and one AppendEntries).
//
//   build/bin/raft_core_bench [--benchmark_min_time=2]
#include <benchmark/benchmark.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "raft/raft.h"

namespace {

using namespace raft;

class InProcessCluster {
 public:
  explicit InProcessCluster(std::size_t n) {
    std::vector<NodeId> voters;
    for (std::size_t i = 1; i <= n; ++i) voters.emplace_back(i);
    for (NodeId id : voters) {
      Config c;
      c.id = id;
      c.voters = voters;
      storages_.push_back(std::make_unique<MemoryStorage>());
      nodes_.push_back(std::make_unique<Raft>(c, *storages_.back()));
    }
    nodes_[0]->campaign();
    pump();
  }

  Raft& leader() { return *nodes_[0]; }
  std::uint64_t committed_at_leader() const { return applied_at_leader_; }

  /// Carries out Readies and delivers messages until the cluster is quiet.
  void pump() {
    for (bool busy = true; busy;) {
      busy = false;
      for (std::size_t i = 0; i < nodes_.size(); ++i) {
        Raft& r = *nodes_[i];
        if (!r.has_ready()) continue;
        busy = true;
        Ready rd = r.ready();
        for (Message& m : rd.messages) queue_.push_back(std::move(m));
        if (rd.hard_state) storages_[i]->set_hard_state(*rd.hard_state);
        storages_[i]->append(rd.entries);
        for (Message& m : rd.messages_after_persist) queue_.push_back(std::move(m));
        if (i == 0) applied_at_leader_ += rd.committed_entries.size();
        r.advance(rd);
      }
      while (!queue_.empty()) {
        busy = true;
        Message m = std::move(queue_.front());
        queue_.pop_front();
        nodes_[m.to.value() - 1]->step(m);
      }
    }
  }

 private:
  std::vector<std::unique_ptr<MemoryStorage>> storages_;
  std::vector<std::unique_ptr<Raft>> nodes_;
  std::deque<Message> queue_;
  std::uint64_t applied_at_leader_ = 0;
};

void BM_CommitThreeNodes(benchmark::State& state) {
  const auto batch = static_cast<std::size_t>(state.range(0));
  InProcessCluster cluster(3);
  if (!cluster.leader().is_leader()) {
    state.SkipWithError("no leader elected");
    return;
  }
  const std::string command(16, 'x');  // a small lin-kv style command
  const std::uint64_t before = cluster.committed_at_leader();
  for (auto _ : state) {
    for (std::size_t i = 0; i < batch; ++i) {
      auto r = cluster.leader().propose(command);
      benchmark::DoNotOptimize(r);
    }
    cluster.pump();
  }
  const auto committed = static_cast<double>(cluster.committed_at_leader() - before);
  state.counters["committed_entries_per_s"] =
      benchmark::Counter(committed, benchmark::Counter::kIsRate);
  state.SetItemsProcessed(static_cast<std::int64_t>(committed));
}
BENCHMARK(BM_CommitThreeNodes)->Arg(1)->Arg(64)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
