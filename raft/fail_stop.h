// Fail-stop: what the library does when it can no longer trust its own state.
//
// A broken invariant (a commit index beyond the log, an append that does not follow the
// last index) or a storage write or sync that failed leaves the node with state it cannot
// vouch for. Carrying on -- voting, acknowledging, answering clients -- could break
// safety for the whole cluster (etcd-raft panics in the same places). So the node stops:
// fail_stop() writes what broke to stderr (and to spdlog's default logger), flushes, and
// aborts. A restarted node recovers from what it had made durable, which is exactly the
// crash Raft is designed to survive.
#pragma once

#include <string_view>

namespace raft {

/// Stops the process with `what` as the reason. Never returns; never throws.
[[noreturn]] void fail_stop(std::string_view what) noexcept;

}  // namespace raft
