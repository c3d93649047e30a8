-- Single sign-on (issue 17): SAML 2.0 and OpenID Connect.
--
-- An SSO user is keyed by (provider, issuer, subject), never by username: a new identity whose
-- username is taken (a local account such as admin, or another provider's) is refused, never
-- linked. The protocol state that must outlive one request (outstanding SAML requests, assertion
-- IDs seen, OpenID logins in progress) is kept here, so that any replica can finish what another
-- began, and a replay is refused on every replica.

CREATE TABLE auth.sso_identities (
  provider text NOT NULL CHECK (provider IN ('saml', 'oidc')),
  issuer text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 1024),
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 1024),
  user_id uuid NOT NULL UNIQUE REFERENCES auth.users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, issuer, subject)
);

-- AuthnRequests and LogoutRequests we sent, by ID: an answer's InResponseTo is consumed once.
CREATE TABLE auth.saml_requests (
  id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 256),
  expires_at timestamptz NOT NULL
);
CREATE INDEX saml_requests_expiry ON auth.saml_requests (expires_at);

-- Assertion IDs accepted, until the assertion's own expiry (and the allowed skew).
CREATE TABLE auth.saml_assertions (
  id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 256),
  keep_until timestamptz NOT NULL
);
CREATE INDEX saml_assertions_expiry ON auth.saml_assertions (keep_until);

-- OpenID logins started and not yet finished, by state: used once, within 10 minutes.
CREATE TABLE auth.oidc_logins (
  state text PRIMARY KEY CHECK (length(state) BETWEEN 32 AND 128),
  nonce text NOT NULL,
  code_verifier text NOT NULL,
  return_to text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX oidc_logins_expiry ON auth.oidc_logins (expires_at);

-- What single logout names: the NameID and SessionIndex of the assertion that opened a sign-in.
ALTER TABLE auth.sign_ins ADD COLUMN saml_issuer text;
ALTER TABLE auth.sign_ins ADD COLUMN saml_name_id text;
ALTER TABLE auth.sign_ins ADD COLUMN saml_name_id_format text;
ALTER TABLE auth.sign_ins ADD COLUMN saml_session_index text;
CREATE INDEX sign_ins_saml_name_id ON auth.sign_ins (saml_name_id) WHERE saml_name_id IS NOT NULL;
