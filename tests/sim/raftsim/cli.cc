// The replay CLI (cli.h): one simulated run from its seed (and optionally an explicit
// fault schedule) with a readable timeline and the verdict of every property; or, with
// --seeds K, a soak over K seeds that reports the failing ones.
#include "raftsim/cli.h"

#include <chrono>
#include <fstream>
#include <iostream>

#include "raftsim/cli_options.h"
#include "raftsim/checks.h"
#include "raftsim/simulator.h"
#include "raftsim/timeline.h"

namespace raftsim {

namespace {

using cli::Options;

// Everything but client operations: faults, roles, crashes, summaries.
class SummaryTimeline final : public Timeline {
 public:
  explicit SummaryTimeline(std::ostream& out) : inner_(out) {}
  void record(Micros at, const std::string& text) override {
    if (text.rfind("client ", 0) != 0) inner_.record(at, text);
  }

 private:
  StreamTimeline inner_;
};

std::optional<Schedule> schedule_for(const Options& o, std::uint64_t seed, std::string& error) {
  const Micros faults_end = o.sim.duration - o.quiet;
  if (o.schedule_text) {
    auto s = parse_schedule(*o.schedule_text, error);
    if (s && s->end == 0) s->end = faults_end;
    return s;
  }
  // Its own RNG stream: the same seed with an explicit schedule keeps the same network
  // and client randomness.
  Rng rng(seed ^ 0x5C4EDB1E5EEDULL);
  return random_schedule(o.mix, o.sim.cluster.nodes, faults_end, o.fault_gap, rng);
}

std::string verdict_line(const char* name, bool ok) {
  return std::string("  ") + name + (ok ? ": ok" : ": VIOLATED");
}

int run_one(const Options& o, SimConfig cfg) {
  std::unique_ptr<Timeline> timeline;
  switch (o.timeline) {
    case cli::TimelineMode::kNone: break;
    case cli::TimelineMode::kSummary: timeline = std::make_unique<SummaryTimeline>(std::cout); break;
    case cli::TimelineMode::kFull: timeline = std::make_unique<StreamTimeline>(std::cout); break;
    case cli::TimelineMode::kVerbose: timeline = std::make_unique<StreamTimeline>(std::cout, true); break;
  }
  cfg.timeline = timeline.get();
  std::cout << "seed " << cfg.seed << ", " << cfg.cluster.nodes << " nodes, duration "
            << format_duration(cfg.duration) << "\nschedule:\n"
            << describe(cfg.schedule, cfg.cluster.nodes) << "\n";
  const auto wall_start = std::chrono::steady_clock::now();
  SimResult r = Simulator(cfg).run();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  const Verdict v = judge(r, o.lincheck);
  if (!o.history_path.empty()) {
    std::ofstream out(o.history_path);
    write_jsonl(r, out);
  }
  const SimStats& s = r.stats;
  std::cout << "\n" << s.events << " events, " << s.ticks << " ticks, " << s.messages_sent
            << " messages sent (" << s.dropped_loss << " lost, " << s.dropped_partition
            << " cut, " << s.dropped_down << " to down nodes, " << s.duplicated
            << " duplicated), " << s.crashes << " crashes (" << s.persist_crashes
            << " inside a persist), " << s.restarts << " restarts, " << s.elections_won
            << " elections won, " << s.snapshots_installed << " snapshots installed, "
            << r.history.size() << " client ops\n"
            << "simulated " << format_duration(r.end) << " in " << wall << " s wall ("
            << static_cast<double>(r.end) / kSecond / std::max(wall, 1e-9) << "x)\n"
            << "liveness: " << r.liveness_report() << "\n"
            << "verdict:\n"
            << verdict_line("safety", v.safe) << "\n"
            << verdict_line("linearizability", v.linearizable)
            << (o.lincheck ? "" : " (not checked)") << "\n"
            << verdict_line("liveness", v.live) << "\n"
            << verdict_line("durability", v.durable) << "\n"
            << v.details;
  return v.ok() ? 0 : 1;
}

int soak(const Options& o, const CliOptions& cli) {
  std::uint64_t failures = 0;
  double simulated = 0;
  const auto wall_start = std::chrono::steady_clock::now();
  for (std::uint64_t seed = o.sim.seed; seed < o.sim.seed + o.seeds; ++seed) {
    SimConfig cfg = o.sim;
    cfg.seed = seed;
    std::string error;
    cfg.schedule = *schedule_for(o, seed, error);
    const SimResult r = Simulator(cfg).run();
    simulated += static_cast<double>(r.end) / kSecond;
    const Verdict v = judge(r, o.lincheck);
    if (!v.ok()) {
      ++failures;
      std::cout << "seed " << seed << ": FAILED (replay: " << cli.program << " --seed " << seed
                << " with the same options)\n" << v.details << std::flush;
    }
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  std::cout << o.seeds << " seeds, " << failures << " failed; simulated " << simulated
            << " s in " << wall << " s wall (" << simulated / std::max(wall, 1e-9) << "x)\n";
  return failures == 0 ? 0 : 1;
}

}  // namespace

int run_cli(int argc, char** argv, const WorkloadFactory& workload, const CliOptions& options) {
  std::string error;
  std::optional<Options> o = cli::parse_options(argc, argv, options.planted_core, error);
  if (!o) {
    std::cerr << options.program << ": " << error << "\n";
    return 2;
  }
  if (o->help) {
    std::cout << cli::usage(options.program);
    return 0;
  }
  o->sim.make_workload = workload;
  if (o->seeds > 1) {
    if (o->schedule_text && !parse_schedule(*o->schedule_text, error)) {
      std::cerr << options.program << ": " << error << "\n";
      return 2;
    }
    return soak(*o, options);
  }
  SimConfig cfg = o->sim;
  auto schedule = schedule_for(*o, cfg.seed, error);
  if (!schedule) {
    std::cerr << options.program << ": " << error << "\n";
    return 2;
  }
  cfg.schedule = *schedule;
  return run_one(*o, cfg);
}

int run_cli(int argc, char** argv, const WorkloadFactory& workload, const std::string& program) {
  CliOptions options;
  options.program = program;
  return run_cli(argc, argv, workload, options);
}

}  // namespace raftsim
