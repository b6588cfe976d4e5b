-- The gateway's own state, shared by its replicas: sessions (refresh-token families) and the login throttle.

-- One login = one family. Every refresh token of the family dies with it (logout, reuse detected, expiry).
CREATE TABLE refresh_family (
    id             UUID        PRIMARY KEY,
    username       TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    expires_at     TIMESTAMPTZ NOT NULL,
    revoked_at     TIMESTAMPTZ,
    revoked_reason TEXT
);

-- Only a SHA-256 of each token is kept: 256 random bits need no salt nor slow hash, and a copy of this
-- table gives nobody a usable token. used_at set = rotated: presenting it again revokes the family.
CREATE TABLE refresh_token (
    token_hash TEXT        PRIMARY KEY,
    family_id  UUID        NOT NULL REFERENCES refresh_family (id) ON DELETE CASCADE,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX refresh_token_family ON refresh_token (family_id);
CREATE INDEX refresh_family_expiry ON refresh_family (expires_at);

-- Failed logins per key ('user:<name>' or 'address:<ip>'): the count sets the backoff.
CREATE TABLE login_throttle (
    throttle_key  TEXT        PRIMARY KEY,
    failures      INTEGER     NOT NULL CHECK (failures > 0),
    last_failure  TIMESTAMPTZ NOT NULL,
    blocked_until TIMESTAMPTZ NOT NULL
);
