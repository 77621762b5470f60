#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "tests/workbench/src/child.h"
#include "tests/workbench/src/reaper.h"

namespace workbench {
namespace {

bool alive(pid_t pid) {
  // A zombie is dead for our purposes: it runs nothing.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string content;
  std::getline(stat, content);
  if (content.empty()) return false;
  const auto close_paren = content.rfind(')');
  return close_paren != std::string::npos && content.substr(close_paren + 2, 1) != "Z";
}

std::string read_all(int fd) {
  std::string out;
  char buf[256];
  for (int i = 0; i < 200; ++i) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) out.append(buf, static_cast<std::size_t>(n));
    else if (n == 0) break;
    else std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (out.find('\n') != std::string::npos) break;
  }
  return out;
}

TEST(Child, PipesWork) {
  auto c = Child::spawn({"/bin/sh", {"-c", "read x; echo got:$x; echo err >&2"}, "/"});
  ASSERT_TRUE(std::holds_alternative<Child>(c));
  Child& child = std::get<Child>(c);
  ASSERT_EQ(write(child.stdin_fd(), "hi\n", 3), 3);
  EXPECT_EQ(read_all(child.stdout_fd()), "got:hi\n");
  EXPECT_EQ(read_all(child.stderr_fd()), "err\n");
  for (int i = 0; i < 200 && !child.poll_exit(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(child.poll_exit());
  EXPECT_EQ(describe_wait_status(*child.poll_exit()), "exit status 0");
}

TEST(Child, ReportsABinaryThatCannotRun) {
  auto c = Child::spawn({"/nonexistent/binary", {}, "/"});
  ASSERT_TRUE(std::holds_alternative<std::string>(c));
  EXPECT_NE(std::get<std::string>(c).find("cannot execute"), std::string::npos);
}

TEST(Child, KillTakesTheWholeProcessGroup) {
  // The node leaves a grandchild behind; killing the node must kill it too.
  auto c = Child::spawn({"/bin/sh", {"-c", "sleep 100 & echo $!; wait"}, "/"});
  ASSERT_TRUE(std::holds_alternative<Child>(c));
  Child& child = std::get<Child>(c);
  const pid_t grandchild = std::stoi(read_all(child.stdout_fd()));
  EXPECT_TRUE(alive(grandchild));
  const int status = child.kill_and_reap();
  EXPECT_EQ(describe_wait_status(status), "killed by signal 9 (Killed)");
  for (int i = 0; i < 200 && alive(grandchild); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_FALSE(alive(grandchild));
}

TEST(Child, DestructorKillsARunningChild) {
  pid_t pid = 0;
  {
    auto c = Child::spawn({"/bin/sleep", {"100"}, "/"});
    ASSERT_TRUE(std::holds_alternative<Child>(c));
    pid = std::get<Child>(c).pid();
    EXPECT_TRUE(alive(pid));
  }
  EXPECT_FALSE(alive(pid));
}

TEST(Child, StopAndContinue) {
  auto c = Child::spawn({"/bin/sleep", {"100"}, "/"});
  Child& child = std::get<Child>(c);
  child.signal_group(SIGSTOP);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::ifstream stat("/proc/" + std::to_string(child.pid()) + "/stat");
  std::string s;
  std::getline(stat, s);
  EXPECT_EQ(s.substr(s.rfind(')') + 2, 1), "T");
  child.signal_group(SIGCONT);
  EXPECT_FALSE(child.poll_exit());
}

}  // namespace
}  // namespace workbench
