// lottery.h: the committed lottery seed of a preference round and each child's lottery number.
//
// Commit/reveal: before the round opens the office publishes SeedCommitment(seed); after the
// allocation it reveals the seed, and anyone checks RevealCheck(seed, commitment) and re-runs
// the allocation (`kehou allocate --verify`). All hashes are BLAKE2b-256 (libsodium
// crypto_generichash, no key) over byte strings with a domain prefix, so they can be recomputed
// in any language:
//   commitment        = hex(BLAKE2b-256("kehou/seed-commit/v1" || seed))            (64 hex chars)
//   lottery value(c)  = first 8 bytes, big-endian, of
//                       BLAKE2b-256("kehou/lottery/v1" || seed || child_id as int64 big-endian)
// A smaller lottery value is a better draw. The lottery position (1 = best) is the rank of the
// child's (value, child id) among the children of the round.
//
// Thread-safety: pure functions; NewSeed uses libsodium's thread-safe randombytes_buf.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kehou::allocate {

inline constexpr size_t kSeedBytes = 32;
using Seed = std::array<unsigned char, kSeedBytes>;

Seed NewSeed();                                  // 32 bytes from the OS CSPRNG
std::string SeedToHex(const Seed& seed);         // 64 lowercase hex chars
Result<Seed> SeedFromHex(std::string_view hex);  // exactly 64 hex chars, else kInvalid

std::string SeedCommitment(const Seed& seed);                         // published before the round opens
bool RevealCheck(const Seed& seed, std::string_view commitment_hex);  // case-insensitive hex

uint64_t LotteryValue(const Seed& seed, int64_t child_id);

// Children's positions in the lottery: result[i] is the 1-based position of child_ids[i].
std::vector<int> LotteryPositions(const Seed& seed, const std::vector<int64_t>& child_ids);

}  // namespace kehou::allocate
