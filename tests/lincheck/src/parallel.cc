#include "lincheck/parallel.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace lincheck {

unsigned resolve_threads(unsigned threads) {
  if (threads != 0) return threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

void run_parallel(std::size_t tasks, unsigned threads, const std::function<void(std::size_t)>& fn) {
  const std::size_t workers = std::min<std::size_t>(resolve_threads(threads), tasks);
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next.fetch_add(1); i < tasks; i = next.fetch_add(1)) fn(i);
  };
  if (workers <= 1) {
    work();
    return;
  }
  std::vector<std::jthread> pool;
  pool.reserve(workers - 1);
  for (std::size_t t = 0; t + 1 < workers; ++t) pool.emplace_back(work);
  work();
}

}  // namespace lincheck
