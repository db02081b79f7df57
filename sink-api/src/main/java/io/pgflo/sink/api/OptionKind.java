package io.pgflo.sink.api;

/** What kind of value an {@link Option} takes: for help text and configuration files, which show it to people. */
public enum OptionKind {
    TEXT("text"),
    WHOLE_NUMBER("number"),
    BOOLEAN("true|false"),
    DURATION("duration"),
    BYTE_SIZE("size"),
    PATH("path"),
    CHOICE("choice");

    private final String placeholder;

    OptionKind(String placeholder) {
        this.placeholder = placeholder;
    }

    /** How help text names a value of this kind: {@code --max-file-age <duration>}. */
    public String placeholder() {
        return placeholder;
    }
}
