package io.pgflo.sink.file;

import com.beust.jcommander.IStringConverter;
import com.beust.jcommander.ParameterException;

/**
 * Checks a duration flag's value while the command line is parsed, before anything connects, and keeps the text, so
 * that the help shows the default as {@code 1h}.
 */
final class DurationConverter implements IStringConverter<String> {
    private final String flag;

    DurationConverter(String flag) {
        this.flag = flag;
    }

    @Override
    public String convert(String value) {
        try {
            DurationText.parse(flag, value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(e.getMessage());
        }
        return value;
    }
}
