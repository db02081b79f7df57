package io.pgflo.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Replaces every match of a pattern, as pg_flo does (Go's {@code ReplaceAllString}): in the replacement, {@code $1} or
 * {@code ${1}} is a group by number, {@code $name} or {@code ${name}} by name, {@code $$} a dollar sign, and everything
 * else, backslashes included, is literal. Go's {@code (?P<name>...)} groups are accepted. A reference to a group the
 * pattern does not have is an error at load (Go would silently write nothing).
 */
final class RegexTransform implements Transform {
    private final Pattern pattern;
    /** Literal strings and group references ({@code Integer} or {@code String} names), in order. */
    private final List<Object> parts;

    private RegexTransform(Pattern pattern, List<Object> parts) {
        this.pattern = pattern;
        this.parts = parts;
    }

    /** @throws IllegalArgumentException saying what is wrong with the pattern or the replacement */
    static RegexTransform compile(String regex, String replacement) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex.replace("(?P<", "(?<"));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("pattern does not compile: " + e.getDescription() + " near index "
                    + e.getIndex() + " of '" + regex + "'");
        }
        List<Object> parts = parse(replacement);
        int groups = pattern.matcher("").groupCount();
        for (Object part : parts) {
            if (part instanceof Integer group && group > groups) {
                throw new IllegalArgumentException("replace refers to group $" + group + " but the pattern has "
                        + groups + (groups == 1 ? " group" : " groups"));
            }
            if (part instanceof Group named && !groupNames(pattern.pattern()).contains(named.name())) {
                throw new IllegalArgumentException("replace refers to group '" + named.name() + "', which the "
                        + "pattern does not name; write ${1}" + named.name().replaceFirst("^[0-9]+", "")
                        + " for group 1 followed by text");
            }
        }
        return new RegexTransform(pattern, parts);
    }

    private record Group(String name) {}

    private static final Pattern NAMED_GROUP = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

    private static java.util.Set<String> groupNames(String regex) {
        java.util.Set<String> names = new java.util.HashSet<>();
        Matcher matcher = NAMED_GROUP.matcher(regex);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static List<Object> parse(String replacement) {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < replacement.length()) {
            char c = replacement.charAt(i);
            if (c != '$' || i + 1 == replacement.length()) {
                literal.append(c);
                i++;
                continue;
            }
            char next = replacement.charAt(i + 1);
            if (next == '$') {
                literal.append('$');
                i += 2;
                continue;
            }
            String name;
            int end;
            if (next == '{') {
                end = replacement.indexOf('}', i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("replace has '${' without its '}'");
                }
                name = replacement.substring(i + 2, end);
                end++;
            } else {
                end = i + 1;
                while (end < replacement.length() && isNameChar(replacement.charAt(end))) {
                    end++;
                }
                name = replacement.substring(i + 1, end);
            }
            if (name.isEmpty() || !name.chars().allMatch(ch -> isNameChar((char) ch))) {
                literal.append(c); // Go writes a '$' that starts no reference as it is
                i++;
                continue;
            }
            if (literal.length() > 0) {
                parts.add(literal.toString());
                literal.setLength(0);
            }
            parts.add(name.chars().allMatch(Character::isDigit) ? (Object) Integer.parseInt(name) : new Group(name));
            i = end;
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
        return List.copyOf(parts);
    }

    private static boolean isNameChar(char c) {
        return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    @Override
    public String apply(String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        int last = 0;
        do {
            out.append(text, last, matcher.start());
            for (Object part : parts) {
                if (part instanceof String literal) {
                    out.append(literal);
                } else {
                    String group = part instanceof Integer number ? matcher.group(number)
                            : matcher.group(((Group) part).name());
                    if (group != null) {
                        out.append(group);
                    }
                }
            }
            last = matcher.end();
        } while (matcher.find());
        return out.append(text, last, text.length()).toString();
    }

    @Override
    public boolean mayMerge() {
        return true;
    }
}
