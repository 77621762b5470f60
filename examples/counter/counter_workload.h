// The counter under the simulator: which state machine to run, what clients ask, and how
// their history reads for CounterModel. This, counter.h and counter_model.h are all a
// service needs to be tested like raft-kv (docs/testing-your-service.md).
#pragma once

#include <memory>

#include "counter.h"
#include "counter_model.h"
#include "raftsim/workload.h"

namespace counter {

class CounterWorkload final : public raftsim::ModelWorkload<CounterModel> {
 public:
  /// `buggy`: run MergingCounter, the variant with the planted restore() bug.
  CounterWorkload(const raftsim::WorkloadConfig& config, bool buggy)
      : keys_(config.keys), read_percent_(config.read_percent), buggy_(buggy) {}

  [[nodiscard]] std::unique_ptr<raft::StateMachine> make_state_machine() const override {
    if (buggy_) return std::make_unique<MergingCounter>();
    return std::make_unique<Counter>();
  }

  // A few keys and small amounts, so that clients meet each other's adds.
  raftsim::Request next(raftsim::Rng& rng) override {
    const std::string key = "c" + std::to_string(rng.uniform(0, keys_ - 1));
    if (rng.uniform(0, 99) < read_percent_) return raftsim::Request::query("get " + key);
    return raftsim::Request::command("add " + key + " " + std::to_string(rng.uniform(1, 5)));
  }

  [[nodiscard]] lincheck::Operation to_history(const raftsim::Request& request,
                                               const std::string* result) const override {
    const auto r = parse(request.bytes);
    lincheck::Operation o;
    o.f = r && r->kind == Request::Kind::kAdd ? "add" : "get";
    o.key = r ? r->key : "";
    if (r && r->kind == Request::Kind::kAdd) o.input = lincheck::Value::integer(r->amount);
    if (result != nullptr) {
      try {
        o.output = lincheck::Value::integer(std::stoll(*result));
      } catch (const std::exception&) {  // "error: ...": the model rejects the op, loudly
        o.output = lincheck::Value::string(*result);
      }
    }
    return o;
  }

 private:
  int keys_;
  int read_percent_;
  bool buggy_;
};

/// The factories the simulator, the property tests and counter_sim take.
inline std::unique_ptr<raftsim::Workload> workload(const raftsim::WorkloadConfig& config) {
  return std::make_unique<CounterWorkload>(config, false);
}
inline std::unique_ptr<raftsim::Workload> buggy_workload(const raftsim::WorkloadConfig& config) {
  return std::make_unique<CounterWorkload>(config, true);
}

}  // namespace counter
