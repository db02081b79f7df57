package io.pgflo.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands the {@linkplain TestPostgres#shared() shared server} to test constructors, test methods and lifecycle methods
 * that declare a {@link TestPostgres} parameter.
 *
 * <pre>{@code
 * @ExtendWith(PostgresExtension.class)
 * class SlotTest {
 *     @Test
 *     void createsSlot(TestPostgres pg) {
 *         String db = pg.createDatabase("slot");
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>The server starts before the class's first test, so a server that cannot start fails the class's set-up once
 * instead of every test.
 */
public final class PostgresExtension implements BeforeAllCallback, ParameterResolver {
    @Override
    public void beforeAll(ExtensionContext context) {
        TestPostgres.shared();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestPostgres.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return TestPostgres.shared();
    }
}
