-- Connections to sessions and their heartbeats (schema tracker).

CREATE TABLE connections (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The Session resource's name (a DNS label).
  session_id text NOT NULL CHECK (session_id ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'),
  -- The connecting user's username ("user" is a reserved word in SQL).
  username text NOT NULL CHECK (username ~ '^[a-z0-9._-]{1,32}$'),
  client_address text NOT NULL DEFAULT '',
  user_agent text NOT NULL DEFAULT '',
  -- The session's idle timeout when the connection was made, to answer heartbeats.
  idle_timeout_ms bigint NOT NULL CHECK (idle_timeout_ms >= 0),
  connected_at timestamptz NOT NULL DEFAULT now(),
  last_heartbeat timestamptz NOT NULL DEFAULT now(),
  state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'stale', 'closed')),
  closed_at timestamptz,
  CHECK ((state = 'closed') = (closed_at IS NOT NULL))
);

-- A session's connections, in the order they were made (lists, counts, activity).
CREATE INDEX connections_session ON connections (session_id, connected_at, id);
-- The sweeper's search for connections that stopped sending heartbeats.
CREATE INDEX connections_active_heartbeat ON connections (last_heartbeat) WHERE state = 'active';
-- A user's connections to one session (heartbeat and disconnect without a connection id).
CREATE INDEX connections_user_session ON connections (username, session_id) WHERE state <> 'closed';
