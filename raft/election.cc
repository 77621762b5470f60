// Leader election (§5.2), the election restriction (§5.4.1), pre-vote (thesis §9.6) and
// check-quorum (thesis §6.2): everything that decides who leads which term.
#include <spdlog/spdlog.h>

#include "raft/planted_bugs_compiled.h"
#include "raft/raft.h"

namespace raft {

void Raft::reset_election_timer() {
  election_elapsed_ = 0;
  // §5.2: "election timeouts are chosen randomly from a fixed interval" -- [T, 2T).
  std::uniform_int_distribution<int> dist(config_.election_tick, 2 * config_.election_tick - 1);
  randomized_election_timeout_ = dist(rng_);
}

void Raft::reset_term(Term term) {
  if (term != term_) {
    term_ = term;
    vote_ = kNoNode;  // A new term: no vote cast in it yet (Figure 2, votedFor).
  }
  leader_ = kNoNode;
  heartbeat_elapsed_ = 0;
  // What we knew of the previous leader's log says nothing about the next one's.
  leader_match_ = log_.committed();
  leader_commit_ = log_.committed();
  reset_election_timer();
}

bool Raft::in_leader_lease() const {
  // With lease reads, a node that just started cannot know whether it answered a leader
  // moments before it crashed -- a leader that may still be serving reads on that lease
  // (§6.4.1). It honours that possible lease for an election timeout after starting.
  if (config_.check_quorum && config_.lease_read && now_ < static_cast<std::uint64_t>(config_.election_tick)) {
    return true;
  }
  return config_.check_quorum && !leader_.is_none() &&
         election_elapsed_ < config_.election_tick;
}

void Raft::tick_election() {
  ++election_elapsed_;
  if (!is_promotable() || election_elapsed_ < randomized_election_timeout_) return;
  // §5.2: "If a follower receives no communication over a period of time called the
  // election timeout, then it assumes there is no viable leader and begins an election."
  election_elapsed_ = 0;
  campaign();
}

void Raft::tick_heartbeat() {
  Leader& l = std::get<Leader>(role_);
  ++heartbeat_elapsed_;
  ++election_elapsed_;
  if (election_elapsed_ >= config_.election_tick) {
    election_elapsed_ = 0;
    if (config_.check_quorum) {
      // Check-quorum: a leader cut off from a majority stops claiming leadership (its
      // reads would be unconfirmable and its writes uncommittable anyway) and lets the
      // majority side elect someone without having to wait for it.
      const std::uint64_t active = voters_.quorum_value([&](NodeId n) -> std::uint64_t {
        return n == id() || l.progress.at(n).recent_active ? 1 : 0;
      });
      if (active == 0) {
        logger_->info("{}: stepping down at term {}: no quorum heard from", id().value(),
                      term_.value());
        become_follower(term_, kNoNode);
        return;
      }
    }
    // One line when a peer falls silent for a whole election timeout (and one when it
    // answers again, in replication.cc): a stalled cluster explains itself from stderr.
    for (auto& [peer, pr] : l.progress) {
      if (!pr.recent_active && !pr.reported_silent) {
        pr.reported_silent = true;
        logger_->info("{}: peer {} has not answered for an election timeout (leader at term {}, its match {})",
                      id().value(), peer.value(), term_.value(), pr.match().value());
      }
      pr.recent_active = false;
    }
  }
  tick_transfer(l);
  if (heartbeat_elapsed_ >= config_.heartbeat_tick) {
    heartbeat_elapsed_ = 0;
    broadcast_heartbeat(l);
  }
}

void Raft::campaign() {
  // A leader already leads: an election would only cost it its term (and demote it).
  if (leader_state() || !is_promotable()) return;
  if (config_.pre_vote) {
    start_pre_vote();
  } else {
    start_election();
  }
}

void Raft::become_follower(Term term, NodeId leader) {
  if (Leader* l = leader_state()) drop_leader_reads(*l);
  reset_term(term);
  role_ = Follower{};
  leader_ = leader;
}

void Raft::become_pre_candidate() {
  if (Leader* l = leader_state()) drop_leader_reads(*l);
  // Neither term nor vote changes: a pre-vote round must leave no trace if it fails.
  role_ = PreCandidate{};
  leader_ = kNoNode;
}

void Raft::become_candidate() {
  if (Leader* l = leader_state()) drop_leader_reads(*l);
  // §5.2: "a follower increments its current term and transitions to candidate state. It
  // then votes for itself".
  reset_term(term_.next());
  vote_ = id();
  role_ = Candidate{};
}

void Raft::become_leader() {
  reset_term(term_);
  leader_ = id();
  Leader l;
  role_ = std::move(l);
  // Figure 2: nextIndex starts just past the leader's last entry; matchIndex at 0. Every
  // member gets one, learners too: they receive the log, they just do not count.
  sync_progress(std::get<Leader>(role_));
  logger_->info("{}: became leader at term {}", id().value(), term_.value());
  // §5.4.2 / §8: a leader cannot commit entries of earlier terms by counting replicas;
  // it appends an entry of its own term, whose commit commits everything before it.
  log_.append({Entry{term_, log_.last_index().next(), EntryType::kNoop, {}}});
  broadcast_pending_ = true;
  if (maybe_commit(std::get<Leader>(role_))) broadcast_pending_ = true;
}

void Raft::start_pre_vote() {
  // An isolated node retries every election timeout; only the first round after losing its
  // leader (or a lost round) is worth a line at info.
  const bool retry = std::holds_alternative<PreCandidate>(role_);
  const NodeId lost_leader = leader_;
  become_pre_candidate();
  auto& votes = std::get<PreCandidate>(role_).votes;
  votes[id()] = true;
  if (retry) {
    logger_->debug("{}: pre-vote for term {} again", id().value(), term_.next().value());
  } else if (!lost_leader.is_none()) {
    logger_->info("{}: no word from leader {} for an election timeout; starting pre-vote for term {}",
                  id().value(), lost_leader.value(), term_.next().value());
  } else {
    logger_->info("{}: starting pre-vote for term {}", id().value(), term_.next().value());
  }
  for (NodeId peer : voters_.voters()) {
    if (peer != id()) {
      send(peer, VoteRequest{true, log_.last_index(), log_.last_term()}, term_.next());
    }
  }
  tally_votes(votes, /*pre_vote=*/true);
}

void Raft::start_election(bool transfer) {
  become_candidate();
  auto& votes = std::get<Candidate>(role_).votes;
  votes[id()] = true;
  logger_->info("{}: starting election for term {}{}", id().value(), term_.value(),
                transfer ? " (leadership transfer)" : "");
  for (NodeId peer : voters_.voters()) {
    if (peer != id()) {
      send(peer, VoteRequest{false, log_.last_index(), log_.last_term(), transfer});
    }
  }
  tally_votes(votes, /*pre_vote=*/false);
}

void Raft::tally_votes(std::unordered_map<NodeId, bool>& votes, bool pre_vote) {
  const VoteResult result = voters_.vote_result([&](NodeId n) -> std::optional<bool> {
    auto it = votes.find(n);
    if (it == votes.end()) return std::nullopt;
    return it->second;
  });
  if (result == VoteResult::kWon) {
    if (pre_vote) {
      start_election();
    } else {
      become_leader();
    }
  } else if (result == VoteResult::kLost) {
    logger_->info("{}: lost the {} for term {}", id().value(), pre_vote ? "pre-vote" : "election",
                  pre_vote ? term_.next().value() : term_.value());
    become_follower(term_, kNoNode);
  }
}

// RequestVote receiver (Figure 2): grant if we have not voted for someone else in this
// term and the candidate's log is at least as up-to-date as ours (§5.4.1).
void Raft::handle_vote_request(const Message& m) {
  const auto& req = std::get<VoteRequest>(m.body);
  const bool can_vote =
      vote_ == m.from ||                             // a repeat of a vote we gave
      (vote_.is_none() && leader_.is_none()) ||      // free to vote in this term
      (req.pre_vote && m.term > term_);              // a pre-vote is about a future term
  if (can_vote && log_.is_up_to_date(req.last_log_index, req.last_log_term)) {
    if (!req.pre_vote) {
      vote_ = m.from;
      election_elapsed_ = 0;  // Granting a vote defers our own candidacy.
    }
    // A granted pre-vote answer carries the term it was asked about.
    send(m.from, VoteResponse{req.pre_vote, true}, req.pre_vote ? m.term : term_);
  } else {
    send(m.from, VoteResponse{req.pre_vote, false});
  }
}

void Raft::handle_vote_response(const Message& m) {
  const auto& resp = std::get<VoteResponse>(m.body);
  if (auto* pc = std::get_if<PreCandidate>(&role_); pc && resp.pre_vote) {
    pc->votes.emplace(m.from, resp.granted);
    tally_votes(pc->votes, true);
  } else if (auto* c = std::get_if<Candidate>(&role_); c && !resp.pre_vote) {
    c->votes.emplace(m.from, resp.granted);
    tally_votes(c->votes, false);
  }
}

}  // namespace raft
