#include "serve_options.h"

#include <charconv>

namespace raftkv {

const char* const kServeUsage =
    "usage: raft-kv serve --id N --peers 1=HOST:PORT,2=HOST:PORT,... --http HOST:PORT [options]\n"
    "A node of a raft-kv cluster over TCP, serving an HTTP/JSON key-value API on any node\n"
    "(a follower forwards writes to the leader; reads are linearizable):\n"
    "  GET /kv/KEY, PUT /kv/KEY {\"value\": V}, POST /kv/KEY/cas {\"from\": A, \"to\": B},\n"
    "  DELETE /kv/KEY, GET /status\n"
    "and membership administration on the leader (docs/raft-kv.md):\n"
    "  GET /cluster, POST /cluster/voters/ID, POST /cluster/learners/ID,\n"
    "  DELETE /cluster/members/ID, POST /cluster/transfer {\"to\": ID}\n"
    "\n"
    "options:\n"
    "  --id N                   this node's id (one of --peers)\n"
    "  --peers LIST             every node's address, this node included: ID=HOST:PORT,...\n"
    "                           (list nodes you will add later too: the book is fixed)\n"
    "  --voters IDS             the initial configuration of a new cluster: 1,2,3\n"
    "                           (default: every peer). A node not listed starts as a\n"
    "                           non-member and waits until POST /cluster/... adds it\n"
    "  --http HOST:PORT         where the HTTP API listens\n"
    "  --data-dir DIR           keep term, vote, log and snapshots in DIR/<id>/ (survives\n"
    "                           kill -9); without it state is in memory only\n"
    "  --tick-ms N              Raft tick interval (default 10)\n"
    "  --election-timeout-ms N  election timeout T; followers wait [T, 2T) (default 300)\n"
    "  --heartbeat-ms N         leader heartbeat interval (default 50)\n"
    "  --request-timeout-ms N   answer 503/504 after this long (default 5000)\n"
    "  --snapshot-entries N     snapshot and compact every N applied entries; 0: never\n"
    "                           (default 10000)\n"
    "  --max-body-bytes N       larger request bodies get 413 (default 1048576)\n"
    "  --http-threads N         concurrent HTTP requests served (default 32)\n"
    "  --debug-endpoints        enable POST /debug/isolate and /debug/heal (tests)\n"
    "  --log-level LEVEL        trace, debug, info, warn (default), error, critical, off\n"
    "  --help                   this text\n";

namespace {

bool parse_int(const std::string& s, long long lo, long long hi, long long& out) {
  long long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi) return false;
  out = v;
  return true;
}

// "1=127.0.0.1:7001,2=..." into the peer map.
std::string parse_peers(const std::string& text, std::map<raft::NodeId, transport::Endpoint>& peers) {
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t comma = std::min(text.find(',', pos), text.size());
    const std::string item = text.substr(pos, comma - pos);
    const std::size_t eq = item.find('=');
    long long id = 0;
    if (eq == std::string::npos || !parse_int(item.substr(0, eq), 1, 1 << 30, id)) {
      return "--peers: expected ID=HOST:PORT, got '" + item + "'";
    }
    transport::Endpoint ep;
    if (std::string e = transport::parse_endpoint(item.substr(eq + 1), ep); !e.empty()) return "--peers: " + e;
    if (!peers.emplace(raft::NodeId{static_cast<std::uint64_t>(id)}, ep).second) {
      return "--peers: node " + std::to_string(id) + " listed twice";
    }
    pos = comma + 1;
  }
  return {};
}

}  // namespace

std::optional<ServeOptions> parse_serve_options(const std::vector<std::string>& args, std::string& error) {
  ServeOptions o;
  long long tick = 10, election = 300, heartbeat = 50, timeout = 5000;
  bool have_id = false, have_http = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      o.help = true;
      return o;
    }
    if (a == "--debug-endpoints") {
      o.debug_endpoints = true;
      continue;
    }
    if (i + 1 >= args.size()) {
      error = "missing value after " + a;
      return std::nullopt;
    }
    const std::string& v = args[++i];
    long long n = 0;
    const auto number = [&](long long lo, long long hi, long long& out) {
      if (!parse_int(v, lo, hi, out)) error = a + ": expected a number in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got '" + v + "'";
      return error.empty();
    };
    if (a == "--id") {
      if (!number(1, 1 << 30, n)) return std::nullopt;
      o.runtime.id = raft::NodeId{static_cast<std::uint64_t>(n)};
      have_id = true;
    } else if (a == "--peers") {
      if (error = parse_peers(v, o.runtime.peers); !error.empty()) return std::nullopt;
    } else if (a == "--voters") {
      for (std::size_t pos = 0; pos <= v.size();) {
        const std::size_t comma = std::min(v.find(',', pos), v.size());
        if (!parse_int(v.substr(pos, comma - pos), 1, 1 << 30, n)) {
          error = "--voters: expected ID,ID,..., got '" + v + "'";
          return std::nullopt;
        }
        o.runtime.voters.push_back(raft::NodeId{static_cast<std::uint64_t>(n)});
        pos = comma + 1;
      }
    } else if (a == "--http") {
      if (std::string e = transport::parse_endpoint(v, o.http); !e.empty()) {
        error = "--http: " + e;
        return std::nullopt;
      }
      have_http = true;
    } else if (a == "--data-dir") {
      o.runtime.data_dir = v;
    } else if (a == "--tick-ms") {
      if (!number(1, 10'000, tick)) return std::nullopt;
    } else if (a == "--election-timeout-ms") {
      if (!number(2, 3'600'000, election)) return std::nullopt;
    } else if (a == "--heartbeat-ms") {
      if (!number(1, 3'600'000, heartbeat)) return std::nullopt;
    } else if (a == "--request-timeout-ms") {
      if (!number(1, 3'600'000, timeout)) return std::nullopt;
    } else if (a == "--snapshot-entries") {
      if (!number(0, 1ll << 40, n)) return std::nullopt;
      o.runtime.snapshot_entries = static_cast<std::uint64_t>(n);
    } else if (a == "--max-body-bytes") {
      if (!number(1, 1ll << 30, n)) return std::nullopt;
      o.max_body_bytes = static_cast<std::size_t>(n);
    } else if (a == "--http-threads") {
      if (!number(1, 4096, n)) return std::nullopt;
      o.http_threads = static_cast<int>(n);
    } else {
      error = "unknown option " + a;
      return std::nullopt;
    }
  }
  if (!have_id || o.runtime.peers.empty() || !have_http) {
    error = "--id, --peers and --http are required";
    return std::nullopt;
  }
  if (!o.runtime.peers.contains(o.runtime.id)) {
    error = "--id " + std::to_string(o.runtime.id.value()) + " is not in --peers";
    return std::nullopt;
  }
  for (raft::NodeId v : o.runtime.voters) {
    if (!o.runtime.peers.contains(v)) {
      error = "--voters: node " + std::to_string(v.value()) + " is not in --peers";
      return std::nullopt;
    }
  }
  o.runtime.tick = std::chrono::milliseconds(tick);
  o.runtime.election_ticks = static_cast<int>(std::max(2ll, election / tick));
  o.runtime.heartbeat_ticks = static_cast<int>(std::max(1ll, heartbeat / tick));
  o.runtime.request_timeout = std::chrono::milliseconds(timeout);
  o.runtime.leader_wait = std::chrono::milliseconds(std::min(timeout, 2000ll));
  o.runtime.max_command_bytes = o.max_body_bytes + 1024;
  return o;
}

}  // namespace raftkv
