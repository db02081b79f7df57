package io.pgflo.wal;

import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs, idempotently, the source-side half of DDL replication: event triggers that, when a replicated table's
 * definition changes, record the definition read from the catalog (never the client's statement) as a row of
 * {@value #CHANGES_TABLE}. That table is published with the group's tables, so the row reaches the sink in WAL order
 * with the data around it; the sink works out the statements to run from the definitions before and after.
 *
 * <p>Why rows and not logical messages: any role may call {@code pg_logical_emit_message}, so a message cannot tell
 * pg_flo's capture from a forgery, while only the capture function (SECURITY DEFINER, owned by the superuser who
 * installed it) may write the table. And why definitions and not the statement: the client's query string may hold
 * more statements than the one that changed the table.
 *
 * <p>Objects, all in schema {@value #SCHEMA} of the source database:
 * <ul>
 *   <li>{@code ddl_capture_tables}: which tables each group replicates, by OID (so a renamed table stays captured),
 *       with the name the targets know it by;</li>
 *   <li>{@code table_definitions}: the last definition recorded per table, to compare the next one with;</li>
 *   <li>{@code schema_changes}: one row per change, with the definitions before and after (published);</li>
 *   <li>{@code table_definition(oid)}, {@code record_change(oid)} and the event trigger function
 *       {@code capture_ddl()}; event triggers {@code pg_flo_ddl_command_end} and {@code pg_flo_sql_drop}.</li>
 * </ul>
 *
 * <p>Creating event triggers needs a superuser. Without one, an already installed capture is used (the group's
 * tables are registered if the user may), otherwise a warning says that DDL will not be replicated; streaming goes
 * on, since data replication does not depend on it.
 */
final class DdlCapture {
    static final String SCHEMA = "internal_pg_flo";
    static final String CHANGES_TABLE = SCHEMA + ".schema_changes";
    static final TableName CHANGES = new TableName(SCHEMA, "schema_changes");
    private static final Logger log = LoggerFactory.getLogger(DdlCapture.class);
    static final long LOCK_KEY = 0x70675f666c6f4464L; // "pg_floDd": serializes concurrent installs

    /**
     * The definition as JSON: columns by attribute number (so a rename is told from a drop and an add), constraints
     * and indexes with their OIDs and the server's own deparsed text. Run with search_path = pg_catalog so that every
     * name in it is schema-qualified, on the source and on the target alike.
     */
    private static final String DEFINITION_FUNCTION = """
            CREATE OR REPLACE FUNCTION internal_pg_flo.table_definition(relation oid) RETURNS jsonb
            LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $function$
            SELECT jsonb_build_object(
              'version', 1, 'schema', n.nspname, 'table', c.relname,
              'columns', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                  'num', a.attnum, 'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
                  'not_null', a.attnotnull,
                  'default', CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END,
                  'generated', CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END,
                  'identity', NULLIF(a.attidentity::text, ''),
                  'sequence', (SELECT jsonb_build_object('schema', sn.nspname, 'name', s.relname)
                      FROM pg_depend dep JOIN pg_class s ON s.oid = dep.objid
                      JOIN pg_namespace sn ON sn.oid = s.relnamespace
                      WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass
                        AND dep.refobjid = c.oid AND dep.refobjsubid = a.attnum AND dep.deptype = 'a'
                        AND s.relkind = 'S' LIMIT 1)
                ) ORDER BY a.attnum)
                FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '[]'::jsonb),
              'constraints', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                  'oid', k.oid::bigint, 'name', k.conname, 'type', k.contype::text,
                  'definition', pg_get_constraintdef(k.oid)) ORDER BY k.conname)
                FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype IN ('p', 'u', 'f', 'c', 'x')), '[]'::jsonb),
              'indexes', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                  'oid', i.indexrelid::bigint, 'name', ic.relname, 'unique', i.indisunique,
                  -- The part after USING, cut from the server's own text where it starts as the server writes it.
                  'using', CASE WHEN left(pg_get_indexdef(i.indexrelid), length(p.prefix)) = p.prefix
                      THEN substr(pg_get_indexdef(i.indexrelid), length(p.prefix) + 1) END) ORDER BY ic.relname)
                FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                CROSS JOIN LATERAL (SELECT 'CREATE ' || CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX '
                    || quote_ident(ic.relname) || ' ON ' || CASE WHEN c.relkind = 'p' THEN 'ONLY ' ELSE '' END
                    || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' USING ' AS prefix) p
                WHERE i.indrelid = c.oid AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                    WHERE k.conrelid = c.oid AND k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))), '[]'::jsonb))
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = relation
            $function$""";

    private static final String RECORD_FUNCTION = """
            CREATE OR REPLACE FUNCTION internal_pg_flo.record_change(relation oid) RETURNS void
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $function$
            DECLARE
              known record;
              before jsonb;
              after jsonb;
            BEGIN
              SELECT t.schema_name, t.table_name INTO known
                  FROM internal_pg_flo.ddl_capture_tables t WHERE t.table_oid = relation LIMIT 1;
              IF NOT FOUND THEN
                RETURN;
              END IF;
              after := internal_pg_flo.table_definition(relation);
              IF after IS NULL THEN
                RETURN;
              END IF;
              SELECT d.definition INTO before FROM internal_pg_flo.table_definitions d WHERE d.table_oid = relation;
              -- One statement reports several commands (a serial column: a sequence, the table, the sequence again):
              -- only a definition that differs from the last one recorded is a change.
              IF before IS NOT DISTINCT FROM after THEN
                RETURN;
              END IF;
              INSERT INTO internal_pg_flo.table_definitions AS d (table_oid, definition) VALUES (relation, after)
                  ON CONFLICT (table_oid) DO UPDATE SET definition = EXCLUDED.definition;
              -- Announced under the name the targets know the table by; the registry then learns the new one.
              INSERT INTO internal_pg_flo.schema_changes (table_oid, schema_name, table_name, previous, definition)
                  VALUES (relation, known.schema_name, known.table_name, before, after);
              UPDATE internal_pg_flo.ddl_capture_tables t SET schema_name = after ->> 'schema', table_name = after ->> 'table'
                  WHERE t.table_oid = relation
                    AND (t.schema_name, t.table_name) IS DISTINCT FROM (after ->> 'schema', after ->> 'table');
            END
            $function$""";

    private static final String CAPTURE_FUNCTION = """
            CREATE OR REPLACE FUNCTION internal_pg_flo.capture_ddl() RETURNS event_trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $function$
            DECLARE
              command record;
              dropped record;
              relation oid;
            BEGIN
              IF TG_EVENT = 'ddl_command_end' THEN
                FOR command IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
                  CONTINUE WHEN command.in_extension OR command.classid <> 'pg_catalog.pg_class'::regclass;
                  SELECT CASE WHEN c.relkind IN ('i', 'I') THEN i.indrelid ELSE c.oid END INTO relation
                      FROM pg_class c LEFT JOIN pg_index i ON i.indexrelid = c.oid WHERE c.oid = command.objid;
                  CONTINUE WHEN relation IS NULL;
                  PERFORM internal_pg_flo.record_change(relation);
                END LOOP;
              ELSIF TG_EVENT = 'sql_drop' THEN
                -- A dropped index is gone from the catalog: its table is the one whose last definition listed it.
                FOR dropped IN SELECT * FROM pg_event_trigger_dropped_objects() WHERE object_type = 'index' LOOP
                  FOR relation IN SELECT d.table_oid FROM internal_pg_flo.table_definitions d
                      WHERE d.definition -> 'indexes' @> jsonb_build_array(jsonb_build_object('oid', dropped.objid::bigint)) LOOP
                    PERFORM internal_pg_flo.record_change(relation);
                  END LOOP;
                END LOOP;
              END IF;
            EXCEPTION WHEN OTHERS THEN
              -- Never block the user's DDL; a target that misses it fails loudly on the next change that needs it.
              RAISE WARNING 'pg_flo: DDL capture failed, this schema change will not be replicated: %', SQLERRM;
            END
            $function$""";

    private DdlCapture() {}

    /** What {@link #install} found and did, so that a start that fails later can undo it. */
    record Installation(boolean active, boolean createdTriggers, boolean createdSchema, boolean registeredGroup) {
        static final Installation OFF = new Installation(false, false, false, false);
    }

    /**
     * Makes sure the capture is installed and that {@code group}'s tables are registered with it.
     *
     * @param where the source, for messages ({@code host:port/db as user})
     */
    static Installation install(Connection connection, String where, String group, List<TableName> tables) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            // Everything below is read under the lock, so that two starts at once agree on what each created.
            statement.execute("SELECT pg_catalog.pg_advisory_xact_lock(" + LOCK_KEY + ")");
            boolean superuser = queryBoolean(connection,
                    "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user");
            boolean installed = isInstalled(connection);
            if (!superuser && !installed) {
                connection.rollback();
                log.warn("DDL capture is off: installing its event triggers on {} needs a superuser, and user {} is not "
                        + "one. Schema changes will not be replicated; run pg_flo once as a superuser to install the "
                        + "capture, or turn DDL tracking off for this sink", where, connection.getMetaData().getUserName());
                return Installation.OFF;
            }
            String foreign = objectNotOwnedByASuperuser(connection);
            if (foreign != null) {
                connection.rollback();
                throw new ConfigurationException("schema " + SCHEMA + " on " + where + " holds " + foreign + ", owned by "
                        + "a role that is not a superuser, so the DDL capture would trust what that role writes; as a "
                        + "superuser, drop schema " + SCHEMA + " (CASCADE) and start again, or turn DDL tracking off");
            }
            if (!superuser && !mayPublishChanges(connection)) {
                connection.rollback();
                log.warn("DDL capture is installed on {} but user {} may not publish {} (only its owner may add it to a "
                        + "publication); schema changes will not be replicated for group {}", where,
                        connection.getMetaData().getUserName(), CHANGES_TABLE, group);
                return Installation.OFF;
            }
            boolean schemaExisted = queryBoolean(connection,
                    "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = '" + SCHEMA + "')");
            if (superuser) {
                createObjects(statement, installed);
            }
            boolean registeredGroup = register(connection, group, tables, !installed);
            connection.commit();
            log.info("DDL capture active for {} (event triggers pg_flo_ddl_command_end, pg_flo_sql_drop)", tables);
            return new Installation(true, superuser && !installed, !schemaExisted, registeredGroup);
        } catch (SQLException e) {
            connection.rollback();
            if ("42501".equals(e.getSQLState())) {
                log.warn("DDL capture is installed on {} but user {} may not register group {} with it ({}); schema "
                        + "changes will not be replicated for this group until a superuser runs pg_flo once", where,
                        connection.getMetaData().getUserName(), group, PgConnections.firstLine(e.getMessage()));
                return Installation.OFF;
            }
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * An object in the capture's schema (the schema itself, a table, a function) whose owner is not a superuser, or
     * null. CREATE ... IF NOT EXISTS and CREATE OR REPLACE keep an existing object and its owner: a role that made the
     * schema first could write change rows the sink trusts, or swap the trigger function for one that runs as
     * whoever issues DDL.
     */
    private static String objectNotOwnedByASuperuser(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT o.what FROM (
                  SELECT 'the schema itself' AS what, n.nspowner AS owner FROM pg_catalog.pg_namespace n
                      WHERE n.nspname = ?
                  UNION ALL SELECT 'relation ' || c.relname, c.relowner FROM pg_catalog.pg_class c
                      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?
                  UNION ALL SELECT 'function ' || p.proname, p.proowner FROM pg_catalog.pg_proc p
                      JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ?
                ) o JOIN pg_catalog.pg_roles r ON r.oid = o.owner WHERE NOT r.rolsuper LIMIT 1""")) {
            statement.setString(1, SCHEMA);
            statement.setString(2, SCHEMA);
            statement.setString(3, SCHEMA);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private static void createObjects(Statement statement, boolean installed) throws SQLException {
        statement.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
        statement.execute("REVOKE ALL ON SCHEMA " + SCHEMA + " FROM PUBLIC");
        statement.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".ddl_capture_tables ("
                + "group_name text NOT NULL, table_oid oid NOT NULL, schema_name text NOT NULL, "
                + "table_name text NOT NULL, registered_at timestamptz NOT NULL DEFAULT now(), "
                + "PRIMARY KEY (group_name, table_oid))");
        statement.execute("CREATE INDEX IF NOT EXISTS ddl_capture_tables_oid ON " + SCHEMA
                + ".ddl_capture_tables (table_oid)");
        statement.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".table_definitions ("
                + "table_oid oid PRIMARY KEY, definition jsonb NOT NULL)");
        statement.execute("CREATE TABLE IF NOT EXISTS " + CHANGES_TABLE + " ("
                + "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, table_oid oid NOT NULL, "
                + "schema_name text NOT NULL, table_name text NOT NULL, previous jsonb, definition jsonb NOT NULL, "
                + "captured_at timestamptz NOT NULL DEFAULT now())");
        for (String table : List.of("ddl_capture_tables", "table_definitions", "schema_changes")) {
            statement.execute("REVOKE ALL ON " + SCHEMA + "." + table + " FROM PUBLIC");
        }
        statement.execute(DEFINITION_FUNCTION);
        statement.execute(RECORD_FUNCTION);
        statement.execute(CAPTURE_FUNCTION);
        statement.execute("REVOKE ALL ON FUNCTION " + SCHEMA + ".table_definition(oid) FROM PUBLIC");
        statement.execute("REVOKE ALL ON FUNCTION " + SCHEMA + ".record_change(oid) FROM PUBLIC");
        // Versions before the catalog-based capture wrote logical messages through this function.
        statement.execute("DROP FUNCTION IF EXISTS " + SCHEMA + ".emit_ddl(text, text, text)");
        if (!installed) {
            statement.execute("DROP EVENT TRIGGER IF EXISTS pg_flo_ddl_command_end");
            statement.execute("DROP EVENT TRIGGER IF EXISTS pg_flo_sql_drop");
            statement.execute("CREATE EVENT TRIGGER pg_flo_ddl_command_end ON ddl_command_end "
                    + "EXECUTE FUNCTION " + SCHEMA + ".capture_ddl()");
            statement.execute("CREATE EVENT TRIGGER pg_flo_sql_drop ON sql_drop "
                    + "EXECUTE FUNCTION " + SCHEMA + ".capture_ddl()");
        }
    }

    /**
     * Replaces the group's registered tables with {@code tables}, keyed by OID, and records the definition of each
     * that has none yet (all of them, when the triggers were missing and recorded ones may be stale). True when the
     * group had no registration before.
     */
    private static boolean register(Connection connection, String group, List<TableName> tables, boolean refresh)
            throws SQLException {
        int before;
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM " + SCHEMA + ".ddl_capture_tables WHERE group_name = ?")) {
            delete.setString(1, group);
            before = delete.executeUpdate();
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
        try (PreparedStatement record = connection.prepareStatement("INSERT INTO " + SCHEMA + ".table_definitions "
                + "(table_oid, definition) SELECT t.table_oid, " + SCHEMA + ".table_definition(t.table_oid) "
                + "FROM " + SCHEMA + ".ddl_capture_tables t WHERE t.group_name = ? "
                + "ON CONFLICT (table_oid) DO " + (refresh ? "UPDATE SET definition = EXCLUDED.definition" : "NOTHING"))) {
            record.setString(1, group);
            record.executeUpdate();
        }
        return before == 0;
    }

    /**
     * Undoes what a start that failed did: the whole capture when that start installed it, else the group's
     * registration when that start made it.
     */
    static void undo(Connection connection, String group, Installation installation) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (installation.createdTriggers()) {
                statement.execute("DROP EVENT TRIGGER IF EXISTS pg_flo_ddl_command_end");
                statement.execute("DROP EVENT TRIGGER IF EXISTS pg_flo_sql_drop");
                log.info("removed the DDL capture triggers installed by this run, which did not start");
            }
            if (installation.createdSchema()) {
                statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            } else if (installation.registeredGroup()) {
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM " + SCHEMA + ".ddl_capture_tables WHERE group_name = ?")) {
                    delete.setString(1, group);
                    delete.executeUpdate();
                }
            }
        }
    }

    private static boolean isInstalled(Connection connection) throws SQLException {
        return queryBoolean(connection, "SELECT count(*) = 2 FROM pg_catalog.pg_event_trigger "
                + "WHERE evtname IN ('pg_flo_ddl_command_end', 'pg_flo_sql_drop') AND evtenabled <> 'D'")
                && queryBoolean(connection, "SELECT pg_catalog.to_regclass('" + CHANGES_TABLE + "') IS NOT NULL");
    }

    /** Only a table's owner may add it to a publication. */
    private static boolean mayPublishChanges(Connection connection) throws SQLException {
        return queryBoolean(connection, "SELECT pg_catalog.pg_has_role(c.relowner, 'USAGE') FROM pg_catalog.pg_class c "
                + "WHERE c.oid = pg_catalog.to_regclass('" + CHANGES_TABLE + "')");
    }

    private static boolean queryBoolean(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() && rows.getBoolean(1);
        }
    }
}
