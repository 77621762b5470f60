#include "raftsim/sim_case.h"

#include <sstream>

namespace raftsim {

SimConfig config_for(const SimCase& c) {
  SimConfig cfg;
  cfg.seed = c.seed;
  cfg.cluster.nodes = c.nodes;
  if (c.small_batches) cfg.cluster.max_entries_per_msg = 1;
  cfg.schedule = c.schedule;
  cfg.duration = c.duration;
  cfg.checks.leader_within_timeouts = c.leader_within_timeouts;
  cfg.cluster.snapshot_entries = c.snapshot_entries;
  cfg.membership.initial_voters = c.membership;
  cfg.cluster.lease_read = c.lease_reads;
  cfg.cluster.batch_delay_ticks = c.batch_delay_ticks;
  return cfg;
}

std::string replay_command(const SimCase& c, const std::string& program) {
  std::string schedule;
  std::istringstream lines(describe(c.schedule, c.nodes));
  for (std::string line; std::getline(lines, line);) {
    line = line.substr(0, line.find('#'));
    while (!line.empty() && line.back() == ' ') line.pop_back();
    schedule += (schedule.empty() ? "" : "; ") + line;
  }
  std::string out = program;
  out += " --seed " + std::to_string(c.seed) + " --nodes " + std::to_string(c.nodes) +
         " --duration " + format_exact(c.duration);
  if (c.small_batches) out += " --max-entries-per-msg 1";
  if (c.snapshot_entries != ClusterConfig{}.snapshot_entries) {
    out += " --snapshot-entries " + std::to_string(c.snapshot_entries);
  }
  if (c.membership != 0) out += " --membership " + std::to_string(c.membership);
  if (c.lease_reads) out += " --lease-reads";
  if (c.batch_delay_ticks > 0) out += " --batch-delay-ticks " + std::to_string(c.batch_delay_ticks);
  if (c.leader_within_timeouts != 10) {
    out += " --leader-within " + std::to_string(c.leader_within_timeouts);
  }
  return out + " --schedule '" + schedule + "'";
}

void showValue(const SimCase& c, std::ostream& os) {
  os << "seed " << c.seed << ", " << c.nodes << " nodes"
     << (c.small_batches ? ", one entry per AppendEntries" : "")
     << (c.snapshot_entries != ClusterConfig{}.snapshot_entries
             ? ", a snapshot every " + std::to_string(c.snapshot_entries) + " entries"
             : "")
     << (c.membership != 0 ? ", membership changes from " + std::to_string(c.membership) + " voters" : "")
     << ", schedule:\n"
     << describe(c.schedule, c.nodes);
}

std::string head(const std::string& text, std::size_t lines) {
  std::size_t pos = 0;
  for (std::size_t i = 0; i < lines && pos != std::string::npos; ++i) {
    pos = text.find('\n', pos == 0 ? 0 : pos + 1);
  }
  return pos == std::string::npos ? text : text.substr(0, pos) + "\n...";
}

}  // namespace raftsim
