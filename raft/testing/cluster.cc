#include "raft/testing/cluster.h"

#include <algorithm>
#include <stdexcept>

#include "raft/wal_record.h"

namespace raft::testing {

namespace {
// The test state machine is the list of applied entries; a snapshot is that list in the
// write-ahead log's batch encoding (a format that already exists and is tested).
Bytes encode_state(const std::vector<Entry>& applied) {
  std::string out;
  wal::append_batch(out, std::nullopt, applied);
  return Bytes(std::move(out));
}

std::vector<Entry> decode_state(const Bytes& data) {
  if (data.empty()) return {};
  const wal::ReadResult r = wal::read_record(data.view(), 0);
  auto batch = r.status == wal::ReadStatus::kOk ? wal::parse_batch(r.payload)
                                                : Expected<wal::Batch, std::string>(
                                                      Unexpected{std::string("damaged")});
  if (!batch) throw std::logic_error("Cluster: undecodable snapshot: " + batch.error());
  return std::move(batch->entries);
}
}  // namespace

Cluster::Cluster(std::size_t n, std::uint64_t seed, const std::function<void(Config&)>& tweak)
    : tweak_(tweak), seed_(seed), rng_(seed) {
  std::vector<NodeId> voters;
  for (std::size_t i = 1; i <= n; ++i) voters.emplace_back(i);
  for (NodeId id : voters) {
    ClusterNode cn;
    cn.config.id = id;
    cn.config.voters = voters;
    cn.config.seed = seed * 1000 + id.value();
    if (tweak) tweak(cn.config);
    cn.storage = std::make_unique<MemoryStorage>();
    cn.raft = std::make_unique<Raft>(cn.config, *cn.storage);
    nodes_.emplace(id, std::move(cn));
  }
}

void Cluster::add_node(NodeId id) {
  if (nodes_.contains(id)) throw std::logic_error("Cluster::add_node: node exists");
  ClusterNode cn;
  cn.config.id = id;
  cn.config.seed = seed_ * 1000 + id.value();
  if (tweak_) tweak_(cn.config);
  cn.config.voters.clear();
  cn.storage = std::make_unique<MemoryStorage>();
  cn.raft = std::make_unique<Raft>(cn.config, *cn.storage);
  nodes_.emplace(id, std::move(cn));
}

std::vector<NodeId> Cluster::ids() const {
  std::vector<NodeId> out;
  for (const auto& [id, n] : nodes_) out.push_back(id);
  return out;
}

bool Cluster::process_ready_once(ClusterNode& n) {
  if (!n.raft || !n.raft->has_ready()) return false;
  Ready rd = n.raft->ready();
  for (Message& m : rd.messages) queue_.push_back(std::move(m));
  if (rd.snapshot) {
    n.storage->apply_snapshot(*rd.snapshot);
    checker_.observe_snapshot(n.config.id, rd.snapshot->meta);
    n.applied = decode_state(rd.snapshot->data);
  }
  if (rd.hard_state) n.storage->set_hard_state(*rd.hard_state);
  n.storage->append(rd.entries);
  for (Message& m : rd.messages_after_persist) queue_.push_back(std::move(m));
  for (const Entry& e : rd.committed_entries) {
    checker_.observe_applied(n.config.id, e);
    n.applied.push_back(e);
  }
  for (ReadState& r : rd.read_states) n.reads.push_back(std::move(r));
  for (std::string& c : rd.dropped_reads) n.dropped_reads.push_back(std::move(c));
  n.raft->advance(rd);
  checker_.observe(*n.raft);
  return true;
}

void Cluster::process_ready() {
  for (bool any = true; any;) {
    any = false;
    for (auto& [id, n] : nodes_) any |= process_ready_once(n);
  }
}

void Cluster::tick(NodeId id) {
  if (Raft* r = nodes_.at(id).raft.get()) r->tick();
  process_ready();
}

void Cluster::tick_all() {
  for (auto& [id, n] : nodes_) {
    if (n.raft) n.raft->tick();
  }
  process_ready();
}

bool Cluster::connected(NodeId a, NodeId b) const {
  return !cuts_.contains({a, b}) && !cuts_.contains({b, a});
}

void Cluster::deliver_at(std::size_t i) {
  Message m = std::move(queue_.at(i));
  queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(i));
  auto it = nodes_.find(m.to);
  if (it == nodes_.end()) return;  // a machine that was never started
  ClusterNode& to = it->second;
  if (to.raft && connected(m.from, m.to) && !(filter_ && filter_(m))) to.raft->step(m);
  process_ready();
}

std::size_t Cluster::deliver_all(std::size_t max_messages) {
  process_ready();
  std::size_t delivered = 0;
  while (!queue_.empty() && delivered < max_messages) {
    deliver_at(0);
    ++delivered;
  }
  return delivered;
}

std::vector<Message> Cluster::queued_from(NodeId from) const {
  std::vector<Message> out;
  for (const Message& m : queue_) {
    if (m.from == from) out.push_back(m);
  }
  return out;
}

void Cluster::spread_commit() {
  deliver_all();
  for (int i = 0; i < 2; ++i) {
    for (auto& [id, n] : nodes_) {
      if (!n.raft || !n.raft->is_leader()) continue;
      for (int t = 0; t < n.raft->config().heartbeat_tick; ++t) n.raft->tick();
    }
    process_ready();
    deliver_all();
  }
}

void Cluster::run(int rounds) {
  for (int i = 0; i < rounds; ++i) {
    tick_all();
    deliver_all();
  }
}

NodeId Cluster::leader() const {
  NodeId best = kNoNode;
  Term best_term{0};
  for (const auto& [id, n] : nodes_) {
    if (n.raft && n.raft->is_leader() && n.raft->term() >= best_term) {
      best = id;
      best_term = n.raft->term();
    }
  }
  return best;
}

NodeId Cluster::wait_for_leader(int max_rounds) {
  for (int i = 0; i < max_rounds; ++i) {
    const NodeId l = leader();
    if (!l.is_none()) {
      bool all_know = true;
      for (const auto& [id, n] : nodes_) {
        if (n.raft && connected(id, l) && n.raft->leader() != l) all_know = false;
      }
      if (all_know) return l;
    }
    run(1);
  }
  return kNoNode;
}

void Cluster::elect(NodeId id) {
  node(id).campaign();
  deliver_all();
}

void Cluster::shuffle_queue() { std::shuffle(queue_.begin(), queue_.end(), rng_); }

void Cluster::cut(NodeId a, NodeId b) { cuts_.insert({a, b}); }

void Cluster::isolate(NodeId id) {
  for (const auto& [other, n] : nodes_) {
    if (other != id) cut(id, other);
  }
}

void Cluster::partition(const std::set<NodeId>& side) {
  for (NodeId a : side) {
    for (const auto& [b, n] : nodes_) {
      if (!side.contains(b)) cut(a, b);
    }
  }
}

void Cluster::crash(NodeId id) {
  ClusterNode& n = nodes_.at(id);
  n.raft.reset();
  n.applied.clear();
  std::erase_if(queue_, [&](const Message& m) { return m.to == id; });
}

void Cluster::restart(NodeId id) {
  ClusterNode& n = nodes_.at(id);
  n.raft = std::make_unique<Raft>(n.config, *n.storage);
  const Snapshot snap = n.storage->snapshot();
  n.applied = decode_state(snap.data);
  checker_.observe_restart(id, snap.meta.index);
  checker_.observe(*n.raft);
}

void Cluster::compact(NodeId id) {
  ClusterNode& n = nodes_.at(id);
  n.storage->compact(Snapshot{n.raft->snapshot_meta(), encode_state(n.applied)});
}

Expected<Proposal, NotLeader> Cluster::propose(NodeId id, std::string data) {
  auto r = node(id).propose(std::move(data));
  process_ready();
  return r;
}

Expected<Proposal, AdminError> Cluster::change(NodeId id, const ConfChangeRequest& request) {
  auto r = node(id).propose_conf_change(request);
  process_ready();
  return r;
}

void Cluster::check_log_matching() {
  std::vector<const Raft*> live;
  for (const auto& [id, n] : nodes_) {
    if (n.raft) live.push_back(n.raft.get());
  }
  checker_.check_log_matching(live);
}

}  // namespace raft::testing
