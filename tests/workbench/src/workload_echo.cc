// Maelstrom's echo workload: every thread sends {"type":"echo","echo":"Please echo N"} and
// expects echo_ok carrying the same payload; its client is not reusable, so a thread whose op
// ended :info opens a new network client (a new cN name), as Jepsen does.
#include <memory>

#include "tests/workbench/src/workload.h"
#include "tests/workbench/src/workload_lin_kv.h"

namespace workbench {
namespace {

class EchoWorkload : public Workload {
 public:
  EchoWorkload(Rng choice, Rng values) : choice_(choice), values_(values) {}

  std::optional<Invocation> next(const std::vector<int>& free_threads, const Threads& threads) override {
    if (free_threads.empty()) return std::nullopt;
    Invocation inv;
    inv.thread = choice_.pick(free_threads);
    inv.process = threads.process(inv.thread);
    inv.f = "echo";
    inv.arg = "Please echo " + std::to_string(values_.below(128));
    return inv;
  }
  nlohmann::json request(const Invocation& inv) const override { return {{"type", "echo"}, {"echo", inv.arg}}; }
  std::string ok_type(const Invocation&) const override { return "echo_ok"; }
  nlohmann::json invoke_value(const Invocation& inv) const override { return inv.arg; }
  Op ok_completion(const Invocation& inv, const nlohmann::json& reply) const override {
    Op op;
    op.type = OpType::Ok;
    op.f = inv.f;
    op.value = reply;  // Maelstrom records the whole reply body
    op.value_edn = json_to_edn(reply, /*keyword_keys=*/true);
    return op;
  }
  bool idempotent(const std::string&) const override { return false; }
  bool reusable_clients() const override { return false; }

 private:
  Rng choice_;
  Rng values_;
};

}  // namespace

Threads::Threads(int count) {
  for (int t = 0; t < count; ++t) process_.push_back(t);
}

std::unique_ptr<Workload> make_workload(const Options& o, Rng choice_rng, Rng value_rng) {
  if (o.workload == WorkloadKind::Echo) return std::make_unique<EchoWorkload>(choice_rng, value_rng);
  return std::make_unique<LinKvWorkload>(static_cast<int>(o.nodes.size()), o.concurrency, o.reads_on_all_keys,
                                         choice_rng, value_rng);
}

}  // namespace workbench
