#include "tests/workbench/src/workload_lin_kv.h"

namespace workbench {

LinKvWorkload::LinKvWorkload(int node_count, int thread_count, bool reads_on_all_keys, Rng choice_rng,
                             Rng value_rng)
    : n_(node_count),
      group_size_(2 * node_count),
      reads_on_all_keys_(reads_on_all_keys),
      choice_(choice_rng),
      values_(value_rng) {
  const int group_count = thread_count / group_size_;
  for (int g = 0; g < group_count; ++g) groups_.push_back(Group{g, {}});
  next_key_ = group_count;
}

bool LinKvWorkload::is_reader(int thread) const {
  return reads_on_all_keys_ ? thread % group_size_ < n_ : thread < n_;
}

void LinKvWorkload::enforce_process_limit(int group, const Threads& threads) {
  Group& g = groups_[static_cast<std::size_t>(group)];
  for (int pass = 0; pass < 2; ++pass) {
    std::set<std::int64_t> procs = g.procs;
    for (int t = group * group_size_; t < (group + 1) * group_size_; ++t) procs.insert(threads.process(t));
    if (static_cast<int>(procs.size()) <= kProcessLimit) {
      g.procs = std::move(procs);
      return;
    }
    g.key = next_key_++;  // retired: the group moves on to a fresh key
    g.procs.clear();
  }
}

std::optional<Invocation> LinKvWorkload::next(const std::vector<int>& free_threads, const Threads& threads) {
  if (free_threads.empty() || groups_.empty()) return std::nullopt;
  // Jepsen breaks ties between equally ready generators at random, weighted by thread count:
  // every group has 2n threads, and within a group both ranges weigh n.
  std::vector<int> free_groups;
  for (int t : free_threads) {
    const int g = t / group_size_;
    if (free_groups.empty() || free_groups.back() != g) free_groups.push_back(g);
  }
  const int group = choice_.pick(free_groups);
  std::vector<int> readers, mixers;
  for (int t : free_threads) {
    if (t / group_size_ != group) continue;
    (is_reader(t) ? readers : mixers).push_back(t);
  }
  std::vector<int> const* range = &mixers;
  if (!readers.empty() && (mixers.empty() || choice_.below(2) == 0)) range = &readers;
  const int thread = choice_.pick(*range);

  enforce_process_limit(group, threads);
  Invocation inv;
  inv.thread = thread;
  inv.process = threads.process(thread);
  inv.key = groups_[static_cast<std::size_t>(group)].key;
  if (is_reader(thread)) {
    inv.f = "read";
  } else if (values_.below(3) == 0) {
    inv.f = "write";
    inv.arg = static_cast<std::int64_t>(values_.below(5));
  } else {
    inv.f = "cas";
    const auto from = static_cast<std::int64_t>(values_.below(5));
    const auto to = static_cast<std::int64_t>(values_.below(5));
    inv.arg = nlohmann::json::array({from, to});
  }
  return inv;
}

nlohmann::json LinKvWorkload::request(const Invocation& inv) const {
  nlohmann::json body = {{"type", inv.f}, {"key", inv.key}};
  if (inv.f == "write") body["value"] = inv.arg;
  if (inv.f == "cas") {
    body["from"] = inv.arg[0];
    body["to"] = inv.arg[1];
  }
  return body;
}

nlohmann::json LinKvWorkload::invoke_value(const Invocation& inv) const {
  return nlohmann::json::array({inv.key, inv.arg});
}

Op LinKvWorkload::ok_completion(const Invocation& inv, const nlohmann::json& reply) const {
  Op op;
  op.type = OpType::Ok;
  op.f = inv.f;
  op.value = inv.f == "read" ? nlohmann::json::array({inv.key, reply.value("value", nlohmann::json())})
                             : invoke_value(inv);
  return op;
}

}  // namespace workbench
