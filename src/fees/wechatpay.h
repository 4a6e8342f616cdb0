// wechatpay.h (fees): the WeChat Pay API v3 payment notification, verified and decrypted as the
// provider documents it, and the local test provider that makes such notifications.
//
//  - Signature: header Wechatpay-Signature is base64 of SHA256-with-RSA (PKCS#1 v1.5) over
//    "Wechatpay-Timestamp\nWechatpay-Nonce\nbody\n" with the platform key named by
//    Wechatpay-Serial. A timestamp more than kMaxCallbackSkewS away from now is refused (replay).
//  - Resource: AEAD_AES_256_GCM with the merchant's API v3 key (32 bytes), the resource's nonce
//    (12 bytes) and associated_data; ciphertext is base64 of the encrypted bytes and the 16-byte tag.
// OpenSSL (libcrypto) does the cryptography. Thread-safety: pure functions; a TestProvider is a value.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.h"

namespace kehou::fees::wechatpay {

// A notification's timestamp may differ from our clock by at most this (WeChat Pay advises 5 minutes).
inline constexpr int64_t kMaxCallbackSkewS = 300;
inline constexpr size_t kApiV3KeyLength = 32;  // bytes: the AES-256 key
inline constexpr size_t kGcmNonceLength = 12;
inline constexpr int kRsaBits = 2048;

std::string Base64Encode(std::string_view bytes);
// nullopt on malformed input.
std::optional<std::string> Base64Decode(std::string_view text);

// The headers of a notification (names as WeChat Pay sends them).
struct Headers {
  std::string timestamp;  // Wechatpay-Timestamp, seconds since the epoch
  std::string nonce;      // Wechatpay-Nonce
  std::string signature;  // Wechatpay-Signature, base64
  std::string serial;     // Wechatpay-Serial, the platform key's serial
};

// What verifies and decrypts: the platform key (serial + PEM public key) and the API v3 key.
struct MerchantKeys {
  std::string platform_serial;
  std::string platform_public_pem;
  std::string api_v3_key;
};

// RSA-SHA256 (PKCS#1 v1.5) of message with a PEM private key -> base64; error if the key is bad.
Result<std::string> SignSha256Rsa(std::string_view private_pem, std::string_view message);
// true when signature_b64 is a valid signature of message under the PEM public key.
bool VerifySha256Rsa(std::string_view public_pem, std::string_view message, std::string_view signature_b64);
// AES-256-GCM; the output is ciphertext followed by the 16-byte tag.
Result<std::string> AesGcmEncrypt(std::string_view key, std::string_view nonce, std::string_view aad,
                                  std::string_view plain);
// Error (invalid) when the key, nonce, tag or data do not match.
Result<std::string> AesGcmDecrypt(std::string_view key, std::string_view nonce, std::string_view aad,
                                  std::string_view cipher_and_tag);

// Checks the headers and the signature (stale timestamp, unknown serial, bad signature each
// refused: Error kUnauthenticated naming the check), then decrypts body.resource and returns the
// decrypted JSON object (the transaction). now_s: our clock, seconds.
Result<nlohmann::json> VerifyAndDecrypt(const Headers& h, std::string_view body, const MerchantKeys& keys,
                                        int64_t now_s);

// The local test provider (demo and tests): it holds the platform's private key and the
// merchant's API v3 key and makes notifications exactly as WeChat Pay does.
struct TestProvider {
  std::string mchid;
  std::string serial;
  std::string private_pem;
  std::string public_pem;
  std::string api_v3_key;
  // Fresh keys: an RSA-2048 key pair, a random serial and a random 32-character API v3 key.
  static Result<TestProvider> Generate(std::string mchid);
  MerchantKeys Keys() const { return {serial, public_pem, api_v3_key}; }

  struct Notification {
    Headers headers;
    std::string body;
  };
  // A TRANSACTION.SUCCESS notification of `transaction` (the plain JSON the resource carries),
  // signed at now_s.
  Result<Notification> Notify(const nlohmann::json& transaction, int64_t now_s) const;
};

}  // namespace kehou::fees::wechatpay
