// A workload: which operation a free client thread runs next, the request it sends, and how
// a reply becomes a completed history operation. lin-kv follows Jepsen's
// linearizable-register test as Maelstrom 0.2 runs it (jepsen 0.3.7); echo follows
// Maelstrom's echo workload.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/workbench/src/history.h"
#include "tests/workbench/src/options.h"
#include "tests/workbench/src/rng.h"

namespace workbench {

// Client threads and the Jepsen process each one currently runs. A thread whose op ended
// :info gets a fresh process (old + thread count), as Jepsen's interpreter does.
class Threads {
 public:
  explicit Threads(int count);
  int count() const { return static_cast<int>(process_.size()); }
  std::int64_t process(int thread) const { return process_[static_cast<std::size_t>(thread)]; }
  void replace_process(int thread) { process_[static_cast<std::size_t>(thread)] += count(); }

 private:
  std::vector<std::int64_t> process_;
};

struct Invocation {
  int thread = 0;
  std::int64_t process = 0;
  std::string f;         // read, write, cas, echo
  nlohmann::json key;    // lin-kv key (an integer); null for echo
  nlohmann::json arg;    // write: v; cas: [from, to]; echo: the payload; read: null
};

class Workload {
 public:
  virtual ~Workload() = default;

  // Chooses a free thread and its next operation; nullopt if none can run.
  virtual std::optional<Invocation> next(const std::vector<int>& free_threads, const Threads& threads) = 0;
  // The request body, without msg_id.
  virtual nlohmann::json request(const Invocation& inv) const = 0;
  // The reply type that completes inv successfully (besides "error").
  virtual std::string ok_type(const Invocation& inv) const = 0;
  // History value of the invocation, and of its :ok completion given the reply body.
  virtual nlohmann::json invoke_value(const Invocation& inv) const = 0;
  virtual Op ok_completion(const Invocation& inv, const nlohmann::json& reply) const = 0;
  // Operations that change nothing: a timeout or any error on them is a definite failure.
  virtual bool idempotent(const std::string& f) const = 0;
  // Whether a thread keeps its network client after an :info (lin-kv's client is reusable).
  virtual bool reusable_clients() const = 0;
};

std::unique_ptr<Workload> make_workload(const Options& o, Rng choice_rng, Rng value_rng);

}  // namespace workbench
