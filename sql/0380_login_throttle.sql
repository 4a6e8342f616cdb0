-- Issue 10 §1 (session 14): login throttling shared by every server, and known devices.
--
-- login_throttle: the failure counters of auth::Throttle (auth/service.h), one row per key:
-- an account from one address ("<kind>|p|account\naddress"), an account from one known device
-- ("<kind>|d|account\ndevice-hash") or an address over all accounts ("<kind>|a|address", a leaky
-- bucket: level_ms leaks 1 ms per ms). Several `kehou serve` on one PostgreSQL count together, so
-- N servers allow the attempts of one. Rows that lock nothing and are idle are pruned.
CREATE TABLE login_throttle (
  throttle_key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL DEFAULT 0,
  level_ms BIGINT NOT NULL DEFAULT 0,
  last_ms BIGINT NOT NULL DEFAULT 0,
  locked_until_ms BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX login_throttle_last ON login_throttle(last_ms);

-- known_devices: a browser that has signed in to the account before (the HttpOnly kehou_device
-- cookie holds a random token; only its BLAKE2b hash is stored, as for sessions). A login from a
-- known device of that account is not refused by its address's bucket (CGNAT: many families
-- behind one carrier address), only by that device's own failures. Rotated at each login.
CREATE TABLE known_devices (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX known_devices_user ON known_devices(user_id, created_at);
