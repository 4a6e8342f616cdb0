// notify.h (demo): the demo school's notification history for 通知发送 and the inboxes: the
// school's group robot was once set to an address that did not answer, so a few staff messages
// went through every try and failed (the office's page shows them with their error, ready to
// retry); the robot is then switched off (staff messages in-app again); the demo guardian has read
// one of their in-app messages. Made through the real delivery path (ChannelSender, backoff).
#pragma once
#include <cstdint>

#include "core/result.h"
#include "db/db.h"

namespace kehou::demo {

inline constexpr int kDemoFailedDeliveries = 5;  // enough for the API test and the browser scenario

// {failed} rows made.
Result<int> CreateDemoNotify(db::Db& db, int64_t school_id, int64_t now_ms);

}  // namespace kehou::demo
