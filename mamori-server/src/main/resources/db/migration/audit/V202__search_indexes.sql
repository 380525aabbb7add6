-- "Who read this patient" and "what did this user touch" are the questions asked most.
CREATE INDEX audit_event_patient ON audit_event (patient_id, recorded_at DESC) WHERE patient_id IS NOT NULL;
CREATE INDEX audit_event_login ON audit_event (login_id, recorded_at DESC);
