package dev.tpo.workflows;

import io.temporal.testing.TestWorkflowEnvironment;

/** A test server with the search attributes registered, as every real namespace running TPO has them. */
final class TestEnvironments {
    private TestEnvironments() {}

    static TestWorkflowEnvironment withSearchAttributes() {
        TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
        TpoSearchAttributes.registration().forEach(env::registerSearchAttribute);
        return env;
    }
}
