-- Quotas (issue 16): the limits of users and groups, the platform's default limits, and the claims
-- of admitted writes. Users and groups live in the auth service; rows here name them by id. 0 and
-- '' mean "not set"; a subject with nothing set has no row.

CREATE TABLE session.quotas (
  subject_kind text NOT NULL CHECK (subject_kind IN ('user', 'group')),
  subject_id text NOT NULL CHECK (length(subject_id) BETWEEN 1 AND 64),
  max_sessions integer NOT NULL DEFAULT 0 CHECK (max_sessions >= 0),
  max_cpu text NOT NULL DEFAULT '' CHECK (length(max_cpu) <= 64),
  max_memory text NOT NULL DEFAULT '' CHECK (length(max_memory) <= 64),
  max_storage text NOT NULL DEFAULT '' CHECK (length(max_storage) <= 64),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subject_kind, subject_id)
);

-- Moves forward in the transaction of every change of session.quotas: replicas keep the limits in
-- memory and read them again when it moves (a row, not a sequence: a poller must not see a new
-- number before the data).
CREATE TABLE session.quota_version (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version bigint NOT NULL
);
INSERT INTO session.quota_version (version) VALUES (1);

CREATE FUNCTION session.bump_quota_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE session.quota_version SET version = version + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER quotas_version
  AFTER INSERT OR UPDATE OR DELETE ON session.quotas
  FOR EACH STATEMENT EXECUTE FUNCTION session.bump_quota_version();

ALTER TABLE session.platform_config
  ADD COLUMN default_max_sessions integer,
  ADD COLUMN default_max_cpu text,
  ADD COLUMN default_max_memory text,
  ADD COLUMN default_max_storage text;

-- What a replica admitted under a user's lock (a new session, or a wake) and wrote to the API
-- server: every replica counts it until its own cache shows the write. Claims older than a minute
-- are ignored and deleted (no cache lags that far behind a watch). Unlogged: a claim matters for
-- seconds, so its writes skip the WAL and their commits wait for no disk flush; a crash of the
-- database empties the table, and the sessions it claimed are in every cache long before that.
CREATE UNLOGGED TABLE session.quota_claims (
  session text PRIMARY KEY,
  username text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('create', 'wake')),
  cpu text NOT NULL DEFAULT '',
  memory text NOT NULL DEFAULT '',
  persistent_home boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX quota_claims_by_username ON session.quota_claims (username);

-- Takes the user's quota lock for the rest of the transaction, drops their stale claims, returns
-- the others, and claims `p_session` (the claim commits with the write it admits, and is rolled
-- back with a refusal): the check's database work in one round trip. VOLATILE, so each statement
-- here sees what the lock's previous holder committed.
CREATE FUNCTION session.quota_acquire(p_username text, p_session text, p_kind text, p_cpu text,
                                      p_memory text, p_home boolean)
RETURNS TABLE (claim_session text, claim_kind text, claim_cpu text, claim_memory text,
               claim_home boolean)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('session.quota:' || p_username, 0));
  DELETE FROM session.quota_claims AS c
    WHERE c.username = p_username AND c.created_at < now() - interval '1 minute';
  RETURN QUERY SELECT c.session, c.kind, c.cpu, c.memory, c.persistent_home
    FROM session.quota_claims AS c WHERE c.username = p_username AND c.session <> p_session;
  INSERT INTO session.quota_claims AS c (session, username, kind, cpu, memory, persistent_home)
    VALUES (p_session, p_username, p_kind, p_cpu, p_memory, p_home)
    ON CONFLICT (session) DO UPDATE SET kind = excluded.kind, cpu = excluded.cpu,
      memory = excluded.memory, persistent_home = excluded.persistent_home, created_at = now();
END
$$;
