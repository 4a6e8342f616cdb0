// The channels against a local receiver (a one-thread HTTP server in the test that records each
// request and answers as the robots do), on both databases.
#include "notify/channels.h"

#include <gtest/gtest.h>

#include <asio.hpp>
#include <cstdio>
#include <thread>

#include "catalog/test_fixture.h"
#include "db/testing.h"
#include "notify/inbox.h"
#include "notify/rules.h"

namespace kehou::notify {
namespace {

struct Got {
  std::string head, body;
};

class Receiver {
 public:
  explicit Receiver(std::string answer = R"({"errcode":0,"errmsg":"ok"})", int status = 200, bool chunked = false)
      : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}),
        answer_(std::move(answer)),
        status_(status),
        chunked_(chunked) {
    thread_ = std::thread([this] { Loop(); });
  }
  ~Receiver() {
    stop_ = true;
    asio::error_code ec;
    asio::ip::tcp::socket s(io_);
    s.connect(acceptor_.local_endpoint(), ec);  // wakes the accept
    thread_.join();
  }
  std::string Url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + std::string(path);
  }
  std::vector<Got> got() {
    std::lock_guard l(mu_);
    return got_;
  }

 private:
  void Loop() {
    while (!stop_) {
      asio::ip::tcp::socket s(io_);
      asio::error_code ec;
      acceptor_.accept(s, ec);
      if (ec || stop_) return;
      std::string raw;
      std::array<char, 4096> buf{};
      size_t need = std::string::npos;
      while (raw.size() < need) {
        size_t n = s.read_some(asio::buffer(buf), ec);
        if (ec) break;
        raw.append(buf.data(), n);
        size_t end = raw.find("\r\n\r\n");
        if (end != std::string::npos && need == std::string::npos) {
          size_t cl = raw.find("Content-Length: ");
          need = end + 4 + (cl == std::string::npos ? 0 : std::stoul(raw.substr(cl + 16)));
        }
      }
      size_t end = raw.find("\r\n\r\n");
      {
        std::lock_guard l(mu_);
        got_.push_back({raw.substr(0, end), raw.substr(end + 4)});
      }
      std::string reply = "HTTP/1.1 " + std::to_string(status_) +
                          " X\r\nContent-Length: " + std::to_string(answer_.size()) + "\r\nConnection: close\r\n\r\n" +
                          answer_;
      asio::write(s, asio::buffer(reply), ec);
    }
  }
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  std::string answer_;
  int status_;
  bool chunked_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<Got> got_;
  std::thread thread_;
};

std::string Header(const std::string& head, const std::string& name) {
  size_t p = head.find(name + ": ");
  if (p == std::string::npos) return "";
  size_t e = head.find("\r\n", p);
  return head.substr(p + name.size() + 2, e - p - name.size() - 2);
}

class Channels : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    if (!t_.db) GTEST_SKIP() << "no PostgreSQL";
    m_ = testing::MakeMiniSchool(*t_.db, 3);
  }
  void Configure(const Json& body) { ASSERT_TRUE(PutSettings(*t_.db, m_.office, std::nullopt, body, 1).ok()); }
  db::TestDb t_;
  testing::MiniSchool m_;
};

TEST_P(Channels, WebhookSignedAndSentOncePerRow) {
  Receiver rx("ok");
  Configure({{"webhook_url", rx.Url("/hook")}, {"webhook_secret", "s3cret"}, {"staff_channel", "webhook"}});
  t_.db->Write([&](db::Conn& c) {
    EXPECT_TRUE(Enqueue(c, m_.school_id, "ev:1", {"staff", m_.staff_id}, "缺勤", "张三未到", 1));
    EXPECT_FALSE(Enqueue(c, m_.school_id, "ev:1", {"staff", m_.staff_id}, "缺勤", "张三未到", 1));  // same event
  });
  ChannelSender tx(*t_.db, [] { return int64_t{1700000000000}; });
  EXPECT_EQ(DeliverPending(*t_.db, tx, 10).sent, 1);
  EXPECT_EQ(DeliverPending(*t_.db, tx, 10 + kLeaseMs * 2).sent, 0);  // nothing twice, lease or not
  auto got = rx.got();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_NE(got[0].head.find("POST /hook HTTP/1.1"), std::string::npos);
  EXPECT_EQ(Header(got[0].head, "X-Kehou-Timestamp"), "1700000000000");
  EXPECT_EQ(Header(got[0].head, "X-Kehou-Signature"), Hex(HmacSha256("s3cret", "1700000000000\n" + got[0].body)));
  auto j = Json::parse(got[0].body);
  EXPECT_EQ(Header(got[0].head, "X-Kehou-Delivery"), std::to_string(j["id"].get<int64_t>()));
  EXPECT_EQ(j["title"], "缺勤");
  EXPECT_EQ(j["recipient_kind"], "staff");
}

TEST_P(Channels, RobotsAndSmsAndFailures) {
  Receiver rx;  // answers {"errcode":0}
  Configure({{"webhook_url", rx.Url("/sms")},
             {"wecom_url", rx.Url("/cgi-bin/webhook/send?key=K")},
             {"dingtalk_url", rx.Url("/robot/send?access_token=T")},
             {"dingtalk_secret", "SECd"}});
  t_.db->Write([&](db::Conn& c) {
    Enqueue(c, m_.school_id, "w", {"staff", m_.staff_id}, "标题", "正文", 1, kWecom);
    Enqueue(c, m_.school_id, "d", {"staff", m_.staff_id}, "标题", "正文", 1, kDingtalk);
    Enqueue(c, m_.school_id, "s", {"guardian", m_.guardians[0]}, "验证码", "123456", 1, kSms);
  });
  ChannelSender tx(*t_.db, [] { return int64_t{1577262236757}; });
  EXPECT_EQ(DeliverPending(*t_.db, tx, 10).sent, 3);
  auto got = rx.got();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_NE(got[0].head.find("POST /cgi-bin/webhook/send?key=K "), std::string::npos);
  EXPECT_EQ(Json::parse(got[0].body)["msgtype"], "markdown");
  EXPECT_NE(got[1].head.find("POST /robot/send?access_token=T&timestamp=1577262236757&sign=" +
                             DingtalkSign("SECd", 1577262236757) + " "),
            std::string::npos);
  EXPECT_EQ(Json::parse(got[1].body)["text"]["content"], "标题\n正文");
  auto sms = Json::parse(got[2].body);
  EXPECT_EQ(sms["kind"], "sms");
  EXPECT_EQ(sms["text"], "123456");
  EXPECT_EQ(sms["mobile"].get<std::string>().size(), 11u);
}

TEST_P(Channels, RefusalsAreRetriedWithBackoffThenFailed) {
  Receiver rx(R"({"errcode":310000,"errmsg":"sign not match"})");
  Configure({{"dingtalk_url", rx.Url("/robot/send?access_token=T")}, {"staff_channel", "dingtalk"}});
  t_.db->Write([&](db::Conn& c) { Enqueue(c, m_.school_id, "x", {"staff", m_.staff_id}, "t", "b", 1); });
  ChannelSender tx(*t_.db);
  int64_t now = 100;
  for (int i = 1; i < kMaxAttempts; ++i) {
    EXPECT_EQ(DeliverPending(*t_.db, tx, now).retried, 1) << i;
    EXPECT_EQ(DeliverPending(*t_.db, tx, now + BackoffMs(i) - 1).retried, 0) << "not before its backoff";
    now += BackoffMs(i);
  }
  EXPECT_EQ(DeliverPending(*t_.db, tx, now).failed, 1);
  auto list = ListOutbox(*t_.db, m_.office, std::nullopt, std::string("failed"), 1, 20);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ((*list)["items"][0]["last_error"], "机器人拒绝：sign not match");
  EXPECT_EQ(rx.got().size(), static_cast<size_t>(kMaxAttempts));
}

TEST_P(Channels, ChunkedRobotAnswersAreRead) {
  Receiver rx(R"({"errcode":0,"errmsg":"ok"})", 200, /*chunked=*/true);
  Configure({{"wecom_url", rx.Url("/send?key=K")}, {"staff_channel", "wecom"}});
  t_.db->Write([&](db::Conn& c) { Enqueue(c, m_.school_id, "z", {"staff", m_.staff_id}, "t", "b", 1); });
  ChannelSender tx(*t_.db);
  EXPECT_EQ(DeliverPending(*t_.db, tx, 1).sent, 1);
  Receiver refusing(R"({"errcode":93000,"errmsg":"invalid webhook url"})", 200, true);
  Configure({{"wecom_url", refusing.Url("/send?key=K")}});
  t_.db->Write([&](db::Conn& c) { Enqueue(c, m_.school_id, "z2", {"staff", m_.staff_id}, "t", "b", 1); });
  EXPECT_EQ(DeliverPending(*t_.db, tx, 1).retried, 1);
  auto list = ListOutbox(*t_.db, m_.office, std::nullopt, std::string("pending"), 1, 20);
  EXPECT_EQ((*list)["items"][0]["last_error"], "机器人拒绝：invalid webhook url");
}

TEST_P(Channels, UnconfiguredChannelFails) {
  t_.db->Write([&](db::Conn& c) { Enqueue(c, m_.school_id, "y", {"guardian", m_.guardians[1]}, "t", "b", 1, kSms); });
  ChannelSender tx(*t_.db);
  EXPECT_EQ(DeliverPending(*t_.db, tx, 1).retried, 1);
  auto list = ListOutbox(*t_.db, m_.office, std::nullopt, std::string("pending"), 1, 20);
  EXPECT_EQ((*list)["items"][0]["last_error"], "学校未配置短信网关（Webhook 地址）");
  EXPECT_FALSE(PutSettings(*t_.db, m_.office, std::nullopt, {{"webhook_url", "ftp://x"}}, 1).ok());
  EXPECT_FALSE(PutSettings(*t_.db, m_.office, std::nullopt, {{"staff_channel", "sms"}}, 1).ok());
}

INSTANTIATE_TEST_SUITE_P(Db, Channels, ::testing::ValuesIn(db::TestDialects()));

}  // namespace
}  // namespace kehou::notify
