package io.pgflo.routing;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pgflo.domain.TableRoutes;
import io.pgflo.domain.TableRoutes.Route;
import io.pgflo.routing.RouteSpec.ColumnMapping;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.TableName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A routing configuration in pg_flo's format ({@code --routing-config}): per source table a {@code destination_table},
 * {@code column_mappings: [{source, destination}]} and {@code operations}. Loading checks the form and says where a
 * mistake is ({@code file:line:column}); {@link #resolve} checks it against the replicated tables and their columns
 * and gives the {@link TableRoutes} that {@link RoutingShaper} applies.
 *
 * <p>Every error is a {@link ConfigurationException} with one line naming the place and what to fix.
 */
public final class Routes {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private final List<RouteSpec> specs;

    private Routes(List<RouteSpec> specs) {
        this.specs = List.copyOf(specs);
    }

    /** The routes in a YAML file of pg_flo's format; an empty file has none. */
    public static Routes load(Path file) {
        return load(file, "");
    }

    /**
     * The routes in one section of a YAML file, {@code section} being its JSON pointer ({@code /routing} for a
     * top-level {@code routing:} key): errors name the file's lines, as for a file of its own. A missing section has
     * no routes.
     */
    public static Routes load(Path file, String section) {
        requireNonNull(file, "file is null");
        requireNonNull(section, "section is null");
        byte[] text;
        try {
            text = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException("routing file " + file + " does not exist; check --routing-config");
        } catch (IOException e) {
            throw new ConfigurationException("cannot read routing file " + file + ": " + e.getMessage(), e);
        }
        String name = file.toString();
        try (JsonParser parser = YAML.getFactory().createParser(text)) {
            Locator locator = Locator.ofParser(name, parser, section);
            JsonNode root = YAML.readTree(text);
            JsonNode node = root == null ? null : root.at(section);
            return new Routes(new RoutesReader(locator).read(node));
        } catch (JsonProcessingException e) {
            JsonLocation place = e.getLocation();
            throw new ConfigurationException(name + (place == null ? "" : ":" + place.getLineNr() + ":"
                    + place.getColumnNr()) + ": not valid YAML: " + firstLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new ConfigurationException("cannot read routing file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The routes in a tree already parsed (the inline {@code routing:} of a config file); errors name {@code origin}
     * and the path of keys, having no lines to name.
     */
    public static Routes fromTree(JsonNode tree, String origin) {
        requireNonNull(origin, "origin is null");
        return new Routes(new RoutesReader(Locator.ofTree(origin, "")).read(tree));
    }

    public boolean isEmpty() {
        return specs.isEmpty();
    }

    /**
     * The routes of the replicated tables: each route's table must be one of them, each mapped column one of its
     * columns; no two tables may go out under one name, and no table may have two columns of one name after routing.
     *
     * @param replicated the group's tables with their columns, in the source's order
     * @throws ConfigurationException naming the route's place in the file and what to fix
     */
    public TableRoutes resolve(Map<TableName, List<String>> replicated) {
        Map<TableName, Route> routes = new LinkedHashMap<>();
        for (RouteSpec spec : specs) {
            TableName source = sourceTable(spec, replicated);
            if (routes.containsKey(source)) {
                throw new ConfigurationException(spec.at() + ": " + source + " has a second route here; keep one");
            }
            TableName destination = spec.destination() == null ? source : spec.destination().in(source.schema());
            List<String> columns = replicated.get(source);
            Map<String, String> renames = new LinkedHashMap<>();
            for (ColumnMapping mapping : spec.columns()) {
                if (!columns.contains(mapping.source())) {
                    throw new ConfigurationException(mapping.at() + ": " + source + " has no column " + mapping.source()
                            + "; its columns are " + String.join(", ", columns));
                }
                renames.put(mapping.source(), mapping.destination());
            }
            Map<String, String> named = new HashMap<>();
            for (String column : columns) {
                String name = renames.getOrDefault(column, column);
                String other = named.putIfAbsent(name, column);
                if (other != null) {
                    throw new ConfigurationException(spec.at() + ": " + destination + " would have two columns named "
                            + name + " (from " + other + " and " + column + "); map one of them to another name");
                }
            }
            routes.put(source, new Route(source, destination, renames, spec.operations()));
        }
        TableRoutes result = new TableRoutes(routes);
        Map<TableName, TableName> destinations = new HashMap<>();
        for (TableName table : replicated.keySet()) {
            TableName destination = result.destination(table);
            TableName other = destinations.putIfAbsent(destination, table);
            if (other != null) {
                TableName routed = routes.containsKey(table) ? table : other;
                throw new ConfigurationException(at(routed) + ": " + other + " and " + table + " would both go to "
                        + destination + ", merging two tables' rows and columns; route each to a table of its own");
            }
        }
        return result;
    }

    private String at(TableName source) {
        for (RouteSpec spec : specs) {
            if (spec.source().names(source)) {
                return spec.at();
            }
        }
        return "routing";
    }

    private static TableName sourceTable(RouteSpec spec, Map<TableName, List<String>> replicated) {
        List<TableName> matches = new ArrayList<>();
        for (TableName table : replicated.keySet()) {
            if (spec.source().names(table)) {
                matches.add(table);
            }
        }
        if (matches.isEmpty()) {
            throw new ConfigurationException(spec.at() + ": " + spec.source() + " is not one of the replicated tables ("
                    + String.join(", ", replicated.keySet().stream().map(TableName::toString).toList())
                    + "); check the name, or add it to --tables");
        }
        if (matches.size() > 1) {
            throw new ConfigurationException(spec.at() + ": " + spec.source() + " names " + matches.size()
                    + " replicated tables (" + String.join(", ", matches.stream().map(TableName::toString).toList())
                    + "); write it as schema.table");
        }
        return matches.get(0);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
