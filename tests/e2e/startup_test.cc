// What the real binary does with a city's data at start: a bad standard file
// is refused, naming the file, the line, the item and the field; an edited
// standard that kept its version is refused too.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/city_fixture.h"

namespace rectify::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

struct ServerRun {
  int exit_code = -1;
  std::string output;
};

// Runs rectify-server to its end (it exits at once when the data is bad, or
// after --port_file appears we stop it; here only failing starts are run).
ServerRun RunServer(const std::string& data_dir, const std::string& db) {
  const std::string command = std::string(RECTIFY_BINARY_DIR "/bin/rectify-server") +
                              " --listen=127.0.0.1:0 --db=" + db + " --data_dir=" + data_dir +
                              " 2>&1";
  ServerRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) run.output.append(buffer, n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// A copy of data/ whose standard file can be changed.
std::string CopyData(const TempDir& dir) {
  const std::string data = dir.path() + "/data";
  fs::copy(RECTIFY_SOURCE_DIR "/data", data, fs::copy_options::recursive);
  return data;
}

void Replace(const std::string& path, const std::string& from, const std::string& to) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  std::ofstream(path, std::ios::trunc) << text;
}

constexpr char kStandard[] = "/standards/civilized-residential-2024.std";

TEST(StartupTest, ABadStandardFileIsRefusedNamingFileLineItemAndField) {
  TempDir dir;
  const std::string data = CopyData(dir);
  ASSERT_NO_FATAL_FAILURE(Replace(data + kStandard, "missing_units  1 expect=8",
                                  "missing_units  1 expect=0"));
  ServerRun run = RunServer(data, dir.path() + "/r.db");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_THAT(run.output, HasSubstr("civilized-residential-2024.std:"));
  EXPECT_THAT(run.output, HasSubstr("1.1a"));
  EXPECT_THAT(run.output, HasSubstr("expect"));
}

TEST(StartupTest, AnEditedStandardMustChangeItsVersion) {
  TempDir dir;
  const std::string data = CopyData(dir);
  const std::string db = dir.path() + "/r.db";
  // First start stores the standard's text; stop it as soon as it served.
  {
    const std::string command = std::string(RECTIFY_BINARY_DIR "/bin/rectify-server") +
                                " --listen=127.0.0.1:0 --db=" + db + " --data_dir=" + data +
                                " --port_file=" + dir.path() + "/port >/dev/null 2>&1 & echo $!";
    FILE* pipe = popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    int pid = 0;
    ASSERT_EQ(fscanf(pipe, "%d", &pid), 1);
    pclose(pipe);
    for (int i = 0; i < 200 && !fs::exists(dir.path() + "/port"); ++i) usleep(20000);
    ASSERT_TRUE(fs::exists(dir.path() + "/port"));
    kill(pid, SIGTERM);
    for (int i = 0; i < 300 && kill(pid, 0) == 0; ++i) usleep(20000);
  }
  ASSERT_NO_FATAL_FAILURE(Replace(data + kStandard, "垃圾箱满溢每个扣2分", "垃圾箱满溢每个扣3分"));
  ASSERT_NO_FATAL_FAILURE(Replace(data + kStandard, "per_occurrence   2 垃圾箱满溢",
                                  "per_occurrence   3 垃圾箱满溢"));
  ServerRun run = RunServer(data, db);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_THAT(run.output, HasSubstr("new version"));
}

}  // namespace
}  // namespace rectify::test
