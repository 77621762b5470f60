#include "raft/fail_stop.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>

namespace raft {

void fail_stop(std::string_view what) noexcept {
  // stderr first and unbuffered: it must be readable even if the logger is what broke.
  std::fprintf(stderr, "raft: fail-stop: %.*s\n", static_cast<int>(what.size()), what.data());
  std::fflush(stderr);
  try {
    if (auto logger = spdlog::default_logger()) {
      logger->critical("fail-stop: {}", what);
      logger->flush();
    }
  } catch (...) {  // NOLINT(bugprone-empty-catch): nothing left to report to
  }
  std::abort();
}

}  // namespace raft
