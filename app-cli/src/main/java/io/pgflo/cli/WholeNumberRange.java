package io.pgflo.cli;

import com.beust.jcommander.IParameterValidator;
import com.beust.jcommander.ParameterException;
import io.pgflo.sink.api.Option;

/**
 * Whole-number flags checked against their range as text, before JCommander converts them: a value out of the
 * type's range is then a sentence naming the flag, not a NumberFormatException. The check is sink options' own
 * ({@link Option#wholeNumber}), so common flags and sink flags read alike.
 */
abstract class WholeNumberRange implements IParameterValidator {
    private final int min;
    private final int max;

    WholeNumberRange(int min, int max) {
        this.min = min;
        this.max = max;
    }

    @Override
    public void validate(String name, String value) {
        try {
            Option.wholeNumber(name.replaceFirst("^-+", ""), min, max).build().parse(value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(e.getMessage());
        }
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
            super(1, 86_400_000);
        }
    }

    /** Milliseconds: at least 0, at most a day. */
    public static final class NonNegativeMillis extends WholeNumberRange {
        public NonNegativeMillis() {
            super(0, 86_400_000);
        }
    }
}
