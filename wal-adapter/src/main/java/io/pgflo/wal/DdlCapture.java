package io.pgflo.wal;

import io.pgflo.domain.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs, idempotently, the source-side half of DDL replication: event triggers whose function writes each schema
 * change on a replicated table into the WAL as a transactional logical message (prefix
 * {@value ChangeEventAssembler#DDL_PREFIX}, content {@code schema\ntable\nstatement}), so that it reaches the sink in
 * WAL order with the data around it.
 *
 * <p>Objects, all in schema {@value #SCHEMA} of the source database:
 * <ul>
 *   <li>{@code ddl_capture_tables}: which tables each group replicates, by OID (so a renamed table stays captured),
 *       with the name the targets know it by;</li>
 *   <li>{@code capture_ddl()}: the event trigger function (SECURITY DEFINER); {@code emit_ddl(...)} writes one
 *       message per client statement;</li>
 *   <li>event triggers {@code pg_flo_ddl_command_end} (ALTER TABLE, CREATE INDEX, ALTER INDEX on a registered table:
 *       the statement as the client sent it, {@code current_query()}) and {@code pg_flo_sql_drop} (DROP INDEX in a
 *       registered table's schema, as {@code DROP INDEX [CONCURRENTLY] IF EXISTS <identity>}, because the dropped
 *       index's table can no longer be looked up).</li>
 * </ul>
 * The message names the table as the targets knew it before the statement (a RENAME is announced under the old name,
 * then the registry learns the new one).
 *
 * <p>Creating event triggers needs a superuser. Without one, an already installed capture is used (the group's
 * tables are registered if the user may), otherwise a warning says that DDL will not be replicated; streaming goes
 * on, since data replication does not depend on it.
 */
final class DdlCapture {
    static final String SCHEMA = "internal_pg_flo";
    private static final Logger log = LoggerFactory.getLogger(DdlCapture.class);
    private static final long LOCK_KEY = 0x70675f666c6f4464L; // "pg_floDd": serializes concurrent installs

    private static final String EMIT_FUNCTION = """
            CREATE OR REPLACE FUNCTION internal_pg_flo.emit_ddl(schema_name text, table_name text, statement text)
            RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $function$
            DECLARE
              -- One message per client statement: a statement that creates a serial column, say, reports several
              -- commands, and a multi-statement query string fires the trigger once per statement with the same text.
              marker text := statement_timestamp()::text || ' ' || md5(statement);
            BEGIN
              IF current_setting('pg_flo.last_ddl', true) IS NOT DISTINCT FROM marker THEN
                RETURN;
              END IF;
              PERFORM set_config('pg_flo.last_ddl', marker, true);
              PERFORM pg_logical_emit_message(true, 'pg_flo_ddl', schema_name || E'\\n' || table_name || E'\\n' || statement);
              -- Logical decoding places a message at the position where its record ends, which is where the next
              -- record begins. When the message is in a subtransaction (this function's caller runs in one) and the
              -- next record is a change of the parent, the two tie and the change may be decoded first. A second,
              -- ignored message takes the tie, so the DDL message stays strictly before the changes that follow it.
              PERFORM pg_logical_emit_message(true, 'pg_flo_ddl_end', '');
            END
            $function$""";

    private static final String CAPTURE_FUNCTION = """
            CREATE OR REPLACE FUNCTION internal_pg_flo.capture_ddl() RETURNS event_trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $function$
            DECLARE
              command record;
              dropped record;
              relation oid;
              registered record;
            BEGIN
              IF TG_EVENT = 'ddl_command_end' THEN
                FOR command IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
                  CONTINUE WHEN command.in_extension OR command.classid <> 'pg_catalog.pg_class'::regclass
                      OR command.command_tag NOT IN ('ALTER TABLE', 'CREATE INDEX', 'ALTER INDEX');
                  SELECT CASE WHEN c.relkind IN ('i', 'I') THEN i.indrelid ELSE c.oid END INTO relation
                      FROM pg_class c LEFT JOIN pg_index i ON i.indexrelid = c.oid WHERE c.oid = command.objid;
                  SELECT t.schema_name, t.table_name INTO registered
                      FROM internal_pg_flo.ddl_capture_tables t WHERE t.table_oid = relation LIMIT 1;
                  CONTINUE WHEN NOT FOUND;
                  PERFORM internal_pg_flo.emit_ddl(registered.schema_name, registered.table_name, current_query());
                  UPDATE internal_pg_flo.ddl_capture_tables t SET schema_name = n.nspname, table_name = c.relname
                      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                      WHERE c.oid = relation AND t.table_oid = relation
                        AND (t.schema_name, t.table_name) IS DISTINCT FROM (n.nspname, c.relname);
                END LOOP;
              ELSIF TG_EVENT = 'sql_drop' THEN
                FOR dropped IN SELECT * FROM pg_event_trigger_dropped_objects() LOOP
                  CONTINUE WHEN NOT dropped.original OR dropped.object_type <> 'index';
                  CONTINUE WHEN NOT EXISTS (SELECT 1 FROM internal_pg_flo.ddl_capture_tables t
                      WHERE t.schema_name = dropped.schema_name);
                  PERFORM internal_pg_flo.emit_ddl(dropped.schema_name, '',
                      'DROP INDEX ' || CASE WHEN current_query() ~* '\\mconcurrently\\M' THEN 'CONCURRENTLY ' ELSE '' END
                      || 'IF EXISTS ' || dropped.object_identity);
                END LOOP;
              END IF;
            EXCEPTION WHEN OTHERS THEN
              -- Never block the user's DDL; a target that misses it fails loudly on the next change that needs it.
              RAISE WARNING 'pg_flo: DDL capture failed, this schema change will not be replicated: %', SQLERRM;
            END
            $function$""";

    private DdlCapture() {}

    /**
     * Makes sure the capture is installed and that {@code group}'s tables are registered with it.
     *
     * @param where the source, for messages ({@code host:port/db as user})
     * @return whether DDL on the tables will be captured
     */
    static boolean install(Connection connection, String where, String group, List<TableName> tables) throws SQLException {
        boolean superuser = queryBoolean(connection, "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user");
        boolean installed = queryBoolean(connection, "SELECT count(*) = 2 FROM pg_catalog.pg_event_trigger "
                + "WHERE evtname IN ('pg_flo_ddl_command_end', 'pg_flo_sql_drop') AND evtenabled <> 'D'");
        if (!superuser && !installed) {
            log.warn("DDL capture is off: installing its event triggers on {} needs a superuser, and user {} is not one. "
                    + "Schema changes will not be replicated; run pg_flo once as a superuser to install the capture, "
                    + "or turn DDL tracking off for this sink", where, connection.getMetaData().getUserName());
            return false;
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_catalog.pg_advisory_xact_lock(" + LOCK_KEY + ")");
            if (superuser) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
                statement.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".ddl_capture_tables ("
                        + "group_name text NOT NULL, table_oid oid NOT NULL, schema_name text NOT NULL, "
                        + "table_name text NOT NULL, registered_at timestamptz NOT NULL DEFAULT now(), "
                        + "PRIMARY KEY (group_name, table_oid))");
                statement.execute("CREATE INDEX IF NOT EXISTS ddl_capture_tables_oid ON " + SCHEMA
                        + ".ddl_capture_tables (table_oid)");
                statement.execute(EMIT_FUNCTION);
                statement.execute(CAPTURE_FUNCTION);
                statement.execute("REVOKE ALL ON FUNCTION " + SCHEMA + ".emit_ddl(text, text, text) FROM PUBLIC");
                if (!installed) {
                    statement.execute("DROP EVENT TRIGGER IF EXISTS pg_flo_ddl_command_end");
                    statement.execute("DROP EVENT TRIGGER IF EXISTS pg_flo_sql_drop");
                    statement.execute("CREATE EVENT TRIGGER pg_flo_ddl_command_end ON ddl_command_end "
                            + "EXECUTE FUNCTION " + SCHEMA + ".capture_ddl()");
                    statement.execute("CREATE EVENT TRIGGER pg_flo_sql_drop ON sql_drop "
                            + "EXECUTE FUNCTION " + SCHEMA + ".capture_ddl()");
                }
            }
            register(connection, group, tables);
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            if (!superuser && "42501".equals(e.getSQLState())) {
                log.warn("DDL capture is installed on {} but user {} may not register group {} with it ({}); schema "
                        + "changes will not be replicated for this group until a superuser runs pg_flo once", where,
                        connection.getMetaData().getUserName(), group, PgConnections.firstLine(e.getMessage()));
                return false;
            }
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        log.info("DDL capture active for {} (event triggers pg_flo_ddl_command_end, pg_flo_sql_drop)", tables);
        return true;
    }

    /** Replaces the group's registered tables with {@code tables}, keyed by OID. */
    private static void register(Connection connection, String group, List<TableName> tables) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM " + SCHEMA + ".ddl_capture_tables WHERE group_name = ?")) {
            delete.setString(1, group);
            delete.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + SCHEMA + ".ddl_capture_tables "
                + "(group_name, table_oid, schema_name, table_name) SELECT ?, c.oid, n.nspname, c.relname "
                + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = ? AND c.relname = ?")) {
            for (TableName table : tables) {
                insert.setString(1, group);
                insert.setString(2, table.schema());
                insert.setString(3, table.table());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static boolean queryBoolean(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() && rows.getBoolean(1);
        }
    }
}
