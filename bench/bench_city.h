// The benchmark city: 20 street offices, 20 property companies, 200
// communities, one officer per street office, one worker per company, a
// supervisor, fixed well-known tokens, and N tasks that look real (spread over
// the communities, categories and states; deadlines around now, some overdue;
// one "task.created" event each). Loaded through storage/bulk_load.h.
//
//   RECTIFY_ASSIGN_OR_RETURN(BenchLoadStats stats, LoadBenchCity("/tmp/b.db", 1'000'000, now));
//
// Community k (1..200) belongs to street office so-((k-1)%20+1) and property
// company pc-(same); its officer is officer-XX (token "bench-officer-XX"), its
// worker worker-XX (token "bench-worker-XX"); the supervisor's token is
// "bench-supervisor". Benchmark data only: the tokens are public.
#ifndef RECTIFY_BENCH_BENCH_CITY_H_
#define RECTIFY_BENCH_BENCH_CITY_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace rectify::bench {

inline constexpr int kStreetOffices = 20;
inline constexpr int kCommunities = 200;
inline constexpr char kCampaign[] = "bench";
inline constexpr char kSupervisorToken[] = "bench-supervisor";

// "so-07", "pc-07", "officer-07", "worker-07" for office/company index 7.
std::string OfficeId(int index);
std::string CompanyId(int index);
std::string OfficerToken(int index);
std::string WorkerToken(int index);
// The office index (1..20) of "so-07"; 0 if it is not one.
int OfficeIndex(const std::string& street_office_id);

struct BenchLoadStats {
  int64_t tasks = 0;
  int64_t events = 0;
  absl::Duration took;
};

// Creates the city and `tasks` tasks in a new database at `path` (which must
// not exist). `now` places the campaign and the deadlines.
absl::StatusOr<BenchLoadStats> LoadBenchCity(const std::string& path, int64_t tasks,
                                             absl::Time now);

}  // namespace rectify::bench

#endif  // RECTIFY_BENCH_BENCH_CITY_H_
