// One generated test case: a seed, a cluster shape and a fault schedule, plus how to turn
// it into a SimConfig and how to print it so a failure can be replayed with the CLI.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "raftsim/config.h"
#include "raftsim/checks.h"
#include "raftsim/result.h"

namespace raftsim {

struct SimCase {
  std::uint64_t seed = 1;
  int nodes = 5;
  /// One entry per AppendEntries (see ClusterConfig::max_entries_per_msg).
  bool small_batches = false;
  Schedule schedule;
  Micros duration = seconds(4);
  /// The liveness bound, in election timeouts (CheckConfig::leader_within_timeouts).
  int leader_within_timeouts = 10;
  /// Log compaction every this many applied entries (ClusterConfig::snapshot_entries).
  /// Lower it to put snapshot(), restore() and InstallSnapshot through more of every run.
  std::uint64_t snapshot_entries = ClusterConfig{}.snapshot_entries;
  /// Membership changes (MembershipConfig::initial_voters): 0 off, else nodes
  /// 1..membership start as the voters and the rest are spares.
  int membership = 0;
  /// ClusterConfig::lease_read and batch_delay_ticks.
  bool lease_reads = false;
  int batch_delay_ticks = 0;
};

/// The simulator configuration of a case (no timeline, no workload: set make_workload).
SimConfig config_for(const SimCase& c);
/// `<program> --seed ... --schedule '...'`: the replay CLI (cli.h) command that replays the
/// case with a timeline -- `raftsim` for raft-kv, `raftsim_planted --bug <bug>` with a
/// planted bug, your own program for your service.
std::string replay_command(const SimCase& c, const std::string& program = "raftsim");
/// RapidCheck prints counterexamples with this: the seed, cluster and schedule (the replay
/// command depends on the program: see replay_command).
void showValue(const SimCase& c, std::ostream& os);

/// The first lines of a verdict's details, for a failure message.
std::string head(const std::string& text, std::size_t lines = 40);

}  // namespace raftsim
