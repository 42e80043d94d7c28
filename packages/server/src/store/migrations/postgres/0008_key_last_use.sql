-- When each API key was last used (SPEC §12, GET /v1/keys): written by each HTTP process at most once
-- a minute per key, in batches off the request path, so it is accurate to about a minute.
ALTER TABLE api_keys ADD COLUMN last_used_at BIGINT;
