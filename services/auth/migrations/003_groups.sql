-- Groups and memberships (issue 16). Groups nest (parent_id); the session service resolves quotas
-- over them from GetGroupDirectory, which it polls with the version it last saw. That version is
-- one counter row, bumped by triggers in the transaction of every change of groups, memberships
-- and users (created, deleted, renamed): a poller never sees a new version before its data, as it
-- could with a sequence (not transactional), and no write path can forget it.

CREATE TABLE auth.groups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The web UI's rule (CreateGroup.tsx), at most a DNS label long.
  name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9_-]{1,63}$'),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 128),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 1024),
  type text NOT NULL DEFAULT 'team'
    CHECK (type IN ('system', 'organization', 'team', 'project')),
  -- A group with subgroups cannot be deleted (no cascade): the service refuses it first.
  parent_id uuid REFERENCES auth.groups (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (parent_id <> id)
);
CREATE INDEX groups_parent ON auth.groups (parent_id);

CREATE TABLE auth.group_members (
  group_id uuid NOT NULL REFERENCES auth.groups (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  role text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin', 'owner')),
  joined_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON auth.group_members (user_id);

CREATE TABLE auth.group_directory_version (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  -- Starts at 1: a caller that knows nothing sends 0.
  version bigint NOT NULL
);
INSERT INTO auth.group_directory_version (version) VALUES (1);

CREATE FUNCTION auth.bump_group_directory_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE auth.group_directory_version SET version = version + 1;
  RETURN NULL;
END
$$;

-- Row triggers: a statement that changes nothing (a duplicate refused by ON CONFLICT DO NOTHING)
-- leaves the version alone.
CREATE TRIGGER groups_directory_version
  AFTER INSERT OR UPDATE OR DELETE ON auth.groups
  FOR EACH ROW EXECUTE FUNCTION auth.bump_group_directory_version();
CREATE TRIGGER group_members_directory_version
  AFTER INSERT OR UPDATE OR DELETE ON auth.group_members
  FOR EACH ROW EXECUTE FUNCTION auth.bump_group_directory_version();
CREATE TRIGGER users_directory_version
  AFTER INSERT OR DELETE ON auth.users
  FOR EACH ROW EXECUTE FUNCTION auth.bump_group_directory_version();
CREATE TRIGGER users_rename_directory_version
  AFTER UPDATE OF username ON auth.users
  FOR EACH ROW WHEN (OLD.username IS DISTINCT FROM NEW.username)
  EXECUTE FUNCTION auth.bump_group_directory_version();
