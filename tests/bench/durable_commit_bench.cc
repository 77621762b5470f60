// Durable commit throughput: 3 in-process nodes, each on its own thread with its own
// write-ahead log directory, messages passed between threads in memory. The leader keeps
// N proposals in flight (a new one for each that commits) and every node carries out each
// Ready in full: send `messages` first (the leader replicates while it writes, thesis
// §10.2.1), persist (one fdatasync per Ready), then send the acknowledgements, apply,
// advance.
//
// The disk sets a limit: N proposals in flight / fdatasync latency (each entry must be on
// a majority's disk before it commits, and a Ready's entries share one sync). The same run
// measures this disk's fdatasync latency and prints, per N: committed entries/s on the WAL
// and in memory, the limit, the WAL's share of it, entries per sync and the mean time of
// one persist (record write + fdatasync) at the leader.
//
//   build/bin/durable_commit_bench [--seconds S] [--dir DIR] [--in-flight 1,16,64,256]
#include <fcntl.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "raft/raft.h"
#include "raft/wal.h"

namespace {

using namespace raft;
using Clock = std::chrono::steady_clock;

struct Options {
  double seconds = 3;
  std::string dir;
  std::vector<std::size_t> in_flight = {1, 16, 64, 256};
};

class Node;

std::shared_ptr<spdlog::logger> quiet_logger() {
  static const auto logger =
      std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>());
  return logger;
}

/// The cluster: nodes by id, and a way to hand a message to one.
struct Wiring {
  std::vector<Node*> nodes;
  void deliver(Message m);
};

class Node {
 public:
  /// `pipelined`: the storage is written by a thread of its own while this one keeps
  /// stepping (see run_pipelined); the core then reads an in-memory mirror.
  Node(NodeId id, std::vector<NodeId> voters, std::unique_ptr<LogStorage> storage, Wiring& w,
       bool pipelined)
      : storage_(std::move(storage)), wiring_(w), pipelined_(pipelined) {
    Config c;
    c.id = id;
    c.voters = std::move(voters);
    c.max_inflight_msgs = 4096;
    c.logger = quiet_logger();
    raft_ = std::make_unique<Raft>(c, pipelined_ ? static_cast<const Storage&>(mirror_) : *storage_);
  }

  void post(Message m) {
    {
      std::lock_guard lock(mu_);
      inbox_.push_back(std::move(m));
      has_mail_.store(true, std::memory_order_release);
    }
    cv_.notify_one();
  }

  void campaign() {
    std::lock_guard lock(mu_);
    raft_->campaign();
  }

  /// The node's thread: messages in, proposals (leader), Readies out.
  void run(std::size_t in_flight, const std::atomic<bool>& stop) {
    if (pipelined_) {
      run_pipelined(in_flight, stop);
      return;
    }
    while (!stop.load(std::memory_order_relaxed)) {
      for (const Message& m : take_mail(in_flight)) raft_->step(m);
      propose_up_to(in_flight);
      while (raft_->has_ready()) {
        Ready rd = raft_->ready();
        for (Message& m : rd.messages) wiring_.deliver(std::move(m));
        const auto t0 = Clock::now();
        storage_->persist(rd.hard_state, rd.entries);
        if (!rd.entries.empty()) {
          persist_ns_ += static_cast<std::uint64_t>(
              std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count());
          ++persists_;
        }
        for (Message& m : rd.messages_after_persist) wiring_.deliver(std::move(m));
        std::uint64_t normal = 0;
        for (const Entry& e : rd.committed_entries) normal += e.type == EntryType::kNormal;
        committed_ += normal;
        raft_->advance(rd);
      }
    }
  }

  /// Persisting overlaps with stepping (thesis §10.2.1, etcd's asynchronous storage
  /// writes): this thread sends each Ready's messages at once and queues the Ready; a
  /// storage thread writes every queued Ready as one record with one fdatasync (so the
  /// log's "one unsynced record at most" recovery rule holds), then sends their
  /// acknowledgements and applies them, in order; this thread calls advance() for each
  /// once it is durable. The core counts the leader's own entries toward a commit only
  /// after advance() (RaftLog::last_stable_index), so nothing commits on fewer durable
  /// copies than before; meanwhile it reads the log from an in-memory mirror, which only
  /// this thread touches.
  void run_pipelined(std::size_t in_flight, const std::atomic<bool>& stop) {
    std::thread storage([&] { run_storage(stop); });
    while (!stop.load(std::memory_order_relaxed)) {
      for (const Message& m : take_mail(in_flight)) raft_->step(m);
      advance_durable();
      propose_up_to(in_flight);
      while (raft_->has_ready()) {
        Ready rd = raft_->ready();
        for (Message& m : rd.messages) wiring_.deliver(std::move(m));
        mirror_.persist(rd.hard_state, rd.entries);
        {
          std::lock_guard lock(store_mu_);
          to_store_.push_back(std::move(rd));
        }
        store_cv_.notify_one();
      }
    }
    store_cv_.notify_one();
    storage.join();
  }

  [[nodiscard]] bool is_leader() const { return raft_->is_leader(); }

 private:
  /// Waits briefly for messages (not at all while a leader has room in its window).
  std::deque<Message> take_mail(std::size_t in_flight) {
    std::deque<Message> batch;
    // Sleep only when there is nothing to do: a leader with room in its window proposes
    // at once.
    const bool room = raft_->is_leader() && proposed_ - committed_.load() < in_flight;
    // A message is usually a few microseconds away (the other nodes are mid-Ready): poll
    // briefly before sleeping, as a network runtime's event loop would.
    for (int spin = 0; !room && spin < 200 && !has_mail_.load(std::memory_order_acquire); ++spin) {
      std::this_thread::yield();
    }
    std::unique_lock lock(mu_);
    if (!room) {
      cv_.wait_for(lock, std::chrono::milliseconds(1),
                   [&] { return !inbox_.empty() || durable_.load(std::memory_order_relaxed); });
    }
    batch.swap(inbox_);
    has_mail_.store(false, std::memory_order_relaxed);
    return batch;
  }

  void propose_up_to(std::size_t in_flight) {
    if (!raft_->is_leader()) return;
    const std::string command(16, 'x');  // a small lin-kv style command
    const std::uint64_t outstanding = proposed_ - committed_.load();
    for (std::uint64_t i = outstanding; i < in_flight; ++i) {
      if (raft_->propose(command)) ++proposed_;
    }
  }

  /// Pipelined: advance() for every Ready the storage thread made durable, in order.
  void advance_durable() {
    std::deque<Ready> done;
    {
      std::lock_guard lock(store_mu_);
      done.swap(stored_);
      durable_.store(false, std::memory_order_relaxed);
    }
    for (const Ready& rd : done) raft_->advance(rd);
  }

  /// Pipelined: the storage thread. Everything queued goes out as one batch -- the newest
  /// hard state and the entries of every Ready in order (a later Ready's entries may
  /// overwrite a suffix of an earlier one's, §5.3) -- with one fdatasync.
  void run_storage(const std::atomic<bool>& stop) {
    while (true) {
      std::deque<Ready> batch;
      {
        std::unique_lock lock(store_mu_);
        store_cv_.wait(lock, [&] { return !to_store_.empty() || stop.load(); });
        if (to_store_.empty()) return;
        batch.swap(to_store_);
      }
      std::optional<HardState> hs;
      std::vector<Entry> entries;
      for (const Ready& rd : batch) {
        if (rd.hard_state) hs = rd.hard_state;
        if (rd.entries.empty()) continue;
        const Index first = rd.entries.front().index;
        while (!entries.empty() && entries.back().index >= first) entries.pop_back();
        entries.insert(entries.end(), rd.entries.begin(), rd.entries.end());
      }
      const auto t0 = Clock::now();
      storage_->persist(hs, entries);
      if (!entries.empty()) {
        persist_ns_ += static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count());
        ++persists_;
      }
      for (Ready& rd : batch) {
        for (Message& m : rd.messages_after_persist) wiring_.deliver(std::move(m));
        std::uint64_t normal = 0;
        for (const Entry& e : rd.committed_entries) normal += e.type == EntryType::kNormal;
        committed_ += normal;
      }
      {
        std::lock_guard lock(store_mu_);
        for (Ready& rd : batch) stored_.push_back(std::move(rd));
      }
      // Wake the core thread: its advance() may let the leader commit.
      {
        std::lock_guard lock(mu_);
        durable_.store(true, std::memory_order_relaxed);
        has_mail_.store(true, std::memory_order_release);
      }
      cv_.notify_one();
    }
  }

 public:
  [[nodiscard]] std::uint64_t committed() const { return committed_.load(); }
  /// Mean wall time of a persist that wrote entries, in ms (read after the thread ends).
  [[nodiscard]] double mean_persist_ms() const {
    return persists_ == 0 ? 0 : static_cast<double>(persist_ns_) / 1e6 / static_cast<double>(persists_);
  }
  [[nodiscard]] const LogStorage& storage() const { return *storage_; }

 private:
  std::unique_ptr<LogStorage> storage_;
  std::unique_ptr<Raft> raft_;
  Wiring& wiring_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Message> inbox_;
  std::atomic<bool> has_mail_{false};
  std::uint64_t proposed_ = 0;
  std::atomic<std::uint64_t> committed_{0};
  std::uint64_t persist_ns_ = 0;  // written by whichever thread persists
  std::uint64_t persists_ = 0;
  // Pipelined mode only.
  bool pipelined_ = false;
  MemoryStorage mirror_;  // what the core reads: the log as handed out, durable or not
  std::mutex store_mu_;
  std::condition_variable store_cv_;
  std::deque<Ready> to_store_;  // handed out, not yet written
  std::deque<Ready> stored_;    // durable, not yet advanced
  std::atomic<bool> durable_{false};  // stored_ has Readies for the core thread
};

void Wiring::deliver(Message m) { nodes[m.to.value() - 1]->post(std::move(m)); }

struct Result {
  double entries_per_s = 0;
  double entries_per_sync = 0;  // at the leader
  double persist_ms = 0;        // mean persist (write + sync) at the leader
};

/// One cell: a fresh cluster (WAL in `dir`, or memory if empty), N in flight, `seconds`;
/// `pipelined`: each node persists on a storage thread of its own (Node::run_pipelined).
Result run_cell(const std::string& dir, std::size_t in_flight, double seconds, bool pipelined) {
  PosixFileSystem fs;
  Wiring wiring;
  std::vector<std::unique_ptr<Node>> nodes;
  const std::vector<NodeId> voters{NodeId{1}, NodeId{2}, NodeId{3}};
  for (NodeId id : voters) {
    std::unique_ptr<LogStorage> storage;
    if (dir.empty()) {
      storage = std::make_unique<MemoryStorage>();
    } else {
      auto wal = Wal::open(fs, dir + "/n" + std::to_string(id.value()));
      if (!wal) {
        std::fprintf(stderr, "durable_commit_bench: %s\n", wal.error().c_str());
        std::exit(1);
      }
      storage = std::move(*wal);
    }
    nodes.push_back(std::make_unique<Node>(id, voters, std::move(storage), wiring, pipelined));
    wiring.nodes.push_back(nodes.back().get());
  }
  std::atomic<bool> stop{false};
  nodes[0]->campaign();
  std::vector<std::thread> threads;
  for (auto& n : nodes) threads.emplace_back([&, p = n.get()] { p->run(in_flight, stop); });
  // Warm up: the election and the first round trips.
  const auto warm = Clock::now() + std::chrono::milliseconds(200);
  while (Clock::now() < warm) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const std::uint64_t c0 = nodes[0]->committed();
  const Wal* wal = dir.empty() ? nullptr : dynamic_cast<const Wal*>(&nodes[0]->storage());
  const std::uint64_t s0 = wal ? wal->stats().syncs : 0;
  const std::uint64_t e0 = wal ? wal->stats().entries : 0;
  const auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const std::uint64_t c1 = nodes[0]->committed();
  // Stats are read while the leader runs: good enough for a ratio over thousands of syncs.
  const std::uint64_t s1 = wal ? wal->stats().syncs : 0;
  const std::uint64_t e1 = wal ? wal->stats().entries : 0;
  stop = true;
  for (auto& t : threads) t.join();
  Result r;
  r.entries_per_s = static_cast<double>(c1 - c0) / elapsed;
  if (s1 > s0) r.entries_per_sync = static_cast<double>(e1 - e0) / static_cast<double>(s1 - s0);
  r.persist_ms = nodes[0]->mean_persist_ms();
  return r;
}

/// fdatasync latency of this disk: `bytes`-byte appends, each synced. 100 bytes is about
/// one small command's record; 4 KiB is how the project's disk baseline is defined
/// (shared baselines.md: "fdatasync of a 4 KiB append ... p50 about 1.5 ms"), the figure
/// the limit was planned with.
std::vector<double> sync_latencies_ms(const std::string& dir, int count, std::size_t bytes) {
  const std::string path = dir + "/sync-probe";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    std::perror("durable_commit_bench: sync probe");
    std::exit(1);
  }
  const std::string record(bytes, 'r');
  std::vector<double> out;
  for (int i = 0; i < count; ++i) {
    if (::write(fd, record.data(), record.size()) != static_cast<ssize_t>(record.size())) break;
    const auto t0 = Clock::now();
    ::fdatasync(fd);
    out.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  ::close(fd);
  ::unlink(path.c_str());
  std::sort(out.begin(), out.end());
  return out;
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(p * static_cast<double>(sorted.size())))];
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "durable_commit_bench: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--seconds") {
      o.seconds = std::atof(next().c_str());
    } else if (a == "--dir") {
      o.dir = next();
    } else if (a == "--in-flight") {
      o.in_flight.clear();
      std::stringstream ss(next());
      for (std::string n; std::getline(ss, n, ',');) o.in_flight.push_back(std::stoul(n));
    } else {
      std::fprintf(stderr,
                   "usage: durable_commit_bench [--seconds S] [--dir DIR] [--in-flight 1,16,64,256]\n");
      std::exit(a == "--help" ? 0 : 2);
    }
  }
  if (o.dir.empty()) {
    o.dir = (std::filesystem::temp_directory_path() / ("durable-bench-" + std::to_string(::getpid()))).string();
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  std::filesystem::remove_all(o.dir);
  std::filesystem::create_directories(o.dir);
  const std::vector<double> sync = sync_latencies_ms(o.dir, 300, 100);
  const double p50 = percentile(sync, 0.5);
  std::printf("fdatasync of a 100-byte append in %s: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms (%zu syncs)\n",
              o.dir.c_str(), p50, percentile(sync, 0.9), percentile(sync, 0.99), sync.size());
  const std::vector<double> sync4k = sync_latencies_ms(o.dir, 300, 4096);
  const double p50_4k = percentile(sync4k, 0.5);
  std::printf("fdatasync of a 4 KiB append (the baseline's definition): p50 %.3f ms, p90 %.3f ms, "
              "p99 %.3f ms\n",
              p50_4k, percentile(sync4k, 0.9), percentile(sync4k, 0.99));
  std::printf("3 nodes in one process, a thread and a log directory each; %.1f s per cell\n\n", o.seconds);
  std::printf("WAL: persist in line (send, persist, acknowledge, advance); pipelined: a storage\n"
              "thread persists while the core keeps stepping (one record and one sync per batch)\n");
  std::printf("limit = in flight / fdatasync p50; shares of it for the pipelined WAL, with the\n"
              "100-byte and the 4 KiB p50; entries per sync and persist time: pipelined leader\n\n");
  std::printf("%9s  %12s  %12s  %12s  %13s  %8s  %13s  %8s  %9s  %10s\n", "in flight", "memory e/s",
              "WAL e/s", "pipelined", "limit (100 B)", "share", "limit (4 KiB)", "share",
              "e / sync", "persist ms");
  for (std::size_t n : o.in_flight) {
    const Result mem = run_cell("", n, o.seconds, false);
    const std::string cell_dir = o.dir + "/wal-" + std::to_string(n);
    const Result inline_wal = run_cell(cell_dir, n, o.seconds, false);
    std::filesystem::remove_all(cell_dir);
    const Result wal = run_cell(cell_dir, n, o.seconds, true);
    std::filesystem::remove_all(cell_dir);
    const double limit = p50 > 0 ? static_cast<double>(n) / (p50 / 1000.0) : 0;
    const double limit_4k = p50_4k > 0 ? static_cast<double>(n) / (p50_4k / 1000.0) : 0;
    std::printf("%9zu  %12.0f  %12.0f  %12.0f  %13.0f  %7.0f%%  %13.0f  %7.0f%%  %9.1f  %10.3f\n", n,
                mem.entries_per_s, inline_wal.entries_per_s, wal.entries_per_s, limit,
                limit > 0 ? 100.0 * wal.entries_per_s / limit : 0, limit_4k,
                limit_4k > 0 ? 100.0 * wal.entries_per_s / limit_4k : 0, wal.entries_per_sync,
                wal.persist_ms);
    std::fflush(stdout);
  }
  std::filesystem::remove_all(o.dir);
  return 0;
}
