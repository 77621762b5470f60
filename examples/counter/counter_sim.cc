// counter_sim: the simulator's replay CLI for the counter service -- the same options,
// fault mix, timeline and soak mode as raftsim has for raft-kv. `--buggy` runs the
// variant with the planted restore() bug. `counter_sim --help` lists the options.
#include <cstring>
#include <vector>

#include "counter_workload.h"
#include "raftsim/cli.h"

int main(int argc, char** argv) {
  // Our own flag first; everything else is the simulator's.
  bool buggy = false;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (i > 0 && std::strcmp(argv[i], "--buggy") == 0) {
      buggy = true;
    } else {
      args.push_back(argv[i]);
    }
  }
  return raftsim::run_cli(static_cast<int>(args.size()), args.data(),
                          buggy ? counter::buggy_workload : counter::workload,
                          buggy ? "counter_sim --buggy" : "counter_sim");
}
