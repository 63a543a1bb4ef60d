// A tiny leveled logger to stderr (Abseil 20220623 has no absl/log).
//
//   RECTIFY_LOG(INFO) << "listening on " << address;
#ifndef RECTIFY_COMMON_LOG_H_
#define RECTIFY_COMMON_LOG_H_

#include <sstream>

namespace rectify::log {

enum class Level { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Messages below this level are dropped. Defaults to kInfo; RECTIFY_LOG_LEVEL
// (debug|info|warning|error) in the environment overrides it at first use.
Level MinLevel();
void SetMinLevel(Level level);

// Collects one line and writes it, with time and level, when destroyed.
class Line {
 public:
  Line(Level level, const char* file, int line);
  ~Line();
  std::ostream& stream() { return stream_; }

 private:
  Level level_;
  std::ostringstream stream_;
};

}  // namespace rectify::log

#define RECTIFY_LOG_LEVEL_DEBUG ::rectify::log::Level::kDebug
#define RECTIFY_LOG_LEVEL_INFO ::rectify::log::Level::kInfo
#define RECTIFY_LOG_LEVEL_WARNING ::rectify::log::Level::kWarning
#define RECTIFY_LOG_LEVEL_ERROR ::rectify::log::Level::kError

#define RECTIFY_LOG(severity)                                             \
  if (RECTIFY_LOG_LEVEL_##severity < ::rectify::log::MinLevel()) {        \
  } else                                                                  \
    ::rectify::log::Line(RECTIFY_LOG_LEVEL_##severity, __FILE__, __LINE__).stream()

#endif  // RECTIFY_COMMON_LOG_H_
