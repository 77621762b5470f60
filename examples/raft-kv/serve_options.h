// Command-line options of `raft-kv serve`: a node of a real cluster over TCP, with an
// HTTP/JSON API (docs/raft-kv.md, "raft-kv serve").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "transport/runtime.h"

namespace raftkv {

struct ServeOptions {
  RuntimeConfig runtime;
  transport::Endpoint http;
  std::size_t max_body_bytes = 1 << 20;
  int http_threads = 32;
  /// POST /debug/isolate and /debug/heal (partition tests). Off unless asked for.
  bool debug_endpoints = false;
  bool help = false;
};

extern const char* const kServeUsage;

/// Parses the arguments after "serve" (--log-level already taken). Nullopt and `error` on
/// a bad option.
std::optional<ServeOptions> parse_serve_options(const std::vector<std::string>& args, std::string& error);

}  // namespace raftkv
