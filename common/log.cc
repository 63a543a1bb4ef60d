#include "common/log.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace rectify::log {
namespace {

Level LevelFromEnv() {
  const char* env = std::getenv("RECTIFY_LOG_LEVEL");
  if (env == nullptr) return Level::kInfo;
  if (std::strcmp(env, "debug") == 0) return Level::kDebug;
  if (std::strcmp(env, "warning") == 0) return Level::kWarning;
  if (std::strcmp(env, "error") == 0) return Level::kError;
  return Level::kInfo;
}

std::atomic<int>& MinLevelStorage() {
  static std::atomic<int> level{static_cast<int>(LevelFromEnv())};
  return level;
}

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug: return "D";
    case Level::kInfo: return "I";
    case Level::kWarning: return "W";
    case Level::kError: return "E";
  }
  return "?";
}

}  // namespace

Level MinLevel() { return static_cast<Level>(MinLevelStorage().load(std::memory_order_relaxed)); }
void SetMinLevel(Level level) { MinLevelStorage().store(static_cast<int>(level)); }

Line::Line(Level level, const char* file, int line) : level_(level) {
  const char* base = std::strrchr(file, '/');
  // Logging is the one place allowed to read the wall clock directly: it only
  // stamps diagnostics and never feeds a decision.
  stream_ << LevelName(level_) << absl::FormatTime(" %Y-%m-%dT%H:%M:%E3SZ ", absl::Now(),
                                                   absl::UTCTimeZone())
          << (base ? base + 1 : file) << ":" << line << "] ";
}

Line::~Line() {
  stream_ << '\n';
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  std::cerr << stream_.str() << std::flush;
}

}  // namespace rectify::log
