package org.jointregistry.stack;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The test profile of the classes that count the whole network: the aggregates and the
 * joint report are cross-tenant by design (the report has no organisation filter), so
 * their hand-counted figures hold only in a database no other class writes.
 * {@link RegistryStack} gives this profile a database of its own
 * ({@code REGISTRY_TEST_DB} + {@code _network}), created afresh when the profile starts.
 *
 * <p>The suite's one isolation rule: a class writes either under unique names (its own
 * organisations, external ids, pseudonyms) in the shared database, or under this
 * profile, where each class starts from the fixture it loads. No class empties the
 * shared database.
 */
public class WholeNetwork implements QuarkusTestProfile {
}
