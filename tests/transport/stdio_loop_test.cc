// Node::run() over real file descriptors (pipes), in-process: EOF, timers while idle,
// partial writes by the producer, and write_all's retry behaviour.
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "transport/fd_io.h"
#include "transport/node.h"

namespace maelstrom {
namespace {

using namespace std::chrono_literals;

struct Pipe {
  Pipe() { EXPECT_EQ(::pipe(fds.data()), 0); }
  ~Pipe() {
    close_read();
    close_write();
  }
  int read_end() const { return fds[0]; }
  int write_end() const { return fds[1]; }
  void close_read() { close_fd(fds[0]); }
  void close_write() { close_fd(fds[1]); }
  void write(std::string_view s) const { ASSERT_TRUE(write_all(fds[1], s)); }

 private:
  static void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  std::array<int, 2> fds{-1, -1};
};

// A real-clock node whose output lines are collected as JSON.
struct LoopNode {
  LoopNode() : node(options()) {}
  NodeOptions options() {
    NodeOptions o;
    o.output = [this](std::string_view line) {
      ASSERT_EQ(line.back(), '\n');
      out.push_back(nlohmann::json::parse(line));
    };
    return o;
  }
  std::vector<nlohmann::json> out;
  Node node;
};

const std::string kInit =
    R"({"src":"c0","dest":"n1","body":{"type":"init","msg_id":1,"node_id":"n1","node_ids":["n1"]}})";

TEST(StdioLoop, ServesUntilEofAndReturnsZero) {
  LoopNode n;
  n.node.handle("echo", [&](const Message& m) {
    n.node.reply(m, {{"type", "echo_ok"}, {"echo", m.at("echo")}});
  });
  Pipe in;
  in.write(kInit + "\nnot json\n" +
           R"({"src":"c1","dest":"n1","body":{"type":"echo","msg_id":2,"echo":5}})" + "\n" +
           R"({"src":"c1","dest":"n1","body":{"type":"echo","msg_id":3,"echo":6}})");
  in.close_write();
  EXPECT_EQ(n.node.run(in.read_end()), 0);
  ASSERT_EQ(n.out.size(), 3u);
  EXPECT_EQ(n.out[0]["body"]["type"], "init_ok");
  EXPECT_EQ(n.out[1]["body"], (nlohmann::json{{"type", "echo_ok"}, {"echo", 5}, {"in_reply_to", 2}}));
  EXPECT_EQ(n.out[2]["body"]["in_reply_to"], 3) << "unterminated last line handled at EOF";
  EXPECT_EQ(n.node.stats().bad_lines, 1u);
}

TEST(StdioLoop, FiresTimersWhileWaitingForInput) {
  LoopNode n;
  Pipe in;
  int ticks = 0;
  n.node.every(2ms, [&] {
    if (++ticks == 5) in.close_write();  // EOF ends the loop
  });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(n.node.run(in.read_end()), 0);
  EXPECT_EQ(ticks, 5);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 8ms);
}

TEST(StdioLoop, AssemblesLinesWrittenInPieces) {
  LoopNode n;
  n.node.handle("echo", [&](const Message& m) {
    n.node.reply(m, {{"type", "echo_ok"}, {"echo", m.at("echo")}});
  });
  Pipe in;
  const std::string echo =
      R"({"src":"c1","dest":"n1","body":{"type":"echo","msg_id":2,"echo":"split"}})";
  in.write(kInit + "\n" + echo.substr(0, 20));
  n.node.after(5ms, [&] {
    EXPECT_EQ(n.out.size(), 1u) << "half a line must not be handled";
    in.write(echo.substr(20) + "\n");
  });
  n.node.after(20ms, [&] { in.close_write(); });
  EXPECT_EQ(n.node.run(in.read_end()), 0);
  ASSERT_EQ(n.out.size(), 2u);
  EXPECT_EQ(n.out[1]["body"]["echo"], "split");
}

TEST(StdioLoop, ReturnsOneForClosedInputFd) {
  LoopNode n;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::close(fds[0]);
  ::close(fds[1]);
  EXPECT_EQ(n.node.run(fds[0]), 1);
}

TEST(WriteAll, WritesEverythingThroughAFullNonBlockingPipe) {
  Pipe p;
  ASSERT_EQ(::fcntl(p.write_end(), F_SETFL, ::fcntl(p.write_end(), F_GETFL) | O_NONBLOCK), 0);
  std::string data(1 << 20, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>('a' + i % 26);
  std::string received;
  std::thread reader([&] {
    std::array<char, 4096> buf{};
    for (;;) {
      const ssize_t n = ::read(p.read_end(), buf.data(), buf.size());
      if (n <= 0) break;
      received.append(buf.data(), static_cast<std::size_t>(n));
      std::this_thread::sleep_for(std::chrono::microseconds(50));  // keep the pipe full
    }
  });
  EXPECT_TRUE(write_all(p.write_end(), data));
  p.close_write();
  reader.join();
  EXPECT_EQ(received.size(), data.size());
  EXPECT_TRUE(received == data);
}

TEST(WriteAll, ReportsClosedReader) {
  std::signal(SIGPIPE, SIG_IGN);
  Pipe p;
  p.close_read();
  EXPECT_FALSE(write_all(p.write_end(), "x\n"));
}

}  // namespace
}  // namespace maelstrom
