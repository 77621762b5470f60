// raftsim: the replay CLI (raftsim/cli.h) over raft-kv's workload. Built twice: `raftsim`
// over the production core and `raftsim_planted` over the planted-bug core (--bug NAME).
#include "raftsim/cli.h"
#include "raftsim/kv_workload.h"

int main(int argc, char** argv) {
  raftsim::CliOptions options;
#ifdef RAFTSIM_PLANTED_CORE
  options.program = "raftsim_planted";
  options.planted_core = true;
#endif
  return raftsim::run_cli(argc, argv, raftsim::kv_workload, options);
}
