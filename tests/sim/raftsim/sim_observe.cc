// Watching the run: the invariant checker after every event a node handles, role changes
// for the timeline, the stable leader after the faults end, and the final checks.
#include <limits>
#include <set>

#include "raft/replicated_state.h"
#include "raftsim/simulator.h"

namespace raftsim {


void Simulator::after_event(SimNode& n) {
  if (n.died_in_persist()) {
    // Everything the node did after the dropped persist was discarded as it happened;
    // its state past that point never existed, so it is not observed either.
    ++stats_.persist_crashes;
    crash(n, "died inside a persist (that write is lost)");
    return;
  }
  ++n.events;
  observe(n);
  check_snapshot(n);
  note_role_change(n);
  if (faults_over_ && !stable_leader_at_) check_stable_leader();
}

void Simulator::observe(SimNode& n) {
  const raft::Raft& r = n.raft();
  if (config_.membership.enabled()) note_configuration(r);
  if (!r.vote().is_none() && (r.vote() != n.last_vote || r.term() != n.last_vote_term)) {
    n.last_vote = r.vote();
    n.last_vote_term = r.term();
    record_vote(n.id(), r.term().value(), static_cast<int>(r.vote().value()));
  }
  const int every = std::max(1, config_.checks.observe_every);
  if (every == 1 || n.events % static_cast<std::uint64_t>(every) == 0 || r.is_leader()) {
    ++stats_.observations;
    checker_.observe(r);
  }
}

// Applies and snapshot restores reach the checker as they happen (ServiceHost hooks): a node
// may compact its log in the very event that applied the entries.
void Simulator::node_applied(int node, const raft::Entry& entry, raft::Term term) {
  checker_.observe_applied(raft::NodeId{static_cast<std::uint64_t>(node)}, entry, term);
  const std::uint64_t index = entry.index.value();
  if (index < reference_fingerprints_.size()) return;  // the reference has it already
  std::optional<std::string> envelope;
  if (entry.type == raft::EntryType::kNormal) {
    if (const auto cmd = raft::decode_client_command(entry.data.view())) {
      applied_commands_.emplace(
          index, AppliedCommand{cmd->origin, cmd->seq, std::string(cmd->payload)});
      envelope = entry.data.str();
    }
  }
  reference_queue_.emplace(index, std::move(envelope));
  advance_reference();
}

void Simulator::advance_reference() {
  for (auto it = reference_queue_.begin();
       it != reference_queue_.end() && it->first == reference_fingerprints_.size();
       it = reference_queue_.erase(it)) {
    if (it->second) (void)reference_.apply(*raft::decode_client_command(*it->second));
    reference_fingerprints_.push_back(workload_->fingerprint(*reference_machine_));
  }
}

// §7: a snapshot is the state after applying exactly the entries it covers. Checked on
// every snapshot a node stores, taken (compaction) or received (install).
void Simulator::check_snapshot(SimNode& n) {
  // The stored snapshot's index, without copying it (this runs after every event).
  if (n.storage().first_index().prev() == n.snapshot_checked) return;
  const raft::Snapshot snap = n.storage().snapshot();
  n.snapshot_checked = snap.meta.index;
  const std::uint64_t i = snap.meta.index.value();
  const std::string where = "node " + std::to_string(n.id()) + "'s snapshot at index " +
                            std::to_string(i) + " (at " + format_time(now_) + ")";
  if (i >= reference_fingerprints_.size()) {
    sim_violations_.push_back("Snapshot content: " + where + " covers entries no node applied");
    return;
  }
  // The machine's part only: the dedup state is checked where it matters, by the
  // exactly-once properties of the history (and decoding it here cost 8 % of a run).
  const std::unique_ptr<raft::StateMachine> machine = workload_->make_state_machine();
  std::string error;
  const auto part = raft::ReplicatedState::machine_part(snap.data.view(), error);
  if (part) error = machine->restore(*part);
  if (!error.empty()) {
    sim_violations_.push_back("Snapshot content: " + where + " does not restore: " + error);
  } else if (workload_->fingerprint(*machine) != reference_fingerprints_[i]) {
    sim_violations_.push_back("Snapshot content: " + where +
                              " differs from the state after applying the committed log up to it");
  }
}

void Simulator::node_restored(int node, const raft::SnapshotMeta& meta) {
  ++stats_.snapshots_installed;
  if (config_.timeline != nullptr) {
    note("n" + std::to_string(node) + " restored the leader's snapshot at index " +
         std::to_string(meta.index.value()) + " (term " + std::to_string(meta.term.value()) + ")");
  }
  checker_.observe_snapshot(raft::NodeId{static_cast<std::uint64_t>(node)}, meta);
}

void Simulator::note_role_change(SimNode& n) {
  const raft::Raft& r = n.raft();
  if (r.role() == n.last_role && r.term() == n.last_term && r.leader() == n.last_leader) return;
  n.last_role = r.role();
  n.last_term = r.term();
  n.last_leader = r.leader();
  const bool elected = r.is_leader() && leaders_seen_.emplace(n.id(), r.term().value()).second;
  if (elected) ++stats_.elections_won;
  if (config_.timeline != nullptr) {
    std::string text = "n" + std::to_string(n.id()) + " " + raft::role_name(r.role()) + " term " +
                       std::to_string(r.term().value());
    if (!r.is_leader() && !r.leader().is_none()) {
      text += ", follows n" + std::to_string(r.leader().value());
    }
    if (r.is_leader()) text += "  <== LEADER";
    note(text);
  }
  if (elected) leader_elected(n.id());
}

void Simulator::check_stable_leader() {
  const raft::Raft* leader = nullptr;
  for (auto& n : nodes_) {
    if (!n->broken.empty()) continue;  // its disk was refused: down for good
    if (!counts_for_liveness(n->id())) continue;
    if (!n->up() || n->paused) return;
    if (n->raft().is_leader()) {
      if (leader != nullptr) return;
      leader = &n->raft();
    }
  }
  if (leader == nullptr) return;
  if (config_.membership.enabled() && !configuration_settled(*leader)) return;
  for (auto& n : nodes_) {
    if (!n->broken.empty() || !counts_for_liveness(n->id())) continue;
    if (n->raft().leader() != leader->id() || n->raft().term() != leader->term()) return;
  }
  stable_leader_at_ = now_;
  note("stable leader n" + std::to_string(leader->id().value()) + " (term " +
       std::to_string(leader->term().value()) + "), " +
       format_duration(now_ - config_.schedule.end) + " after the faults ended");
}

void Simulator::check_log_matching() {
  std::vector<const raft::Raft*> live;
  for (auto& n : nodes_) {
    if (n->up()) live.push_back(&n->raft());
  }
  checker_.check_log_matching(live);
}

// Log Matching (§5.3) above the committed prefixes: if two logs hold an entry with the
// same index and term, they are identical up to it. Cheap enough to run often.
void Simulator::check_tail_log_matching() {
  for (std::size_t a = 0; a < nodes_.size(); ++a) {
    for (std::size_t b = a + 1; b < nodes_.size(); ++b) {
      if (!nodes_[a]->up() || !nodes_[b]->up()) continue;
      const raft::RaftLog& la = nodes_[a]->raft().log();
      const raft::RaftLog& lb = nodes_[b]->raft().log();
      // Below a log's first index its snapshot holds committed entries only.
      const raft::Index lo = std::max({std::min(la.committed(), lb.committed()),
                                       la.first_index().prev(), lb.first_index().prev()});
      raft::Index i = std::min(la.last_index(), lb.last_index());
      while (i > lo && la.term(i) != lb.term(i)) i = i.prev();
      for (raft::Index j = i; j > lo; j = j.prev()) {
        if (!(la.entry_at(j) == lb.entry_at(j))) {
          sim_violations_.push_back(
              "Log Matching: nodes " + std::to_string(nodes_[a]->id()) + " and " +
              std::to_string(nodes_[b]->id()) + " agree at index " + std::to_string(i.value()) +
              " but differ at " + std::to_string(j.value()) + " (at " + format_time(now_) + ")");
          break;
        }
      }
    }
  }
}

void Simulator::finish(SimResult& r) {
  check_log_matching();
  r.seed = config_.seed;
  r.end = now_;
  r.aborted = aborted_;
  r.stats = stats_;
  r.history = ops_;
  r.workload = workload_;
  // The checker reports a broken invariant again at every later observation: keep one.
  std::set<std::string> seen;
  for (const std::vector<std::string>* list :
       std::initializer_list<const std::vector<std::string>*>{&checker_.violations(), &sim_violations_}) {
    for (const std::string& v : *list) {
      if (seen.insert(v).second) r.safety.push_back(v);
    }
  }
  check_liveness(r);
  check_durability(r);
}

void Simulator::check_liveness(SimResult& r) {
  LivenessEvidence& l = r.liveness;
  l.faults_end = config_.schedule.end;
  l.bound = static_cast<Micros>(config_.checks.leader_within_timeouts) *
            config_.cluster.election_tick * config_.cluster.tick;
  l.stable_leader_at = stable_leader_at_;
  l.checked = config_.duration >= l.faults_end + l.bound + config_.workload.timeout;
  // Liveness is owed only once a quorum of the final configuration is up (sound disks).
  if (config_.membership.enabled() && !final_quorum_sound()) l.checked = false;
  if (!stable_leader_at_) return;
  for (const ClientOp& op : ops_) {
    if (op.call < *stable_leader_at_ || op.call + config_.workload.timeout > config_.duration) continue;
    // A node whose disk was refused is down for good; its clients can only time out.
    if (!node(op.node).broken.empty()) continue;
    if (!counts_for_liveness(op.node)) continue;  // a spare or a removed node
    if (!op.applied()) {
      l.stuck_ops.push_back(describe(op, *workload_) + " (called at " + format_time(op.call) + ")");
    }
  }
}

void Simulator::check_durability(SimResult& r) {
  // Every acknowledged write was applied -- hence committed -- on its origin node, at some
  // index; the live node that committed most must have committed that index (in its log
  // or in the snapshot that replaced it). Every committed log is a prefix of that node's
  // (State Machine Safety, checked separately), and which command sits at an index is
  // recorded as nodes apply it: a compacted log no longer holds the commands.
  // (A live node's log is its disk's: every persist syncs before returning. Its commit
  // index is the one in memory -- the log writes a commit-only change with the next record.)
  const SimStorage* best = nullptr;
  for (auto& n : nodes_) {
    if (!n->up()) continue;
    if (best == nullptr || n->storage().hard_state().commit > best->hard_state().commit) {
      best = &n->storage();
    }
  }
  std::map<std::pair<std::uint64_t, std::uint64_t>, const std::string*> committed;
  const raft::Index commit = best == nullptr ? raft::Index{0} : best->hard_state().commit;
  for (const auto& [index, cmd] : applied_commands_) {
    if (index > commit.value()) break;
    committed.emplace(std::make_pair(cmd.origin.value(), cmd.seq), &cmd.payload);
  }
  for (const ClientOp& op : ops_) {
    if (!op.is_command() || !op.applied()) continue;
    auto it = committed.find({static_cast<std::uint64_t>(op.node), op.seq});
    if (it == committed.end()) {
      r.durability.push_back("lost acknowledged command: " + describe(op, *workload_) +
                             " (answered at " + format_time(op.ret) +
                             ", not in the committed log of " + std::to_string(commit.value()) +
                             " entries)");
    } else if (*it->second != op.request.bytes) {
      r.durability.push_back("simulator bookkeeping error: request " + std::to_string(op.seq) +
                             " of n" + std::to_string(op.node) + " is not " +
                             describe(op, *workload_) +
                             " (has raft::Service changed how it numbers requests?)");
    }
  }
}

}  // namespace raftsim
