package io.pgflo.cli;

import com.beust.jcommander.IParameterValidator;
import com.beust.jcommander.ParameterException;

/** {@code --log-format}: text or json. */
public final class LogFormatValidator implements IParameterValidator {
    @Override
    public void validate(String name, String value) {
        try {
            LogFormat.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(e.getMessage());
        }
    }
}
