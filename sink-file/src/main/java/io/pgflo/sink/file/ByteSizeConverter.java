package io.pgflo.sink.file;

import com.beust.jcommander.IStringConverter;
import com.beust.jcommander.ParameterException;

/**
 * Checks a {@code --max-file-size} value while the command line is parsed, before anything connects, and keeps the
 * text, so that the help shows the default as {@code 100MB}.
 */
final class ByteSizeConverter implements IStringConverter<String> {
    private final String flag;

    ByteSizeConverter(String flag) {
        this.flag = flag;
    }

    @Override
    public String convert(String value) {
        try {
            ByteSizeText.parse(flag, value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(e.getMessage());
        }
        return value;
    }
}
