-- The owner's bookings list asks for one resource's bookings that overlap a week, every
-- status included. The no-overlap constraint's index leaves cancelled rows out, so it can
-- only narrow by resource; this one narrows by resource and period, so a week costs the
-- week's rows, not the resource's whole history.
CREATE INDEX IF NOT EXISTS "bookings_resource_period_idx" ON "bookings"
  USING gist (resource_id, tstzrange(starts_at, ends_at, '[)'));
