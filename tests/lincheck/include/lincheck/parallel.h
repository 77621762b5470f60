// Runs independent tasks (one per key) on a few threads. Keys are checked in parallel because
// linearizability is compositional (Herlihy & Wing 1990): a history is linearizable iff
// each object's sub-history is.
#pragma once

#include <cstddef>
#include <functional>

namespace lincheck {

// Calls fn(0) … fn(tasks - 1), each exactly once, on up to `threads` threads (0: one per
// hardware core), in roughly that order. Returns when all calls returned. fn must not throw.
void run_parallel(std::size_t tasks, unsigned threads, const std::function<void(std::size_t)>& fn);

// The number of threads `threads` stands for (0 → hardware concurrency, at least 1).
unsigned resolve_threads(unsigned threads);

}  // namespace lincheck
