// The simulator's replay CLI as a library: a service's own simulator program is
//
//   int main(int argc, char** argv) { return raftsim::run_cli(argc, argv, my_workload, "my_sim"); }
//
// and gets raftsim's options (--seed, --seeds, --nodes, --faults, --schedule, --timeline,
// --history, ...; `--help` lists them), its timeline, its verdict of every property and its
// soak mode -- over the service's own state machine and model. raft-kv's `raftsim` is
// exactly that with the lin-kv workload.
#pragma once

#include <string>

#include "raftsim/config.h"

namespace raftsim {

struct CliOptions {
  /// How failure messages and --help name the program (and how to replay a seed).
  std::string program = "raftsim";
  /// The program is linked with the planted-bug core (raft_planted_bugs): allow --bug.
  bool planted_core = false;
};

/// Parses argv and runs: exit status 0 if every property held, 1 if one failed, 2 on bad
/// usage (the error goes to stderr).
int run_cli(int argc, char** argv, const WorkloadFactory& workload, const CliOptions& options);
int run_cli(int argc, char** argv, const WorkloadFactory& workload, const std::string& program);

}  // namespace raftsim
