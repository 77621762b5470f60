// End to end: spawns the built `echo` binary (ECHO_BIN, from CMake), talks to it over
// pipes like Maelstrom does, and checks every stdout line against the echo workload's
// closed reply schemas.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#ifndef ECHO_BIN
#error "ECHO_BIN must name the echo executable"
#endif

namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

// A child process with stdin/stdout pipes and stderr in a temporary file.
class Child {
 public:
  explicit Child(std::vector<std::string> args) {
    std::signal(SIGPIPE, SIG_IGN);
    int in[2], out[2];
    EXPECT_EQ(::pipe2(in, O_CLOEXEC), 0);
    EXPECT_EQ(::pipe2(out, O_CLOEXEC), 0);
    char tmpl[] = "/tmp/echo_e2e_stderr_XXXXXX";
    const int err = ::mkstemp(tmpl);
    EXPECT_GE(err, 0);
    stderr_path_ = tmpl;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], 0);
      ::dup2(out[1], 1);
      ::dup2(err, 2);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(ECHO_BIN));
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(ECHO_BIN, argv.data());
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    ::close(err);
    stdin_ = in[1];
    stdout_ = out[0];
  }

  ~Child() {
    close_stdin();
    if (stdout_ >= 0) ::close(stdout_);
    if (pid_ > 0 && !exit_status_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::unlink(stderr_path_.c_str());
  }

  void write(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::write(stdin_, data.data(), data.size());
      ASSERT_GT(n, 0) << "writing to echo's stdin failed";
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  void close_stdin() {
    if (stdin_ >= 0) ::close(stdin_);
    stdin_ = -1;
  }

  // The next stdout line (with its '\n'), or nullopt on EOF or after `timeout`.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl + 1);
        buffer_.erase(0, nl + 1);
        return line;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd p{stdout_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      std::array<char, 65536> chunk{};
      const ssize_t n = ::read(stdout_, chunk.data(), chunk.size());
      if (n <= 0) {
        eof_tail_ = buffer_;  // bytes after the last newline: must be none
        return std::nullopt;
      }
      buffer_.append(chunk.data(), static_cast<std::size_t>(n));
    }
  }

  // Every remaining stdout line until EOF.
  std::vector<std::string> read_all() {
    std::vector<std::string> lines;
    while (auto line = read_line()) lines.push_back(*line);
    return lines;
  }

  // Waits (up to 10 s) for the process to exit; its exit code, or -1 if killed/stuck.
  int wait() {
    for (int i = 0; i < 1000 && !exit_status_; ++i) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        break;
      }
      ::usleep(10'000);
    }
    return exit_status_.value_or(-1);
  }

  std::string stderr_text() const {
    std::ifstream f(stderr_path_);
    return std::string(std::istreambuf_iterator<char>(f), {});
  }
  const std::string& eof_tail() const { return eof_tail_; }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  std::string buffer_;
  std::string eof_tail_;
  std::string stderr_path_;
  std::optional<int> exit_status_;
};


const std::string kInit =
    R"({"src":"c0","dest":"n1","body":{"type":"init","msg_id":1,"node_id":"n1","node_ids":["n1","n2"]}})"
    "\n";

std::string echo_line(int msg_id, const json& value) {
  return json{{"src", "c1"}, {"dest", "n1"}, {"id", 100 + msg_id},
              {"body", {{"type", "echo"}, {"msg_id", msg_id}, {"echo", value}}}}
             .dump() + "\n";
}

std::set<std::string> keys_of(const json& object) {
  std::set<std::string> keys;
  for (const auto& item : object.items()) keys.insert(item.key());
  return keys;
}

// Parses one stdout line and checks the envelope: exactly src, dest, body; src is us.
json parse_output(const std::string& line) {
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  json doc;
  try {
    doc = json::parse(line);
  } catch (const json::exception& e) {
    ADD_FAILURE() << "stdout line is not JSON: " << line;
    return json::object();
  }
  EXPECT_EQ(keys_of(doc), (std::set<std::string>{"src", "dest", "body"})) << line;
  EXPECT_EQ(doc["src"], "n1") << line;
  return doc;
}

// An _ok reply must carry exactly `required`, plus optionally msg_id (closed schema).
void expect_closed_body(const json& body, std::set<std::string> required) {
  auto keys = keys_of(body);
  keys.erase("msg_id");
  EXPECT_EQ(keys, required) << body.dump();
}

TEST(EchoE2E, RepliesWithExactFieldsSurvivesGarbageAndExitsZeroAtEof) {
  Child echo({});
  const std::vector<json> values = {"hello", 0, -7, 3.5, true, nullptr, json::array({1, "x"}),
                                    json{{"nested", {{"k", "v"}}}}, "snow \u2603 \"quoted\"\n"};
  std::string input = kInit + "this is not json\n{\"src\":\"c1\"}\n[]\n";
  for (std::size_t i = 0; i < values.size(); ++i) {
    input += echo_line(static_cast<int>(10 + i), values[i]);
    if (i == 2) input += "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{}}\n";  // no type
  }
  echo.write(input);
  echo.close_stdin();
  const auto lines = echo.read_all();
  EXPECT_EQ(echo.eof_tail(), "") << "output must end with a complete line";
  EXPECT_EQ(echo.wait(), 0);
  ASSERT_EQ(lines.size(), 1 + values.size());

  const json init_ok = parse_output(lines[0]);
  EXPECT_EQ(init_ok["dest"], "c0");
  expect_closed_body(init_ok["body"], {"type", "in_reply_to"});
  EXPECT_EQ(init_ok["body"]["type"], "init_ok");
  EXPECT_EQ(init_ok["body"]["in_reply_to"], 1);

  for (std::size_t i = 0; i < values.size(); ++i) {
    const json reply = parse_output(lines[1 + i]);
    EXPECT_EQ(reply["dest"], "c1");
    expect_closed_body(reply["body"], {"type", "echo", "in_reply_to"});
    EXPECT_EQ(reply["body"]["type"], "echo_ok");
    EXPECT_EQ(reply["body"]["in_reply_to"], 10 + static_cast<int>(i));
    EXPECT_EQ(reply["body"]["echo"], values[i]);
  }
  EXPECT_NE(echo.stderr_text().find("skipping input line"), std::string::npos)
      << "bad lines are logged on stderr at the default level";
}

TEST(EchoE2E, ErrorsForUnknownTypeAndMissingField) {
  Child echo({});
  echo.write(kInit);
  echo.write(R"({"src":"c2","dest":"n1","body":{"type":"broadcast","msg_id":5}})" "\n");
  echo.write(R"({"src":"c2","dest":"n1","body":{"type":"echo","msg_id":6}})" "\n");
  echo.close_stdin();
  const auto lines = echo.read_all();
  EXPECT_EQ(echo.wait(), 0);
  ASSERT_EQ(lines.size(), 3u);
  const json unsupported = parse_output(lines[1])["body"];
  EXPECT_EQ(keys_of(unsupported), (std::set<std::string>{"type", "in_reply_to", "code", "text"}));
  EXPECT_EQ(unsupported["code"], 10);
  EXPECT_EQ(unsupported["in_reply_to"], 5);
  const json malformed = parse_output(lines[2])["body"];
  EXPECT_EQ(malformed["code"], 12);
  EXPECT_NE(malformed["text"].get<std::string>().find("'echo'"), std::string::npos);
}

TEST(EchoE2E, InteractiveWithLinesSplitAcrossWrites) {
  Child echo({});
  echo.write(kInit);
  ASSERT_TRUE(echo.read_line().has_value());
  const std::string line = echo_line(2, "in pieces");
  echo.write(line.substr(0, 25));
  EXPECT_EQ(echo.read_line(150ms), std::nullopt) << "no reply before the line is complete";
  echo.write(line.substr(25));
  const auto reply = echo.read_line();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(parse_output(*reply)["body"]["echo"], "in pieces");
  echo.close_stdin();
  EXPECT_EQ(echo.read_line(), std::nullopt);
  EXPECT_EQ(echo.wait(), 0);
}

TEST(EchoE2E, DropsOversizedLineAndKeepsServing) {
  Child echo({});
  echo.write(kInit);
  ASSERT_TRUE(echo.read_line().has_value());
  const std::string huge = "{\"src\":\"c1\",\"junk\":\"" + std::string(64u << 20, 'x') + "\"}\n";
  echo.write(huge);
  echo.write(echo_line(3, "after"));
  const auto reply = echo.read_line();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(parse_output(*reply)["body"]["echo"], "after");
  echo.close_stdin();
  EXPECT_EQ(echo.wait(), 0);
  EXPECT_NE(echo.stderr_text().find("dropped an input line"), std::string::npos);
}

TEST(EchoE2E, TraceLoggingNeverTouchesStdout) {
  Child echo({"--log-level", "trace"});
  echo.write(kInit + "garbage\n" + echo_line(2, "x"));
  echo.close_stdin();
  const auto lines = echo.read_all();
  EXPECT_EQ(echo.wait(), 0);
  ASSERT_EQ(lines.size(), 2u);
  for (const auto& l : lines) parse_output(l);
  const std::string err = echo.stderr_text();
  EXPECT_NE(err.find("recv"), std::string::npos) << err;
  EXPECT_NE(err.find("send"), std::string::npos) << err;
}

TEST(EchoE2E, CommandLine) {
  {
    Child echo({"--log-level=bogus"});
    EXPECT_EQ(echo.wait(), 2);
    EXPECT_NE(echo.stderr_text().find("bogus"), std::string::npos);
  }
  {
    Child echo({"--frobnicate"});
    EXPECT_EQ(echo.wait(), 2);
  }
  {
    Child echo({"--help"});
    const auto lines = echo.read_all();
    EXPECT_EQ(echo.wait(), 0);
    ASSERT_FALSE(lines.empty());
    EXPECT_NE(lines[0].find("usage"), std::string::npos);
  }
}

}  // namespace
