// The messages of an MPI job (cluster_messages.h): a batch and a result come
// back from their bytes exactly as they were, and bytes that do not form one
// whole message (cut short, one byte too many, a length beyond the message)
// are refused with RuntimeError rather than half read.
#include "wfsim/engine/cluster_messages.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "wfsim/engine/error.h"

using wfsim::engine::Batch;
using wfsim::engine::BatchEnd;
using wfsim::engine::decode_batch;
using wfsim::engine::decode_batch_end;
using wfsim::engine::decode_number;
using wfsim::engine::decode_result;
using wfsim::engine::encode_batch;
using wfsim::engine::encode_batch_end;
using wfsim::engine::encode_number;
using wfsim::engine::encode_result;
using wfsim::engine::ReplicationResult;
using wfsim::engine::RuntimeError;
using wfsim::engine::TraceRow;

namespace {

Batch sample_batch() {
  Batch batch;
  batch.number = 7;
  batch.model = std::string("name: quickstart\nroles:\n  picker: {}\n") + '\0' + "tail";
  batch.seed = 0xfeedfacecafebeefULL;
  batch.trace_replications = 3;
  batch.threads = -1;
  batch.indices = {0, 5, 10, 15, std::numeric_limits<std::size_t>::max()};
  return batch;
}

TraceRow row(std::uint32_t replication, double time, std::uint64_t agent, std::uint8_t event,
             std::int16_t role, std::int16_t program) {
  TraceRow r{};
  r.replication = replication;
  r.time = time;
  r.agent = agent;
  r.event = event;
  r.role = role;
  r.program = program;
  return r;
}

ReplicationResult sample_result() {
  ReplicationResult result;
  result.index = 1234567;
  result.events = 9876543210ULL;
  result.series = {{1.0, -2.5, 3.25},
                   {},
                   {std::numeric_limits<double>::quiet_NaN(), -0.0,
                    std::numeric_limits<double>::infinity(), 1e-310},
                   {},
                   {42.0}};
  // A NaN with a payload of its own: it must come back bit for bit.
  std::uint64_t payload_bits = 0x7ff8000000abcdefULL;
  double payload_nan;
  std::memcpy(&payload_nan, &payload_bits, sizeof payload_nan);
  result.series[2].push_back(payload_nan);
  result.trace = {row(0, 0.5, 17, 2, 3, -1), row(2, 11.75, 0xffffffffffULL, 255, -32768, 32767)};
  result.error = "replication 3 failed: ünïcode and\nnewlines";
  // A block encoded as its stored chunk, between two that are not.
  result.encoded = {{}, {}, {}, {'\x78', '\x01', '\0', '\xff'}, {}};
  return result;
}

std::uint64_t bits_of(double v) {
  std::uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return bits;
}

void require_same(const ReplicationResult& a, const ReplicationResult& b) {
  CHECK(a.index == b.index);
  CHECK(a.events == b.events);
  CHECK(a.error == b.error);
  REQUIRE(a.series.size() == b.series.size());
  for (std::size_t s = 0; s < a.series.size(); ++s) {
    INFO("series " << s);
    REQUIRE(a.series[s].size() == b.series[s].size());
    for (std::size_t k = 0; k < a.series[s].size(); ++k)
      CHECK(bits_of(a.series[s][k]) == bits_of(b.series[s][k]));
  }
  CHECK(a.encoded == b.encoded);
  REQUIRE(a.trace.size() == b.trace.size());
  for (std::size_t k = 0; k < a.trace.size(); ++k) {
    INFO("trace row " << k);
    CHECK(a.trace[k].replication == b.trace[k].replication);
    CHECK(bits_of(a.trace[k].time) == bits_of(b.trace[k].time));
    CHECK(a.trace[k].agent == b.trace[k].agent);
    CHECK(a.trace[k].event == b.trace[k].event);
    CHECK(a.trace[k].role == b.trace[k].role);
    CHECK(a.trace[k].program == b.trace[k].program);
  }
}

void require_same(const Batch& a, const Batch& b) {
  CHECK(a.number == b.number);
  CHECK(a.model == b.model);
  CHECK(a.seed == b.seed);
  CHECK(a.trace_replications == b.trace_replications);
  CHECK(a.threads == b.threads);
  CHECK(a.indices == b.indices);
}

// Every proper prefix of `bytes`, and `bytes` with one byte more, is refused.
template <typename Decode>
void require_only_whole_message_decodes(const std::vector<char>& bytes, Decode decode) {
  REQUIRE_NOTHROW(decode(bytes));
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    INFO("a prefix of " << n << " of " << bytes.size() << " bytes");
    const std::vector<char> prefix(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    CHECK_THROWS_AS(decode(prefix), RuntimeError);
  }
  std::vector<char> longer = bytes;
  longer.push_back('\0');
  CHECK_THROWS_AS(decode(longer), RuntimeError);
  longer.back() = 'x';
  CHECK_THROWS_AS(decode(longer), RuntimeError);
}

// Overwrites the 8 bytes at `at` with `value`.
void put_u64(std::vector<char>& bytes, std::size_t at, std::uint64_t value) {
  REQUIRE(at + sizeof value <= bytes.size());
  std::memcpy(bytes.data() + at, &value, sizeof value);
}

}  // namespace

TEST_CASE("a batch comes back from its bytes exactly", "[cluster]") {
  const Batch batch = sample_batch();
  require_same(decode_batch(encode_batch(batch)), batch);

  const Batch empty;
  require_same(decode_batch(encode_batch(empty)), empty);
}

TEST_CASE("a replication result comes back from its bytes exactly, NaNs bit for bit", "[cluster]") {
  const ReplicationResult result = sample_result();
  const std::vector<char> bytes = encode_result(result);
  require_same(decode_result(bytes), result);
  // Encoding is a function of the result: the same bytes again.
  CHECK(encode_result(decode_result(bytes)) == bytes);

  SECTION("an empty result") {
    const ReplicationResult empty;
    require_same(decode_result(encode_result(empty)), empty);
  }
  SECTION("only empty series, no trace, no error") {
    ReplicationResult sparse;
    sparse.index = 3;
    sparse.series.resize(4);
    const ReplicationResult back = decode_result(encode_result(sparse));
    require_same(back, sparse);
    CHECK(back.series.size() == 4);
  }
}

TEST_CASE("a batch cut short anywhere or one byte too long is refused", "[cluster]") {
  require_only_whole_message_decodes(encode_batch(sample_batch()),
                                     [](const std::vector<char>& b) { return decode_batch(b); });
  require_only_whole_message_decodes(encode_batch(Batch{}),
                                     [](const std::vector<char>& b) { return decode_batch(b); });
}

TEST_CASE("a result cut short anywhere or one byte too long is refused", "[cluster]") {
  require_only_whole_message_decodes(encode_result(sample_result()),
                                     [](const std::vector<char>& b) { return decode_result(b); });
  require_only_whole_message_decodes(encode_result(ReplicationResult{}),
                                     [](const std::vector<char>& b) { return decode_result(b); });
}

TEST_CASE("a length field beyond the message is refused before anything is allocated",
          "[cluster]") {
  // Result layout: index (8), events (8), error length (8) + text, block
  // count (8), then each block's length (8) + values, then the trace.
  ReplicationResult result;
  result.index = 1;
  result.series = {{1.0, 2.0}};
  const std::vector<char> bytes = encode_result(result);
  const std::size_t error_length_at = 16;
  const std::size_t block_count_at = 24;
  const std::size_t first_block_at = 32;
  for (const std::uint64_t huge :
       {std::numeric_limits<std::uint64_t>::max(), std::uint64_t{1} << 61, std::uint64_t{1} << 40,
        static_cast<std::uint64_t>(bytes.size())}) {
    INFO("length " << huge);
    for (const std::size_t at : {error_length_at, block_count_at, first_block_at}) {
      INFO("at byte " << at);
      std::vector<char> corrupt = bytes;
      put_u64(corrupt, at, huge);
      CHECK_THROWS_AS(decode_result(corrupt), RuntimeError);
    }
  }

  // Batch layout: number (8), model length (8) + text, seed, trace count,
  // threads (4), index count (8) + indices.
  Batch batch;
  batch.indices = {1, 2};
  const std::vector<char> batch_bytes = encode_batch(batch);
  const std::size_t model_length_at = 8;
  const std::size_t index_count_at = 8 + 8 + 8 + 8 + sizeof(int);
  for (const std::uint64_t huge :
       {std::numeric_limits<std::uint64_t>::max(), std::uint64_t{1} << 40}) {
    for (const std::size_t at : {model_length_at, index_count_at}) {
      std::vector<char> corrupt = batch_bytes;
      put_u64(corrupt, at, huge);
      CHECK_THROWS_AS(decode_batch(corrupt), RuntimeError);
    }
  }
}

TEST_CASE("a batch end and a control number come back from their bytes, and only whole",
          "[cluster]") {
  for (const bool interrupted : {false, true}) {
    const BatchEnd end{0xfedcba9876543210ULL, interrupted};
    const BatchEnd back = decode_batch_end(encode_batch_end(end));
    CHECK(back.number == end.number);
    CHECK(back.interrupted == interrupted);
  }
  for (const std::int64_t number : {std::int64_t{0}, std::int64_t{143}, std::int64_t{-1},
                                    std::numeric_limits<std::int64_t>::max()})
    CHECK(decode_number(encode_number(number)) == number);
  require_only_whole_message_decodes(
      encode_batch_end({7, true}), [](const std::vector<char>& b) { return decode_batch_end(b); });
  require_only_whole_message_decodes(encode_number(130),
                                     [](const std::vector<char>& b) { return decode_number(b); });
}
