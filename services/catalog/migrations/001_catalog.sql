-- Repositories of template manifests, the catalog entries synced from them, and the sync runs
-- (schema catalog).

CREATE TABLE catalog.repositories (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
  url text NOT NULL CHECK (length(url) <= 2048),
  branch text NOT NULL DEFAULT 'main',
  auth_type text NOT NULL DEFAULT 'none' CHECK (auth_type IN ('none', 'token', 'basic')),
  username text NOT NULL DEFAULT '',
  -- AES-256-GCM (secret_box.h); never returned, never logged.
  secret_sealed bytea,
  webhook_secret_sealed bytea,
  sync_interval_ms bigint CHECK (sync_interval_ms IS NULL OR sync_interval_ms >= 1000),
  sync_interval text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'never'
    CHECK (status IN ('never', 'queued', 'syncing', 'synced', 'failed')),
  -- Who syncs it now and since when: a claim that another replica respects until it is stale.
  sync_claimed_by text,
  sync_claimed_at timestamptz,
  -- A sync was asked for while one ran: the running one syncs again when it ends.
  resync_requested boolean NOT NULL DEFAULT false,
  last_sync_at timestamptz,
  last_commit text NOT NULL DEFAULT '',
  template_count integer NOT NULL DEFAULT 0,
  skipped jsonb NOT NULL DEFAULT '[]',
  error text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE catalog.catalog_templates (
  repository_id uuid NOT NULL REFERENCES catalog.repositories (id) ON DELETE CASCADE,
  name text NOT NULL,
  path text NOT NULL,
  display_name text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  category text NOT NULL DEFAULT '',
  app_type text NOT NULL DEFAULT '',
  icon text NOT NULL DEFAULT '',
  tags text[] NOT NULL DEFAULT '{}',
  -- The normalized Template spec that install creates.
  spec jsonb NOT NULL,
  installs integer NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (repository_id, name)
);

CREATE TABLE catalog.sync_runs (
  id bigserial PRIMARY KEY,
  repository_id uuid NOT NULL REFERENCES catalog.repositories (id) ON DELETE CASCADE,
  trigger text NOT NULL,
  runner text NOT NULL,
  status text NOT NULL DEFAULT 'syncing',
  started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at timestamptz,
  commit text NOT NULL DEFAULT '',
  template_count integer NOT NULL DEFAULT 0,
  skipped_count integer NOT NULL DEFAULT 0,
  error text NOT NULL DEFAULT ''
);
CREATE INDEX sync_runs_by_repository ON catalog.sync_runs (repository_id, id DESC);

-- Bumped by every change of the catalog entries, so that each replica's in-memory browse index
-- knows when to reload with one cheap read.
CREATE TABLE catalog.catalog_generation (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  generation bigint NOT NULL
);
INSERT INTO catalog.catalog_generation VALUES (true, 1);

CREATE FUNCTION catalog.bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE catalog.catalog_generation SET generation = generation + 1;
  RETURN NULL;
END $$;

CREATE TRIGGER catalog_templates_changed
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON catalog.catalog_templates
  FOR EACH STATEMENT EXECUTE FUNCTION catalog.bump_generation();
