-- API tokens for tools and the audit log (issue 17).
--
-- A token is "sst_<id>_<secret>": only the SHA-256 of the secret is kept. Every verifier holds the
-- live tokens and polls SyncApiTokens with the version it saw; the version moves with every
-- change that alters what a token may do (its row, its owner's role, state or existence), in
-- the same transaction, so a poller never sees a new version before its data. A use only
-- updates last_used_at, which leaves the version alone.

CREATE TABLE auth.api_tokens (
  id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{32}$'),
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  secret_hash bytea NOT NULL CHECK (length(secret_hash) = 32),
  scopes text[] NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  last_used_at timestamptz,
  UNIQUE (user_id, name)
);
CREATE INDEX api_tokens_expiry ON auth.api_tokens (expires_at);

CREATE TABLE auth.api_token_version (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  -- Starts at 1: a caller that knows nothing sends 0.
  version bigint NOT NULL
);
INSERT INTO auth.api_token_version (version) VALUES (1);

CREATE FUNCTION auth.bump_api_token_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE auth.api_token_version SET version = version + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER api_tokens_version
  AFTER INSERT OR DELETE OR UPDATE OF secret_hash, scopes, expires_at ON auth.api_tokens
  FOR EACH ROW EXECUTE FUNCTION auth.bump_api_token_version();
CREATE TRIGGER users_api_token_version
  AFTER UPDATE OF role, disabled, username ON auth.users
  FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.disabled IS DISTINCT FROM NEW.disabled
                     OR OLD.username IS DISTINCT FROM NEW.username)
  EXECUTE FUNCTION auth.bump_api_token_version();

-- One row per recorded call. A service writes it before it changes anything (outcome pending) and
-- completes it with the outcome; the id is the sender's, so a retried write changes nothing.
CREATE TABLE auth.audit_events (
  id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
  at timestamptz NOT NULL,
  user_id text NOT NULL DEFAULT '',
  username text NOT NULL DEFAULT '',
  token_id text NOT NULL DEFAULT '',
  service text NOT NULL,
  method text NOT NULL,
  object text NOT NULL DEFAULT '',
  client_address text NOT NULL DEFAULT '',
  outcome text NOT NULL CHECK (outcome IN ('ok', 'failed', 'pending')),
  code int NOT NULL DEFAULT 0,
  message text NOT NULL DEFAULT '',
  request_id text NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_at ON auth.audit_events (at DESC, id DESC);
CREATE INDEX audit_events_username ON auth.audit_events (username, at DESC);
