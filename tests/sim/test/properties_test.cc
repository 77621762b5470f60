// The simulator's four properties over RapidCheck-generated fault schedules. Each case is
// a whole cluster run (5 or 3 nodes, the real raft core and kv::Service, clients) from
// its own seed. On failure RapidCheck prints the shrunk case with a `raftsim ...` command
// that replays it with a timeline, and a reproduce string:
//   RC_PARAMS="reproduce=<string>" build/bin/raftsim_tests --gtest_filter=<test>
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "gen.h"
#include "raftsim/checks.h"
#include "raftsim/simulator.h"

namespace raftsim::test {
namespace {

// Each case is short, so that 300 of each fit the CI budget under the sanitizers: faults
// for up to 2 s, then enough fault-free time for what the property needs -- for liveness,
// the bound (10 election timeouts = 1 s) plus a client timeout (0.5 s).
constexpr Micros kFaultsEnd = seconds(2);
constexpr Micros kLivenessFaultsEnd = millis(1500);
constexpr Micros kDuration = seconds(3);
constexpr Micros kSafetyDuration = millis(2500);

SimResult run(const SimCase& c) { return Simulator(config_for(c)).run(); }

RC_GTEST_PROP(SimProperties, SafetyInvariantsHoldAfterEveryEvent, ()) {
  const SimCase c = *gen_case(FaultMix::all(), kFaultsEnd, kSafetyDuration);
  const SimResult r = run(c);
  if (!r.safe()) RC_FAIL(head(judge(r, false).details));
  RC_TAG(r.stats.elections_won > 1 ? "several leaders" : "one leader");
}

RC_GTEST_PROP(SimProperties, ClientHistoryIsLinearizableUnderAnyFaultMix, ()) {
  const SimCase c = *gen_case(FaultMix::all(), kFaultsEnd, kDuration);
  const SimResult r = run(c);
  const Linearizability lin = check_linearizable(r.history);
  // Unknown (the checker's deadline) would be a checker problem, not a pass.
  if (!lin.ok()) RC_FAIL(std::string(lincheck::to_string(lin.verdict)) + "\n" + head(lin.explanation));
}

RC_GTEST_PROP(SimProperties, LeaderAndProgressOnceFaultsStop, ()) {
  const SimCase c = *gen_case(FaultMix::all(), kLivenessFaultsEnd, kDuration);
  const SimResult r = run(c);
  RC_ASSERT(r.liveness.checked);
  if (!r.live()) RC_FAIL(r.liveness_report());
}

RC_GTEST_PROP(SimProperties, AcknowledgedWritesSurviveCrashesOfMinoritiesAndAllNodes, ()) {
  const SimCase c = *gen_crash_case(kFaultsEnd, kDuration);
  const SimResult r = run(c);
  if (!r.durable()) RC_FAIL(head(judge(r, false).details));
  // Lost writes can also show as stale reads after the restarts.
  const Linearizability lin = check_linearizable(r.history);
  if (!lin.ok()) RC_FAIL(head(lin.explanation));
}

}  // namespace
}  // namespace raftsim::test
