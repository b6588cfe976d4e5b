-- The throttle's keys changed (per username and client network, per username, per address; names as SHA-256
-- digests): counts kept under the old keys would never be read again, so they start from zero.
DELETE FROM login_throttle;

-- Housekeeping finds expired counts by their last failure.
CREATE INDEX login_throttle_last_failure ON login_throttle (last_failure);
