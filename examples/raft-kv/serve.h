// `raft-kv serve`: one node of a real cluster (TCP between peers, HTTP for clients).
#pragma once

#include <string>
#include <vector>

namespace raftkv {

/// Runs the server until SIGINT/SIGTERM; returns the exit code. `args` follow "serve".
int run_serve(const std::vector<std::string>& args);

}  // namespace raftkv
