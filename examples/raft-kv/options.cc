#include "options.h"

#include <charconv>

namespace raftkv {

const char* const kUsage =
    "usage: raft-kv [options]\n"
    "A Maelstrom lin-kv node replicated with Raft: speaks Maelstrom's JSON protocol on\n"
    "stdin/stdout, logs on stderr. Run it as `maelstrom test -w lin-kv --bin raft-kv`\n"
    "(or under tests/workbench). No option is needed for Maelstrom's defaults.\n"
    "\n"
    "options:\n"
    "  --tick-ms N              Raft tick interval (default 10)\n"
    "  --election-timeout-ms N  election timeout T; followers wait [T, 2T) (default 300)\n"
    "  --heartbeat-ms N         leader heartbeat interval (default 50)\n"
    "  --leader-wait-ms N       how long a request waits for a leader before error 11\n"
    "                           (default 500)\n"
    "  --request-timeout-ms N   forget a request after this long (default 5000)\n"
    "  --no-pre-vote            disable pre-vote (thesis §9.6)\n"
    "  --no-check-quorum        disable check-quorum (thesis §6.2)\n"
    "  --lease-reads            serve reads on the leader's lease (thesis §6.4.1) instead\n"
    "                           of confirming leadership for each: no round trip, but\n"
    "                           correct only while clocks drift by less than 10 %\n"
    "                           (the lease ends that much before a follower would vote\n"
    "                           again); needs check-quorum\n"
    "  --max-batch-delay-ms D   hold requests up to D ms (whole ticks) so one message\n"
    "                           carries many: fewer messages, D more latency (default 0)\n"
    "  --data-dir DIR           keep term, vote and log in a write-ahead log under\n"
    "                           DIR/<node id>/ (created at init), so a killed node\n"
    "                           recovers them; without it state is in memory only\n"
    "  --snapshot-entries N     snapshot the state and compact the log every N applied\n"
    "                           entries, in memory and on disk; 0: never (default 10000)\n"
    "  --log-level LEVEL        trace, debug, info, warn (default), error, critical, off\n"
    "  --help                   this text\n"
    "\n"
    "For `--latency 100` runs, scale the timers with the latency, e.g.\n"
    "  --election-timeout-ms 2000 --heartbeat-ms 250\n";

namespace {

bool parse_positive(const std::string& s, int& out) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0 || v > 3'600'000) return false;
  out = v;
  return true;
}

bool parse_count(const std::string& s, int& out) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < 0) return false;
  out = v;
  return true;
}

}  // namespace

std::optional<Options> parse_options(const std::vector<std::string>& args, std::string& error) {
  Options o;
  struct IntFlag {
    const char* name;
    int* target;
  };
  const IntFlag int_flags[] = {{"--tick-ms", &o.tick_ms},
                               {"--election-timeout-ms", &o.election_timeout_ms},
                               {"--heartbeat-ms", &o.heartbeat_ms},
                               {"--leader-wait-ms", &o.leader_wait_ms},
                               {"--request-timeout-ms", &o.request_timeout_ms}};
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      o.help = true;
      continue;
    }
    if (a == "--no-pre-vote") {
      o.pre_vote = false;
      continue;
    }
    if (a == "--no-check-quorum") {
      o.check_quorum = false;
      continue;
    }
    if (a == "--lease-reads") {
      o.lease_reads = true;
      continue;
    }
    if (a == "--max-batch-delay-ms") {
      if (i + 1 >= args.size() || !parse_count(args[i + 1], o.max_batch_delay_ms) ||
          o.max_batch_delay_ms > 60'000) {
        error = "--max-batch-delay-ms needs a number of milliseconds from 0 to 60000";
        return std::nullopt;
      }
      ++i;
      continue;
    }
    if (a == "--data-dir") {
      if (i + 1 >= args.size() || args[i + 1].empty()) {
        error = "--data-dir needs a directory";
        return std::nullopt;
      }
      o.data_dir = args[++i];
      continue;
    }
    if (a == "--snapshot-entries") {
      if (i + 1 >= args.size() || !parse_count(args[i + 1], o.snapshot_entries)) {
        error = "--snapshot-entries needs a number of entries (0: never compact)";
        return std::nullopt;
      }
      ++i;
      continue;
    }
    bool matched = false;
    for (const IntFlag& f : int_flags) {
      if (a != f.name) continue;
      matched = true;
      if (i + 1 >= args.size() || !parse_positive(args[i + 1], *f.target)) {
        error = std::string(f.name) + " needs a positive number of milliseconds";
        return std::nullopt;
      }
      ++i;
    }
    if (!matched) {
      error = "unknown argument '" + a + "'";
      return std::nullopt;
    }
  }
  if (o.heartbeat_ms >= o.election_timeout_ms) {
    error = "--heartbeat-ms must be smaller than --election-timeout-ms";
    return std::nullopt;
  }
  if (o.lease_reads && !o.check_quorum) {
    error = "--lease-reads needs check-quorum: without it followers make no promise a lease could rest on";
    return std::nullopt;
  }
  if (o.tick_ms > o.heartbeat_ms) {
    error = "--tick-ms must not exceed --heartbeat-ms";
    return std::nullopt;
  }
  return o;
}

}  // namespace raftkv
