// Command-line options of the raft-kv node.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace raftkv {

struct Options {
  int tick_ms = 10;                // how often the Raft core ticks
  int election_timeout_ms = 300;   // T: followers wait a random [T, 2T) before campaigning
  int heartbeat_ms = 50;           // leader heartbeat interval
  int leader_wait_ms = 500;        // a request waits this long for a leader, then gets 11
  int request_timeout_ms = 5000;   // stop tracking a request after this
  bool pre_vote = true;
  bool check_quorum = true;
  /// Lease reads (thesis §6.4.1): the leader serves reads without a confirmation round
  /// while a quorum answered it within the lease. Needs check-quorum; assumes clock drift
  /// of at most 10 %.
  bool lease_reads = false;
  /// Requests are held up to this long (whole ticks) so one message carries many. 0: none.
  int max_batch_delay_ms = 0;
  /// Empty: state in memory only. Else the node keeps its log in DIR/<node id>/.
  std::string data_dir;
  /// Log compaction: snapshot the state and compact the log every N applied entries.
  int snapshot_entries = 10000;
  bool help = false;
};

extern const char* const kUsage;

/// Parses the arguments left after --log-level was taken. On error returns nullopt and
/// sets `error`.
std::optional<Options> parse_options(const std::vector<std::string>& args, std::string& error);

}  // namespace raftkv
