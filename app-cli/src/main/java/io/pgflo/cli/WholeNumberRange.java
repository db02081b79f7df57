package io.pgflo.cli;

import com.beust.jcommander.IParameterValidator;
import com.beust.jcommander.ParameterException;

/**
 * Whole-number flags checked against their range as text, before JCommander converts them: a value out of the
 * type's range is then a sentence naming the flag, not a NumberFormatException.
 */
abstract class WholeNumberRange implements IParameterValidator {
    private final long min;
    private final long max;

    WholeNumberRange(long min, long max) {
        this.min = min;
        this.max = max;
    }

    @Override
    public void validate(String name, String value) {
        long number;
        try {
            number = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw outOfRange(name, value);
        }
        if (number < min || number > max) {
            throw outOfRange(name, value);
        }
    }

    private ParameterException outOfRange(String name, String value) {
        return new ParameterException(name + " must be a whole number from " + min + " to " + max + ", got '" + value + "'");
    }

    /** At least 1, and an int. */
    public static final class Positive extends WholeNumberRange {
        public Positive() {
            super(1, Integer.MAX_VALUE);
        }
    }

    /** At least 0, and an int. */
    public static final class NonNegative extends WholeNumberRange {
        public NonNegative() {
            super(0, Integer.MAX_VALUE);
        }
    }

    /** Milliseconds: at least 1, at most a day. */
    public static final class PositiveMillis extends WholeNumberRange {
        public PositiveMillis() {
            super(1, 86_400_000L);
        }
    }

    /** Milliseconds: at least 0, at most a day. */
    public static final class NonNegativeMillis extends WholeNumberRange {
        public NonNegativeMillis() {
            super(0, 86_400_000L);
        }
    }
}
