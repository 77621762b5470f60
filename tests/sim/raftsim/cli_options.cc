#include "raftsim/cli_options.h"

#include <fstream>
#include <sstream>
#include <string_view>

namespace raftsim::cli {

std::string usage(const std::string& program) {
  return program + R"(: replay one simulated run of the service, or soak over many seeds.

  --seed N               run seed (default 1): network, clients, node RNGs, random schedule
  --seeds K              soak: run seeds N .. N+K-1, print failing seeds only
  --nodes N              cluster size (default 5)
  --duration D           total virtual time, e.g. 60s (default 5s)
  --quiet D              fault-free time at the end, for recovery (default 2s)
  --faults LIST          partition,crash,pause,loss,dup,persist,disk | all | none
                         (default all)
  --fault-gap D          mean time between fault episodes (default 400ms)
  --schedule TEXT        explicit schedule, faults separated by ';' (see docs/simulator.md);
                         replaces the random one
  --schedule-file FILE   the same, from a file (e.g. a shrunk counterexample)
  --latency SPEC         constant:5ms | uniform:1ms-10ms | exponential:1ms+4ms
  --rate R               client operations per second, all clients (default 100)
  --clients N            concurrent clients (default 5)
  --keys N, --values N   key and value ranges, for workloads that use them (default 3 and 5)
  --client-timeout D     a client gives up after D (default 500ms)
  --tick D               tick interval (default 10ms)
  --election-tick N      election timeout in ticks (default 10)
  --heartbeat-tick N     heartbeat interval in ticks (default 2)
  --no-pre-vote, --no-check-quorum
  --lease-reads          serve reads on the leader's lease (needs check-quorum)
  --batch-delay-ticks N  batching with a bound: batches close every N ticks (default 0)
  --max-entries-per-msg N  entries per AppendEntries (default 1024)
  --snapshot-entries N   compact the log every N applied entries; 0: never (default 16)
  --snapshot-chunk N     InstallSnapshot chunk size in bytes (default 256)
  --observe-every K      invariant checks after every K-th event per node (default 1)
  --leader-within N      liveness bound: a stable leader within N election timeouts after
                         the faults end (default 10)
  --membership V         membership changes: nodes 1..V start as the voters, the other
                         nodes as empty spares; random adds, removes, replacements,
                         promotions, demotions and leadership transfers until the faults
                         end (0: off, the default)
  --membership-gap D     mean time between two membership operations (default 150ms)
  --membership-after-election P  also one operation right after an election, with
                         probability P (default 0.3)
  --bug NAME             plant a bug in the core (programs linked with the planted-bug core,
                         e.g. raftsim_planted): commit_earlier_term_by_counting,
                         vote_before_persist, read_without_quorum_check,
                         truncate_on_matching_append, ack_before_sync,
                         install_stale_snapshot, compact_uncommitted, config_on_commit,
                         single_server_change_before_commit, learner_counts_in_quorum,
                         lease_longer_than_election_timeout,
                         lease_without_check_quorum
  --timeline MODE        none | summary | full (default) | verbose (every message)
  --history FILE         write the client history as JSON lines (lincheck's format)
  --no-lincheck          skip the linearizability check
Exit status: 0 every property held, 1 a property failed, 2 bad usage.
)";
}

namespace {

bool set_bug(raft::PlantedBugs& b, std::string_view name) {
  if (name == "commit_earlier_term_by_counting") b.commit_earlier_term_by_counting = true;
  else if (name == "vote_before_persist") b.vote_before_persist = true;
  else if (name == "read_without_quorum_check") b.read_without_quorum_check = true;
  else if (name == "truncate_on_matching_append") b.truncate_on_matching_append = true;
  else if (name == "install_stale_snapshot") b.install_stale_snapshot = true;
  else if (name == "compact_uncommitted") b.compact_uncommitted = true;
  else if (name == "ack_before_sync") b.ack_before_sync = true;
  else if (name == "config_on_commit") b.config_on_commit = true;
  else if (name == "single_server_change_before_commit") b.single_server_change_before_commit = true;
  else if (name == "learner_counts_in_quorum") b.learner_counts_in_quorum = true;
  else if (name == "lease_longer_than_election_timeout") b.lease_longer_than_election_timeout = true;
  else if (name == "lease_without_check_quorum") b.lease_without_check_quorum = true;
  else return false;
  return true;
}

template <class T>
bool parse_number(std::string_view text, T& out) {
  try {
    std::size_t used = 0;
    const std::string s(text);
    if constexpr (std::is_floating_point_v<T>) {
      out = static_cast<T>(std::stod(s, &used));
    } else {
      out = static_cast<T>(std::stoull(s, &used));
    }
    return used == s.size();
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

std::optional<Options> parse_options(int argc, char** argv, bool planted_core,
                                     std::string& error) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    auto value = [&]() -> std::optional<std::string_view> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string_view(argv[++i]);
    };
    auto fail = [&](const std::string& why) -> std::optional<Options> {
      error = std::string(flag) + ": " + why;
      return std::nullopt;
    };
    auto duration = [&](Micros& out) {
      auto v = value();
      auto d = v ? parse_duration(*v) : std::nullopt;
      if (d) out = *d;
      return d.has_value();
    };
    auto number = [&](auto& out) {
      auto v = value();
      return v && parse_number(*v, out);
    };
    ClusterConfig& c = o.sim.cluster;
    WorkloadConfig& w = o.sim.workload;
    bool ok = true;
    if (flag == "--help" || flag == "-h") { o.help = true; return o; }
    else if (flag == "--seed") ok = number(o.sim.seed);
    else if (flag == "--seeds") ok = number(o.seeds) && o.seeds > 0;
    else if (flag == "--nodes") ok = number(c.nodes) && c.nodes >= 1 && c.nodes <= 64;
    else if (flag == "--duration") ok = duration(o.sim.duration);
    else if (flag == "--quiet") ok = duration(o.quiet);
    else if (flag == "--fault-gap") ok = duration(o.fault_gap) && o.fault_gap > 0;
    else if (flag == "--client-timeout") ok = duration(w.timeout) && w.timeout > 0;
    else if (flag == "--tick") ok = duration(c.tick) && c.tick > 0;
    else if (flag == "--election-tick") ok = number(c.election_tick) && c.election_tick > 1;
    else if (flag == "--heartbeat-tick") ok = number(c.heartbeat_tick) && c.heartbeat_tick > 0;
    else if (flag == "--rate") ok = number(w.ops_per_sec) && w.ops_per_sec > 0;
    else if (flag == "--clients") ok = number(w.clients);
    else if (flag == "--keys") ok = number(w.keys) && w.keys > 0;
    else if (flag == "--values") ok = number(w.values) && w.values > 0;
    else if (flag == "--observe-every") ok = number(o.sim.checks.observe_every) && o.sim.checks.observe_every > 0;
    else if (flag == "--snapshot-entries") ok = number(c.snapshot_entries);
    else if (flag == "--snapshot-chunk") ok = number(c.snapshot_chunk_bytes) && c.snapshot_chunk_bytes > 0;
    else if (flag == "--max-entries-per-msg") ok = number(c.max_entries_per_msg) && c.max_entries_per_msg > 0;
    else if (flag == "--leader-within") ok = number(o.sim.checks.leader_within_timeouts) && o.sim.checks.leader_within_timeouts >= 0;
    else if (flag == "--membership") ok = number(o.sim.membership.initial_voters) && o.sim.membership.initial_voters >= 0;
    else if (flag == "--membership-after-election") ok = number(o.sim.membership.after_election) && o.sim.membership.after_election >= 0 && o.sim.membership.after_election <= 1;
    else if (flag == "--membership-gap") ok = duration(o.sim.membership.mean_gap) && o.sim.membership.mean_gap > 0;
    else if (flag == "--no-pre-vote") c.pre_vote = false;
    else if (flag == "--no-check-quorum") c.check_quorum = false;
    else if (flag == "--lease-reads") c.lease_read = true;
    else if (flag == "--batch-delay-ticks") ok = number(c.batch_delay_ticks) && c.batch_delay_ticks >= 0;
    else if (flag == "--no-lincheck") o.lincheck = false;
    else if (flag == "--faults") {
      auto v = value();
      auto mix = v ? FaultMix::parse(*v) : std::nullopt;
      if (!mix) return fail("expected a list of partition,crash,pause,loss,dup,persist");
      o.mix = *mix;
    } else if (flag == "--latency") {
      auto v = value();
      auto l = v ? Latency::parse(*v) : std::nullopt;
      if (!l) return fail("expected constant:5ms, uniform:1ms-10ms or exponential:1ms+4ms");
      o.sim.latency = *l;
    } else if (flag == "--schedule") {
      auto v = value();
      if (!v) return fail("expected a schedule");
      o.schedule_text = std::string(*v);
    } else if (flag == "--schedule-file") {
      auto v = value();
      std::ifstream in(v ? std::string(*v) : std::string());
      if (!v || !in) return fail("cannot read the schedule file");
      std::stringstream ss;
      ss << in.rdbuf();
      o.schedule_text = ss.str();
    } else if (flag == "--bug") {
      if (!planted_core) {
        return fail("this program runs the production core; plant bugs with one linked with "
                    "the planted-bug core (raftsim_planted)");
      }
      auto v = value();
      if (!v || !set_bug(c.bugs, *v)) return fail("unknown bug (see --help)");
    } else if (flag == "--timeline") {
      auto v = value();
      if (v == "none") o.timeline = TimelineMode::kNone;
      else if (v == "summary") o.timeline = TimelineMode::kSummary;
      else if (v == "full") o.timeline = TimelineMode::kFull;
      else if (v == "verbose") o.timeline = TimelineMode::kVerbose;
      else return fail("expected none, summary, full or verbose");
    } else if (flag == "--history") {
      auto v = value();
      if (!v) return fail("expected a file name");
      o.history_path = std::string(*v);
    } else {
      error = "unknown option " + std::string(flag) + " (try --help)";
      return std::nullopt;
    }
    if (!ok) return fail("missing or invalid value");
  }
  if (o.sim.cluster.heartbeat_tick >= o.sim.cluster.election_tick) {
    error = "--heartbeat-tick must be less than --election-tick";
    return std::nullopt;
  }
  if (o.sim.membership.initial_voters > o.sim.cluster.nodes) {
    error = "--membership must not exceed --nodes";
    return std::nullopt;
  }
  if (o.quiet > o.sim.duration) {
    error = "--quiet must not exceed --duration";
    return std::nullopt;
  }
  return o;
}

}  // namespace raftsim::cli
