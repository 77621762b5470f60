// The generic simulator's contract with a workload (raftsim/workload.h, history.h): how
// answers become the checked history, that a run needs a workload, and that requests drawn
// from a RapidCheck generator are decided by the run's seed.
#include <gtest/gtest.h>

#include <stdexcept>

#include "raftsim/history.h"
#include "raftsim/property.h"
#include "raftsim/simulator.h"

namespace raftsim {
namespace {

// A register with text commands, enough to see how the history is built: "w<v>" writes
// (result "ok" or "refused"), "r" reads (result the value).
class EchoRegister final : public raft::StateMachine {
 public:
  std::string apply(std::string_view command) override {
    value_ = std::string(command.substr(1));
    return "ok";
  }
  [[nodiscard]] std::string query(std::string_view) const override { return value_; }
  [[nodiscard]] std::string snapshot() const override { return value_; }
  [[nodiscard]] std::string restore(std::string_view data) override {
    value_ = std::string(data);
    return {};
  }

 private:
  std::string value_;
};

class EchoWorkload final : public Workload {
 public:
  [[nodiscard]] std::unique_ptr<raft::StateMachine> make_state_machine() const override {
    return std::make_unique<EchoRegister>();
  }
  Request next(Rng& rng) override {
    return rng.chance(0.5) ? Request::query("r") : Request::command("w" + std::to_string(rng.uniform(0, 3)));
  }
  [[nodiscard]] lincheck::Operation to_history(const Request& request,
                                               const std::string* result) const override {
    lincheck::Operation o;
    o.f = request.is_query() ? "read" : "write";
    if (!request.is_query()) o.input = lincheck::Value::string(request.bytes.substr(1));
    if (result != nullptr && request.is_query()) o.output = lincheck::Value::string(*result);
    if (result != nullptr && *result == "refused") o.outcome = lincheck::Outcome::Fail;
    return o;
  }
  [[nodiscard]] lincheck::Result<lincheck::CheckResult> check(
      const lincheck::History&, const lincheck::CheckOptions&) const override {
    return lincheck::CheckResult{};
  }
};

ClientOp answered_op(Request request, raft::Outcome::Status status, std::string result) {
  ClientOp op;
  op.process = 3;
  op.request = std::move(request);
  op.call = 10;
  op.ret = 20;
  raft::Outcome outcome;
  outcome.status = status;
  outcome.result = std::move(result);
  op.outcome = outcome;
  return op;
}

TEST(WorkloadHistory, AnswersBecomeOkFailInfoOrAreLeftOut) {
  using Status = raft::Outcome::Status;
  const EchoWorkload w;
  std::vector<ClientOp> ops;
  ops.push_back(answered_op(Request::query("r"), Status::kOk, "2"));
  ops.push_back(answered_op(Request::command("w1"), Status::kOk, "refused"));  // observed no-op
  ops.push_back(answered_op(Request::command("w2"), Status::kUnavailable, ""));  // did not happen
  ops.push_back(answered_op(Request::command("w3"), Status::kTooLarge, ""));     // did not happen
  ops.push_back(answered_op(Request::command("w4"), Status::kUnknown, ""));      // may happen
  ClientOp timed_out;
  timed_out.request = Request::command("w5");
  ops.push_back(timed_out);

  const lincheck::History h = to_lincheck(ops, w);
  ASSERT_EQ(h.ops.size(), 4u);
  EXPECT_EQ(h.ops[0].outcome, lincheck::Outcome::Ok);
  EXPECT_EQ(h.ops[0].output, lincheck::Value::string("2"));
  EXPECT_EQ(h.ops[0].ret, 20);
  EXPECT_EQ(h.ops[1].outcome, lincheck::Outcome::Fail);
  EXPECT_EQ(h.ops[2].outcome, lincheck::Outcome::Info);
  EXPECT_EQ(h.ops[2].input, lincheck::Value::string("4"));
  EXPECT_EQ(h.ops[2].ret, lincheck::kNever);
  EXPECT_EQ(h.ops[3].outcome, lincheck::Outcome::Info);
  EXPECT_EQ(h.ops[3].error, "client timeout");
  EXPECT_EQ(describe(ops[0], w), "p3 n0 read : ok 2");
}

TEST(WorkloadHistory, ARunWithoutAWorkloadIsRefusedClearly) {
  SimConfig cfg;  // make_workload left unset
  EXPECT_THROW(Simulator{cfg}, std::invalid_argument);
}

TEST(WorkloadHistory, AnyWorkloadRunsAndIsJudged) {
  SimConfig cfg;
  cfg.make_workload = [](const WorkloadConfig&) { return std::make_unique<EchoWorkload>(); };
  cfg.cluster.nodes = 3;
  cfg.duration = seconds(2);
  const SimResult r = Simulator(cfg).run();
  EXPECT_GT(r.history.size(), 50u);
  EXPECT_TRUE(r.safe()) << (r.safety.empty() ? "" : r.safety.front());
  EXPECT_TRUE(r.durable());
  EXPECT_TRUE(check_linearizable(r).ok());  // EchoWorkload's check accepts everything
}

TEST(WorkloadDraw, RequestsFromARapidCheckGenAreDecidedByTheSeed) {
  const rc::Gen<int> gen = rc::gen::inRange(0, 1'000'000);
  Rng a(5), b(5), c(6);
  std::vector<int> from_a, from_b, from_c;
  for (int i = 0; i < 20; ++i) {
    from_a.push_back(draw(gen, a));
    from_b.push_back(draw(gen, b));
    from_c.push_back(draw(gen, c));
  }
  EXPECT_EQ(from_a, from_b);
  EXPECT_NE(from_a, from_c);
}

}  // namespace
}  // namespace raftsim
