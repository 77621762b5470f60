// Carrying out the fault schedule, and the end of all faults.
#include "raftsim/simulator.h"

namespace raftsim {

std::vector<SimNode*> Simulator::targets(int id) {
  std::vector<SimNode*> out;
  for (auto& n : nodes_) {
    if (id == 0 || n->id() == id) out.push_back(n.get());
  }
  return out;
}

int Simulator::current_leader() const {
  const raft::Raft* best = nullptr;
  for (const auto& n : nodes_) {
    if (n->up() && n->raft().is_leader() && (best == nullptr || n->raft().term() > best->term())) {
      best = &n->raft();
    }
  }
  return best == nullptr ? 0 : static_cast<int>(best->id().value());
}

void Simulator::leader_elected(int id) {
  // Faults waiting for the next election hit its winner, after their delay.
  for (Fault f : waiting_for_leader_) {
    f.node = id;
    f.at = now_ + f.delay;
    faults_.push_back(f);
    queue_.push(f.at, FaultEvent{faults_.size() - 1});
  }
  waiting_for_leader_.clear();
  if (config_.membership.enabled() && rng_.chance(config_.membership.after_election)) {
    queue_.push(now_ + rng_.uniform(0, millis(5)), MembershipEvent{false});
  }
}

void Simulator::apply_fault(Fault f) {
  if (faults_over_) return;
  const std::string text = "FAULT " + describe(f, config_.cluster.nodes);
  if (f.node == kNextLeader) {
    note(text + " (armed)");
    waiting_for_leader_.push_back(f);
    return;
  }
  if (f.node == kLeader) {
    f.node = current_leader();
    if (f.node == 0) {
      note(text + " (skipped: no leader)");
      return;
    }
    note(text + " (n" + std::to_string(f.node) + ")");
  } else {
    note(text);
  }
  switch (f.kind) {
    case Fault::Kind::kPartition: cuts_ = make_cuts(f.partition, config_.cluster.nodes); break;
    case Fault::Kind::kIsolate:
      cuts_ = Cuts{};
      for (int other = 1; other <= config_.cluster.nodes; ++other) {
        if (other != f.node) cuts_.cut_both(f.node, other);
      }
      break;
    case Fault::Kind::kHeal: cuts_ = Cuts{}; break;
    case Fault::Kind::kNetwork:
      loss_ = f.loss;
      dup_ = f.dup;
      break;
    case Fault::Kind::kCrash:
      for (SimNode* n : targets(f.node)) crash(*n, "crashed");
      break;
    case Fault::Kind::kCrashAtPersist:
      for (SimNode* n : targets(f.node)) {
        if (n->up()) n->storage().arm(f.persist_point);
      }
      break;
    case Fault::Kind::kRestart:
      for (SimNode* n : targets(f.node)) restart(*n);
      break;
    case Fault::Kind::kPause:
      for (SimNode* n : targets(f.node)) pause(*n);
      break;
    case Fault::Kind::kResume:
      for (SimNode* n : targets(f.node)) resume(*n);
      break;
    case Fault::Kind::kCorrupt:
      for (SimNode* n : targets(f.node)) corrupt(*n);
      break;
  }
}

raft::testing::MemoryFileSystem::Pick Simulator::disk_pick() {
  return [this](std::uint64_t n) {
    return static_cast<std::uint64_t>(rng_.uniform(0, static_cast<std::int64_t>(n)));
  };
}

void Simulator::corrupt(SimNode& n) {
  // Bit rot is found when the log is next read: crash the node, flip a bit in a stored
  // record, restart it. The restart must refuse the log; a node that comes back up is
  // serving damaged data.
  if (!n.up()) {
    note("n" + std::to_string(n.id()) + " is down: no corruption");
    return;
  }
  // Raft survives the loss of a minority; more lost disks than that is beyond any protocol.
  std::size_t broken = 0;
  for (const auto& other : nodes_) broken += other->broken.empty() ? 0 : 1;
  if (config_.membership.enabled() ? !may_rot(n)
                                   : broken + 1 > static_cast<std::size_t>((config_.cluster.nodes - 1) / 2)) {
    note("n" + std::to_string(n.id()) + ": no corruption (a majority of disks must stay sound)");
    return;
  }
  crash(n, "crashed (its disk is about to rot)");
  const std::string where = n.storage().corrupt(disk_pick());
  if (where.empty()) {
    note("n" + std::to_string(n.id()) + " has too short a log to corrupt");
    restart(n);
    return;
  }
  ++stats_.corruptions;
  note("n" + std::to_string(n.id()) + ": flipped " + where);
  restart(n);
  if (n.up()) {
    sim_violations_.push_back("disk corruption not detected: n" + std::to_string(n.id()) +
                              " restarted over a flipped bit at " + where + " (at " +
                              format_time(now_) + ")");
  }
}

void Simulator::end_faults() {
  note("END OF FAULTS: heal, clean network, restart and resume every node");
  faults_over_ = true;
  waiting_for_leader_.clear();
  cuts_ = Cuts{};
  loss_ = dup_ = 0;
  for (auto& n : nodes_) {
    if (n->up()) n->storage().arm_cancel();
    restart(*n);  // (a node whose disk was refused stays down)
    resume(*n);
  }
}

void Simulator::crash(SimNode& n, const char* how) {
  if (!n.up()) return;
  ++stats_.crashes;
  note("n" + std::to_string(n.id()) + " " + how);
  n.crash(disk_pick());
}

void Simulator::restart(SimNode& n) {
  if (n.up() || !n.broken.empty()) return;
  ++stats_.restarts;
  raft::ServiceConfig sc = service_config(n.id());
  sc.raft.seed = rng_.next() | 1;
  if (const std::string error = n.start(sc, workload_->make_state_machine()); !error.empty()) {
    ++stats_.refused_restarts;
    note("n" + std::to_string(n.id()) + " refused to start, and stays down: " + error);
    return;
  }
  checker_.observe_restart(raft::NodeId{static_cast<std::uint64_t>(n.id())},
                           n.storage().snapshot().meta.index);
  note("n" + std::to_string(n.id()) + " restarted (incarnation " +
       std::to_string(n.incarnation()) + ", term " + std::to_string(n.raft().term().value()) +
       ", log " + std::to_string(n.raft().log().last_index().value()) + ")");
  observe(n);
}

void Simulator::pause(SimNode& n) {
  if (!n.up() || n.paused) return;
  n.paused = true;
  n.paused_at = now_;
  note("n" + std::to_string(n.id()) + " paused");
}

void Simulator::resume(SimNode& n) {
  if (!n.paused) return;
  n.paused = false;
  note("n" + std::to_string(n.id()) + " resumed with " + std::to_string(n.deferred.size()) +
       " waiting events");
  // A stopped process's tick timer skips the runs it missed. A host serving lease reads
  // must not (raft::Config::lease_read): it delivers every tick the clock owes before it
  // handles anything, as raft-kv does.
  if (config_.cluster.lease_read) {
    // n.up() each time: a tick's output may crash the node (a disk fault it fail-stops on).
    for (Micros t = n.paused_at + config_.cluster.tick; t <= now_ && n.up(); t += config_.cluster.tick) {
      ++stats_.ticks;
      n.service().tick();
      after_event(n);
    }
  }
  // What arrived meanwhile is handled now, in arrival order (partitions are re-checked).
  std::deque<EventBody> waiting;
  waiting.swap(n.deferred);
  for (EventBody& body : waiting) {
    if (std::holds_alternative<DeliverEvent>(body)) ++messages_queued_;
    queue_.push(now_, std::move(body));
  }
}

}  // namespace raftsim
