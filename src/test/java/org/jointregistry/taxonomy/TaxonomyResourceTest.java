package org.jointregistry.taxonomy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TaxonomyResourceTest {

    @Test
    void servesTheContractsCodesWithBothLabels() {
        given().when().get("/api/v1/taxonomy")
                .then().statusCode(200)
                .body("categoryGroups.code", contains("pressure", "obstruction", "violence"))
                .body("categoryGroups[0].categories.code", contains("surveillance_observation",
                        "surveillance_filming", "surveillance_tailing", "identity_check", "body_search",
                        "vehicle_search"))
                .body("categoryGroups[1].categories", hasSize(7))
                .body("categoryGroups[2].categories.code", contains("physical_violence", "abuse_of_power", "threat",
                        "insult"))
                .body("categoryGroups[0].categories[3].label.en", equalTo("Identity check"))
                .body("categoryGroups[0].categories[3].label.fr", equalTo("Contrôle d'identité"))
                .body("policeForces.code", contains("crs", "police_nationale", "gendarmerie",
                        "police_aux_frontieres", "police_municipale", "other", "unknown"))
                .body("complaintBodies.code", contains("igpn", "prosecutor", "defenseur_des_droits", "other"))
                .body("complaintStatuses.code", contains("none", "planned", "filed", "dismissed", "upheld"))
                .body("incidentStatuses.code", contains("draft", "submitted", "verified", "retracted"))
                .body("volunteerGenders.code", contains("female", "male", "non_binary", "undisclosed"))
                .body("volunteerGenders[3].label.fr", equalTo("Non communiqué"));
    }
}
