-- Beheer → Machtigingen and Overzicht: indexes for the filtered lists, the overview's
-- counts (50,000 people, 200,000 authorisations) and the expiry job.
CREATE INDEX authorisations_org_state_until ON authorisations (organisation_id, state, valid_until);
CREATE INDEX authorisations_org_counts ON authorisations (organisation_id, state, scope, service_id, level);
CREATE INDEX authorisations_state_until ON authorisations (state, valid_until);
CREATE INDEX means_org_level_state ON means (organisation_id, level, state);
-- The person × service matrix and the means lists page through people by name.
CREATE INDEX persons_name ON persons (surname, given_names, id);
