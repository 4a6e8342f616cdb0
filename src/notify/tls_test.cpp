// tls_test.cpp (notify): PostJson over https against a local TLS server with a certificate made
// here (OpenSSL, for the name "localhost"): the answer arrives when the certificate is trusted
// (TlsOptions::ca_file); the system's CA store refuses it; a URL whose host the certificate does
// not name is refused (host name verification); http still works unchanged.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <asio.hpp>
#include <asio/ssl.hpp>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "notify/http_client.h"

namespace kehou::notify {
namespace {

// A self-signed certificate for DNS:localhost (an EC P-256 key), as PEM files in a temp folder.
struct Cert {
  std::filesystem::path dir, cert, key;
  Cert() {
    dir = std::filesystem::temp_directory_path() / ("kehou-tls-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    cert = dir / "cert.pem";
    key = dir / "key.pem";
    EVP_PKEY* pk = EVP_EC_gen("P-256");
    X509* x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -60);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_set_pubkey(x, pk);
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1,
                               0);
    X509_set_issuer_name(x, name);
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, x, x, nullptr, nullptr, 0);
    for (auto [nid, value] : {std::pair{NID_subject_alt_name, "DNS:localhost"}, {NID_basic_constraints, "CA:TRUE"}}) {
      X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value);
      X509_add_ext(x, ext, -1);
      X509_EXTENSION_free(ext);
    }
    X509_sign(x, pk, EVP_sha256());
    FILE* f = std::fopen(cert.c_str(), "w");
    PEM_write_X509(f, x);
    std::fclose(f);
    f = std::fopen(key.c_str(), "w");
    PEM_write_PrivateKey(f, pk, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(f);
    X509_free(x);
    EVP_PKEY_free(pk);
  }
  ~Cert() { std::filesystem::remove_all(dir); }
};

// Answers each TLS connection with 200 {"errcode":0} and records the last request it read.
class TlsReceiver {
 public:
  explicit TlsReceiver(const Cert& c) : ctx_(asio::ssl::context::tls_server), acceptor_(io_) {
    ctx_.use_certificate_chain_file(c.cert.string());
    ctx_.use_private_key_file(c.key.string(), asio::ssl::context::pem);
    asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.bind(ep);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { Run(); });
  }
  ~TlsReceiver() {
    stop_ = true;
    asio::error_code ec;
    asio::ip::tcp::socket poke(io_);
    poke.connect(acceptor_.local_endpoint(), ec);  // wakes the blocking accept
    thread_.join();
  }
  unsigned short port() const { return port_; }
  std::string last() {
    std::lock_guard lock(mu_);
    return last_;
  }

 private:
  void Run() {
    while (!stop_) {
      asio::ssl::stream<asio::ip::tcp::socket> s(io_, ctx_);
      asio::error_code ec;
      acceptor_.accept(s.next_layer(), ec);
      if (ec || stop_) continue;
      s.handshake(asio::ssl::stream_base::server, ec);
      if (ec) continue;  // the client refused our certificate
      std::string req;
      std::array<char, 4096> buf{};
      while (req.find("\r\n\r\n") == std::string::npos || !BodyComplete(req)) {
        size_t n = s.read_some(asio::buffer(buf), ec);
        if (ec) break;
        req.append(buf.data(), n);
      }
      {
        std::lock_guard lock(mu_);
        last_ = req;
      }
      const std::string body = R"({"errcode":0})";
      const std::string answer =
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
          "\r\nConnection: close\r\n\r\n" + body;
      asio::write(s, asio::buffer(answer), ec);
      s.shutdown(ec);
    }
  }
  static bool BodyComplete(const std::string& req) {
    size_t head = req.find("\r\n\r\n");
    size_t cl = req.find("Content-Length: ");
    if (cl == std::string::npos || cl > head) return true;
    return req.size() - head - 4 >= std::stoul(req.substr(cl + 16));
  }

  asio::io_context io_;
  asio::ssl::context ctx_;
  asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::string last_;
  std::thread thread_;
};

TEST(Https, UrlsParseWithTheirDefaultPort) {
  auto u = ParseHttpUrl("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K");
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->port, "443");
  EXPECT_EQ(u->target, "/cgi-bin/webhook/send?key=K");
  EXPECT_FALSE(ParseHttpUrl("http://127.0.0.1:8080/x")->tls);
  EXPECT_EQ(ParseHttpUrl("http://example.org/")->port, "80");
  EXPECT_FALSE(ParseHttpUrl("ftp://example.org/").ok());
}

TEST(Https, PostsToATrustedServerAndRefusesAnUntrustedOrMisnamedOne) {
  Cert cert;
  TlsReceiver rx(cert);
  const std::string url = "https://localhost:" + std::to_string(rx.port()) + "/robot/send?key=K";
  auto ok = PostJson(url, R"({"msgtype":"text"})", {{"X-Test", "1"}}, 5000, {.ca_file = cert.cert.string()});
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, R"({"errcode":0})");
  EXPECT_NE(rx.last().find("POST /robot/send?key=K HTTP/1.1"), std::string::npos) << rx.last();
  EXPECT_NE(rx.last().find(R"({"msgtype":"text"})"), std::string::npos);
  // The system's CA store does not know this certificate.
  auto untrusted = PostJson(url, "{}", {}, 5000);
  ASSERT_FALSE(untrusted.ok());
  EXPECT_EQ(untrusted.error().code, kUnavailable);
  // Trusted, but the URL names a host the certificate does not (127.0.0.1, not localhost).
  auto misnamed = PostJson("https://127.0.0.1:" + std::to_string(rx.port()) + "/x", "{}", {}, 5000,
                           {.ca_file = cert.cert.string()});
  ASSERT_FALSE(misnamed.ok());
  EXPECT_EQ(misnamed.error().code, kUnavailable);
  // A missing CA file is an error, not a silent fallback.
  EXPECT_FALSE(PostJson(url, "{}", {}, 5000, {.ca_file = (cert.dir / "none.pem").string()}).ok());
}

}  // namespace
}  // namespace kehou::notify
