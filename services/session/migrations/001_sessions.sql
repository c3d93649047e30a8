-- The session service's schema: a mirror of the Session resources (the cache outlives the
-- process here), the tracker's activity figures shared by every replica, and the platform
-- configuration's overrides (NULL: the environment's default applies).

CREATE TABLE session.sessions (
  id text PRIMARY KEY,
  username text NOT NULL,
  user_id text NOT NULL DEFAULT '',
  template text NOT NULL,
  state text NOT NULL,
  phase text NOT NULL DEFAULT '',
  created_at text NOT NULL DEFAULT '',
  -- The session in its REST shape (canonical proto JSON).
  body jsonb NOT NULL,
  mirrored_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX sessions_by_username ON session.sessions (username, created_at, id);
CREATE INDEX sessions_by_user_id ON session.sessions (user_id);

CREATE TABLE session.activity (
  id text PRIMARY KEY,
  active_connections integer NOT NULL CHECK (active_connections >= 0),
  last_activity text NOT NULL DEFAULT '',
  -- Replicas poll for rows changed after the last one they saw.
  seq bigserial NOT NULL
);

CREATE INDEX activity_by_seq ON session.activity (seq);

CREATE TABLE session.platform_config (
  id integer PRIMARY KEY CHECK (id = 1),
  default_idle_timeout text,
  default_max_session_duration text,
  ingress_domain text,
  ingress_class text,
  storage_class text,
  home_size text,
  delete_home_with_session boolean,
  startup_timeout text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
