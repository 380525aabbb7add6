-- The dashboard counts failed sign-ins of the last day; there are few of them among many events.
CREATE INDEX audit_event_security_failures ON audit_event (recorded_at) WHERE kind = 'security' AND outcome = 'FAILURE';
