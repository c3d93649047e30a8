-- One service's login role and its schema of the same name, owned by the role and first on its
-- search_path; the password is set again, so that the secret stays the truth. psql variables:
-- role and password. One file for three users: scripts/up, the compose stack's PostgreSQL
-- (images/compose/service-roles.sh) and the chart's trial PostgreSQL (templates/postgresql.yaml);
-- an external database's administrator runs it too (the chart's README).
SELECT format('CREATE ROLE %I LOGIN', :'role')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'role', :'password') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), :'role') \gexec
SELECT format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', :'role', :'role') \gexec
SELECT format('ALTER SCHEMA %I OWNER TO %I', :'role', :'role') \gexec
SELECT format('ALTER ROLE %I SET search_path = %I', :'role', :'role') \gexec
