// A fault schedule: what goes wrong, and when. Times are virtual and absolute; at `end`
// every fault stops (partitions heal, crashed nodes restart, paused nodes resume, the
// network stops losing and duplicating) and the cluster must recover.
//
// A schedule has a text form, one fault per line (or separated by ';'), which showValue
// prints for RapidCheck and `raftsim --schedule` reads back, so a shrunk counterexample
// can be replayed with a full timeline:
//   350ms partition halves 7     # {1,3} | {2,4,5}   (text after '#' is a comment)
//   900ms heal
//   1.2s crash 3
//   1.2s crash-at-persist 2 term # crash inside node 2's next persist of a new term/vote
//   1.3s restart 3
//   1.4s pause 4
//   1.9s resume 4
//   1.5s isolate leader          # cut the current leader off from every other node
//   1.6s crash next-leader+12ms  # 12ms after the next election is won, crash its winner
//   1.7s partition halves 3 next-leader  # the partition waits for the next election
//   2s network loss=0.1 dup=0.05
//   2.5s corrupt 2               # crash n2, flip a bit in a stored record, restart it:
//                                # the restart must refuse the log (n2 stays down)
//   3s end
// A fault's target is a node id, "all", "leader" (whoever leads when the fault fires;
// nothing if nobody does) or "next-leader[+delay]" (the fault waits for the next node to
// win an election, then hits it after the delay) -- adversaries aimed at the leader reach
// the interesting states far more often than ones aimed at random nodes.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "raftsim/partition.h"
#include "raftsim/rng.h"
#include "raftsim/time.h"

namespace raftsim {

/// Which persist call a crash-at-persist fault dies in.
enum class PersistPoint {
  kAny,         // the next persist that writes anything
  kTermOrVote,  // the next persist whose hard state changes the term or the vote
  kSnapshot,    // the next compaction or snapshot install, at one of its syncs (§7)
};

/// Fault targets besides node ids 1..n.
inline constexpr int kAllNodes = 0;
inline constexpr int kLeader = -1;
inline constexpr int kNextLeader = -2;

struct Fault {
  enum class Kind {
    kPartition,       // replace the current cuts by `partition`
    kHeal,            // remove all cuts
    kCrash,           // lose all volatile state now; storage survives
    kCrashAtPersist,  // crash inside the node's next qualifying persist (see SimStorage)
    kRestart,         // a crashed node comes back from its storage
    kPause,           // stop ticking and processing; messages to it wait
    kResume,
    kNetwork,         // from now on drop / duplicate each message with these odds
    kIsolate,         // replace the current cuts by: `node` cut off from all others
    kCorrupt,         // bit rot on the node's disk, found at once by a restart (see SimStorage)
  };
  Micros at = 0;
  Kind kind = Kind::kHeal;
  int node = 0;     // 1..n, or one of the selectors below
  Micros delay = 0;  // kNextLeader: how long after the election
  Partition partition;
  PersistPoint persist_point = PersistPoint::kAny;
  double loss = 0;
  double dup = 0;
};

struct Schedule {
  std::vector<Fault> faults;  // applied in time order (ties: in list order)
  Micros end = 0;             // the end of all faults

  /// The faults sorted by time, stable.
  [[nodiscard]] std::vector<Fault> in_time_order() const;
};

const char* kind_name(Fault::Kind k);
/// One line of the text form; `nodes` lets a partition show its groups as a comment.
std::string describe(const Fault& f, int nodes);
std::string describe(const Schedule& s, int nodes);
/// Parses the text form. On error: nullopt and `error` says which line and why.
std::optional<Schedule> parse_schedule(std::string_view text, std::string& error);

/// For RapidCheck's counterexample output (found by argument-dependent lookup). Prints
/// groups for 5 nodes; the CLI prints them for the real size.
void showValue(const Schedule& s, std::ostream& os);

/// Which kinds of faults a random schedule may contain.
struct FaultMix {
  bool partition = false;
  bool crash = false;    // crash/restart of single nodes, minorities and all nodes at once
  bool persist = false;  // crash inside a persist call
  bool pause = false;
  bool loss = false;
  bool dup = false;
  bool disk = false;  // a flipped bit in a stored record (at most a minority of disks)

  static FaultMix all() { return {true, true, true, true, true, true, true}; }
  [[nodiscard]] bool any() const {
    return partition || crash || persist || pause || loss || dup || disk;
  }
  /// "partition,crash,pause,loss,dup,persist,disk" or "none".
  [[nodiscard]] std::string describe() const;
  /// Comma-separated kinds, "all" or "none".
  static std::optional<FaultMix> parse(std::string_view text);
};

/// A random schedule over [0, end): roughly one fault episode per `mean_gap`, each a
/// fault and (usually) its repair.
Schedule random_schedule(const FaultMix& mix, int nodes, Micros end, Micros mean_gap, Rng& rng);

}  // namespace raftsim
