#include "fees/wechatpay.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "core/time.h"

namespace kehou::fees::wechatpay {
namespace {

using Json = nlohmann::json;

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
using Bio = std::unique_ptr<BIO, BioFree>;
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;

constexpr int kGcmTagLength = 16;

const unsigned char* U(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
int Len(std::string_view s) { return static_cast<int>(s.size()); }

Pkey ReadPem(std::string_view pem, bool is_private) {
  Bio bio(BIO_new_mem_buf(pem.data(), Len(pem)));
  if (!bio) return nullptr;
  EVP_PKEY* k = is_private ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                           : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  return Pkey(k);
}

std::string PemOf(EVP_PKEY* k, bool is_private) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio) return {};
  int ok = is_private ? PEM_write_bio_PrivateKey(bio.get(), k, nullptr, nullptr, 0, nullptr, nullptr)
                      : PEM_write_bio_PUBKEY(bio.get(), k);
  if (ok != 1) return {};
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string RandomText(size_t n) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::vector<unsigned char> raw(n);
  if (RAND_bytes(raw.data(), static_cast<int>(n)) != 1) return {};
  std::string out(n, 'A');
  for (size_t i = 0; i < n; ++i) out[i] = kAlphabet[raw[i] % (sizeof(kAlphabet) - 1)];
  return out;
}

Error Refused(std::string zh, std::string en) { return Error::Unauthenticated(std::move(zh), std::move(en)); }

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), U(bytes), Len(bytes));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.empty()) return std::string();
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out(3 * text.size() / 4, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), U(text), Len(text));
  if (n < 0) return std::nullopt;
  size_t pad = 0;
  if (text.back() == '=') ++pad;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

namespace {
// Parsing a PEM key costs more than the RSA operation itself (OpenSSL 3 runs its decoder framework
// each time, ~2-3 ms), and a school's platform key is the same for every callback, the test
// provider's private key for every notification it signs: the parsed keys are kept by their PEM
// text and kind (a few schools' keys; cleared past kMaxCachedKeys). An EVP_PKEY is safe to share
// between threads for signing and verification, each with its own EVP_MD_CTX.
constexpr size_t kMaxCachedKeys = 256;
std::shared_ptr<EVP_PKEY> KeyOf(std::string_view pem, bool is_private) {
  // Never destroyed: the keys must not be freed after OpenSSL's own cleanup at exit.
  static std::mutex& mu = *new std::mutex;
  static auto& cache = *new std::map<std::pair<bool, std::string>, std::shared_ptr<EVP_PKEY>>;
  std::pair<bool, std::string> id{is_private, std::string(pem)};
  {
    std::lock_guard lock(mu);
    if (auto it = cache.find(id); it != cache.end()) return it->second;
  }
  Pkey parsed = ReadPem(pem, is_private);
  if (!parsed) return nullptr;
  std::shared_ptr<EVP_PKEY> key(parsed.release(), PkeyFree{});
  std::lock_guard lock(mu);
  if (cache.size() >= kMaxCachedKeys) cache.clear();
  cache.emplace(std::move(id), key);
  return key;
}
}  // namespace

Result<std::string> SignSha256Rsa(std::string_view private_pem, std::string_view message) {
  std::shared_ptr<EVP_PKEY> key = KeyOf(private_pem, true);
  if (!key) return Error::Invalid("私钥无法读取", "cannot read the private key");
  MdCtx ctx(EVP_MD_CTX_new());
  size_t n = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &n, U(message), message.size()) != 1)
    return Error::Internal("签名失败", "signing failed");
  std::string sig(n, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &n, U(message), message.size()) != 1)
    return Error::Internal("签名失败", "signing failed");
  sig.resize(n);
  return Base64Encode(sig);
}

bool VerifySha256Rsa(std::string_view public_pem, std::string_view message, std::string_view signature_b64) {
  auto sig = Base64Decode(signature_b64);
  if (!sig || sig->empty()) return false;
  std::shared_ptr<EVP_PKEY> key = KeyOf(public_pem, false);
  if (!key) return false;
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), U(*sig), sig->size(), U(message), message.size()) == 1;
}

Result<std::string> AesGcmEncrypt(std::string_view key, std::string_view nonce, std::string_view aad,
                                  std::string_view plain) {
  if (key.size() != kApiV3KeyLength) return Error::Invalid("APIv3 密钥须为 32 字节", "the API v3 key must be 32 bytes");
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int n = 0;
  std::string out(plain.size() + kGcmTagLength, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, Len(nonce), nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, U(key), U(nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &n, U(aad), Len(aad)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), o, &n, U(plain), Len(plain)) != 1)
    return Error::Internal("加密失败", "encryption failed");
  int total = n;
  if (EVP_EncryptFinal_ex(ctx.get(), o + total, &n) != 1) return Error::Internal("加密失败", "encryption failed");
  total += n;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kGcmTagLength, o + total) != 1)
    return Error::Internal("加密失败", "encryption failed");
  out.resize(static_cast<size_t>(total) + kGcmTagLength);
  return out;
}

Result<std::string> AesGcmDecrypt(std::string_view key, std::string_view nonce, std::string_view aad,
                                  std::string_view cipher_and_tag) {
  const Error bad = Error::Invalid("通知密文无法解密（密钥、随机串或附加数据不符）",
                                   "the resource does not decrypt (key, nonce or associated data differ)", "resource");
  if (key.size() != kApiV3KeyLength || nonce.empty() || cipher_and_tag.size() < static_cast<size_t>(kGcmTagLength))
    return bad;
  std::string_view data = cipher_and_tag.substr(0, cipher_and_tag.size() - kGcmTagLength);
  std::string tag(cipher_and_tag.substr(data.size()));
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int n = 0;
  std::string out(data.size() + 1, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, Len(nonce), nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, U(key), U(nonce)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &n, U(aad), Len(aad)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), o, &n, U(data), Len(data)) != 1)
    return bad;
  int total = n;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kGcmTagLength, tag.data()) != 1) return bad;
  if (EVP_DecryptFinal_ex(ctx.get(), o + total, &n) != 1) return bad;  // the tag does not match
  total += n;
  out.resize(static_cast<size_t>(total));
  return out;
}

Result<Json> VerifyAndDecrypt(const Headers& h, std::string_view body, const MerchantKeys& keys, int64_t now_s) {
  if (h.timestamp.empty() || h.nonce.empty() || h.signature.empty() || h.serial.empty())
    return Refused("缺少微信支付签名头（Wechatpay-Timestamp/Nonce/Signature/Serial）",
                   "missing Wechatpay-Timestamp, -Nonce, -Signature or -Serial");
  int64_t ts = 0;
  for (char ch : h.timestamp) {
    if (ch < '0' || ch > '9' || ts > 100'000'000'000LL)
      return Refused("时间戳格式错误", "malformed Wechatpay-Timestamp");
    ts = ts * 10 + (ch - '0');
  }
  if (ts < now_s - kMaxCallbackSkewS || ts > now_s + kMaxCallbackSkewS)
    return Refused("通知时间戳已过期（与服务器时间相差超过 5 分钟），拒绝重放",
                   "stale Wechatpay-Timestamp (more than 5 minutes from now): replay refused");
  if (h.serial != keys.platform_serial)
    return Refused("平台证书序列号不符（Wechatpay-Serial）", "unknown platform key serial (Wechatpay-Serial)");
  std::string message = h.timestamp + "\n" + h.nonce + "\n" + std::string(body) + "\n";
  if (!VerifySha256Rsa(keys.platform_public_pem, message, h.signature))
    return Refused("通知签名验证失败", "the notification's signature does not verify");
  Json j = Json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("resource") || !j["resource"].is_object())
    return Error::Invalid("通知内容缺少 resource", "the notification has no resource", "resource");
  const Json& r = j["resource"];
  auto text = [&](const char* k) {
    return r.contains(k) && r[k].is_string() ? r[k].get<std::string>() : std::string();
  };
  if (text("algorithm") != "AEAD_AES_256_GCM")
    return Error::Invalid("不支持的加密算法", "unsupported resource algorithm", "resource.algorithm");
  auto cipher = Base64Decode(text("ciphertext"));
  if (!cipher) return Error::Invalid("密文不是 base64", "the ciphertext is not base64", "resource.ciphertext");
  KEHOU_ASSIGN_OR_RETURN(std::string plain,
                         AesGcmDecrypt(keys.api_v3_key, text("nonce"), text("associated_data"), *cipher));
  Json t = Json::parse(plain, nullptr, false);
  if (!t.is_object())
    return Error::Invalid("解密后的内容不是 JSON 对象", "the resource is not a JSON object", "resource");
  return t;
}

Result<TestProvider> TestProvider::Generate(std::string mchid) {
  PkeyCtx ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), kRsaBits) != 1 ||
      EVP_PKEY_keygen(ctx.get(), &raw) != 1)
    return Error::Internal("生成测试密钥失败", "key generation failed");
  Pkey key(raw);
  TestProvider p;
  p.mchid = std::move(mchid);
  p.private_pem = PemOf(key.get(), true);
  p.public_pem = PemOf(key.get(), false);
  std::vector<unsigned char> serial(20);
  if (RAND_bytes(serial.data(), static_cast<int>(serial.size())) != 1)
    return Error::Internal("随机数失败", "no randomness");
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char b : serial) {
    p.serial += kHex[b >> 4];
    p.serial += kHex[b & 15];
  }
  p.api_v3_key = RandomText(kApiV3KeyLength);
  if (p.private_pem.empty() || p.public_pem.empty() || p.api_v3_key.size() != kApiV3KeyLength)
    return Error::Internal("生成测试密钥失败", "key generation failed");
  return p;
}

Result<TestProvider::Notification> TestProvider::Notify(const Json& transaction, int64_t now_s) const {
  const std::string nonce = RandomText(kGcmNonceLength);
  const std::string aad = "transaction";
  KEHOU_ASSIGN_OR_RETURN(std::string cipher, AesGcmEncrypt(api_v3_key, nonce, aad, transaction.dump()));
  Json body{{"id", RandomText(32)},
            {"create_time", FormatInstant(now_s * 1000)},
            {"resource_type", "encrypt-resource"},
            {"event_type", "TRANSACTION.SUCCESS"},
            {"summary", "支付成功"},
            {"resource",
             {{"original_type", "transaction"},
              {"algorithm", "AEAD_AES_256_GCM"},
              {"ciphertext", Base64Encode(cipher)},
              {"associated_data", aad},
              {"nonce", nonce}}}};
  Notification n;
  n.body = body.dump();
  n.headers.timestamp = std::to_string(now_s);
  n.headers.nonce = RandomText(32);
  n.headers.serial = serial;
  KEHOU_ASSIGN_OR_RETURN(n.headers.signature, SignSha256Rsa(private_pem, n.headers.timestamp + "\n" + n.headers.nonce +
                                                                             "\n" + n.body + "\n"));
  return n;
}

}  // namespace kehou::fees::wechatpay
