-- Console sign-in (SPEC §12): a session stands for an API key for 12 hours. Only the token's hash
-- is stored; the key is looked up on every request, so revoking or expiring it ends its sessions.
CREATE TABLE console_sessions (
  token_hash    TEXT COLLATE "C" PRIMARY KEY,
  key_id        TEXT NOT NULL REFERENCES api_keys(id),
  csrf_token    TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  expires_at    BIGINT NOT NULL
);
CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_at);
