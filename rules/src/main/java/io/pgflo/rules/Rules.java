package io.pgflo.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgflo.domain.ChangeShaper;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.TableName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A rules file (pg_flo's {@code --rules-config} format): {@code tables:} maps each table to its list of rules.
 *
 * <p>Two steps, so that nothing is created on the source before the file is known good: {@link #load} reads and
 * checks the file on its own (YAML, keys, rule types, operators, regexes, CEL expressions); {@link #shaper} checks it
 * against the source's tables ({@link #tables} says which to describe) and returns the engine's {@link ChangeShaper}.
 * Both throw {@link RulesException}, one line naming file:line:column.
 */
public final class Rules {
    private final Map<String, Section> sections;

    private record Section(Node where, List<RuleReader.Draft> drafts) {
        TableRules bind(TableInfo table) {
            List<Rule> rules = new ArrayList<>();
            for (RuleReader.Draft draft : drafts) {
                try {
                    rules.add(draft.bind(table));
                } catch (TableInfo.ColumnAbsent e) {
                    // Only for a key-only table: the rule's column is not in the key, so it has nothing to act on.
                }
            }
            return new TableRules(rules);
        }
    }

    private Rules(Map<String, Section> sections) {
        this.sections = sections;
    }

    /** Reads and checks {@code file}. */
    public static Rules load(Path file) {
        return read(YamlNodes.read(file));
    }

    /**
     * Reads rules already parsed elsewhere (the config file's inline {@code rules:} section); errors name
     * {@code source} and the path in the tree, as {@code pg_flo.yaml at rules.tables.users[0].column}.
     */
    public static Rules fromTree(JsonNode tree, String source) {
        return read(YamlNodes.fromTree(tree, source));
    }

    private static Rules read(Node root) {
        Map<String, Node> top = root.map("a rules file");
        for (Map.Entry<String, Node> entry : top.entrySet()) {
            if (!entry.getKey().equals("tables")) {
                throw new RulesException(root.whereKey(entry.getKey()) + ": unknown key '" + entry.getKey()
                        + "' at the top of the rules; expected tables");
            }
        }
        Node tables = top.get("tables");
        if (tables == null) {
            throw RulesException.at(root, "'tables' is missing; write tables: with a list of rules under each table");
        }
        Map<String, Section> sections = new LinkedHashMap<>();
        if (tables.value() == null) {
            return new Rules(sections);
        }
        for (Map.Entry<String, Node> table : tables.map("tables").entrySet()) {
            List<RuleReader.Draft> drafts = new ArrayList<>();
            Node rules = table.getValue();
            if (rules.value() != null) {
                for (Node rule : rules.list("the rules of table " + table.getKey())) {
                    drafts.add(RuleReader.read(rule));
                }
            }
            sections.put(table.getKey(), new Section(rules, drafts));
        }
        return new Rules(sections);
    }

    /** Whether the file has no rule at all. */
    public boolean isEmpty() {
        return sections.values().stream().allMatch(section -> section.drafts().isEmpty());
    }

    /** The tables the rules name; a name without a schema is in {@code defaultSchema} (the stream's {@code --schema}). */
    public Set<TableName> tables(String defaultSchema) {
        Set<TableName> names = new LinkedHashSet<>();
        sections.keySet().forEach(name -> names.add(name(name, defaultSchema)));
        return names;
    }

    /**
     * The rules bound to the source's tables: {@code catalog} holds each table of {@link #tables} that exists, with
     * its columns ({@link Column#partOfKey()} marking its replication key).
     *
     * @throws RulesException for a table or column the source does not have, a transform of a column that is not
     *     text or is part of the key, an excluded key column, a filter value that is not of its column's type
     */
    public ChangeShaper shaper(String defaultSchema, Map<TableName, List<Column>> catalog) {
        Map<TableName, TableRules> bound = new LinkedHashMap<>();
        byTable(defaultSchema).forEach((name, section) -> {
            List<Column> columns = catalog.get(name);
            if (columns == null) {
                throw RulesException.at(section.where(), "table " + name + " does not exist in the source"
                        + " (write schema.table for a table outside schema " + defaultSchema + ")");
            }
            TableRules rules = section.bind(TableInfo.of(name, columns));
            if (!rules.rules().isEmpty()) {
                bound.put(name, rules);
            }
        });
        return bound.isEmpty() ? ChangeShaper.NONE : new RulesShaper(bound);
    }

    /**
     * The rules for a process without the source's catalog (a worker reading from NATS): the file was checked on its
     * own at {@link #load}; each table's rules are checked against, and bound to, the columns its first change
     * carries, and a mistake there is a {@link RulesException} thrown before that change is delivered.
     */
    public ChangeShaper shaperWithoutCatalog(String defaultSchema) {
        Map<TableName, Function<TableInfo, TableRules>> binders = new LinkedHashMap<>();
        byTable(defaultSchema).forEach((name, section) -> {
            if (!section.drafts().isEmpty()) {
                binders.put(name, section::bind);
            }
        });
        return binders.isEmpty() ? ChangeShaper.NONE : new LazilyBoundRules(binders);
    }

    /** The sections by the table they name; a table under two spellings ({@code users}, {@code public.users}) is refused. */
    private Map<TableName, Section> byTable(String defaultSchema) {
        Map<TableName, Section> tables = new LinkedHashMap<>();
        Map<TableName, String> writtenAs = new LinkedHashMap<>();
        for (Map.Entry<String, Section> section : sections.entrySet()) {
            TableName name = name(section.getKey(), defaultSchema);
            String earlier = writtenAs.putIfAbsent(name, section.getKey());
            if (earlier != null) {
                throw RulesException.at(section.getValue().where(), "table " + name + " has rules under both '"
                        + earlier + "' and '" + section.getKey() + "'; keep them under one");
            }
            tables.put(name, section.getValue());
        }
        return tables;
    }

    private static TableName name(String written, String defaultSchema) {
        int dot = written.indexOf('.');
        return dot < 0 ? new TableName(defaultSchema, written)
                : new TableName(written.substring(0, dot), written.substring(dot + 1));
    }
}
