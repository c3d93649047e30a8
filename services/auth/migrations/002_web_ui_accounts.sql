-- What the web UI's users pages show (issue 15): role operator, the sign-in provider, full name
-- and update time. Refresh now renews a still-valid access token (the UI holds nothing else), so
-- refresh tokens give way to sign-ins: one row per password sign-in, which bounds how long it can
-- be renewed and is ended by logout or a password change.

ALTER TABLE auth.users DROP CONSTRAINT users_role_check;
ALTER TABLE auth.users ADD CONSTRAINT users_role_check
  CHECK (role IN ('admin', 'operator', 'user'));
ALTER TABLE auth.users RENAME COLUMN display_name TO full_name;
ALTER TABLE auth.users RENAME CONSTRAINT users_display_name_check TO users_full_name_check;
-- saml and oidc accounts have no password here: their hash is empty and never verifies.
ALTER TABLE auth.users ADD COLUMN provider text NOT NULL DEFAULT 'local'
  CHECK (provider IN ('local', 'saml', 'oidc'));
ALTER TABLE auth.users ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
UPDATE auth.users SET updated_at = created_at;
CREATE INDEX users_role ON auth.users (role);

DROP TABLE auth.refresh_tokens;

CREATE TABLE auth.sign_ins (
  session_id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- No renewal after this (SIGN_IN_TTL after the password was given).
  expires_at timestamptz NOT NULL,
  ended_at timestamptz
);
CREATE INDEX sign_ins_user ON auth.sign_ins (user_id);
CREATE INDEX sign_ins_expiry ON auth.sign_ins (expires_at);
