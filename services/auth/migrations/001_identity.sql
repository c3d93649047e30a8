-- Users, sign-in sessions, revocations and signing keys of the auth service (schema auth).

CREATE TABLE auth.users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._-]{1,32}$'),
  email text NOT NULL DEFAULT '' CHECK (length(email) <= 254),
  display_name text NOT NULL DEFAULT '' CHECK (length(display_name) <= 128),
  role text NOT NULL DEFAULT 'user' CHECK (role IN ('admin', 'user')),
  -- argon2id, PHC encoded string ($argon2id$v=19$m=...,t=...,p=...$salt$hash).
  password_hash text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz
);

CREATE TABLE auth.signing_keys (
  kid text PRIMARY KEY,
  private_key_pem text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- No token is signed with the key after this; its public key stays published until the
  -- tokens it signed have expired.
  retires_at timestamptz NOT NULL
);

CREATE TABLE auth.refresh_tokens (
  -- SHA-256 of the token: the token itself is never stored.
  token_hash bytea PRIMARY KEY,
  session_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX refresh_tokens_session ON auth.refresh_tokens (session_id);
CREATE INDEX refresh_tokens_expiry ON auth.refresh_tokens (expires_at);

CREATE TABLE auth.revocations (
  sequence bigserial PRIMARY KEY,
  session_id uuid,
  user_id uuid,
  not_before_ms bigint NOT NULL DEFAULT 0,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (session_id IS NOT NULL OR user_id IS NOT NULL)
);
CREATE INDEX revocations_expiry ON auth.revocations (expires_at);
CREATE INDEX revocations_created ON auth.revocations (created_at);

CREATE TABLE auth.failed_login_attempts (
  username text NOT NULL,
  address text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX failed_login_attempts_username ON auth.failed_login_attempts (username, at);
CREATE INDEX failed_login_attempts_address ON auth.failed_login_attempts (address, at);
