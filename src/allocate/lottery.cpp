#include "allocate/lottery.h"

#include <sodium.h>

#include <algorithm>
#include <numeric>

namespace kehou::allocate {
namespace {

constexpr std::string_view kCommitDomain = "kehou/seed-commit/v1";
constexpr std::string_view kLotteryDomain = "kehou/lottery/v1";

void EnsureSodium() {
  static const int ready = sodium_init();  // thread-safe static init; idempotent
  (void)ready;
}

std::string Hex(const unsigned char* p, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * n, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[p[i] >> 4];
    out[2 * i + 1] = kDigits[p[i] & 15];
  }
  return out;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool FromHex(std::string_view hex, unsigned char* out, size_t n) {
  if (hex.size() != 2 * n) return false;
  for (size_t i = 0; i < n; ++i) {
    const int hi = HexDigit(hex[2 * i]);
    const int lo = HexDigit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return true;
}

}  // namespace

Seed NewSeed() {
  EnsureSodium();
  Seed s{};
  randombytes_buf(s.data(), s.size());
  return s;
}

std::string SeedToHex(const Seed& seed) { return Hex(seed.data(), seed.size()); }

Result<Seed> SeedFromHex(std::string_view hex) {
  Seed s{};
  if (!FromHex(hex, s.data(), s.size())) {
    return MakeError(kInvalid, "抽签种子应为64位十六进制字符", "the lottery seed must be 64 hex characters", "seed");
  }
  return s;
}

std::string SeedCommitment(const Seed& seed) {
  EnsureSodium();
  unsigned char out[crypto_generichash_BYTES];
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, sizeof out);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(kCommitDomain.data()), kCommitDomain.size());
  crypto_generichash_update(&st, seed.data(), seed.size());
  crypto_generichash_final(&st, out, sizeof out);
  return Hex(out, sizeof out);
}

bool RevealCheck(const Seed& seed, std::string_view commitment_hex) {
  unsigned char claimed[crypto_generichash_BYTES];
  if (!FromHex(commitment_hex, claimed, sizeof claimed)) return false;
  const std::string actual_hex = SeedCommitment(seed);
  unsigned char actual[crypto_generichash_BYTES];
  FromHex(actual_hex, actual, sizeof actual);
  return sodium_memcmp(claimed, actual, sizeof actual) == 0;
}

uint64_t LotteryValue(const Seed& seed, int64_t child_id) {
  EnsureSodium();
  unsigned char id[8];
  const auto u = static_cast<uint64_t>(child_id);
  for (int i = 0; i < 8; ++i) id[i] = static_cast<unsigned char>(u >> (56 - 8 * i));
  unsigned char out[32];
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, sizeof out);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(kLotteryDomain.data()), kLotteryDomain.size());
  crypto_generichash_update(&st, seed.data(), seed.size());
  crypto_generichash_update(&st, id, sizeof id);
  crypto_generichash_final(&st, out, sizeof out);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | out[i];
  return v;
}

std::vector<int> LotteryPositions(const Seed& seed, const std::vector<int64_t>& child_ids) {
  const size_t n = child_ids.size();
  std::vector<uint64_t> value(n);
  for (size_t i = 0; i < n; ++i) value[i] = LotteryValue(seed, child_ids[i]);
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return value[a] != value[b] ? value[a] < value[b] : child_ids[a] < child_ids[b];
  });
  std::vector<int> pos(n);
  for (size_t k = 0; k < n; ++k) pos[order[k]] = static_cast<int>(k) + 1;
  return pos;
}

}  // namespace kehou::allocate
