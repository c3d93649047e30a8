-- Quotas (issue 16): the limits of users and groups, and the platform's default limits. Users and
-- groups live in the auth service; rows here name them by id. 0 and '' mean "not set"; a subject
-- with nothing set has no row.

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

ALTER TABLE session.platform_config
  ADD COLUMN default_max_sessions integer,
  ADD COLUMN default_max_cpu text,
  ADD COLUMN default_max_memory text,
  ADD COLUMN default_max_storage text;
