// A small reader that turns fuzzer bytes into choices, for the fuzz targets.
// (libFuzzer's FuzzedDataProvider lives in clang's headers, which the gcc build
// of the smoke runners does not have.) Runs out gracefully: zeros and "".
#ifndef RECTIFY_FUZZ_FUZZ_INPUT_H_
#define RECTIFY_FUZZ_FUZZ_INPUT_H_

#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <string>

namespace rectify::fuzz {

class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  bool empty() const { return pos_ >= size_; }
  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  // In [0, n), n > 0.
  size_t Pick(size_t n) { return Byte() % n; }
  int64_t Int64() {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | Byte();
    return static_cast<int64_t>(v);
  }
  // Up to `max` bytes, length first.
  std::string String(size_t max) {
    size_t n = Pick(max + 1);
    if (n > size_ - std::min(pos_, size_)) n = size_ - std::min(pos_, size_);
    std::string s(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return s;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

}  // namespace rectify::fuzz

#endif  // RECTIFY_FUZZ_FUZZ_INPUT_H_
