package io.pgflo.sink.file;

import com.beust.jcommander.IStringConverter;
import com.beust.jcommander.ParameterException;

/**
 * Checks a {@code --file-mode} value while the command line is parsed, before anything connects, and keeps the text,
 * so that the help shows the default as {@code 0600}.
 */
final class FileModeConverter implements IStringConverter<String> {
    private final String flag;

    FileModeConverter(String flag) {
        this.flag = flag;
    }

    @Override
    public String convert(String value) {
        try {
            FileModeText.parse(flag, value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(e.getMessage());
        }
        return value;
    }
}
