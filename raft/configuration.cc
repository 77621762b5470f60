#include "raft/configuration.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <set>

namespace raft {

namespace {

constexpr char kConfVersion = 1;
// Far more members than any cluster has; bounds what a damaged entry can make us allocate.
constexpr std::uint32_t kMaxListed = 1 << 16;

bool sorted_contains(const std::vector<NodeId>& v, NodeId id) {
  return std::binary_search(v.begin(), v.end(), id);
}

void insert_sorted(std::vector<NodeId>& v, NodeId id) {
  v.insert(std::lower_bound(v.begin(), v.end(), id), id);
}

void erase_sorted(std::vector<NodeId>& v, NodeId id) {
  auto it = std::lower_bound(v.begin(), v.end(), id);
  if (it != v.end() && *it == id) v.erase(it);
}

std::string id_list(const std::vector<NodeId>& v) {
  std::string s = "{";
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) s += ",";
    s += std::to_string(v[i].value());
  }
  return s + "}";
}

void conf_put_u64(std::string& o, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) o.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void conf_put_list(std::string& o, const std::vector<NodeId>& v) {
  const auto n = static_cast<std::uint32_t>(v.size());
  for (int i = 0; i < 4; ++i) o.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  for (NodeId id : v) conf_put_u64(o, id.value());
}

// Reads a counted, strictly ascending list of non-zero ids; false if malformed.
bool conf_get_list(std::string_view& in, std::vector<NodeId>& out) {
  if (in.size() < 4) return false;
  std::uint32_t n = 0;
  for (int i = 0; i < 4; ++i) n |= std::uint32_t{static_cast<unsigned char>(in[i])} << (8 * i);
  in.remove_prefix(4);
  if (n > kMaxListed || in.size() / 8 < n) return false;
  for (std::uint32_t k = 0; k < n; ++k) {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= std::uint64_t{static_cast<unsigned char>(in[i])} << (8 * i);
    in.remove_prefix(8);
    if (v == 0 || (!out.empty() && out.back().value() >= v)) return false;
    out.emplace_back(v);
  }
  return true;
}

}  // namespace

bool ConfState::is_voter(NodeId id) const {
  return sorted_contains(voters, id) || sorted_contains(voters_outgoing, id);
}

bool ConfState::is_learner(NodeId id) const { return sorted_contains(learners, id); }

std::vector<NodeId> ConfState::members() const {
  std::set<NodeId> all(voters.begin(), voters.end());
  all.insert(voters_outgoing.begin(), voters_outgoing.end());
  all.insert(learners.begin(), learners.end());
  return {all.begin(), all.end()};
}

std::string ConfState::describe() const {
  std::string s = joint() ? "joint voters " + id_list(voters) + " outgoing " + id_list(voters_outgoing)
                          : "voters " + id_list(voters);
  if (!learners.empty()) s += " learners " + id_list(learners);
  return s;
}

Bytes encode_conf_state(const ConfState& c) {
  std::string o(1, kConfVersion);
  conf_put_list(o, c.voters);
  conf_put_list(o, c.voters_outgoing);
  conf_put_list(o, c.learners);
  return Bytes(std::move(o));
}

Expected<ConfState, std::string> decode_conf_state(std::string_view data) {
  if (data.empty() || data[0] != kConfVersion) {
    return Unexpected{std::string("configuration entry: unknown version")};
  }
  data.remove_prefix(1);
  ConfState c;
  if (!conf_get_list(data, c.voters) || !conf_get_list(data, c.voters_outgoing) ||
      !conf_get_list(data, c.learners) || !data.empty()) {
    return Unexpected{std::string("configuration entry: malformed member lists")};
  }
  // A learner may still be an outgoing voter while joint (being demoted), never an
  // incoming one.
  for (NodeId l : c.learners) {
    if (sorted_contains(c.voters, l)) return Unexpected{std::string("configuration entry: a learner votes")};
  }
  return c;
}

const char* conf_change_type_name(ConfChangeType t) {
  switch (t) {
    case ConfChangeType::kAddVoter: return "add voter";
    case ConfChangeType::kAddLearner: return "add learner";
    case ConfChangeType::kPromote: return "promote";
    case ConfChangeType::kRemove: return "remove";
  }
  return "?";
}

std::string AdminError::message() const {
  switch (code) {
    case Code::kNotLeader:
      return leader.is_none() ? "not the leader; no leader is known"
                              : "not the leader; the leader is node " + std::to_string(leader.value());
    case Code::kTransferring:
      return "leadership is being transferred to node " + detail + "; retry after it";
    case Code::kChangePending:
      return "another configuration change is still in progress (" + detail + "); retry after it commits";
    case Code::kNotYetCommitted:
      return "this leader has not committed an entry of its term yet, so a single-server change "
             "could overlap one it does not know about (thesis §4.2, the 2015 fix); retry shortly";
    case Code::kInvalid: return "invalid request: " + detail;
  }
  return "?";
}

namespace {

// Applies one step to `c`, or explains why it cannot be applied.
std::optional<std::string> apply_step(ConfState& c, const ConfChange& ch) {
  const std::string who = "node " + std::to_string(ch.node.value());
  switch (ch.type) {
    case ConfChangeType::kAddVoter:
      if (sorted_contains(c.voters, ch.node)) return who + " is already a voter";
      erase_sorted(c.learners, ch.node);  // adding a learner as voter promotes it
      insert_sorted(c.voters, ch.node);
      return std::nullopt;
    case ConfChangeType::kAddLearner:
      if (c.is_learner(ch.node)) return who + " is already a learner";
      // A voter added as a learner is demoted: a voter removal plus a learner addition
      // (the node keeps its log and keeps receiving entries).
      erase_sorted(c.voters, ch.node);
      insert_sorted(c.learners, ch.node);
      return std::nullopt;
    case ConfChangeType::kPromote:
      if (c.is_voter(ch.node)) return who + " is already a voter";
      if (!c.is_learner(ch.node)) return "cannot promote " + who + ": it is not a learner of the cluster";
      erase_sorted(c.learners, ch.node);
      insert_sorted(c.voters, ch.node);
      return std::nullopt;
    case ConfChangeType::kRemove:
      if (!c.is_member(ch.node)) return "cannot remove " + who + ": it is not a member of the cluster";
      erase_sorted(c.voters, ch.node);
      erase_sorted(c.learners, ch.node);
      return std::nullopt;
  }
  return "unknown change type";
}

}  // namespace

Expected<ConfState, std::string> target_configuration(const ConfState& current,
                                                      std::span<const ConfChange> changes) {
  if (changes.empty()) return Unexpected{std::string("the change lists no step")};
  if (current.joint()) return Unexpected{std::string("the configuration is joint")};
  std::set<NodeId> seen;
  ConfState c = current;
  for (const ConfChange& ch : changes) {
    if (ch.node.is_none()) return Unexpected{std::string("node id 0 is reserved")};
    if (!seen.insert(ch.node).second) {
      return Unexpected{"node " + std::to_string(ch.node.value()) + " is listed twice"};
    }
    if (auto why = apply_step(c, ch)) return Unexpected{std::move(*why)};
  }
  if (c.voters.empty()) {
    return Unexpected{std::string("the change would remove the last voter")};
  }
  return c;
}

std::size_t voters_changed(const ConfState& a, const ConfState& b) {
  std::vector<NodeId> diff;
  std::set_symmetric_difference(a.voters.begin(), a.voters.end(), b.voters.begin(),
                                b.voters.end(), std::back_inserter(diff));
  return diff.size();
}

// ---- ConfigLog --------------------------------------------------------------------------

void ConfigLog::reset(Index index, ConfState base) {
  history_.clear();
  history_.emplace_back(index, std::move(base));
}

void ConfigLog::on_entries(const std::vector<Entry>& entries) {
  if (entries.empty()) return;
  const Index lo = entries.front().index;
  const Index hi = entries.back().index;
  // The base (the snapshot's or the bootstrap configuration) is never replaced: entries
  // start after it.
  const Index base = history_.front().first;
  std::erase_if(history_, [&](const auto& h) {
    return h.first != base && h.first >= lo && h.first <= hi;
  });
  for (const Entry& e : entries) {
    if (e.type != EntryType::kConfig) continue;
    auto decoded = decode_conf_state(e.data.view());
    // Only a broken peer sends an undecodable one (leaders encode what they append); it
    // changes nothing rather than crash the node (the peer-message fuzzers feed such).
    if (!decoded) continue;
    auto pos = std::upper_bound(history_.begin(), history_.end(), e.index,
                                [](Index i, const auto& h) { return i < h.first; });
    history_.insert(pos, {e.index, std::move(*decoded)});
  }
}

void ConfigLog::forget_after(Index last) {
  while (history_.size() > 1 && history_.back().first > last) history_.pop_back();
}

void ConfigLog::compact_to(Index index) {
  std::size_t keep_from = 0;
  for (std::size_t i = 1; i < history_.size() && history_[i].first <= index; ++i) keep_from = i;
  if (keep_from > 0) history_.erase(history_.begin(), history_.begin() + static_cast<std::ptrdiff_t>(keep_from));
}

Index ConfigLog::index_at(Index index) const {
  Index found = history_.front().first;
  for (const auto& [i, c] : history_) {
    if (i > index) break;
    found = i;
  }
  return found;
}

const ConfState& ConfigLog::at(Index index) const {
  const ConfState* found = &history_.front().second;
  for (const auto& [i, c] : history_) {
    if (i > index) break;
    found = &c;
  }
  return *found;
}

}  // namespace raft
