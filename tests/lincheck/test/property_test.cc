// Properties of the checker (RapidCheck). Every property is randomized from RapidCheck's seed:
// a failure prints the seed and a shrunk counterexample, and RC_PARAMS="seed=<n>" replays it
// (RC_PARAMS="reproduce=<string>" replays the exact failing case).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "history_gen.h"
#include "lincheck/check.h"
#include "lincheck/jsonl.h"
#include "lincheck/parse.h"
#include "test_util.h"

namespace lincheck {
namespace {

using namespace testing;

// ---- An independent reference: search every order (and every subset of info ops) -------

// Sequential specifications written from the semantics in model.h, not from the models.
struct RegisterSpec {
  Semantics semantics;
  using State = std::optional<std::int64_t>;  // nullopt: absent
  State init() const { return std::nullopt; }
  // Whether op takes part at all (Knossos drops failures; unknown reads say nothing).
  bool relevant(const Operation& o) const {
    if (o.f == "read") return o.outcome == Outcome::Ok && !(semantics == Semantics::Knossos && o.output.is_nil());
    if (o.outcome == Outcome::Fail) return semantics == Semantics::Porcupine && o.f == "cas";
    return true;
  }
  std::optional<State> apply(const State& s, const Operation& o) const {
    if (o.f == "read") {
      const State want = o.output.is_nil() ? State() : State(o.output.as_int());
      return s == want ? std::optional<State>(s) : std::nullopt;
    }
    if (o.f == "write") return State(o.input.as_int());
    const std::int64_t from = o.input.items()[0].as_int(), to = o.input.items()[1].as_int();
    const bool match = s && *s == from;
    if (o.outcome == Outcome::Fail) return match ? std::nullopt : std::optional<State>(s);
    return match ? std::optional<State>(State(to)) : std::nullopt;
  }
};

struct KvSpec {
  using State = std::string;
  State init() const { return ""; }
  bool relevant(const Operation& o) const {
    if (o.outcome == Outcome::Fail) return false;
    return o.f != "get" || o.outcome == Outcome::Ok;
  }
  std::optional<State> apply(const State& s, const Operation& o) const {
    if (o.f == "get") return s == o.output.text() ? std::optional<State>(s) : std::nullopt;
    if (o.f == "put") return o.input.text();
    return s + o.input.text();
  }
};

template <class Spec>
bool brute_force(const Spec& spec, const std::vector<Operation>& all) {
  std::vector<Operation> ops;
  for (const Operation& o : all) {
    if (spec.relevant(o)) ops.push_back(o);
  }
  std::vector<bool> placed(ops.size(), false);
  auto search = [&](auto& self, const typename Spec::State& s) -> bool {
    bool done = true;
    for (std::size_t i = 0; i < ops.size(); ++i) done = done && (placed[i] || !ops[i].returned());
    if (done) return true;
    for (std::size_t x = 0; x < ops.size(); ++x) {
      if (placed[x]) continue;
      bool blocked = false;  // an unplaced op that returned before x was called must come first
      for (std::size_t y = 0; y < ops.size(); ++y) {
        blocked = blocked || (!placed[y] && y != x && ops[y].returned() && ops[y].ret < ops[x].call);
      }
      if (blocked) continue;
      const auto next = spec.apply(s, ops[x]);
      if (!next) continue;
      placed[x] = true;
      const bool found = self(self, *next);
      placed[x] = false;
      if (found) return true;
    }
    return false;
  };
  return search(search, spec.init());
}

// ---- Generators ------------------------------------------------------------------------------

Operation random_register_op(std::int64_t process) {
  const auto f = *rc::gen::element<std::string>("read", "write", "cas");
  const auto call = *rc::gen::inRange<std::int64_t>(0, 16);
  const auto ret = call + *rc::gen::inRange<std::int64_t>(0, 8);
  const auto outcome = *rc::gen::weightedElement<Outcome>({{6, Outcome::Ok}, {2, Outcome::Info}, {2, Outcome::Fail}});
  auto value = [] { return Value::integer(*rc::gen::inRange<std::int64_t>(0, 3)); };
  Value input, output;
  if (f == "read") output = *rc::gen::weightedElement<int>({{5, 1}, {1, 0}}) ? value() : Value::nil();
  if (f == "write") input = value();
  if (f == "cas") input = L(value(), value());
  return make_op(process, f, input, output, outcome, call, ret);
}

Operation random_kv_op(std::int64_t process) {
  const auto f = *rc::gen::element<std::string>("get", "put", "append", "append");
  const auto call = *rc::gen::inRange<std::int64_t>(0, 16);
  const auto ret = call + *rc::gen::inRange<std::int64_t>(0, 8);
  const auto outcome = *rc::gen::weightedElement<Outcome>({{7, Outcome::Ok}, {2, Outcome::Info}, {1, Outcome::Fail}});
  // Few short texts, so that different orders can build equal strings ("a"+"ab" = "aa"+"b").
  auto text = [] { return S(*rc::gen::element<std::string>("a", "b", "ab", "aa")); };
  auto seen = [] { return S(*rc::gen::element<std::string>("", "a", "b", "ab", "aa", "ba", "aab", "aba", "abab")); };
  if (f == "get") return make_op(process, f, Value(), seen(), outcome, call, ret);
  return make_op(process, f, text(), Value(), outcome, call, ret);
}

template <class Gen>
History random_history(Gen gen_op) {
  const auto n = *rc::gen::inRange<std::size_t>(0, 9);
  History h;
  for (std::size_t i = 0; i < n; ++i) h.ops.push_back(gen_op(static_cast<std::int64_t>(i)));
  return h;
}

std::string show(const History& h) {
  std::ostringstream out;
  write_jsonl(h, out);
  return out.str();
}

// ---- Properties ------------------------------------------------------------------------------

RC_GTEST_PROP(Properties, agrees_with_brute_force_on_small_register_histories_knossos, ()) {
  const History h = random_history(random_register_op);
  const bool expected = brute_force(RegisterSpec{Semantics::Knossos}, h.ops);
  RC_LOG() << show(h);
  RC_ASSERT(verdict_of(h, {ModelKind::CasRegister, Semantics::Knossos}) ==
            (expected ? Verdict::Linearizable : Verdict::NotLinearizable));
}

RC_GTEST_PROP(Properties, agrees_with_brute_force_on_small_register_histories_porcupine, ()) {
  const History h = random_history(random_register_op);
  const bool expected = brute_force(RegisterSpec{Semantics::Porcupine}, h.ops);
  RC_LOG() << show(h);
  RC_ASSERT(verdict_of(h, {ModelKind::CasRegister, Semantics::Porcupine}) ==
            (expected ? Verdict::Linearizable : Verdict::NotLinearizable));
}

RC_GTEST_PROP(Properties, agrees_with_brute_force_on_small_kv_histories, ()) {
  const History h = random_history(random_kv_op);
  const bool expected = brute_force(KvSpec{}, h.ops);
  RC_LOG() << show(h);
  RC_ASSERT(verdict_of(h, {ModelKind::StringKv, Semantics::Knossos}) ==
            (expected ? Verdict::Linearizable : Verdict::NotLinearizable));
}

GenOptions random_gen_options() {
  GenOptions g;
  g.ops = *rc::gen::inRange<std::size_t>(1, 400);
  g.clients = *rc::gen::inRange<std::size_t>(1, 12);
  g.keys = *rc::gen::inRange<std::size_t>(1, 5);
  g.values = *rc::gen::inRange(2, 6);
  g.info_fraction = *rc::gen::element(0.0, 0.1, 0.3);
  g.max_duration = *rc::gen::inRange<std::int64_t>(1, 30);
  g.seed = *rc::gen::arbitrary<std::uint64_t>();
  return g;
}

RC_GTEST_PROP(Properties, histories_from_a_sequential_execution_are_linearizable, ()) {
  const GenOptions g = random_gen_options();
  const History h = generate_register_history(g);
  RC_LOG() << "generator seed " << g.seed;
  RC_ASSERT(verdict_of(h, {ModelKind::CasRegister, Semantics::Knossos}) == Verdict::Linearizable);
}

RC_GTEST_PROP(Properties, kv_histories_from_a_sequential_execution_are_linearizable, ()) {
  GenOptions g = random_gen_options();
  g.cas_share = *rc::gen::element(0.5, 0.9, 1.0);  // share of appends among puts/appends
  const History h = generate_kv_history(g);
  RC_LOG() << "generator seed " << g.seed;
  RC_ASSERT(verdict_of(h, {ModelKind::StringKv, Semantics::Knossos}) == Verdict::Linearizable);
}

RC_GTEST_PROP(Properties, a_stale_read_after_a_completed_overwrite_is_caught, ()) {
  GenOptions g = random_gen_options();
  g.keys = 1;
  g.unique_values = true;
  g.cas_share = 0;  // writes only, each of a value never written before
  g.read_fraction = 0.4;
  g.ops = std::max<std::size_t>(g.ops, 20);
  History h = generate_register_history(g);
  std::vector<std::size_t> writes;
  for (std::size_t i = 0; i < h.ops.size(); ++i) {
    if (h.ops[i].f == "write" && h.ops[i].outcome == Outcome::Ok) writes.push_back(i);
  }
  RC_PRE(writes.size() >= 2);
  const std::size_t a = *rc::gen::inRange<std::size_t>(0, writes.size() - 1);
  const Operation w1 = h.ops[writes[a]];
  // A write that started after w1 completed, so it follows w1 in every linearization.
  std::optional<Operation> w2;
  for (std::size_t i = a + 1; i < writes.size() && !w2; ++i) {
    if (h.ops[writes[i]].call > w1.ret) w2 = h.ops[writes[i]];
  }
  RC_PRE(w2.has_value());
  const std::int64_t after = w2->ret + *rc::gen::inRange<std::int64_t>(1, 20);
  h.ops.push_back(r(999999, w1.input.as_int(), after, after + *rc::gen::inRange<std::int64_t>(0, 20)));
  RC_LOG() << "generator seed " << g.seed << ", stale read of " << w1.input.as_int();
  RC_ASSERT(verdict_of(h, {ModelKind::CasRegister, Semantics::Knossos}) == Verdict::NotLinearizable);
}

RC_GTEST_PROP(Properties, the_thread_count_does_not_change_the_verdict, ()) {
  GenOptions g = random_gen_options();
  g.keys = *rc::gen::inRange<std::size_t>(2, 20);
  History h = generate_register_history(g);
  if (*rc::gen::arbitrary<bool>() && !h.ops.empty()) {
    h.ops.push_back(r(999999, 99, h.ops.back().call + 1000, h.ops.back().call + 1001));  // never written
    h.ops.back().key = h.ops.front().key;
  }
  CheckOptions one, many;
  one.threads = 1;
  many.threads = 4;
  RC_ASSERT(verdict_of(h, {ModelKind::CasRegister}, one) == verdict_of(h, {ModelKind::CasRegister}, many));
}

RC_GTEST_PROP(Properties, jsonl_round_trip_preserves_the_verdict_and_ops, ()) {
  const History h = random_history(random_register_op);
  std::ostringstream out;
  write_jsonl(h, out);
  const Result<History> back = parse_jsonl(out.str(), "rt");
  RC_ASSERT(back.ok());
  RC_ASSERT(back->ops.size() == h.ops.size());
  for (std::size_t i = 0; i < h.ops.size(); ++i) {
    RC_ASSERT(back->ops[i].input == h.ops[i].input);
    RC_ASSERT(back->ops[i].output == h.ops[i].output);
    RC_ASSERT(back->ops[i].call == h.ops[i].call);
    RC_ASSERT(back->ops[i].ret == h.ops[i].ret);
    RC_ASSERT(back->ops[i].outcome == h.ops[i].outcome);
  }
  RC_ASSERT(verdict_of(*back, {ModelKind::CasRegister}) == verdict_of(h, {ModelKind::CasRegister}));
}

}  // namespace
}  // namespace lincheck
