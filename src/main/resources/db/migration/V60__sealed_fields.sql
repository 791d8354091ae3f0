-- Data at rest (issue 14): testimony is stored only as ciphertext.
--
-- Each organisation has its own data keysets (Tink): an AEAD keyset
-- (AES-256-GCM) that seals the narrative, site, coordinates and complaint
-- reference of its incidents, the pseudonyms of its volunteers and its stored
-- idempotent responses; and a PRF keyset (HMAC-SHA256) whose output is the
-- pseudonym's blind index, so uniqueness per organisation holds without the
-- plaintext. Both are stored here wrapped by the key-encryption key, which
-- the database never sees (atrest/KeyEncryptionKey). Every ciphertext's
-- associated data names its organisation, record and field, so a ciphertext
-- moved to another row does not open.
--
-- Shredding an organisation sets both keysets to NULL: its sealed columns stay
-- as they are, unreadable forever (in backups too), while counts, which never
-- read them, stay intact.
--
-- No release has been deployed: the plaintext columns are dropped, not
-- converted. A development database from before this version loses those
-- fields (recreate it to get the demo data back whole).
--
-- Not under row-level security: the key operations (atrest/KeyOperations)
-- work across organisations, and a wrapped keyset is useless without the
-- key-encryption key.
CREATE TABLE organization_keyset (
    organization        text PRIMARY KEY REFERENCES organization (alias),
    aead_keyset         bytea,
    blind_index_keyset  bytea,
    created_at          timestamptz NOT NULL DEFAULT now(),
    rotated_at          timestamptz,
    shredded_at         timestamptz,
    CHECK ((shredded_at IS NULL) = (aead_keyset IS NOT NULL AND blind_index_keyset IS NOT NULL))
);
-- Created on an organisation's first write, re-wrapped and rotated in place,
-- shredded by setting the keysets to NULL; never deleted.
GRANT SELECT, INSERT, UPDATE ON organization_keyset TO ${app_role};

-- Coordinates are one sealed pair: either both or neither (as the CHECK of V1 was).
ALTER TABLE incident DROP COLUMN site, DROP COLUMN latitude, DROP COLUMN longitude,
    DROP COLUMN description, DROP COLUMN complaint_reference;
ALTER TABLE incident ADD COLUMN site_sealed bytea, ADD COLUMN coordinates_sealed bytea,
    ADD COLUMN description_sealed bytea, ADD COLUMN complaint_reference_sealed bytea;

-- The UNIQUE (organization, pseudonym) of V1 goes with its column; the blind
-- index carries it now. NOT VALID: rows written before this version (a
-- development database) have neither; every new or changed row must.
ALTER TABLE volunteer DROP COLUMN pseudonym;
ALTER TABLE volunteer ADD COLUMN pseudonym_sealed bytea, ADD COLUMN pseudonym_index bytea,
    ADD CONSTRAINT volunteer_pseudonym_sealed CHECK (pseudonym_sealed IS NOT NULL AND pseudonym_index IS NOT NULL) NOT VALID,
    ADD CONSTRAINT volunteer_pseudonym_index_key UNIQUE (organization, pseudonym_index);

-- A replayed response is a whole incident, narrative included.
ALTER TABLE idempotency_key DROP COLUMN response_body;
ALTER TABLE idempotency_key ADD COLUMN response_sealed bytea;
