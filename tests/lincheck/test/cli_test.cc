// The lincheck executable: exit codes (0 valid, 1 invalid, 2 unknown or bad input), messages.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "history_gen.h"
#include "lincheck/jsonl.h"

namespace lincheck {
namespace {

namespace fs = std::filesystem;

struct CliRun {
  int code = -1;
  std::string out;  // stdout and stderr
};

CliRun run(const std::string& args) {
  CliRun r;
  const std::string cmd = std::string(LINCHECK_CLI) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), p) != nullptr) r.out += buf.data();
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class TempFile {
 public:
  TempFile(const std::string& name, const std::string& content)
      : path_(fs::temp_directory_path() / ("lincheck_cli_" + std::to_string(::getpid()) + "_" + name)) {
    std::ofstream(path_) << content;
  }
  ~TempFile() { fs::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

const std::string kPorcupine = std::string(LINCHECK_HISTORIES_DIR) + "/porcupine";

TEST(Cli, ValidHistoryExitsZero) {
  const CliRun r = run(kPorcupine + "/jepsen/etcd_002.log");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("linearizable"), std::string::npos);
}

TEST(Cli, InvalidHistoryExitsOneAndExplains) {
  const CliRun r = run(kPorcupine + "/kv/c01-bad.txt");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("not linearizable"), std::string::npos);
  EXPECT_NE(r.out.find("longest linearizable prefix"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cannot be linearized next"), std::string::npos) << r.out;
}

TEST(Cli, AnyInvalidFileMakesTheRunInvalid) {
  const CliRun r = run(kPorcupine + "/jepsen/etcd_002.log " + kPorcupine + "/jepsen/etcd_000.log");
  EXPECT_EQ(r.code, 1) << r.out;
}

TEST(Cli, MalformedInputExitsTwoWithFileAndLine) {
  const TempFile f("bad.edn", "{:process 0, :type :invoke, :f :read, :value [0 nil]}\n{:process 0 :type :ok :f :read :value [0 1]\n");
  const CliRun r = run(f.path());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(f.path() + ":2: expected '}'"), std::string::npos) << r.out;
}

TEST(Cli, UnknownFormatExitsTwo) {
  const TempFile f("what.txt", "hello\nworld\n");
  const CliRun r = run(f.path());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(f.path() + ":1: cannot tell the history format"), std::string::npos) << r.out;
}

TEST(Cli, MalformedJsonLinesExitTwo) {
  const TempFile f("bad.jsonl", "{\"process\":1,\"f\":\"read\",\"outcome\":\"ok\",\"call\":1,\"ret\":2}\n{\"process\":1,\"f\":\"read\"}\n");
  const CliRun r = run(f.path());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(f.path() + ":2: expected \"outcome\""), std::string::npos) << r.out;
}

TEST(Cli, MissingFileAndBadUsageExitTwo) {
  CliRun r = run("/nonexistent/history.edn");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("cannot open"), std::string::npos) << r.out;
  r = run("--no-such-option x");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("unknown option"), std::string::npos) << r.out;
  r = run("");
  EXPECT_EQ(r.code, 2);
  r = run("--format yaml x");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("unknown format"), std::string::npos) << r.out;
}

TEST(Cli, OpsTheModelCannotInterpretExitTwo) {
  const TempFile f("txn.edn", "{:process 0 :type :invoke :f :txn :value [[:r 1 nil]]}\n{:process 0 :type :ok :f :txn :value [[:r 1 2]]}\n");
  const CliRun r = run(f.path());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(":1: the cas-register model knows read, write and cas, not 'txn'"), std::string::npos) << r.out;
}

TEST(Cli, MemoryLimitGivesUnknownExitTwo) {
  testing::GenOptions g;
  g.ops = 10000;
  g.clients = 10;
  g.info_fraction = 0.2;
  std::ostringstream text;
  write_jsonl(testing::generate_register_history(g), text);
  const TempFile f("big.jsonl", text.str());
  CliRun r = run("--memory-limit 1 " + f.path());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("memory limit"), std::string::npos) << r.out;
  r = run(f.path());
  EXPECT_EQ(r.code, 0) << r.out;
}

TEST(Cli, EveryKeyChecksEachKeyToTheEnd) {
  CliRun r = run(kPorcupine + "/kv/c10-bad.txt");
  EXPECT_EQ(r.code, 1) << r.out;
  r = run("--every-key --json " + kPorcupine + "/kv/c10-bad.txt");
  EXPECT_EQ(r.code, 1) << r.out;
  const nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  for (const auto& k : j["files"][0]["keys"]) EXPECT_FALSE(k.contains("not_checked")) << k.dump();
}

TEST(Cli, JsonOutputIsOneDocument) {
  const CliRun r = run("--json " + kPorcupine + "/kv/c10-bad.txt 2>/dev/null");
  EXPECT_EQ(r.code, 1);
  const nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["verdict"], "not linearizable");
  EXPECT_EQ(j["valid"], false);
  ASSERT_EQ(j["files"].size(), 1u);
  bool violation = false;
  for (const auto& k : j["files"][0]["keys"]) violation = violation || k.contains("violation");
  EXPECT_TRUE(violation) << r.out;
}

TEST(Cli, ConvertsToJsonLinesWithTheSameVerdict) {
  const fs::path out = fs::temp_directory_path() / ("lincheck_cli_" + std::to_string(::getpid()) + "_conv.jsonl");
  CliRun r = run("--to-jsonl " + out.string() + " " + kPorcupine + "/jepsen/etcd_000.log");
  EXPECT_EQ(r.code, 1) << r.out;
  // Jepsen logs default to Porcupine semantics; the JSON-lines copy needs them spelled out.
  r = run("--semantics porcupine " + out.string());
  EXPECT_EQ(r.code, 1) << r.out;
  fs::remove(out);
}

}  // namespace
}  // namespace lincheck
