package org.jointregistry.demo;

import java.util.UUID;
import org.jointregistry.taxonomy.Gender;

/** A generated pseudonymous volunteer; {@code nationality} is ISO 3166-1 alpha-2 or null. */
public record DemoVolunteer(String organization, UUID id, String pseudonym, Gender gender, String nationality) {
}
