// Fuzz target: the write-ahead log's recovery (raft::Wal::open) reading arbitrary segment
// files -- what a damaged or hostile disk hands it.
//
// The input is split at its first byte into two segment files (an earlier one and the last
// one), so that both "damage in the middle" and "a torn tail" paths are reached.
// Properties: recovery never crashes, hangs or allocates without bound; when it accepts
// the files, the log it serves is contiguous, its commit index within it, and it keeps
// working: a new entry persisted after it survives a reopen along with everything
// recovered.
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "raft/testing/memory_file_system.h"
#include "raft/wal.h"

namespace {

const std::string kDir = "/wal";

raft::WalOptions quiet() {
  raft::WalOptions o;
  static const auto logger =
      std::make_shared<spdlog::logger>("fuzz-wal", std::make_shared<spdlog::sinks::null_sink_mt>());
  o.logger = logger;
  return o;
}

std::vector<raft::Entry> all_entries(const raft::Storage& s) {
  if (s.last_index() < s.first_index()) return {};
  return s.entries(s.first_index(), s.last_index().next(), SIZE_MAX);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t split = std::min<std::size_t>(bytes.size(), data[0] * bytes.size() / 255);
  raft::testing::MemoryFileSystem fs;
  fs.create_dirs(kDir);
  if (split > 0) fs.open_append(kDir + "/" + raft::Wal::segment_name(1))->append(bytes.substr(0, split));
  fs.open_append(kDir + "/" + raft::Wal::segment_name(2))->append(bytes.substr(split));

  std::vector<raft::Entry> expected;
  raft::HardState hs;
  {
    auto wal = raft::Wal::open(fs, kDir, quiet());
    if (!wal) return 0;  // refused with a reason: fine
    raft::Wal& w = **wal;
    expected = all_entries(w);
    for (std::size_t i = 0; i < expected.size(); ++i) {
      fuzz::check(expected[i].index == w.first_index() + i, "recovered entries are not contiguous");
    }
    fuzz::check(w.hard_state().commit <= w.last_index(), "commit index beyond the recovered log");
    const raft::Entry extra{std::max(w.hard_state().term, w.term(w.last_index()).value_or(raft::Term{})),
                            w.last_index().next(), raft::EntryType::kNormal, "fuzz"};
    w.persist(std::nullopt, {extra});
    expected.push_back(extra);
    hs = w.hard_state();
  }
  auto again = raft::Wal::open(fs, kDir, quiet());
  fuzz::check(again.has_value(), "a log the WAL accepted and appended to is refused on reopen");
  fuzz::check(all_entries(**again) == expected, "the reopened log differs from what was served");
  fuzz::check((*again)->hard_state().term == hs.term && (*again)->hard_state().vote == hs.vote,
              "the reopened hard state differs");
  return 0;
}
