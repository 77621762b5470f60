// Helpers shared by the write-ahead log's tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "raft/wal.h"

namespace raft::test {

inline const std::string kWalDir = "/data/n1";

/// Opens the log in kWalDir; a failure to open fails the test (and returns null).
inline std::unique_ptr<Wal> open_ok(FileSystem& fs, WalOptions opt = {}) {
  auto w = Wal::open(fs, kWalDir, opt);
  if (!w) ADD_FAILURE() << "open failed: " << w.error();
  return w ? std::move(*w) : nullptr;
}

/// Every entry the storage holds, in order.
inline std::vector<Entry> entries_of(const Storage& s) {
  if (s.last_index() < s.first_index()) return {};
  return s.entries(s.first_index(), s.last_index().next(), SIZE_MAX);
}

}  // namespace raft::test
