#include "raftsim/property.h"

#include <rapidcheck.h>

#include "raftsim/simulator.h"

namespace raftsim {

namespace {

SimResult run_case(const SimCase& c, const WorkloadFactory& workload) {
  SimConfig cfg = config_for(c);
  cfg.make_workload = workload;
  return Simulator(cfg).run();
}

}  // namespace

SimResult check_case(const SimCase& c, const WorkloadFactory& workload,
                     const std::string& program, const Properties& which) {
  SimResult r = run_case(c, workload);
  const Verdict v = judge(r, which);
  if (!v.ok()) RC_FAIL(head(v.details) + "\nreplay: " + replay_command(c, program));
  return r;
}

Hunt hunt(const rc::Gen<SimCase>& cases, const WorkloadFactory& workload, std::uint64_t seed,
          int max_cases, const Properties& which) {
  Hunt h;
  rc::detail::TestParams params;  // RapidCheck's own type for what RC_PARAMS would set
  params.seed = seed;
  params.maxSuccess = max_cases;
  rc::detail::TestMetadata metadata;
  metadata.id = metadata.description = "raftsim::hunt";
  std::size_t generated = 0;
  (void)rc::detail::checkTestable([&] {
    const SimCase c = *cases;
    if (!h.found) ++generated;
    const Verdict v = judge(run_case(c, workload), which);
    if (v.ok()) return;
    if (!h.found) {
      h.found = true;
      h.cases = generated;
      h.first_faults = c.schedule.faults.size();
    }
    // While shrinking, every new failure is smaller than the last.
    h.smallest = c;
    h.failure = v.details;
    RC_FAIL("property violated");
  }, metadata, params);
  return h;
}

}  // namespace raftsim
