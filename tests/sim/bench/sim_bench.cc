// raftsim_bench: how fast the simulator runs -- simulated seconds per wall-clock second --
// for 5 nodes at 100 client ops/s, with every invariant check on. Prints figures; it is
// never a timed assertion. Beside the wall-clock ratio it prints simulated seconds per
// second of this process's CPU time: on a shared, busy machine the wall clock also counts
// the time other processes held the core, the CPU time (mostly) does not.
//
//   build/bin/raftsim_bench [--seconds 60] [--runs 5] [--scenario 1|2|3]
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "raftsim/checks.h"
#include "raftsim/kv_workload.h"
#include "raftsim/simulator.h"

namespace {

using namespace raftsim;
using Clock = std::chrono::steady_clock;

struct Scenario {
  const char* name;
  FaultMix mix;
  int observe_every;
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void run(const Scenario& s, int sim_seconds, int runs) {
  std::vector<double> ratios;
  std::vector<double> cpu_ratios;
  double lincheck_wall = 0;
  std::uint64_t events = 0;
  std::size_t ops = 0;
  bool ok = true;
  for (int i = 0; i < runs; ++i) {
    SimConfig cfg;
    cfg.make_workload = kv_workload;
    cfg.seed = static_cast<std::uint64_t>(i + 1);
    cfg.duration = seconds(sim_seconds);
    cfg.checks.observe_every = s.observe_every;
    Rng rng(cfg.seed);
    cfg.schedule = random_schedule(s.mix, 5, cfg.duration - seconds(2), millis(400), rng);
    const auto start = Clock::now();
    const double cpu_start = cpu_seconds();
    const SimResult r = Simulator(cfg).run();
    const double wall = seconds_since(start);
    ratios.push_back(static_cast<double>(sim_seconds) / wall);
    cpu_ratios.push_back(static_cast<double>(sim_seconds) / (cpu_seconds() - cpu_start));
    events += r.stats.events;
    ops += r.history.size();
    const auto lin_start = Clock::now();
    const Verdict v = judge(r);
    lincheck_wall += seconds_since(lin_start);
    if (!v.ok() && ok) {
      std::fprintf(stderr, "%s, seed %llu: a property failed\n%s\n", s.name,
                   static_cast<unsigned long long>(cfg.seed), v.details.substr(0, 2000).c_str());
    }
    ok = ok && v.ok();
  }
  std::sort(ratios.begin(), ratios.end());
  std::sort(cpu_ratios.begin(), cpu_ratios.end());
  std::printf("%-44s %8.0fx median (min %.0fx, max %.0fx)  CPU-time %.0fx  %7.0f events/sim-s  "
              "%5.0f ops/sim-s  lincheck %.3f s/run  %s\n",
              s.name, ratios[ratios.size() / 2], ratios.front(), ratios.back(),
              cpu_ratios[cpu_ratios.size() / 2],
              static_cast<double>(events) / (runs * sim_seconds),
              static_cast<double>(ops) / (runs * sim_seconds), lincheck_wall / runs,
              ok ? "all properties held" : "A PROPERTY FAILED");
}

}  // namespace

int main(int argc, char** argv) {
  int sim_seconds = 60;
  int runs = 5;
  int only = 0;  // 1-3: run that scenario alone (profiling)
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--scenario") == 0) only = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--seconds") == 0) sim_seconds = std::max(3, std::atoi(argv[i + 1]));
    if (std::strcmp(argv[i], "--runs") == 0) runs = std::max(1, std::atoi(argv[i + 1]));
  }
  std::printf("raftsim_bench: 5 nodes, 100 client ops/s, tick 10ms, election 10 ticks, heartbeat 2 "
              "ticks, latency uniform 1-10ms; %d runs of %d simulated seconds each\n",
              runs, sim_seconds);
  const Scenario scenarios[] = {{"no faults, invariants after every event", FaultMix{}, 1},
                                 {"all faults, invariants after every event", FaultMix::all(), 1},
                                 {"no faults, invariants every 10th event", FaultMix{}, 10}};
  for (int k = 1; k <= 3; ++k) {
    if (only == 0 || only == k) run(scenarios[k - 1], sim_seconds, runs);
  }
  return 0;
}
