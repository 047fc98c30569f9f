-- Two kinds of tenant, 500 each, in one database so every run meets the
-- same server: "plain" tenants book their calendar dr by its id; "pool"
-- tenants book the pool any of two calendars (dr-a, dr-b, round_robin) by
-- the pool's id. Every calendar is set up alike (no rule), so the
-- difference is what choosing a member costs.
SELECT booking.set_calendar(('00000000-0000-0000-0000-' || lpad(g::text, 12, '0'))::uuid, 'dr')
FROM generate_series(1, 500) g;
SELECT booking.set_calendar(('00000000-0000-0000-0000-' || lpad(g::text, 12, '0'))::uuid, c)
FROM generate_series(501, 1000) g, unnest(ARRAY['dr-a', 'dr-b']) c;
SELECT booking.set_pool(('00000000-0000-0000-0000-' || lpad(g::text, 12, '0'))::uuid, 'any',
                        ARRAY['dr-a', 'dr-b'])
FROM generate_series(501, 1000) g;
