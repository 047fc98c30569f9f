-- The SQL contract as the README's "Reference" section states it: names,
-- argument names (PostgREST calls with named arguments), defaults,
-- return types, volatility, and the objects that make the guarantee.
BEGIN;
SELECT plan(152);

SELECT has_schema('booking');
SELECT has_table('booking', 'reservations', 'one table holds holds and appointments');
SELECT has_table('booking', 'audit_log', 'the audit log is a table');
SELECT has_view('booking', 'holds', 'holds is a view');
SELECT has_view('booking', 'appointments', 'appointments is a view');
SELECT has_view('booking', 'stats', 'the live statistics are a view too');
SELECT col_is_pk('booking', 'reservations', ARRAY['org_id', 'id'], 'reservations key leads with org_id');
SELECT col_is_pk('booking', 'audit_log', ARRAY['org_id', 'id'], 'audit_log key leads with org_id');
SELECT col_is_pk('booking', 'reservation_links', ARRAY['org_id', 'link_id', 'reservation_id'],
                 'the links of sets and series lead with org_id');
SELECT enum_has_labels('booking', 'reservation_status',
    ARRAY['held', 'confirmed', 'cancelled', 'completed', 'released', 'expired', 'requires_manual_followup']);
SELECT columns_are('booking', 'holds',
    ARRAY['org_id', 'id', 'calendar_id', 'starts_at', 'ends_at', 'status', 'expires_at', 'caller_ref',
          'patient_name', 'patient_phone', 'otp_sent_at', 'otp_attempts', 'verified_at', 'status_reason',
          'created_at', 'updated_at', 'set_id', 'series_id']);
SELECT columns_are('booking', 'appointments',
    ARRAY['org_id', 'id', 'calendar_id', 'starts_at', 'ends_at', 'status', 'contact_id', 'service_id',
          'service_type', 'patient_name', 'patient_phone', 'notes', 'metadata', 'verified_at', 'confirmed_at',
          'cancelled_at', 'status_reason', 'created_at', 'updated_at', 'set_id', 'series_id'],
    'appointments show the set and the series each belongs to');
SELECT columns_are('booking', 'audit_log', ARRAY['org_id', 'id', 'at', 'action', 'entity_id', 'actor', 'details']);
SELECT is((SELECT tgenabled::text FROM pg_trigger WHERE tgname = 'reservations_no_overlap' AND tgrelid = 'booking.reservations'::regclass),
          'A', 'the overlap guard fires always, in replica mode too');
SELECT throws_ok($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
                   VALUES (gen_random_uuid(), gen_random_uuid(), 'x', '2031-01-01 10:00Z', '2031-01-01 10:00Z', 'cancelled')$$,
                 '23514', NULL, 'empty ranges are impossible, whatever the status');
SELECT has_index('booking', 'reservations', 'reservations_caller_ref_active', ARRAY['org_id', 'caller_ref']);
SELECT index_is_unique('booking', 'reservations', 'reservations_caller_ref_active');
SELECT has_index('booking', 'reservations', 'reservations_idempotency_key', ARRAY['org_id', 'idempotency_key']);
SELECT index_is_unique('booking', 'reservations', 'reservations_idempotency_key');
SELECT is((SELECT array_agg(c::regclass::text ORDER BY c::regclass::text) FROM pg_extension, unnest(extconfig) c WHERE extname = 'booking'),
          ARRAY['booking.audit_log', 'booking.calendars', 'booking.event_consumers', 'booking.event_log',
                'booking.event_position', 'booking.event_queue', 'booking.org_policies', 'booking.pool_members', 'booking.pools',
                'booking.reservation_links', 'booking.reservations', 'booking.role_bindings', 'booking.waitlist'],
          'reservations, the audit log, calendars, pools, role bindings, the event outbox and the waitlist are dumped with the database (codes and the key are not)');

-- Every function: its argument names in order, and what it returns.
CREATE TEMP TABLE contract (name text, args text[], returns text, volatility "char") ON COMMIT DROP;
INSERT INTO contract VALUES
    ('set_pool', '{org_id,pool_id,calendars,strategy,weights}', 'jsonb', 'v'),
    ('drop_pool', '{org_id,pool_id}', 'jsonb', 'v'),
    ('claim_slot', '{org_id,calendar_id,starts_at,duration,caller_ref,patient_phone,patient_name,ttl,with_calendars}', 'jsonb', 'v'),
    ('extend_hold', '{org_id,hold_id,ttl}', 'jsonb', 'v'),
    ('release_hold', '{org_id,hold_id,reason}', 'jsonb', 'v'),
    ('hold_status', '{org_id,hold_id}', 'jsonb', 's'),
    ('confirm_hold', '{org_id,hold_id,contact_id,service_type,metadata}', 'jsonb', 'v'),
    ('book', '{org_id,calendar_id,starts_at,duration,contact_id,service_id,notes,metadata,idempotency_key,with_calendars}', 'jsonb', 'v'),
    ('check_availability', '{org_id,calendar_id,starts_at,duration}', 'jsonb', 's'),
    ('free_slots', '{org_id,calendar_id,from_ts,until_ts,duration,max_results,starts_at,ends_at,places_left}', 'record', 's'),
    ('cancel_appointment', '{org_id,appointment_id,reason,erase_pii,force}', 'jsonb', 'v'),
    ('book_series', '{org_id,calendar_id,first_starts_at,duration,every,count,contact_id,service_id,notes,metadata,with_calendars,idempotency_key}', 'jsonb', 'v'),
    ('cancel_series', '{org_id,series_id,from_starts_at,reason}', 'jsonb', 'v'),
    ('reschedule_appointment', '{org_id,appointment_id,new_starts_at,new_duration,force}', 'jsonb', 'v'),
    ('expire_holds', '{batch_size}', 'integer', 'v'),
    ('slot_lock_key', '{org_id,starts_at}', 'bigint', 'i'),
    ('claim_slot_atomic', '{org_id,calendar_id,slot_time,call_id}', 'jsonb', 'v'),
    ('confirm_held_slot', '{hold_id,org_id,contact_id,service_type}', 'jsonb', 'v'),
    ('book_appointment_with_lock', '{p_org_id,p_contact_id,p_scheduled_at,p_lock_key,p_duration_minutes,p_service_id,p_notes,p_metadata}', 'jsonb', 'v'),
    ('cleanup_expired_holds', NULL, 'integer', 'v'),
    ('issue_otp', '{org_id,hold_id}', 'jsonb', 'v'),
    ('withdraw_otp', '{org_id,hold_id,code}', 'jsonb', 'v'),
    ('verify_otp', '{org_id,hold_id,code,contact_id,service_type}', 'jsonb', 'v'),
    ('current_org_id', NULL, 'uuid', 's'),
    ('grant_access', '{role,profile}', 'text[]', 'v'),
    ('bind_role', '{role,org_id}', 'jsonb', 'v'),
    ('distribute_by_tenant', NULL, 'jsonb', 'v'),
    ('unbind_role', '{role}', 'jsonb', 'v'),
    ('create_event_consumer', '{org_id,consumer}', 'jsonb', 'v'),
    ('drop_event_consumer', '{org_id,consumer}', 'jsonb', 'v'),
    ('read_events', '{org_id,consumer,max_events}', 'jsonb', 'v'),
    ('ack_events', '{org_id,consumer,up_to}', 'jsonb', 'v'),
    ('revoke_access', '{role}', 'text[]', 'v'),
    ('set_calendar', '{org_id,calendar_id,time_zone,slot_step,buffer_before,buffer_after,min_notice,working_hours,capacity,max_advance,change_notice,max_per_day,max_per_week}', 'jsonb', 'v'),
    ('appointments_outside_hours', '{org_id,calendar_id,from_ts,until_ts,appointment_id,starts_at,ends_at,status}', 'record', 's'),
    ('stats', '{preloaded,claims,bookings,confirms,releases,extensions,cancellations,reschedules,expiries,conflicts,busy,rule_refusals,otp_sends,otp_matches,otp_misses,otp_lockouts,events_sent,events_unheard,lock_requests,lock_waits,lock_wait_total_ms,lock_wait_max_ms,lock_wait_p50_ms,lock_wait_p99_ms,worker_state,launcher_pid,worker_pid,worker_database,worker_passes,worker_expired,worker_errors,worker_last_pass_at,worker_last_error_at,worker_interval_ms,worker_batch_size,stats_reset,node}', 'record', 'v'),
    ('stats_reset', NULL, 'timestamp with time zone', 'v'),
    ('lock_wait_histogram', '{lower_us,upper_us,requests}', 'record', 'v'),
    ('set_org_policy', '{org_id,hold_ttl,max_hold_ttl,otp_digits,otp_ttl,otp_max_attempts,otp_max_sends,otp_resend_interval,max_active_per_contact,otp_sends_per_phone_hour}', 'jsonb', 'v'),
    ('org_policy', '{org_id}', 'jsonb', 's');

SELECT is((SELECT p.proargnames FROM pg_proc p WHERE p.pronamespace = 'booking'::regnamespace AND p.proname = c.name),
          c.args, c.name || ' takes its arguments by these names')
FROM contract c ORDER BY c.name;
SELECT is((SELECT format_type(p.prorettype, NULL) FROM pg_proc p WHERE p.pronamespace = 'booking'::regnamespace AND p.proname = c.name),
          c.returns, c.name || ' returns ' || c.returns)
FROM contract c ORDER BY c.name;
SELECT is((SELECT string_agg(p.provolatile::text, '') FROM pg_proc p WHERE p.pronamespace = 'booking'::regnamespace AND p.proname = c.name),
          c.volatility::text, c.name || ' has one signature and the declared volatility')
FROM contract c WHERE c.name IN ('claim_slot', 'book', 'hold_status', 'check_availability', 'free_slots', 'slot_lock_key', 'expire_holds')
ORDER BY c.name;
-- Defaults that callers rely on.
SELECT is(pg_get_function_arguments('booking.claim_slot'::regproc),
    'org_id uuid, calendar_id text, starts_at timestamp with time zone, duration interval DEFAULT ''00:30:00''::interval, caller_ref text DEFAULT NULL::text, patient_phone text DEFAULT NULL::text, patient_name text DEFAULT NULL::text, ttl interval DEFAULT NULL::interval, with_calendars text[] DEFAULT NULL::text[]',
    'claim_slot defaults');
SELECT is(pg_get_function_arguments('booking.book'::regproc),
    'org_id uuid, calendar_id text, starts_at timestamp with time zone, duration interval DEFAULT ''00:30:00''::interval, contact_id uuid DEFAULT NULL::uuid, service_id uuid DEFAULT NULL::uuid, notes text DEFAULT NULL::text, metadata jsonb DEFAULT NULL::jsonb, idempotency_key text DEFAULT NULL::text, with_calendars text[] DEFAULT NULL::text[]',
    'book defaults');
SELECT is(pg_get_function_arguments('booking.free_slots'::regproc),
    'org_id uuid, calendar_id text, from_ts timestamp with time zone, until_ts timestamp with time zone, duration interval, max_results integer DEFAULT 10',
    'free_slots defaults');
SELECT is(pg_get_function_result('booking.free_slots'::regproc),
    'TABLE(starts_at timestamp with time zone, ends_at timestamp with time zone, places_left integer)',
    'free_slots says the places left in each slot');
SELECT is(pg_get_function_arguments('booking.set_calendar'::regproc),
    'org_id uuid, calendar_id text, time_zone text DEFAULT ''UTC''::text, slot_step interval DEFAULT NULL::interval, buffer_before interval DEFAULT ''00:00:00''::interval, buffer_after interval DEFAULT ''00:00:00''::interval, min_notice interval DEFAULT ''00:00:00''::interval, working_hours jsonb DEFAULT NULL::jsonb, capacity integer DEFAULT 1, max_advance interval DEFAULT NULL::interval, change_notice interval DEFAULT NULL::interval, max_per_day integer DEFAULT NULL::integer, max_per_week integer DEFAULT NULL::integer',
    'set_calendar defaults');
SELECT is(pg_get_function_arguments('booking.book_series'::regproc),
    'org_id uuid, calendar_id text, first_starts_at timestamp with time zone, duration interval, every interval, count integer, contact_id uuid DEFAULT NULL::uuid, service_id uuid DEFAULT NULL::uuid, notes text DEFAULT NULL::text, metadata jsonb DEFAULT NULL::jsonb, with_calendars text[] DEFAULT NULL::text[], idempotency_key text DEFAULT NULL::text',
    'book_series defaults');
SELECT is(pg_get_function_arguments('booking.cancel_series'::regproc),
    'org_id uuid, series_id uuid, from_starts_at timestamp with time zone DEFAULT NULL::timestamp with time zone, reason text DEFAULT NULL::text',
    'cancel_series defaults');
SELECT function_privs_are('booking', 'book_series',
    ARRAY['uuid', 'text', 'timestamp with time zone', 'interval', 'interval', 'integer', 'uuid', 'uuid', 'text', 'jsonb', 'text[]', 'text'],
    'public', ARRAY[]::text[], 'book_series is not open to PUBLIC');
SELECT is(pg_get_function_arguments('booking.cancel_appointment'::regproc),
    'org_id uuid, appointment_id uuid, reason text DEFAULT NULL::text, erase_pii boolean DEFAULT false, force boolean DEFAULT false',
    'cancel_appointment defaults');
SELECT is(pg_get_function_arguments('booking.set_org_policy'::regproc),
    'org_id uuid, hold_ttl interval DEFAULT NULL::interval, max_hold_ttl interval DEFAULT NULL::interval, otp_digits integer DEFAULT NULL::integer, otp_ttl interval DEFAULT NULL::interval, otp_max_attempts integer DEFAULT NULL::integer, otp_max_sends integer DEFAULT NULL::integer, otp_resend_interval interval DEFAULT NULL::interval, max_active_per_contact integer DEFAULT NULL::integer, otp_sends_per_phone_hour integer DEFAULT NULL::integer',
    'set_org_policy defaults: NULL, the server''s value');
SELECT function_privs_are('booking', 'set_org_policy',
    ARRAY['uuid', 'interval', 'interval', 'integer', 'interval', 'integer', 'integer', 'interval', 'integer', 'integer'],
    'public', ARRAY[]::text[], 'set_org_policy is not open to PUBLIC');
-- Pools (issue 24): set_pool's defaults, managed by staff only.
SELECT has_table('booking', 'pools', 'pools are a table');
SELECT has_table('booking', 'pool_members', 'a pool''s members and counters are a table');
SELECT is(pg_get_function_arguments('booking.set_pool'::regproc),
    'org_id uuid, pool_id text, calendars text[], strategy text DEFAULT ''round_robin''::text, weights jsonb DEFAULT NULL::jsonb',
    'set_pool defaults');
SELECT function_privs_are('booking', 'set_pool', ARRAY['uuid', 'text', 'text[]', 'text', 'jsonb'],
    'public', ARRAY[]::text[], 'set_pool is not open to PUBLIC');
SELECT function_privs_are('booking', 'drop_pool', ARRAY['uuid', 'text'],
    'public', ARRAY[]::text[], 'drop_pool is not open to PUBLIC');

-- Tenancy: row-level security on every table; tenants read their own rows
-- through a policy, and nobody but the owner reads codes or the key.
SELECT ok((SELECT relrowsecurity FROM pg_class WHERE oid = ('booking.' || t)::regclass), t || ' has row-level security')
FROM unnest(ARRAY['reservations', 'audit_log', 'otp_codes', 'otp_secret', 'calendars', 'role_bindings', 'pools', 'pool_members',
                  'event_consumers', 'event_queue', 'event_log', 'access_profiles', 'reservation_links',
                  'org_policies', 'contact_locks']) t;
SELECT policies_are('booking', 'reservations', ARRAY['reservations_own_organisation']);
SELECT policies_are('booking', 'audit_log', ARRAY['audit_log_own_organisation']);
SELECT policies_are('booking', 'calendars', ARRAY['calendars_own_organisation']);
SELECT policies_are('booking', 'otp_codes', ARRAY[]::name[], 'no policy: codes are owner-only');
SELECT policies_are('booking', 'org_policies', ARRAY[]::name[], 'no policy: org_policy answers an organisation its own');
SELECT policies_are('booking', 'role_bindings', ARRAY[]::name[], 'no policy: the bindings are the owner''s');
SELECT policies_are('booking', 'event_log', ARRAY[]::name[], 'no policy: events are read through read_events()');
SELECT function_privs_are('booking', 'bind_role', ARRAY['regrole', 'uuid'], 'public', ARRAY[]::text[],
                          'only the owner binds roles');
SELECT is((SELECT context FROM pg_settings WHERE name = 'booking.org_id'), 'user',
          'booking.org_id is set by the middle tier, for one transaction');
SELECT is((SELECT boot_val FROM pg_settings WHERE name = 'booking.expiry_batch_pause'), '1000',
          'the sweep yields to claims by default: it writes about a twelfth of the time');
SELECT function_privs_are('booking', 'issue_otp', ARRAY['uuid', 'uuid'], 'public', ARRAY[]::text[],
                          'issue_otp is not executable by PUBLIC');
SELECT function_privs_are('booking', 'withdraw_otp', ARRAY['uuid', 'uuid', 'text'], 'public', ARRAY[]::text[],
                          'withdraw_otp is not executable by PUBLIC');
SELECT function_privs_are('booking', 'claim_slot',
    ARRAY['uuid', 'text', 'timestamp with time zone', 'interval', 'text', 'text', 'text', 'interval', 'text[]'],
    'public', ARRAY[]::text[], 'nothing that touches tenant data is open to PUBLIC');
SELECT ok(NOT EXISTS (SELECT 1 FROM pg_proc WHERE pronamespace = 'booking'::regnamespace AND prosecdef),
          'no function is SECURITY DEFINER (each pins its own search_path inside)');

SELECT * FROM finish();
ROLLBACK;
