// A libFuzzer stand-in for the ordinary (gcc) build: runs a fuzz target over
// its seed corpus, then over random mutations of it for a set time. Used by the
// `fuzz_smoke_*` tests; scripts/fuzz.sh runs the real libFuzzer build.
//
//   task_machine_fuzz_smoke --seconds 5 --seed 1 fuzz/corpus/task_machine
#include <dirent.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  double seconds = 5;
  uint64_t seed = 1;
  std::vector<std::vector<uint8_t>> corpus;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--seconds" && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else if (arg == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (DIR* dir = opendir(arg.c_str())) {
      while (dirent* e = readdir(dir)) {
        if (e->d_name[0] == '.') continue;
        std::ifstream in(arg + "/" + e->d_name, std::ios::binary);
        corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      }
      closedir(dir);
    } else {
      std::fprintf(stderr, "usage: %s [--seconds S] [--seed N] CORPUS_DIR...\n", argv[0]);
      return 2;
    }
  }
  for (const auto& input : corpus) LLVMFuzzerTestOneInput(input.data(), input.size());
  if (corpus.empty()) corpus.push_back({});
  std::mt19937_64 rng(seed);
  const auto end = std::chrono::steady_clock::now() +
                   std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  uint64_t runs = 0;
  while (std::chrono::steady_clock::now() < end) {
    for (int batch = 0; batch < 100; ++batch, ++runs) {
      std::vector<uint8_t> input = corpus[rng() % corpus.size()];
      const int edits = 1 + rng() % 8;
      for (int e = 0; e < edits; ++e) {
        switch (rng() % 4) {
          case 0:  // flip a byte
            if (!input.empty()) input[rng() % input.size()] = static_cast<uint8_t>(rng());
            break;
          case 1:  // insert a byte
            input.insert(input.begin() + (input.empty() ? 0 : rng() % (input.size() + 1)),
                         static_cast<uint8_t>(rng()));
            break;
          case 2:  // drop a byte
            if (!input.empty()) input.erase(input.begin() + rng() % input.size());
            break;
          default:  // append random bytes
            for (int k = rng() % 16; k > 0; --k) input.push_back(static_cast<uint8_t>(rng()));
        }
      }
      LLVMFuzzerTestOneInput(input.data(), input.size());
    }
  }
  std::printf("%s: %zu seed inputs, %llu random inputs in %.1f s, no failure\n", argv[0],
              corpus.size(), static_cast<unsigned long long>(runs), seconds);
  return 0;
}
