// The durable echo's ways of putting payloads on disk (bench-echo-server
// --durable) and of counting afterwards what is there (rectify-bench): one
// place knows each format. A measuring instrument, not part of the server;
// with bench/durable_sink.cc the one place outside storage/ that speaks SQL.
#ifndef RECTIFY_BENCH_DURABLE_SINK_H_
#define RECTIFY_BENCH_DURABLE_SINK_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify::bench {

class DurableSink {
 public:
  virtual ~DurableSink() = default;
  // Puts every payload on disk and syncs: true once they are there. Used by
  // one thread at a time.
  virtual bool Write(const std::vector<const std::string*>& payloads) = 0;
};

// kind "file": appends each payload and a newline to `path` and fdatasyncs
// (payloads must not hold a newline). kind "sqlite": inserts each payload as a
// row, one transaction a Write, in the WAL database `path` with
// synchronous=FULL, through rectify's write-gathering VFS. Either starts from
// an empty file or database.
absl::StatusOr<std::unique_ptr<DurableSink>> OpenDurableSink(absl::string_view kind,
                                                             const std::string& path);

// How many payloads a sink of `kind` left at `path`.
absl::StatusOr<int64_t> CountDurablePayloads(absl::string_view kind, const std::string& path);

}  // namespace rectify::bench

#endif  // RECTIFY_BENCH_DURABLE_SINK_H_
