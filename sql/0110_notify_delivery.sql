-- Delivery of the notification outbox (issue 13 §6): the worker claims due rows with a lease
-- (lease_until) so two servers on one PostgreSQL never send one row twice; a failed try waits
-- next_attempt_at (exponential backoff); read_at is the in-app read receipt.
ALTER TABLE notify_outbox ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE notify_outbox ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE notify_outbox ADD COLUMN read_at BIGINT;
CREATE INDEX notify_outbox_due ON notify_outbox(status, next_attempt_at, id);
CREATE INDEX notify_outbox_recipient ON notify_outbox(recipient_kind, recipient_id, id);

-- The school's channels (office page 通知发送): a generic webhook (also the SMS gateway), the
-- WeCom group robot and the DingTalk custom robot; staff_channel is where staff messages go.
CREATE TABLE notify_settings (
  school_id BIGINT PRIMARY KEY REFERENCES schools(id),
  webhook_url TEXT NOT NULL DEFAULT '',
  webhook_secret TEXT NOT NULL DEFAULT '',
  wecom_url TEXT NOT NULL DEFAULT '',
  dingtalk_url TEXT NOT NULL DEFAULT '',
  dingtalk_secret TEXT NOT NULL DEFAULT '',
  staff_channel TEXT NOT NULL DEFAULT 'in_app' CHECK (staff_channel IN ('in_app','webhook','wecom','dingtalk')),
  updated_at BIGINT NOT NULL
);

-- A guardian's chosen channel (phone Profile page); none means in-app.
CREATE TABLE notify_preferences (
  guardian_id BIGINT PRIMARY KEY REFERENCES guardians(id),
  channel TEXT NOT NULL CHECK (channel IN ('in_app','sms')),
  updated_at BIGINT NOT NULL
);
