-- The grants the platform needs on its database (R-DATA-0, R-DATA-6): the application
-- role owns the database and its public schema, nobody else may connect or create, and
-- the backup role may connect (it reads through pg_read_all_data). Run by the bootstrap
-- and again by every restore on the database it restored, so a restored database renamed
-- into place exports the next night like the one it replaced.
-- Variables: db, app_role, backup_role.
SET client_min_messages = warning;
ALTER DATABASE :"db" OWNER TO :"app_role";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO :"backup_role";
\connect :"db"
SET client_min_messages = warning;
ALTER SCHEMA public OWNER TO :"app_role";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
