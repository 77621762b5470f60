// Membership changes (thesis chapter 4): which configuration is in effect, and what a
// leader does when one commits.
//
// §4.1: "a server always uses the latest configuration in its log, regardless of whether
// the entry is committed". So a configuration takes effect on append -- on the leader
// when it proposes it, on a follower when AppendEntries brings it -- and a follower whose
// uncommitted suffix is replaced falls back to the configuration before it.
#include <spdlog/spdlog.h>

#include "raft/fail_stop.h"
#include "raft/planted_bugs_compiled.h"
#include "raft/raft.h"

namespace raft {

namespace {

ConfState conf_of(const SnapshotMeta& m) {
  return ConfState{m.voters, m.voters_outgoing, m.learners};
}

ConfState bootstrap(std::vector<NodeId> voters) {
  std::sort(voters.begin(), voters.end());
  voters.erase(std::unique(voters.begin(), voters.end()), voters.end());
  return ConfState{std::move(voters), {}, {}};
}

}  // namespace

// On start the configuration comes back from what survived: the snapshot's (§5.1), then
// every configuration entry after it in the log; a node with neither uses the bootstrap
// list (Config::voters), which is empty for a node added to a running cluster.
void Raft::load_configuration(const Storage& storage) {
  const Snapshot snap = storage.snapshot();
  ConfState base = conf_of(snap.meta);
  if (base.voters.empty()) base = bootstrap(config_.voters);
  conf_log_.reset(snap.meta.index, std::move(base));
  constexpr std::size_t kChunkBytes = 4 << 20;
  for (Index lo = storage.first_index(); lo <= storage.last_index();) {
    std::vector<Entry> chunk = storage.entries(lo, storage.last_index().next(), kChunkBytes);
    if (chunk.empty()) fail_stop("raft: storage returned no entries at " + std::to_string(lo.value()));
    lo = chunk.back().index.next();
    std::erase_if(chunk, [](const Entry& e) { return e.type != EntryType::kConfig; });
    conf_log_.on_entries(chunk);
  }
  apply_configuration();
}

void Raft::apply_configuration() {
  const ConfState* effective = &conf_log_.latest();
  conf_index_ = conf_log_.latest_index();
  if constexpr (kPlantedBugsCompiled) {
    if (config_.planted_bugs.config_on_commit) {
      effective = &conf_log_.at(log_.committed());
      conf_index_ = conf_log_.index_at(log_.committed());
    }
  }
  if (*effective == conf_) return;
  logger_->info("{}: configuration {} -> {} (entry {})", id().value(), conf_.describe(),
                effective->describe(), conf_index_.value());
  conf_ = *effective;
  voters_ = JointConfig(conf_.voters, conf_.voters_outgoing);
  if (Leader* l = leader_state()) sync_progress(*l);
}

// A node the latest configuration removes keeps receiving the log until that
// configuration commits: so it appends the entry that removes it, learns it is no longer
// a voter, and stops campaigning (§4.2.2's "disruptive servers" then stay quiet).
void Raft::sync_progress(Leader& leader) {
  std::vector<NodeId> members = conf_.members();
  const std::vector<NodeId> committed = conf_log_.at(log_.committed()).members();
  leader.prune_pending = false;
  for (NodeId n : committed) {
    if (std::binary_search(members.begin(), members.end(), n)) continue;
    leader.prune_pending = true;
    members.push_back(n);
  }
  std::sort(members.begin(), members.end());
  std::erase_if(leader.progress, [&](const auto& p) {
    return !std::binary_search(members.begin(), members.end(), p.first);
  });
  for (NodeId n : members) {
    if (n == id() || leader.progress.contains(n)) continue;
    auto [it, inserted] = leader.progress.emplace(
        n, Progress(log_.last_index().next(), config_.max_inflight_msgs));
    // A newcomer has had no chance to answer yet: it must not count as silent at the next
    // check-quorum (etcd does the same).
    it->second.recent_active = true;
  }
  if (!leader.transfer_target.is_none() && !conf_.is_voter(leader.transfer_target)) {
    leader.transfer_target = kNoNode;  // the target is no longer a voter
  }
}

// Campaigning under a configuration that does not list us is what lets a cluster recover
// when the only node holding a new configuration is the one it removes: say C_old = {1,3}
// and leader 1 appends C_new = {3}, then loses contact before 3 has it. Node 3 (still on
// C_old) needs 1's vote, which 1 refuses (its log is longer); 1 must win instead, with
// the votes C_new asks for (3's), commit C_new, and then step down (§4.2.2). Its own vote
// does not count (the quorum rules count C_new's voters only), so this is as safe as any
// election. A learner was never a voter: it never campaigns.
bool Raft::is_promotable() const {
  if (conf_.is_voter(id())) return true;
  return conf_log_.latest_index() > log_.committed() &&
         conf_log_.at(log_.committed()).is_voter(id());
}

Proposal Raft::append_configuration(ConfState next) {
  const Index index = log_.last_index().next();
  const std::vector<Entry> entry{Entry{term_, index, EntryType::kConfig, encode_conf_state(next)}};
  log_.append(entry);
  conf_log_.on_entries(entry);
  apply_configuration();
  broadcast_pending_ = true;
  // A lease earned under the previous quorum rules proves nothing under these (§6.4.1).
  if (Leader* l = leader_state()) l->lease_min_round = l->reads.newest_round() + 1;
  return Proposal{index, term_};
}

Expected<Proposal, AdminError> Raft::propose_conf_change(const ConfChangeRequest& request) {
  using Code = AdminError::Code;
  Leader* l = leader_state();
  if (!l) return Unexpected{AdminError{Code::kNotLeader, leader_, {}}};
  if (!l->transfer_target.is_none()) {
    return Unexpected{AdminError{Code::kTransferring, id(), std::to_string(l->transfer_target.value())}};
  }
  const ConfState& latest = conf_log_.latest();
  // §4.1: one change at a time -- the next may begin only once the last one committed
  // (and, after a joint change, once C_new committed).
  if (conf_log_.latest_index() > log_.committed() || latest.joint()) {
    return Unexpected{AdminError{Code::kChangePending, id(),
                                 latest.describe() + " at index " +
                                     std::to_string(conf_log_.latest_index().value())}};
  }
  Expected<ConfState, std::string> target = target_configuration(latest, request.changes);
  if (!target) return Unexpected{AdminError{Code::kInvalid, id(), target.error()}};
  ConfState next = std::move(*target);
  const std::size_t changed = voters_changed(latest, next);
  if (changed > 1 || (request.joint && changed > 0)) {
    // §4.3: joint consensus C_old,new; the leader leaves it once it commits.
    next.voters_outgoing = latest.voters;
  } else if (changed == 1) {
    // §4.2 and its 2015 erratum: a new leader may hold an uncommitted single-server change
    // of an earlier term it does not know about; until an entry of its own term commits,
    // a second change could form a majority disjoint from the first's.
    bool allowed = committed_in_current_term();
    if constexpr (kPlantedBugsCompiled) {
      if (config_.planted_bugs.single_server_change_before_commit) allowed = true;
    }
    if (!allowed) return Unexpected{AdminError{Code::kNotYetCommitted, id(), {}}};
  }
  logger_->info("{}: proposing configuration {}", id().value(), next.describe());
  return append_configuration(std::move(next));
}

void Raft::on_leader_commit(Leader& leader) {
  if constexpr (kPlantedBugsCompiled) {
    if (config_.planted_bugs.config_on_commit) apply_configuration();
  }
  if (conf_log_.latest_index() > log_.committed()) return;
  if (leader.prune_pending) {
    // Last words to the nodes this configuration removed: the commit index, so they know
    // their removal is committed and stop campaigning (is_promotable).
    for (auto& [n, pr] : leader.progress) {
      if (conf_.is_member(n)) continue;
      maybe_send_append(leader, n, true);
      send(n, HeartbeatRequest{std::min(pr.match(), log_.committed()), 0});
    }
    sync_progress(leader);
  }
  const ConfState& latest = conf_log_.latest();
  if (latest.joint()) {
    // §4.3: "Once C_old,new has been committed ... the leader creates a log entry
    // describing C_new and replicates it to the cluster."
    append_configuration(ConfState{latest.voters, {}, latest.learners});
    return;
  }
  if (!latest.is_voter(id())) {
    // §4.2.2: a leader removed from the configuration steps down once C_new is committed.
    // It tells the followers the commit index first, so they need not wait for the next
    // leader to learn that the configuration is in force.
    broadcast_append(leader);
    logger_->info("{}: stepping down at term {}: no longer a voter in {}", id().value(),
                  term_.value(), latest.describe());
    become_follower(term_, kNoNode);
  }
}

void Raft::on_follower_append(const std::vector<Entry>& entries) {
  conf_log_.on_entries(entries);
  conf_log_.forget_after(log_.last_index());
  apply_configuration();
}

void Raft::on_snapshot_restored(const SnapshotMeta& meta) {
  // §5.1: the snapshot carries the configuration as of its index. One without (written by
  // an older version) keeps the one this node knew at that index.
  ConfState c = conf_of(meta);
  if (c.voters.empty()) c = conf_log_.at(meta.index);
  conf_log_.reset(meta.index, std::move(c));
  apply_configuration();
}

}  // namespace raft
