-- Shared events: the only two cross-organisation steps of linking (contract
-- §8), as narrow SECURITY DEFINER functions owned by the owning role. The
-- acting organisation is the transaction's app.organization, never an
-- argument, so the service cannot act for another tenant through them; they
-- return no incident id, external id, field or version of another
-- organisation. Tables: V50__shared_events.sql.

-- Redeems a link code (given as its SHA-256) for the caller's incident
-- `joining` at `redeemed_at`. Outcomes:
-- * 'joined' with the code's event: the code is now used (by this
--   transaction: if it rolls back, the code is unused again);
-- * 'invalid': no such code, or used, or expired (one answer for all three);
-- * 'issuer': the code was issued for `joining` itself (the code stays unused).
-- The row lock makes concurrent redemptions of one code take turns: the
-- second sees the first's used_at and gets 'invalid'.
CREATE OR REPLACE FUNCTION shared_event_redeem(hash bytea, joining uuid, redeemed_at timestamptz)
RETURNS TABLE (outcome text, event_id uuid)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
DECLARE
    acting text := nullif(current_setting('app.organization', true), '');
    code event_link_code;
BEGIN
    IF acting IS NULL THEN
        RAISE EXCEPTION 'no active organisation' USING ERRCODE = '42501';
    END IF;
    SELECT * INTO code FROM event_link_code c WHERE c.code_sha256 = hash FOR UPDATE;
    IF NOT FOUND OR code.used_at IS NOT NULL OR code.expires_at <= redeemed_at THEN
        RETURN QUERY SELECT 'invalid'::text, NULL::uuid;
    ELSIF code.organization = acting AND code.incident_id = joining THEN
        RETURN QUERY SELECT 'issuer'::text, NULL::uuid;
    ELSE
        UPDATE event_link_code c SET used_at = redeemed_at, used_by = acting
        WHERE c.code_sha256 = hash;
        RETURN QUERY SELECT 'joined'::text, code.event_id;
    END IF;
END $$;

-- The partners (aliases, sorted) with live reports in an event and how many
-- live reports it has, for an organisation that has a live report in it
-- itself; no row for anyone else.
CREATE OR REPLACE FUNCTION shared_event_partners(of_event uuid)
RETURNS TABLE (organizations text[], reports bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
DECLARE
    acting text := nullif(current_setting('app.organization', true), '');
BEGIN
    IF NOT EXISTS (SELECT FROM incident i
                   WHERE i.organization = acting AND i.event_id = of_event AND i.deleted_at IS NULL) THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT array_agg(DISTINCT i.organization ORDER BY i.organization), count(*)
    FROM incident i
    WHERE i.event_id = of_event AND i.deleted_at IS NULL;
END $$;

REVOKE ALL ON FUNCTION shared_event_redeem(bytea, uuid, timestamptz), shared_event_partners(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION shared_event_redeem(bytea, uuid, timestamptz), shared_event_partners(uuid)
    TO ${app_role};
