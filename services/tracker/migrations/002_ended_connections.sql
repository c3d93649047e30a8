-- The sweeper's search for ended connections (closed, or stale and never heard from again) past
-- their retention.
CREATE INDEX connections_ended ON connections (coalesce(closed_at, last_heartbeat))
  WHERE state <> 'active';
