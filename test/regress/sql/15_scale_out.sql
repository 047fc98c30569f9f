-- Without Citus, distribute_by_tenant() refuses and says what to do; and
-- only the extension's owner may call it at all.
SELECT test_error($$SELECT booking.distribute_by_tenant()$$);
CREATE ROLE scale_out_staff NOLOGIN;
SELECT count(*) > 0 AS granted FROM unnest(booking.grant_access('scale_out_staff', 'staff'));
SET ROLE scale_out_staff;
SELECT test_error($$SELECT booking.distribute_by_tenant()$$);
RESET ROLE;
SELECT count(*) > 0 AS revoked FROM unnest(booking.revoke_access('scale_out_staff'));
DROP ROLE scale_out_staff;
