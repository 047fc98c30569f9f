-- Without preloading, a lapse-driven waitlist offer comes with the next
-- expire_holds() call (issue 24), in its transaction.
SET TimeZone = 'UTC';
\set org '''b0000000-0000-0000-0000-000000000024'''

SELECT booking.join_waitlist(:org, 'dr-wait', '2031-07-03 09:00Z', '2031-07-03 09:30Z',
                             caller_ref => 'waiting-1')->>'waitlist_id' AS entry \gset
SELECT booking.claim_slot(:org, 'dr-wait', '2031-07-03 09:00Z', '30 minutes',
                          ttl => '200 milliseconds')->>'hold_id' AS short_hold \gset
SELECT pg_sleep(0.3);
-- Lapsed but not swept: nobody has offered its time yet.
SELECT booking.waitlist_status(:org, :'entry')->>'status' AS before_the_sweep;
SELECT booking.expire_holds() >= 1 AS swept;
SELECT booking.waitlist_status(:org, :'entry')->>'status' AS after_the_sweep,
       booking.waitlist_status(:org, :'entry')->>'starts_at' AS offered_at;
