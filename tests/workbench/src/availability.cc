#include "tests/workbench/src/availability.h"

#include <algorithm>

#include "tests/workbench/src/checker.h"
#include "tests/workbench/src/errors.h"

namespace workbench {

bool is_answer(const Op& completion) {
  if (completion.type == OpType::Ok) return true;
  return completion.type == OpType::Fail && is_data_answer(completion.error_code);
}

Stall longest_stall(std::vector<OpSpan> ops, Nanos end) {
  struct Event {
    Nanos t;
    // At equal times: invocations first (pending never dips below 0), then completions
    // without an answer, then answers -- so at an answer, `pending` is what is still waiting.
    int kind;  // 0 invoke, 1 completion without an answer, 2 answer
    bool answered;
  };
  std::vector<Event> events;
  events.reserve(ops.size() * 2);
  for (const auto& o : ops) {
    events.push_back({o.invoke, 0, false});
    events.push_back({o.done, o.answered ? 2 : 1, o.answered});
  }
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.t != b.t ? a.t < b.t : a.kind < b.kind;
  });
  Stall best;
  std::optional<Nanos> start;  // the current stall's start
  std::int64_t pending = 0;
  Nanos last = 0;
  auto consider = [&](Nanos s, Nanos e, bool to_end) {
    if (e - s > best.length) best = {e - s, s, e, to_end};
  };
  for (const auto& ev : events) {
    last = std::max(last, ev.t);
    if (ev.kind == 0) {
      if (!start) start = ev.t;
      ++pending;
      continue;
    }
    --pending;
    if (!ev.answered) continue;  // a timeout or refusal: the stall goes on
    if (start) consider(*start, ev.t, false);
    start = pending > 0 ? std::optional<Nanos>(ev.t) : std::nullopt;
  }
  if (start) consider(*start, std::max(end, last), true);
  return best;
}

std::map<std::string, Availability> availability_by_f(const History& h, Nanos run_end) {
  std::map<std::string, std::vector<OpSpan>> spans;
  for (const auto& p : pair_client_ops(h)) {
    const Op& inv = h.at(p.invoke);
    OpSpan s{inv.time, run_end, false};
    if (p.complete) {
      s.done = h.at(*p.complete).time;
      s.answered = is_answer(h.at(*p.complete));
    }
    spans[inv.f].push_back(s);
    spans["all"].push_back(s);
  }
  std::map<std::string, Availability> out;
  for (auto& [f, list] : spans) {
    Availability a;
    a.count = static_cast<std::int64_t>(list.size());
    for (const auto& s : list) a.answered += s.answered;
    if (a.count > 0) a.answered_fraction = static_cast<double>(a.answered) / static_cast<double>(a.count);
    a.longest_stall = longest_stall(std::move(list), run_end);
    out[f] = a;
  }
  if (!out.count("all")) out["all"] = Availability{};
  return out;
}

}  // namespace workbench
