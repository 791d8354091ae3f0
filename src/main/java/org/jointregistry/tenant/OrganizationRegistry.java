package org.jointregistry.tenant;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Makes sure an organisation named by a valid token exists in the
 * `organization` table (name = alias until someone renames it), so that its
 * records' foreign keys hold when Keycloak gains a partner the registry has not
 * seen yet. Checked once per alias and process; called at authentication by
 * {@link OrganizationRegistration}.
 */
@ApplicationScoped
public class OrganizationRegistry {

    /** The table's CHECK on aliases. */
    private static final Pattern ALIAS = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final Set<String> known = ConcurrentHashMap.newKeySet();

    @Inject
    EntityManager em;

    /** Whether the table can hold this alias. */
    static boolean acceptable(String alias) {
        return ALIAS.matcher(alias).matches();
    }

    /** The acceptable aliases among {@code aliases} not registered by this process yet. */
    List<String> unregistered(Collection<String> aliases) {
        return aliases.stream().filter(alias -> !known.contains(alias) && acceptable(alias)).toList();
    }

    /** Registers acceptable aliases (blocking: it writes to the database). */
    void register(List<String> aliases) {
        // In a transaction of its own, so that no rollback of other work can
        // undo a registration this cache already remembers.
        QuarkusTransaction.requiringNew().run(() -> aliases.forEach(alias -> em.createNativeQuery(
                "INSERT INTO organization (alias, name) VALUES (?1, ?1) ON CONFLICT (alias) DO NOTHING")
                .setParameter(1, alias)
                .executeUpdate()));
        known.addAll(aliases);
    }
}
