// counter_node: the replicated counter (counter.h, the state machine the simulator tests)
// run over TCP with raftkv::Runtime, in a few dozen lines.
//
//   counter_node --id 1 --peers 1=127.0.0.1:7101,2=127.0.0.1:7102,3=127.0.0.1:7103 [--data-dir DIR]
//
// Start three (one per id), then type on any of them:
//   add hits 5  -> the counter's new value, once committed and applied (any node: a
//                  follower forwards it to the leader)
//   get hits    -> its value, linearizably (it reflects every add acknowledged anywhere)
//   status      -> role, term, leader, commit and applied index
// Logs go to stderr. docs/embedding.md walks through this file.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <string>

#include "counter.h"
#include "transport/runtime.h"

namespace {

// "--id 1 --peers 1=h:p,2=h:p --data-dir D" into a RuntimeConfig; an error message if bad.
std::string parse_args(int argc, char** argv, raftkv::RuntimeConfig& cfg) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--id") {
      cfg.id = raft::NodeId{std::stoull(v)};
    } else if (k == "--data-dir") {
      cfg.data_dir = v;
    } else if (k == "--peers") {
      for (std::size_t pos = 0; pos < v.size();) {
        const std::size_t comma = std::min(v.find(',', pos), v.size());
        const std::string item = v.substr(pos, comma - pos);
        const std::size_t eq = item.find('=');
        if (eq == std::string::npos) return "bad peer '" + item + "' (expected ID=HOST:PORT)";
        transport::Endpoint ep;
        if (std::string e = transport::parse_endpoint(item.substr(eq + 1), ep); !e.empty()) return e;
        cfg.peers[raft::NodeId{std::stoull(item.substr(0, eq))}] = ep;
        pos = comma + 1;
      }
    } else {
      return "unknown option " + k;
    }
  }
  if (cfg.id.is_none() || !cfg.peers.contains(cfg.id)) return "--id must be one of --peers";
  return {};
}

}  // namespace

int main(int argc, char** argv) try {
  spdlog::set_default_logger(spdlog::stderr_color_mt("counter_node"));  // stdout is for answers
  raftkv::RuntimeConfig cfg;
  if (std::string error = parse_args(argc, argv, cfg); !error.empty()) {
    std::cerr << "counter_node: " << error << "\nusage: counter_node --id N --peers 1=HOST:PORT,... [--data-dir DIR]\n";
    return 2;
  }
  cfg.on_leader_change = [](raft::NodeId leader, raft::Term term) {
    spdlog::info("leader is now {} (term {})", leader.value(), term.value());
  };

  counter::Counter machine;
  auto node = raftkv::Runtime::start(cfg, machine);
  if (!node) {
    std::cerr << "counter_node: " << node.error() << "\n";
    return 1;
  }
  raftkv::Runtime& rt = **node;

  for (std::string line; std::getline(std::cin, line);) {
    if (line == "status") {
      const raftkv::RuntimeStatus s = rt.status();
      std::cout << raft::role_name(s.role) << " term " << s.term.value() << " leader " << s.leader.value()
                << " commit " << s.commit.value() << " applied " << s.applied.value() << std::endl;
      continue;
    }
    const std::optional<counter::Request> request = counter::parse(line);
    if (!request) {  // check before replicating: whatever reaches the log is applied everywhere
      std::cout << "commands: add KEY N | get KEY | status" << std::endl;
      continue;
    }
    // Blocking on the future is fine here; a server would pass a callback instead.
    const bool is_get = request->kind == counter::Request::Kind::kGet;
    const raftkv::Outcome o = is_get ? rt.read(line).get() : rt.propose(line).get();
    if (o.ok()) {
      std::cout << o.result << std::endl;
    } else {
      std::cout << (o.definite_failure() ? "failed: " : "unknown outcome: ") << o.error << std::endl;
    }
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "counter_node: " << e.what() << "\n";
  return 2;
}
