// Cluster membership (thesis chapter 4): who votes, who only listens, and how a change of
// either is described, checked and carried in the log.
//
// A configuration travels in the log as an entry of type kConfig whose data is the whole
// resulting ConfState (not a delta), so the configuration in effect is simply the latest
// one in the log -- committed or not (§4.1: "a server always uses the latest configuration
// in its log, regardless of whether the entry is committed") -- or, with none in the log,
// the snapshot's (§5.1), or the bootstrap list of Config::voters.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "raft/bytes.h"
#include "raft/entry.h"
#include "raft/expected.h"
#include "raft/types.h"

namespace raft {

/// One configuration. While `voters_outgoing` is non-empty the cluster is in joint
/// consensus (C_old,new, §4.3): `voters_outgoing` is C_old, `voters` is C_new, and every
/// election and commitment needs a majority of each.
struct ConfState {
  std::vector<NodeId> voters;           // sorted, unique; C_new while joint
  std::vector<NodeId> voters_outgoing;  // sorted, unique; C_old, empty unless joint
  /// Sorted, unique; disjoint from `voters`. While joint it may hold an outgoing voter:
  /// one being demoted, which votes in C_old and is a learner once C_new is in force
  /// (what etcd calls LearnersNext; leaving joint keeps `learners` as they are).
  std::vector<NodeId> learners;

  [[nodiscard]] bool joint() const { return !voters_outgoing.empty(); }
  /// A voter of either half: may campaign and is asked for votes.
  [[nodiscard]] bool is_voter(NodeId id) const;
  [[nodiscard]] bool is_learner(NodeId id) const;
  [[nodiscard]] bool is_member(NodeId id) const { return is_voter(id) || is_learner(id); }
  /// Every member (both voter halves and the learners), sorted.
  [[nodiscard]] std::vector<NodeId> members() const;
  /// "voters {1,2,3} learners {4}" or "joint voters {1,2,4} outgoing {1,2,3}".
  [[nodiscard]] std::string describe() const;
  friend bool operator==(const ConfState&, const ConfState&) = default;
};

/// The data of a kConfig entry: version byte, then three counted lists of u64 ids.
Bytes encode_conf_state(const ConfState& c);
Expected<ConfState, std::string> decode_conf_state(std::string_view data);

/// One step of a change the embedder asks for.
enum class ConfChangeType : std::uint8_t {
  kAddVoter,    // a new node joins as a voter (a learner may be promoted this way too)
  kAddLearner,  // a new node joins without a vote (a voter given this is demoted)
  kPromote,     // a learner becomes a voter (it must be a learner)
  kRemove,      // a voter or learner leaves
};
const char* conf_change_type_name(ConfChangeType t);

struct ConfChange {
  ConfChangeType type;
  NodeId node;
};

/// A change request: every step is applied to the current configuration at once. A change
/// of at most one voter goes in one step (the single-server shortcut, §4.2) unless
/// `joint` is set; any larger change of voters goes through joint consensus (§4.3).
struct ConfChangeRequest {
  std::vector<ConfChange> changes;
  bool joint = false;
};

/// Why the core refused an administrative request (a configuration change or a transfer).
struct AdminError {
  enum class Code {
    kNotLeader,        // only the leader changes the configuration; `leader` is a hint
    kTransferring,     // a leadership transfer is under way; retry after it
    kChangePending,    // a configuration entry is not committed yet (or joint not left)
    kNotYetCommitted,  // single-server change before an entry of this term committed
    kInvalid,          // the request itself is wrong (see `detail`)
  };
  Code code = Code::kInvalid;
  NodeId leader = kNoNode;
  std::string detail;
  [[nodiscard]] std::string message() const;
};

/// The configuration `changes` lead to from a non-joint `current`, with the voter set the
/// change ends with in `voters` (and `voters_outgoing` empty): the target C_new. Adding a
/// voter as a learner demotes it (a voter removal and a learner addition). Refuses an empty
/// change, a node listed twice, node 0, adding a node as what it already is, promoting or
/// removing a non-member (or promoting a voter), and removing every voter.
Expected<ConfState, std::string> target_configuration(const ConfState& current,
                                                      std::span<const ConfChange> changes);

/// How many nodes are voters in exactly one of a and b.
std::size_t voters_changed(const ConfState& a, const ConfState& b);

/// The configurations in a log, by index, so that the one in effect at any index -- the
/// latest (§4.1), or the one as of a snapshot's index (§5.1) -- is known without reading
/// entries back, and a follower whose log suffix is replaced falls back to the previous one.
class ConfigLog {
 public:
  /// Forget everything: `base` is the configuration as of `index` (a snapshot's, or the
  /// bootstrap one at index 0).
  void reset(Index index, ConfState base);
  /// The log's entries from `from` on were replaced by `entries` (which start at `from`
  /// and may be fewer than those they replaced, see forget_after).
  void on_entries(const std::vector<Entry>& entries);
  /// Entries after `last` are gone (a follower's log was cut back).
  void forget_after(Index last);
  /// Drops configurations superseded at or below `index` (it is committed and applied):
  /// only the latest of them is still needed, as the base.
  void compact_to(Index index);

  [[nodiscard]] const ConfState& latest() const { return history_.back().second; }
  [[nodiscard]] Index latest_index() const { return history_.back().first; }
  /// The configuration as of `index`: the latest at or below it.
  [[nodiscard]] const ConfState& at(Index index) const;
  [[nodiscard]] Index index_at(Index index) const;

 private:
  // (index, configuration) ascending; the first one is the base. Never empty.
  std::vector<std::pair<Index, ConfState>> history_{{Index{0}, ConfState{}}};
};

}  // namespace raft
