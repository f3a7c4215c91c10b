// Random streams keyed by (seed, replication, entity, process).
//
// Every draw of a replication comes from a stream whose key is a hash of
// stable identities, never from a shared generator, so a result does not
// depend on thread count, and two policies draw the same numbers for the same
// agent and process wherever their histories agree (common random numbers).
// A stream is a SplitMix64 sequence: 8 bytes of state, cheap to create, so a
// new stream can be opened for every (entity, process, occurrence).
#pragma once

#include <algorithm>
#include <boost/random/exponential_distribution.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>

namespace wfsim::engine {

// A well-mixed 64-bit hash step (the SplitMix64 finaliser).
constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

constexpr std::uint64_t combine_keys(std::uint64_t a, std::uint64_t b) {
  return mix64(a ^ (mix64(b) + 0x9E3779B97F4A7C15ULL + (a << 6) + (a >> 2)));
}

// Stable across runs, builds and machines (FNV-1a, then mixed).
constexpr std::uint64_t hash_string(std::string_view text) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ULL;
  }
  return mix64(h);
}

class RandomStream {
 public:
  using result_type = std::uint64_t;
  explicit constexpr RandomStream(std::uint64_t key) : state_(key) {}

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  constexpr result_type operator()() {
    state_ += 0x9E3779B97F4A7C15ULL;
    return mix64(state_);
  }
  // Uniform on the open interval (0, 1): safe for log and inverse CDFs. The
  // top cell's centre, 1 − 2⁻⁵⁴, is not a double and would round to 1.
  double uniform_open() {
    return std::min((static_cast<double>((*this)() >> 11) + 0.5) * 0x1.0p-53, 1.0 - 0x1.0p-53);
  }
  // The level U of an inverse-CDF draw F⁻¹(U): 52 random bits centred in
  // their cell, so U lies in [kLevelMin, kLevelMax], symmetric about 1/2 and
  // never 0 or 1 (every value is exactly representable).
  double uniform_level() { return (static_cast<double>((*this)() >> 12) + 0.5) * 0x1.0p-52; }
  static constexpr double kLevelMin = 0x1.0p-53;
  static constexpr double kLevelMax = 1.0 - 0x1.0p-53;
  // Exp(1): a unit threshold of integrated hazard (Boost's ziggurat: twice
  // as fast as −log U, and the same on every platform).
  double unit_exponential() { return boost::random::exponential_distribution<double>(1.0)(*this); }

 private:
  std::uint64_t state_;
};

// The key of one replication; entity and process keys are combined into it.
// Entity keys are themselves full 64-bit hashes, so one mixing round over
// their combination separates streams; streams are opened on the hot path.
class StreamFactory {
 public:
  StreamFactory(std::uint64_t seed, std::uint64_t replication)
      : base_(combine_keys(mix64(seed ^ 0x5EED5EED5EED5EEDULL), replication)) {}

  std::uint64_t key(std::uint64_t entity, std::uint64_t process) const {
    return mix64(base_ ^ entity ^ (process * 0xD6E8FEB86659FD93ULL));
  }
  RandomStream stream(std::uint64_t entity, std::uint64_t process) const {
    return RandomStream(key(entity, process));
  }
  // A stream for the n-th occurrence of a process of an entity.
  RandomStream stream(std::uint64_t entity, std::uint64_t process, std::uint64_t occurrence) const {
    return RandomStream(mix64(base_ ^ entity ^ (process * 0xD6E8FEB86659FD93ULL) ^
                              ((occurrence + 1) * 0x632BE59BD9B4E019ULL)));
  }

 private:
  std::uint64_t base_;
};

}  // namespace wfsim::engine
