#include "tests/workbench/src/options.h"

#include <unistd.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>

namespace workbench {
namespace {

// Raw option text collected first; values that depend on each other (concurrency "4n" needs
// the node count) are resolved afterwards.
struct Raw {
  Options o;
  std::optional<std::string> concurrency;  // absent: Maelstrom's 1n, or what lin-kv accepts
  std::optional<int> node_count;
  std::optional<std::string> nodes_list;
};

std::optional<double> parse_double(const std::string& s) {
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<std::int64_t> parse_int(const std::string& s) {
  if (s.empty()) return std::nullopt;
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ',') {
      out.push_back(cur);
      cur.clear();
    } else if (c != ' ' && c != '\t') {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

using Handler = std::function<std::string(Raw&, const std::string&)>;

std::string positive_seconds(double& out, const std::string& v, const char* what) {
  auto d = parse_double(v);
  if (!d || *d <= 0) return std::string(what) + " must be a positive number of seconds, got '" + v + "'";
  out = *d;
  return "";
}

std::string set_workload(Raw& r, const std::string& v) {
  if (v == "lin-kv") r.o.workload = WorkloadKind::LinKv;
  else if (v == "echo") r.o.workload = WorkloadKind::Echo;
  else return "--workload must be lin-kv or echo (the workloads the workbench implements), got '" + v + "'";
  return "";
}

std::string set_nemesis(Raw& r, const std::string& v) {
  r.o.faults.clear();
  for (const auto& f : split_commas(v)) {
    if (f.empty()) continue;
    if (f == "partition") r.o.faults.insert(Fault::Partition);
    else if (f == "kill") r.o.faults.insert(Fault::Kill);
    else if (f == "pause") r.o.faults.insert(Fault::Pause);
    else return "--nemesis takes a comma-separated list of partition, kill, pause; got '" + f + "'";
  }
  return "";
}

std::string set_availability(Raw& r, const std::string& v) {
  if (v == "total") {
    r.o.availability = 1.0;
    return "";
  }
  auto d = parse_double(v);
  if (!d || *d < 0 || *d > 1) return "--availability must be 'total' or a number from 0 to 1, got '" + v + "'";
  r.o.availability = *d;
  return "";
}

std::string set_latency_dist(Raw& r, const std::string& v) {
  if (v == "constant") r.o.latency_dist = LatencyDist::Constant;
  else if (v == "uniform") r.o.latency_dist = LatencyDist::Uniform;
  else if (v == "exponential") r.o.latency_dist = LatencyDist::Exponential;
  else return "--latency-dist must be constant, uniform or exponential, got '" + v + "'";
  return "";
}

const std::map<std::string, Handler>& value_options() {
  static const std::map<std::string, Handler> table = {
      {"--workload", set_workload},
      {"--bin", [](Raw& r, const std::string& v) { r.o.bin = v; return std::string(); }},
      {"--node-count",
       [](Raw& r, const std::string& v) {
         auto n = parse_int(v);
         if (!n || *n < 1 || *n > 100) return "--node-count must be an integer from 1 to 100, got '" + v + "'";
         r.node_count = static_cast<int>(*n);
         return std::string();
       }},
      {"--nodes", [](Raw& r, const std::string& v) { r.nodes_list = v; return std::string(); }},
      {"--time-limit",
       [](Raw& r, const std::string& v) { return positive_seconds(r.o.time_limit_s, v, "--time-limit"); }},
      {"--concurrency", [](Raw& r, const std::string& v) { r.concurrency = v; return std::string(); }},
      {"--diagram-at",
       [](Raw& r, const std::string& v) {
         auto d = parse_double(v);
         if (!d || *d < 0) return "--diagram-at must be a non-negative number of seconds, got '" + v + "'";
         r.o.diagram_at_s = *d;
         return std::string();
       }},
      {"--diagram-span",
       [](Raw& r, const std::string& v) {
         double s = 0;
         auto err = positive_seconds(s, v, "--diagram-span");
         if (err.empty()) r.o.diagram_span_s = s;
         return err;
       }},
      {"--max-stall",
       [](Raw& r, const std::string& v) {
         auto d = parse_double(v);
         if (!d || *d < 0) return "--max-stall must be a non-negative number of seconds, got '" + v + "'";
         r.o.max_stall_s = *d;
         return std::string();
       }},
      {"--rate",
       [](Raw& r, const std::string& v) {
         auto d = parse_double(v);
         if (!d || *d < 0) return "--rate must be a non-negative number, got '" + v + "'";
         r.o.rate = *d;
         return std::string();
       }},
      {"--latency",
       [](Raw& r, const std::string& v) {
         auto n = parse_int(v);
         if (!n || *n < 0 || *n > 3'600'000) return "--latency must be a non-negative integer (ms), got '" + v + "'";
         r.o.latency_ms = *n;
         return std::string();
       }},
      {"--latency-dist", set_latency_dist},
      {"--nemesis", set_nemesis},
      {"--nemesis-interval",
       [](Raw& r, const std::string& v) {
         return positive_seconds(r.o.nemesis_interval_s, v, "--nemesis-interval");
       }},
      {"--availability", set_availability},
      {"--seed",
       [](Raw& r, const std::string& v) {
         std::uint64_t s = 0;
         auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), s);
         if (v.empty() || ec != std::errc() || p != v.data() + v.size())
           return "--seed must be a non-negative integer, got '" + v + "'";
         r.o.seed = s;
         return std::string();
       }},
      {"--store", [](Raw& r, const std::string& v) {
         if (v.empty()) return std::string("--store must not be empty");
         r.o.store = v;
         return std::string();
       }},
      {"--test-count",
       [](Raw& r, const std::string& v) {
         auto n = parse_int(v);
         if (!n || *n < 1 || *n > 1'000'000) return "--test-count must be a positive integer, got '" + v + "'";
         r.o.test_count = static_cast<int>(*n);
         return std::string();
       }},
      {"--check-timeout",
       [](Raw& r, const std::string& v) {
         auto d = parse_double(v);
         if (!d || *d < 0) return "--check-timeout must be a non-negative number of seconds, got '" + v + "'";
         r.o.check_timeout_s = *d;
         return std::string();
       }},
      {"--init-timeout",
       [](Raw& r, const std::string& v) { return positive_seconds(r.o.init_timeout_s, v, "--init-timeout"); }},
  };
  return table;
}

const std::map<std::string, std::function<void(Options&)>>& flag_options() {
  static const std::map<std::string, std::function<void(Options&)>> table = {
      {"--log-stderr", [](Options& o) { o.log_stderr = true; }},
      {"--log-net-send", [](Options& o) { o.log_net_send = true; }},
      {"--log-net-recv", [](Options& o) { o.log_net_recv = true; }},
      {"--reads-on-all-keys", [](Options& o) { o.reads_on_all_keys = true; }},
      {"--reads-on-first-keys-only", [](Options& o) { o.reads_on_all_keys = false; }},
      {"--no-progress", [](Options& o) { o.progress = false; }},
  };
  return table;
}

std::string resolve_nodes(Raw& r) {
  if (r.node_count) {
    for (int i = 0; i < *r.node_count; ++i) r.o.nodes.push_back("n" + std::to_string(i));
  } else if (r.nodes_list) {
    for (const auto& n : split_commas(*r.nodes_list)) {
      if (n.empty() || n[0] == 'c') return "--nodes: '" + n + "' is not a valid node name (empty, or starts with c like a client)";
      for (const auto& seen : r.o.nodes)
        if (seen == n) return "--nodes: '" + n + "' appears twice";
      r.o.nodes.push_back(n);
    }
  } else {
    for (int i = 1; i <= 5; ++i) r.o.nodes.push_back("n" + std::to_string(i));  // Jepsen's default
  }
  return "";
}

std::string resolve_concurrency(Raw& r, std::vector<std::string>& notes) {
  const auto n = static_cast<std::int64_t>(r.o.nodes.size());
  if (!r.concurrency) {
    // Maelstrom's default 1n is refused by its own lin-kv (it needs a multiple of 2n): choose
    // the smallest count lin-kv accepts instead, and say so.
    const bool lin_kv = r.o.workload == WorkloadKind::LinKv;
    r.o.concurrency = static_cast<int>((lin_kv ? 2 : 1) * n);
    if (lin_kv)
      notes.push_back("--concurrency not given: using 2n = " + std::to_string(r.o.concurrency) +
                      " client threads, the smallest lin-kv accepts for " + std::to_string(n) + " nodes");
    return "";
  }
  std::string text = *r.concurrency;
  const bool per_node = !text.empty() && text.back() == 'n';
  if (per_node) text.pop_back();
  auto k = per_node && text.empty() ? std::optional<std::int64_t>(1) : parse_int(text);
  if (!k || *k < 1 || *k * (per_node ? n : 1) > 10'000)
    return "--concurrency must be a positive integer K or Kn (K per node), got '" + *r.concurrency + "'";
  r.o.concurrency = static_cast<int>(*k * (per_node ? n : 1));
  return "";
}

std::string check_workload_fit(const Options& o) {
  if (o.workload != WorkloadKind::LinKv) return "";
  const int group = 2 * static_cast<int>(o.nodes.size());
  if (group > 20)
    return "lin-kv gives each key 2n client threads and retires a key after 20 client processes, so it "
           "cannot run more than 10 nodes (Maelstrom would never issue an operation)";
  if (o.concurrency % group != 0)
    return "lin-kv needs --concurrency to be a multiple of 2n = " + std::to_string(group) + " (e.g. 2n or 4n); got " +
           std::to_string(o.concurrency) + " client threads";
  return "";
}

std::string check_bin(Options& o) {
  if (o.bin.empty()) return "expected --bin PATH_TO_BINARY to test";
  std::error_code ec;
  auto abs = std::filesystem::absolute(o.bin, ec);
  if (ec) return "--bin " + o.bin + ": " + ec.message();
  if (!std::filesystem::is_regular_file(abs, ec)) return "--bin " + o.bin + ": no such file";
  if (access(abs.c_str(), X_OK) != 0) return "--bin " + o.bin + ": not executable";
  o.bin = abs.lexically_normal().string();
  return "";
}

// Splits "--name=value" into name and value.
std::pair<std::string, std::optional<std::string>> split_eq(const std::string& arg) {
  auto eq = arg.find('=');
  if (arg.empty() || arg[0] != '-' || eq == std::string::npos) return {arg, std::nullopt};
  return {arg.substr(0, eq), arg.substr(eq + 1)};
}

}  // namespace

ParseOutcome parse_options(const std::vector<std::string>& args) {
  ParseOutcome out;
  if (args.empty()) {
    out.error = "expected a command: test (see workbench --help)";
    return out;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    out.help = true;
    return out;
  }
  if (args[0] != "test") {
    out.error = "unknown command '" + args[0] + "' (the only command is test; see workbench --help)";
    return out;
  }
  Raw raw;
  for (std::size_t i = 1; i < args.size(); ++i) {
    auto [name, inline_value] = split_eq(args[i]);
    if (name == "-w") name = "--workload";
    if (name == "--") {
      raw.o.node_args.insert(raw.o.node_args.end(), args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    if (name == "--help" || name == "-h") {
      out.help = true;
      return out;
    }
    if (auto f = flag_options().find(name); f != flag_options().end()) {
      if (inline_value) {
        out.error = name + " takes no value";
        return out;
      }
      f->second(raw.o);
      continue;
    }
    auto h = value_options().find(name);
    if (h == value_options().end()) {
      if (!name.empty() && name[0] == '-') {
        out.error = "unknown option '" + name + "' (node arguments go after --; see workbench --help)";
        return out;
      }
      raw.o.node_args.push_back(args[i]);  // like Maelstrom: stray words are node arguments
      continue;
    }
    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      out.error = name + " needs a value";
      return out;
    }
    if (auto err = h->second(raw, value); !err.empty()) {
      out.error = err;
      return out;
    }
  }
  std::string err = resolve_nodes(raw);
  if (err.empty()) err = resolve_concurrency(raw, out.notes);
  if (!err.empty()) {
    out.error = err;
    return out;
  }
  if (err = check_workload_fit(raw.o); err.empty()) err = check_bin(raw.o);
  if (!err.empty()) {
    out.error = err;
    out.notes.clear();
    return out;
  }
  out.options = std::move(raw.o);
  return out;
}

std::string to_string(WorkloadKind w) { return w == WorkloadKind::LinKv ? "lin-kv" : "echo"; }

std::string to_string(LatencyDist d) {
  switch (d) {
    case LatencyDist::Constant: return "constant";
    case LatencyDist::Uniform: return "uniform";
    case LatencyDist::Exponential: return "exponential";
  }
  return "?";
}

std::string to_string(Fault f) {
  switch (f) {
    case Fault::Partition: return "partition";
    case Fault::Kill: return "kill";
    case Fault::Pause: return "pause";
  }
  return "?";
}

}  // namespace workbench
