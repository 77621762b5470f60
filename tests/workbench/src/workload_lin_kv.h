// lin-kv's generator: Jepsen's independent concurrent generator over integer keys.
//  - Threads are split into groups of 2n consecutive threads; group g starts on key g, and
//    takes the next unused key when its key is retired.
//  - Within a key, jepsen's (reserve n read (mix [write cas cas])) gives threads 0..n-1 reads
//    and the others a random third writes, two thirds cas, values 0-4. Reserve names
//    threads by their absolute number, so in Maelstrom only the first group has readers.
//    By default every group gets its n readers (the lin-kv spec); the Maelstrom quirk is
//    --reads-on-first-keys-only.
//  - (process-limit 20): a key is retired once 20 distinct processes have been seen on its
//    group's threads; a process is replaced after each :info, so unknown outcomes retire keys.
#pragma once

#include <set>

#include "tests/workbench/src/workload.h"

namespace workbench {

class LinKvWorkload : public Workload {
 public:
  LinKvWorkload(int node_count, int thread_count, bool reads_on_all_keys, Rng choice_rng, Rng value_rng);

  std::optional<Invocation> next(const std::vector<int>& free_threads, const Threads& threads) override;
  nlohmann::json request(const Invocation& inv) const override;
  std::string ok_type(const Invocation& inv) const override { return inv.f + "_ok"; }
  nlohmann::json invoke_value(const Invocation& inv) const override;
  Op ok_completion(const Invocation& inv, const nlohmann::json& reply) const override;
  bool idempotent(const std::string& f) const override { return f == "read"; }
  bool reusable_clients() const override { return true; }

  static constexpr int kProcessLimit = 20;
  std::int64_t key_of_group(int group) const { return groups_[static_cast<std::size_t>(group)].key; }
  bool is_reader(int thread) const;

 private:
  struct Group {
    std::int64_t key = 0;
    std::set<std::int64_t> procs;  // every process seen on this group's threads for this key
  };
  void enforce_process_limit(int group, const Threads& threads);

  int n_;
  int group_size_;
  bool reads_on_all_keys_;
  Rng choice_;
  Rng values_;
  std::vector<Group> groups_;
  std::int64_t next_key_;
};

}  // namespace workbench
