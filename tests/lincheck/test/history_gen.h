// Random histories that are linearizable by construction, for property tests and the bench.
//
// Clients issue one op at a time on random keys of a compare-and-set register store. Each op
// gets a random interval [call, ret] and a random linearization point inside it; applying the
// ops to a sequential register in linearization-point order decides every result, so the
// history has (at least) that linearization. An "info" op (a timeout) takes effect at its
// point or never, never returns, and its client continues under a new process id (Jepsen's
// convention). A cas whose compare fails is a definite :fail (Maelstrom's error 22).
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "lincheck/history.h"

namespace lincheck::testing {

struct GenOptions {
  std::size_t ops = 100;
  std::size_t clients = 5;
  std::size_t keys = 1;
  int values = 5;               // written values are 0 .. values-1
  double read_fraction = 0.5;   // the rest split into writes and cas
  double cas_share = 2.0 / 3;   // of the non-reads (2/3 as in Maelstrom lin-kv)
  bool unique_values = false;   // every write / cas target is a value never written before
  double info_fraction = 0.0;   // fraction of writes/cas that time out
  std::int64_t max_gap = 5;     // idle time between a client's ops: 0 .. max_gap
  std::int64_t max_duration = 10;  // op duration: 1 .. max_duration
  std::uint64_t seed = 1;
};

struct GeneratedOp {
  Operation op;
  std::int64_t point;  // linearization point
  bool takes_effect;   // for info ops: whether it took effect at `point`
};

/// The skeleton both generators share. Clients take turns (whoever is free earliest goes
/// next); each op gets a key, a random interval and a linearization point inside it; then
/// `kind(op, i, uniform, chance)` picks its function and input and says whether it may time
/// out. Ops are then handed to `apply(op)` in linearization-point order, which decides
/// their results against a sequential model. `key_always_drawn`: draw a key even when
/// there is one (the kv generator names it "0"; the register generator leaves it "").
template <class Kind, class Apply>
History generate_history(const GenOptions& g, bool key_always_drawn, const std::string& source,
                         Kind kind, Apply apply) {
  std::mt19937_64 rng(g.seed);
  auto uniform = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };

  std::vector<GeneratedOp> gen;
  std::vector<std::int64_t> free_at(g.clients, 0);
  std::vector<std::int64_t> process(g.clients);
  for (std::size_t c = 0; c < g.clients; ++c) process[c] = static_cast<std::int64_t>(c);
  std::int64_t next_process = static_cast<std::int64_t>(g.clients);
  for (std::size_t i = 0; i < g.ops; ++i) {
    const auto c = static_cast<std::size_t>(std::min_element(free_at.begin(), free_at.end()) - free_at.begin());
    GeneratedOp x{};
    x.op.process = process[c];
    if (key_always_drawn || g.keys > 1) {
      x.op.key = std::to_string(uniform(0, static_cast<std::int64_t>(std::max<std::size_t>(g.keys, 1)) - 1));
    }
    x.op.call = free_at[c] + uniform(0, g.max_gap);
    x.op.ret = x.op.call + uniform(1, g.max_duration);
    x.point = uniform(x.op.call, x.op.ret);
    x.takes_effect = true;
    if (kind(x.op, i, uniform, chance) && chance(g.info_fraction)) {
      x.op.outcome = Outcome::Info;
      x.takes_effect = chance(0.5);
      process[c] = next_process++;
    }
    free_at[c] = x.op.ret + 1;
    gen.push_back(std::move(x));
  }
  std::vector<std::size_t> order(gen.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return gen[a].point < gen[b].point; });
  for (std::size_t i : order) {
    apply(gen[i]);
    if (gen[i].op.outcome == Outcome::Info) gen[i].op.ret = kNever;
  }
  History h;
  h.source = source;
  for (GeneratedOp& x : gen) h.ops.push_back(std::move(x.op));
  std::stable_sort(h.ops.begin(), h.ops.end(), [](const Operation& a, const Operation& b) { return a.call < b.call; });
  return h;
}

inline History generate_register_history(const GenOptions& g) {
  std::map<std::string, std::optional<std::int64_t>> reg;
  return generate_history(
      g, /*key_always_drawn=*/false, "<generated seed " + std::to_string(g.seed) + ">",
      [&](Operation& op, std::size_t i, auto& uniform, auto& chance) {
        auto fresh = [&] { return g.unique_values ? static_cast<std::int64_t>(i) : uniform(0, g.values - 1); };
        if (chance(g.read_fraction)) {
          op.f = "read";
        } else if (!chance(g.cas_share)) {
          op.f = "write";
          op.input = Value::integer(fresh());
        } else {
          op.f = "cas";
          const std::int64_t from = g.unique_values ? uniform(0, static_cast<std::int64_t>(i)) : uniform(0, g.values - 1);
          op.input = Value::list({Value::integer(from), Value::integer(fresh())});
        }
        return op.f != "read";
      },
      [&](GeneratedOp& x) {
        std::optional<std::int64_t>& v = reg[x.op.key];
        if (x.op.f == "read") {
          x.op.output = v ? Value::integer(*v) : Value::nil();
          if (!v) x.op.outcome = Outcome::Fail;  // Maelstrom: key-does-not-exist is a definite error
        } else if (x.op.f == "write") {
          if (x.takes_effect) v = x.op.input.as_int();
        } else {
          const bool match = v && *v == x.op.input.items()[0].as_int();
          if (x.takes_effect && match) v = x.op.input.items()[1].as_int();
          if (x.op.outcome == Outcome::Ok && !match) x.op.outcome = Outcome::Fail;
        }
      });
}

// The same shape for a string key-value store (get / put / append, keys start as ""). Every
// put and append carries a unique text "x<op>y", as Porcupine's kv tests do; a get returns the
// whole string. Info ops are puts and appends only.
inline History generate_kv_history(const GenOptions& g) {
  std::map<std::string, std::string> store;
  return generate_history(
      g, /*key_always_drawn=*/true, "<generated kv seed " + std::to_string(g.seed) + ">",
      [&](Operation& op, std::size_t i, auto& /*uniform*/, auto& chance) {
        if (chance(g.read_fraction)) {
          op.f = "get";
          return false;
        }
        op.f = chance(g.cas_share) ? "append" : "put";
        op.input = Value::string("x" + std::to_string(i) + "y");
        return true;
      },
      [&](GeneratedOp& x) {
        std::string& v = store[x.op.key];
        if (x.op.f == "get") x.op.output = Value::string(v);
        else if (x.takes_effect && x.op.f == "put") v = x.op.input.text();
        else if (x.takes_effect) v += x.op.input.text();
      });
}

}  // namespace lincheck::testing
