#include <gtest/gtest.h>

#include <atomic>

#include "history_gen.h"
#include "lincheck/cas_register.h"
#include "lincheck/check.h"
#include "test_util.h"

namespace lincheck {
namespace {

using namespace testing;

TEST(Check, EmptyHistoryIsLinearizable) {
  EXPECT_EQ(verdict_of(history({})), Verdict::Linearizable);
}

TEST(Check, SequentialHistories) {
  EXPECT_EQ(verdict_of(history({w(0, 1, 0, 1), r(1, 1, 2, 3)})), Verdict::Linearizable);
  EXPECT_EQ(verdict_of(history({w(0, 1, 0, 1), r(1, 2, 2, 3)})), Verdict::NotLinearizable);
  EXPECT_EQ(verdict_of(history({w(0, 1, 0, 1), cas(1, 1, 2, 2, 3), r(0, 2, 4, 5)})), Verdict::Linearizable);
  EXPECT_EQ(verdict_of(history({w(0, 1, 0, 1), cas(1, 2, 3, 2, 3)})), Verdict::NotLinearizable);
}

TEST(Check, ConcurrentOpsMayTakeEffectInEitherOrder) {
  // Two overlapping writes; a later read may see either, but two later reads cannot disagree.
  EXPECT_EQ(verdict_of(history({w(0, 1, 0, 10), w(1, 2, 1, 9), r(2, 1, 11, 12)})), Verdict::Linearizable);
  EXPECT_EQ(verdict_of(history({w(0, 1, 0, 10), w(1, 2, 1, 9), r(2, 2, 11, 12)})), Verdict::Linearizable);
  EXPECT_EQ(verdict_of(history({w(0, 1, 0, 10), w(1, 2, 1, 9), r(2, 2, 11, 12), r(3, 1, 13, 14)})),
            Verdict::NotLinearizable);
  // A read overlapping a write may see the old or the new value.
  EXPECT_EQ(verdict_of(history({w(0, 1, 0, 1), w(1, 2, 2, 10), r(2, 1, 3, 4), r(3, 2, 5, 6), r(2, 2, 11, 12)})),
            Verdict::Linearizable);
}

TEST(Check, EqualTimesAreConcurrent) {
  // The read's call and the write's return carry the same time: the read may come first.
  EXPECT_EQ(verdict_of(history({w(0, 1, 0, 1), w(1, 2, 2, 5), r(2, 1, 5, 6)})), Verdict::Linearizable);
}

TEST(Check, InfoOpsMayTakeEffectLateOrNever) {
  // A timed-out write may take effect long after its call...
  EXPECT_EQ(verdict_of(history({w(0, 1, 0, 1), w(1, 2, 2, 0, Outcome::Info), r(2, 1, 10, 11), r(2, 2, 20, 21)})),
            Verdict::Linearizable);
  // ... or never.
  EXPECT_EQ(verdict_of(history({w(0, 1, 0, 1), w(1, 2, 2, 0, Outcome::Info), r(2, 1, 10, 11)})), Verdict::Linearizable);
  // But not before its call.
  EXPECT_EQ(verdict_of(history({w(0, 1, 0, 1), r(2, 2, 3, 4), w(1, 2, 5, 0, Outcome::Info)})), Verdict::NotLinearizable);
  // And at most once.
  EXPECT_EQ(verdict_of(history({w(0, 1, 0, 1), w(1, 2, 2, 0, Outcome::Info), r(2, 2, 10, 11), w(0, 1, 12, 13),
                                r(2, 2, 14, 15)})),
            Verdict::NotLinearizable);
  // Two equal timed-out writes can take effect twice (once each).
  EXPECT_EQ(verdict_of(history({w(0, 1, 0, 1), w(1, 2, 2, 0, Outcome::Info), w(3, 2, 2, 0, Outcome::Info),
                                r(2, 2, 10, 11), w(0, 1, 12, 13), r(2, 2, 14, 15)})),
            Verdict::Linearizable);
}

TEST(Check, FailedOpsFollowTheSemantics) {
  // Under Porcupine semantics a failed cas says the register did not hold `from`.
  const History h = history({w(0, 1, 0, 1), cas(1, 1, 2, 2, 3, Outcome::Fail)});
  EXPECT_EQ(verdict_of(h, {ModelKind::CasRegister, Semantics::Knossos}), Verdict::Linearizable);
  EXPECT_EQ(verdict_of(h, {ModelKind::CasRegister, Semantics::Porcupine}), Verdict::NotLinearizable);
}

TEST(Check, PartitionsByKeyAndReportsEachKey) {
  History h = history({w(0, 1, 0, 1), r(1, 1, 2, 3), w(0, 1, 4, 5), r(1, 2, 6, 7)});
  h.ops[0].key = h.ops[1].key = "a";
  h.ops[2].key = h.ops[3].key = "b";
  CheckOptions o;
  o.stop_at_first_violation = false;
  Result<CheckResult> r = check(h, ModelSpec{}, o);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->keys.size(), 2u);
  EXPECT_EQ(r->keys[0].key, "a");
  EXPECT_EQ(r->keys[0].verdict, Verdict::Linearizable);
  EXPECT_EQ(r->keys[1].key, "b");
  EXPECT_EQ(r->keys[1].verdict, Verdict::NotLinearizable);
  EXPECT_EQ(r->verdict, Verdict::NotLinearizable);
}

TEST(Check, ExplainsAViolation) {
  // #0 write 1; #1 write 2 after it; #2 a read of 1 after both: stale.
  const History h = history({w(0, 1, 0, 1), w(1, 2, 2, 3), r(2, 1, 4, 5)});
  Result<CheckResult> r = check(h, ModelSpec{}, {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->keys.size(), 1u);
  ASSERT_TRUE(r->keys[0].violation.has_value());
  const Violation& v = *r->keys[0].violation;
  EXPECT_EQ(v.prefix, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(v.blocked, 2u);
  EXPECT_EQ(v.state_after_prefix, "2");
  EXPECT_FALSE(v.blocked_step_possible);
}

TEST(Check, ModelErrorsCarryTheLine) {
  History h = history({w(0, 1, 0, 1), make_op(0, "txn", Value(), Value(), Outcome::Ok, 2, 3)});
  h.ops[1].line = 17;
  Result<CheckResult> r = check(h, ModelSpec{ModelKind::CasRegister}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().line, 17u);
  EXPECT_NE(r.error().message.find("txn"), std::string::npos);
}

TEST(Check, CancelGivesUnknown) {
  GenOptions g;
  g.ops = 3000;
  g.info_fraction = 0.2;
  const History h = generate_register_history(g);
  std::atomic<bool> cancel{true};
  CheckOptions o;
  o.cancel = &cancel;
  Result<CheckResult> r = check(h, ModelSpec{ModelKind::CasRegister}, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->verdict, Verdict::Unknown);
}

TEST(Check, MemoryLimitGivesUnknown) {
  GenOptions g;
  g.ops = 3000;
  g.clients = 10;
  const History h = generate_register_history(g);
  CheckOptions o;
  o.memory_limit = 1024;  // not even the first memo table fits
  Result<CheckResult> r = check(h, ModelSpec{ModelKind::CasRegister}, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->verdict, Verdict::Unknown);
  EXPECT_NE(r->keys[0].unknown_reason.find("memory"), std::string::npos);
}

TEST(Check, StopsOtherKeysAtTheFirstViolation) {
  GenOptions g;
  g.ops = 400;
  g.keys = 8;
  g.seed = 7;
  History h = generate_register_history(g);
  Operation stale = w(900, 1, 100000, 100001);
  stale.key = "bad";
  h.ops.push_back(stale);
  h.ops.push_back(w(901, 2, 100002, 100003));
  h.ops.back().key = "bad";
  h.ops.push_back(r(902, 1, 100004, 100005));
  h.ops.back().key = "bad";
  CheckOptions o;
  o.threads = 1;
  o.stop_at_first_violation = true;
  Result<CheckResult> r = check(h, ModelSpec{ModelKind::CasRegister}, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->verdict, Verdict::NotLinearizable);
  for (const KeyResult& k : r->keys) {
    const Verdict want = k.key == "bad" ? Verdict::NotLinearizable : Verdict::Linearizable;
    EXPECT_EQ(k.verdict, k.not_checked ? Verdict::Unknown : want) << k.key;
  }
  o.stop_at_first_violation = false;
  r = check(h, ModelSpec{ModelKind::CasRegister}, o);
  ASSERT_TRUE(r.ok());
  for (const KeyResult& k : r->keys) {
    EXPECT_FALSE(k.not_checked);
    EXPECT_EQ(k.verdict, k.key == "bad" ? Verdict::NotLinearizable : Verdict::Linearizable) << k.key;
  }
}

// A user model through the template API: a counter with add and read.
struct CounterModel {
  using State = std::int64_t;
  struct Op {
    bool read = false;
    std::int64_t n = 0;
    friend bool operator==(const Op&, const Op&) = default;
  };
  State init() const { return 0; }
  Prepared<Op> prepare(const Operation& o) const {
    if (o.f == "add") return Prepared<Op>::use({false, o.input.as_int()});
    if (o.f == "read" && o.outcome == Outcome::Ok) return Prepared<Op>::use({true, o.output.as_int()});
    if (o.f == "read") return Prepared<Op>::skip();
    return Prepared<Op>::fail("counter: unknown op " + o.f);
  }
  std::optional<State> step(State s, const Op& op) const {
    if (op.read) return s == op.n ? std::optional<State>(s) : std::nullopt;
    return s + op.n;
  }
  std::uint64_t hash(State s) const { return static_cast<std::uint64_t>(s); }
  std::string describe_state(State s) const { return std::to_string(s); }
};
static_assert(Model<CounterModel>);

TEST(Check, UserModelsPlugIn) {
  auto add = [](std::int64_t p, std::int64_t n, std::int64_t c, std::int64_t rt) {
    return make_op(p, "add", V(n), Value(), Outcome::Ok, c, rt);
  };
  auto read = [](std::int64_t p, std::int64_t n, std::int64_t c, std::int64_t rt) {
    return make_op(p, "read", Value(), V(n), Outcome::Ok, c, rt);
  };
  EXPECT_EQ(check(history({add(0, 2, 0, 5), add(1, 3, 1, 6), read(2, 3, 2, 3), read(2, 5, 7, 8)}), CounterModel{})->verdict,
            Verdict::Linearizable);
  EXPECT_EQ(check(history({add(0, 2, 0, 5), add(1, 3, 1, 6), read(2, 4, 2, 3)}), CounterModel{})->verdict,
            Verdict::NotLinearizable);
}

TEST(Check, MaelstromEntryPointUsesKnossosRegisters) {
  History h = history({w(0, 1, 0, 1), cas(1, 2, 3, 2, 3, Outcome::Fail), make_op(2, "read", Value(), Value(), Outcome::Ok, 4, 5)});
  EXPECT_EQ(check_maelstrom_lin_kv(h)->verdict, Verdict::Linearizable);
}

}  // namespace
}  // namespace lincheck
