-- PostgreSQL roles for production (等保 level 3: the application cannot erase its own audit log).
--
--   owner (yushu_owner)  owns the schema and every table; migrations run as this role, and only they do.
--   app (yushu_app)      the application's runtime role (gunicorn, the commands of cron): it reads and writes the
--                data, but may only INSERT and SELECT on the audit log. It cannot UPDATE, DELETE or TRUNCATE
--                it, nor disable its trigger (only a table's owner may ALTER it).
--
-- Run as a superuser, in the application's database, with the role names and passwords as psql variables
-- (docs/postgresql-roles.sh does it):
--
--   psql -v ON_ERROR_STOP=1 -v owner=yushu_owner -v app=yushu_app -v owner_password=… -v app_password=… \
--        -d yushu -f docs/postgresql-roles.sql
--
-- then migrate as the owner and run the application as yushu_app:
--
--   DATABASE_URL=postgres://yushu_owner:…@db/yushu manage.py migrate
--   DATABASE_URL=postgres://yushu_app:…@db/yushu gunicorn yushu_gov.wsgi:application …
--
-- Safe to run again (after a release whose migrations recreated a table, for instance): it re-applies the
-- grants. `manage.py verify_audit`, run as yushu_app, reports what that role may do to the log.

SELECT format('CREATE ROLE %I LOGIN', :'owner') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner')
\gexec
SELECT format('CREATE ROLE %I LOGIN', :'app') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app')
\gexec
ALTER ROLE :"owner" PASSWORD :'owner_password';
ALTER ROLE :"app" PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;

-- The owner owns the schema and everything in it (a database set up by an earlier release as another user
-- is handed over).
ALTER SCHEMA public OWNER TO :"owner";
SELECT format('ALTER TABLE public.%I OWNER TO %I', tablename, :'owner') FROM pg_tables WHERE schemaname = 'public'
\gexec
SELECT format('ALTER SEQUENCE public.%I OWNER TO %I', sequencename, :'owner')
FROM pg_sequences WHERE schemaname = 'public'
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = format('public.%I', sequencename)::regclass AND d.deptype = 'i')
\gexec
SELECT format('ALTER FUNCTION %s OWNER TO %I', p.oid::regprocedure, :'owner')
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND p.proname LIKE 'yushu\_%'
\gexec

-- The runtime role: data, yes; the schema, no.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app";

-- The audit log: append and read only.
REVOKE ALL ON yushu_gov_auditentry FROM PUBLIC;
REVOKE ALL ON yushu_gov_auditentry FROM :"app";
GRANT SELECT, INSERT ON yushu_gov_auditentry TO :"app";
