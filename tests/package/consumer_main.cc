// A consumer of the raftkv package (tests/package): one short simulated run of a 3-node
// lin-kv cluster under faults, its history checked by lincheck. It touches every runtime
// target -- the core, the service, kv, the simulator, lincheck, the Maelstrom transport --
// so a missing header, library or usage requirement in the package fails this build or
// this run.
#include <cstdio>
#include <string>

#include "kv/state_machine.h"
#include "lincheck/verdict.h"
#include "raftsim/checks.h"
#include "raftsim/kv_workload.h"
#include "raftsim/simulator.h"
#include "transport/maelstrom.h"
#include "transport/runtime.h"

int main() {
  raftsim::SimConfig config;
  config.make_workload = raftsim::kv_workload;
  config.seed = 7;
  config.cluster.nodes = 3;
  config.duration = raftsim::seconds(4);
  raftsim::Rng rng(config.seed);
  config.schedule = raftsim::random_schedule(raftsim::FaultMix::all(), config.cluster.nodes,
                                             raftsim::seconds(2), raftsim::millis(300), rng);
  const raftsim::SimResult result = raftsim::Simulator(config).run();
  // The runtime links (its TCP transport's asio stays inside the library): a node that
  // cannot open its data directory says why instead of starting.
  raftkv::RuntimeConfig runtime_config;
  runtime_config.id = raft::NodeId{1};
  runtime_config.data_dir = "/proc/raftkv-consumer-no-such-dir";
  runtime_config.peers[raft::NodeId{1}] = transport::Endpoint{"127.0.0.1", 0};
  kv::StateMachine machine;
  const bool refused = !raftkv::Runtime::start(runtime_config, machine).has_value();
  const raftsim::Verdict verdict = raftsim::judge(result);
  std::printf("consumer: %zu ops, %s (code 11 is %s)\n", result.history.size(),
              verdict.ok() ? "all properties hold" : verdict.details.c_str(),
              std::string(maelstrom::error_name(11)).c_str());
  std::printf("consumer: a runtime on an unusable data directory %s\n",
              refused ? "is refused" : "STARTED");
  return verdict.ok() && !result.history.empty() && refused ? 0 : 1;
}
