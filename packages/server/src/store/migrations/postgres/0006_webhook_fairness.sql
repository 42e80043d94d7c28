-- Fair webhook delivery (SPEC §9.4): the dispatcher claims per endpoint (at most 4 in flight each),
-- so it reads each endpoint's oldest due deliveries; this index answers that without walking the
-- endpoint's whole delivery history.
CREATE INDEX webhook_deliveries_due_by_endpoint ON webhook_deliveries (endpoint_id, next_attempt_at)
  WHERE status = 'pending';
