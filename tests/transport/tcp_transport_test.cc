// The TCP peer transport on loopback, in one process: delivery, garbage on a socket, a peer
// that never reads, reconnection, isolation. Verdicts wait for conditions with generous
// deadlines; nothing depends on how fast the machine is.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "free_port.h"
#include "eventually.h"
#include "transport/tcp_transport.h"

namespace {

using transport::TcpTransport;
using namespace std::chrono_literals;

using raftkv::test::eventually;

std::map<raft::NodeId, transport::Endpoint> loopback(std::initializer_list<std::pair<int, std::uint16_t>> ports) {
  std::map<raft::NodeId, transport::Endpoint> peers;
  for (auto [id, port] : ports) peers[raft::NodeId{static_cast<std::uint64_t>(id)}] = {"127.0.0.1", port};
  return peers;
}

/// A transport that records what it receives.
struct Receiver {
  std::mutex mu;
  std::vector<std::pair<raft::NodeId, std::string>> got;
  std::unique_ptr<TcpTransport> t;

  Receiver(int id, std::map<raft::NodeId, transport::Endpoint> peers, transport::TcpOptions options = {}) {
    t = std::make_unique<TcpTransport>(raft::NodeId{static_cast<std::uint64_t>(id)}, std::move(peers),
                                       [this](raft::NodeId from, std::string_view payload) {
                                         std::lock_guard lock(mu);
                                         got.emplace_back(from, std::string(payload));
                                         return payload != "refuse me";
                                       },
                                       std::move(options));
    const std::string error = t->start();
    if (!error.empty()) throw std::runtime_error(error);
  }
  std::size_t count() {
    std::lock_guard lock(mu);
    return got.size();
  }
  bool has(std::string_view payload) {
    std::lock_guard lock(mu);
    for (const auto& [from, p] : got) {
      if (p == payload) return true;
    }
    return false;
  }
};

TEST(TcpTransport, DeliversInOrderAndCoalescesFrames) {
  const auto peers = loopback({{1, testing_ports::free_port()}, {2, testing_ports::free_port()}});
  Receiver a(1, peers), b(2, peers);
  ASSERT_TRUE(eventually([&] { return a.t->stats().connects == 1 && b.t->stats().connects == 1; }));
  // Connected does not mean the peer accepted yet: keep one probe going until it lands.
  ASSERT_TRUE(eventually([&] { a.t->send(raft::NodeId{2}, "probe"); return b.has("probe"); }));
  for (int i = 0; i < 10000; ++i) a.t->send(raft::NodeId{2}, std::to_string(i));
  ASSERT_TRUE(eventually([&] { return b.has("9999"); }));
  std::lock_guard lock(b.mu);
  std::size_t first = 0;  // extra probes may come before the numbers, never among them
  while (first < b.got.size() && b.got[first].second != "0") ++first;
  ASSERT_EQ(b.got.size() - first, 10000u);
  for (int i = 0; i < 10000; ++i) {
    ASSERT_EQ(b.got[first + i].second, std::to_string(i));
    ASSERT_EQ(b.got[first + i].first, raft::NodeId{1});
  }
  const auto s = a.t->stats();
  EXPECT_LT(s.writes, s.frames_sent) << "frames queued during a write leave together";
}

// A stranger writes garbage to a node's port: that connection is closed and logged, and
// the node keeps receiving from its real peer.
TEST(TcpTransport, GarbageOnAPeerSocketClosesOnlyThatConnection) {
  const auto peers = loopback({{1, testing_ports::free_port()}, {2, testing_ports::free_port()}});
  Receiver a(1, peers), b(2, peers);
  ASSERT_TRUE(eventually([&] { a.t->send(raft::NodeId{2}, "before"); return b.has("before"); }));
  for (const std::string& junk : {std::string("GET / HTTP/1.1\r\n\r\n"), std::string("\xff\xff\xff\xff\x01\x01", 6),
                                  std::string("\x08\0\0\0\x01\x00shortie!", 12)}) {
    const int fd = testing_ports::connect_loopback(peers.at(raft::NodeId{2}).port);
    ASSERT_GE(fd, 0);
    const timeval limit{60, 0};  // a hang fails the test instead of stalling it
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    ASSERT_EQ(::write(fd, junk.data(), junk.size()), static_cast<ssize_t>(junk.size()));
    char c;
    EXPECT_EQ(::read(fd, &c, 1), 0) << "the node closes the connection";
    ::close(fd);
  }
  EXPECT_EQ(b.t->stats().bad_frames, 3u);
  ASSERT_TRUE(eventually([&] { a.t->send(raft::NodeId{2}, "after"); return b.has("after"); }));
}

// A message the handler refuses (it would not decode) closes the connection; the sender
// redials and later messages arrive.
TEST(TcpTransport, RefusedMessageClosesTheConnectionAndTheSenderRedials) {
  const auto peers = loopback({{1, testing_ports::free_port()}, {2, testing_ports::free_port()}});
  Receiver a(1, peers), b(2, peers);
  ASSERT_TRUE(eventually([&] { a.t->send(raft::NodeId{2}, "one"); return b.has("one"); }));
  a.t->send(raft::NodeId{2}, "refuse me");
  ASSERT_TRUE(eventually([&] { return a.t->stats().connects >= 2; }));
  ASSERT_TRUE(eventually([&] { a.t->send(raft::NodeId{2}, "two"); return b.has("two"); }));
  EXPECT_GE(b.t->stats().bad_frames, 1u);
}

// "Node 2" accepts connections and never reads: node 1's queue stops at its bound and the
// rest is dropped, however much is sent.
TEST(TcpTransport, PeerThatNeverReadsCannotGrowTheQueueWithoutLimit) {
  const std::uint16_t port2 = testing_ports::free_port();
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port2);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  transport::TcpOptions options;
  options.max_queue_bytes = 1 << 20;
  Receiver a(1, loopback({{1, testing_ports::free_port()}, {2, port2}}), options);
  const int conn = ::accept(listener, nullptr, nullptr);  // and never read from it
  ASSERT_GE(conn, 0);
  ASSERT_TRUE(eventually([&] { return a.t->stats().connects == 1; }));
  const std::string payload(64 << 10, 'p');
  for (int i = 0; i < 2048; ++i) a.t->send(raft::NodeId{2}, payload);  // 128 MiB
  const auto s = a.t->stats();
  EXPECT_GT(s.dropped_full, 0u);
  // What left or waits is at most the queue bound plus what the kernel buffers took.
  EXPECT_LT(2048 - s.dropped_full - s.dropped_disconnected, 2048u);
  ::close(conn);
  ::close(listener);
}

TEST(TcpTransport, ReconnectsToARestartedPeer) {
  const auto peers = loopback({{1, testing_ports::free_port()}, {2, testing_ports::free_port()}});
  Receiver a(1, peers);
  {
    Receiver b(2, peers);
    ASSERT_TRUE(eventually([&] { a.t->send(raft::NodeId{2}, "first life"); return b.has("first life"); }));
  }
  Receiver b2(2, peers);
  ASSERT_TRUE(eventually([&] { a.t->send(raft::NodeId{2}, "second life"); return b2.has("second life"); }));
  EXPECT_GE(a.t->stats().connects, 2u);
}

TEST(TcpTransport, IsolatedNodeNeitherSendsNorReceivesUntilHealed) {
  const auto peers = loopback({{1, testing_ports::free_port()}, {2, testing_ports::free_port()}});
  Receiver a(1, peers), b(2, peers);
  ASSERT_TRUE(eventually([&] { a.t->send(raft::NodeId{2}, "x"); return b.has("x"); }));
  b.t->isolate(true);
  // Until a's connection is seen closed, a frame may still reach b's closed socket; once
  // a reports the loss, nothing gets through.
  ASSERT_TRUE(eventually([&] { return a.t->stats().dropped_disconnected > 0 || (a.t->send(raft::NodeId{2}, "probe"), false); }));
  const std::size_t during = b.count();
  for (int i = 0; i < 100; ++i) {
    a.t->send(raft::NodeId{2}, "during");
    b.t->send(raft::NodeId{1}, "during");
  }
  b.t->isolate(false);
  ASSERT_TRUE(eventually([&] { a.t->send(raft::NodeId{2}, "healed"); return b.has("healed"); }));
  ASSERT_TRUE(eventually([&] { b.t->send(raft::NodeId{1}, "healed too"); return a.has("healed too"); }));
  std::lock_guard lock(b.mu);
  for (std::size_t i = during; i < b.got.size(); ++i) EXPECT_NE(b.got[i].second, "during");
}

}  // namespace
