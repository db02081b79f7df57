package io.pgflo.cli;

import com.beust.jcommander.IParameterValidator;
import com.beust.jcommander.ParameterException;

/** Ports are 1 to 65535. */
public final class PortValidator implements IParameterValidator {
    @Override
    public void validate(String name, String value) {
        int port;
        try {
            port = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ParameterException(name + " must be a port number from 1 to 65535, got '" + value + "'");
        }
        if (port < 1 || port > 65535) {
            throw new ParameterException(name + " must be a port number from 1 to 65535, got " + port);
        }
    }
}
