package org.jointregistry.tenant;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jointregistry.common.ProblemException;
import org.jointregistry.common.ProblemType;

/**
 * Makes sure an organisation named by a valid token exists in the
 * `organization` table (name = alias until someone renames it), so that its
 * records' foreign keys hold when Keycloak gains a partner the registry has not
 * seen yet. Checked once per alias and process.
 */
@ApplicationScoped
public class OrganizationRegistry {

    /** The table's CHECK on aliases. */
    private static final Pattern ALIAS = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final Set<String> known = ConcurrentHashMap.newKeySet();

    @Inject
    EntityManager em;

    public void register(String alias) {
        if (known.contains(alias)) {
            return;
        }
        if (!ALIAS.matcher(alias).matches()) {
            throw new ProblemException(ProblemType.FORBIDDEN,
                    "Your token names an organisation alias the registry cannot accept.");
        }
        // In a transaction of its own, so that a rollback of the caller's work
        // cannot undo a registration this cache already remembers.
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "INSERT INTO organization (alias, name) VALUES (?1, ?1) ON CONFLICT (alias) DO NOTHING")
                .setParameter(1, alias)
                .executeUpdate());
        known.add(alias);
    }
}
