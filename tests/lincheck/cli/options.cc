#include "options.h"

#include <charconv>
#include <string_view>
#include <variant>

namespace lincheck::cli {

const char* const kUsage = R"(usage: lincheck [options] HISTORY...

Checks each history for linearizability, key by key. Exit code: 0 every history is
linearizable, 1 some history is not, 2 unknown (timeout, memory limit) or bad input.

options:
  --format F        auto (default), edn, jepsen-log, jsonl
  --model M         auto (default: string-kv if the ops are get/put/append, else
                    cas-register), cas-register, string-kv
  --semantics S     what a :fail op means: knossos (removed; default except for Jepsen
                    logs) or porcupine (a failed cas observed a compare failure)
  --threads N       keys checked in parallel (default: one per core)
  --timeout SEC     give up on a history after SEC seconds: unknown (default: never)
  --memory-limit MB memo memory for all keys together (default: 2048)
  --json            print one JSON document instead of the text report
  --all-keys        list every key, not only the bad and unknown ones
  --every-key       check every key to the end; by default the check stops at the
                    first key found not linearizable (the verdict is decided)
  --context N       show the last N ops of the longest linearizable prefix (default 8)
  --to-jsonl FILE   also write the parsed history as JSON lines (one input file only)
  -h, --help        this text
)";

namespace {

template <class T>
std::optional<T> number(std::string_view s) {
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::variant<Options, std::string> parse_options(int argc, char** argv) {
  Options o;
  o.check.stop_at_first_violation = true;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&]() -> std::optional<std::string_view> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string_view(argv[++i]);
    };
    if (a == "-h" || a == "--help") {
      o.help = true;
    } else if (a == "--json") {
      o.json = true;
    } else if (a == "--all-keys") {
      o.report.list_valid_keys = true;
    } else if (a == "--every-key") {
      o.check.stop_at_first_violation = false;
    } else if (a == "--format" || a == "--model" || a == "--semantics" || a == "--threads" || a == "--timeout" ||
               a == "--memory-limit" || a == "--context" || a == "--to-jsonl") {
      const auto v = value();
      if (!v) return std::string(a) + " needs a value";
      if (a == "--format") {
        const auto f = format_from_string(*v);
        if (!f) return "unknown format '" + std::string(*v) + "' (expected auto, edn, jepsen-log or jsonl)";
        o.format = *f;
      } else if (a == "--model") {
        if (*v == "auto") o.model = ModelKind::Auto;
        else if (*v == "cas-register") o.model = ModelKind::CasRegister;
        else if (*v == "string-kv" || *v == "kv") o.model = ModelKind::StringKv;
        else return "unknown model '" + std::string(*v) + "' (expected auto, cas-register or string-kv)";
      } else if (a == "--semantics") {
        if (*v == "knossos" || *v == "maelstrom") o.semantics = Semantics::Knossos;
        else if (*v == "porcupine" || *v == "etcd") o.semantics = Semantics::Porcupine;
        else return "unknown semantics '" + std::string(*v) + "' (expected knossos or porcupine)";
      } else if (a == "--threads") {
        const auto n = number<unsigned>(*v);
        if (!n) return "--threads needs a number, got '" + std::string(*v) + "'";
        o.check.threads = *n;
      } else if (a == "--timeout") {
        const auto s = number<double>(*v);
        if (!s || *s < 0) return "--timeout needs seconds, got '" + std::string(*v) + "'";
        o.check.timeout = std::chrono::milliseconds(static_cast<long long>(*s * 1000 + 0.5));
      } else if (a == "--memory-limit") {
        const auto mb = number<std::size_t>(*v);
        if (!mb || *mb == 0) return "--memory-limit needs megabytes, got '" + std::string(*v) + "'";
        o.check.memory_limit = *mb << 20;
      } else if (a == "--context") {
        const auto n = number<std::size_t>(*v);
        if (!n) return "--context needs a number, got '" + std::string(*v) + "'";
        o.report.prefix_tail = *n;
      } else {
        o.to_jsonl = std::string(*v);
      }
    } else if (a.size() > 1 && a[0] == '-') {
      return "unknown option '" + std::string(a) + "'";
    } else {
      o.files.emplace_back(a);
    }
  }
  if (!o.help && o.files.empty()) return "no history file given";
  if (!o.to_jsonl.empty() && o.files.size() != 1) return "--to-jsonl needs exactly one input file";
  return o;
}

}  // namespace lincheck::cli
