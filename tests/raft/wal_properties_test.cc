// Property: the write-ahead log against an in-memory model, under random appends,
// suffix truncations, hard-state writes and crashes -- between persists, or in the
// middle of one with the unsynced write torn at a random point.
//
// What must hold after every crash and reopen:
//  - everything a persist() that returned made durable is there: the log, the term and
//    the vote exactly as the model has them (the commit index may be older: it is a hint
//    that rides with the next write);
//  - a persist the crash interrupted is all there or not there at all.
// Replay a failure with the RC_PARAMS="reproduce=..." line RapidCheck prints.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <random>

#include "raft/testing/memory_file_system.h"
#include "raft/wal.h"
#include "test_util.h"

namespace raft {
namespace wal_model {  // named: this file shares a unity batch with other tests

using testing::MemoryFileSystem;

struct Model {
  std::vector<Entry> log;
  HardState hs;
};

std::vector<Entry> log_of(const Storage& s) {
  if (s.last_index() < s.first_index()) return {};
  return s.entries(s.first_index(), s.last_index().next(), SIZE_MAX);
}

/// One random persist: maybe a new term/vote, maybe entries (possibly overwriting a
/// suffix), maybe a new commit index.
struct WalOp {
  bool new_term = false;
  std::uint64_t vote = 0;
  std::uint64_t back = 0;   // how far below last+1 the entries start
  std::uint64_t count = 0;  // entries to write (0: a hard-state-only persist)
  std::uint64_t commit_step = 0;
  int crash = 0;            // 0: none, 1: after this persist, 2: inside it
  std::uint64_t crash_seed = 0;
};

rc::Gen<WalOp> gen_op() {
  return rc::gen::build<WalOp>(
      rc::gen::set(&WalOp::new_term, rc::gen::weightedElement<bool>({{1, true}, {4, false}})),
      rc::gen::set(&WalOp::vote, rc::gen::inRange<std::uint64_t>(0, 4)),
      rc::gen::set(&WalOp::back, rc::gen::weightedElement<std::uint64_t>({{6, 0}, {1, 1}, {1, 3}})),
      rc::gen::set(&WalOp::count, rc::gen::inRange<std::uint64_t>(0, 5)),
      rc::gen::set(&WalOp::commit_step, rc::gen::inRange<std::uint64_t>(0, 3)),
      rc::gen::set(&WalOp::crash, rc::gen::weightedElement<int>({{8, 0}, {1, 1}, {1, 2}})),
      rc::gen::set(&WalOp::crash_seed, rc::gen::arbitrary<std::uint64_t>()));
}

/// The persist `op` asks for, given the current state (never below the commit index:
/// the core never truncates committed entries).
std::pair<std::optional<HardState>, std::vector<Entry>> make_persist(const WalOp& op, const Model& m,
                                                                     std::uint64_t serial) {
  HardState hs = m.hs;
  if (op.new_term) {
    hs.term = hs.term.next();
    hs.vote = NodeId{op.vote};
  }
  const std::uint64_t last = m.log.size();
  const std::uint64_t floor = hs.commit.value() + 1;
  std::uint64_t first = last + 1 >= floor + op.back ? last + 1 - op.back : last + 1;
  first = std::max(first, floor);
  std::vector<Entry> entries;
  for (std::uint64_t i = 0; i < op.count; ++i) {
    entries.push_back(test::entry(first + i, std::max<std::uint64_t>(hs.term.value(), 1),
                                  "s" + std::to_string(serial) + "." + std::to_string(i)));
  }
  const std::uint64_t new_last = op.count > 0 ? first + op.count - 1 : last;
  hs.commit = Index{std::min(hs.commit.value() + op.commit_step, new_last)};
  return {hs, entries};
}

void apply(Model& m, const std::optional<HardState>& hs, const std::vector<Entry>& entries) {
  if (hs) m.hs = *hs;
  if (!entries.empty()) {
    m.log.resize(entries.front().index.value() - 1);
    m.log.insert(m.log.end(), entries.begin(), entries.end());
  }
}

bool same_durable_state(const Wal& w, const Model& m) {
  const HardState hs = w.hard_state();
  return log_of(w) == m.log && hs.term == m.hs.term && hs.vote == m.hs.vote &&
         hs.commit <= m.hs.commit;
}

std::unique_ptr<Wal> reopen(MemoryFileSystem& fs, const WalOptions& opt) {
  auto w = Wal::open(fs, "/d", opt);
  if (!w) RC_FAIL("reopen failed: " + w.error());
  return std::move(*w);
}

RC_GTEST_PROP(WalProperties, AcknowledgedStateSurvivesEveryCrashAndInterruptedPersistsAreAtomic,
              ()) {
  const auto ops = *rc::gen::container<std::vector<WalOp>>(gen_op());
  WalOptions opt;
  opt.logger = std::make_shared<spdlog::logger>("wal", std::make_shared<spdlog::sinks::null_sink_mt>());
  opt.segment_bytes = *rc::gen::element<std::uint64_t>(256, 4096, 1 << 20);
  MemoryFileSystem fs;
  auto wal = reopen(fs, opt);
  Model model;
  std::uint64_t serial = 0;
  for (const WalOp& op : ops) {
    auto [hs, entries] = make_persist(op, model, ++serial);
    std::mt19937_64 rng(op.crash_seed);
    auto pick = [&rng](std::uint64_t n) { return n == 0 ? 0 : rng() % (n + 1); };
    if (op.crash == 2) {
      // The process dies inside this persist: the write lands in the page cache, the sync
      // makes nothing durable, and the crash tears what was not synced.
      fs.freeze();
      wal->persist(hs, entries);
      wal.reset();
      fs.crash(pick);
      wal = reopen(fs, opt);
      Model after = model;
      apply(after, hs, entries);
      const bool old_state = same_durable_state(*wal, model);
      const bool new_state = same_durable_state(*wal, after);
      RC_ASSERT(old_state || new_state);
      if (new_state && !old_state) model = after;
      model.hs.commit = wal->hard_state().commit;
      continue;
    }
    wal->persist(hs, entries);
    apply(model, hs, entries);
    if (op.crash == 1) {
      wal.reset();
      fs.crash(pick);
      wal = reopen(fs, opt);
      RC_ASSERT(same_durable_state(*wal, model));
      model.hs.commit = wal->hard_state().commit;
    }
  }
  wal.reset();
  fs.crash([](std::uint64_t) { return 0; });
  wal = reopen(fs, opt);
  RC_ASSERT(same_durable_state(*wal, model));
}

}  // namespace wal_model
}  // namespace raft
