package io.pgflo.cli;

import com.beust.jcommander.IParameterValidator;
import com.beust.jcommander.ParameterException;
import java.util.List;

/** libpq's sslmode values; a typo would otherwise reach the driver and come back as a connection failure. */
public final class SslModeValidator implements IParameterValidator {
    static final List<String> MODES = List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    @Override
    public void validate(String name, String value) {
        if (!MODES.contains(value)) {
            throw new ParameterException(name + " must be one of " + String.join(", ", MODES) + ", got '" + value + "'");
        }
    }
}
